"""Re-planning (中期调整) and re-drafting from a baseline: keep what has begun, move as little as
possible of the rest, and say for every unit that moves which changed input forced it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from constraints.stability import STABILITY_TERMS
from planner.baseline import as_of_week, baseline_of, kept_rows, pins_from_plan, renumbered
from planner.check import Violation, check_plan
from planner.decisions import decision_text
from planner.describe import Table
from planner.export import plan_meta, solution_frame, write_plan_files
from planner.io import atomic_directory, atomic_write_text
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE, SCENARIO_FILE, PlanDir, read_plan
from planner.scenario import NOT_SETTINGS, Scenario
from planner.solution import Solution
from planner.solve import Progress, SolveSettings, draft_plan
from planner.validation import DEFER_CROSS_CHECK
from planner.vocabulary import CITY, Committee
from planner.whatif import (
    Change,
    changes,
    changes_table,
    compare_markdown,
    comparison_table,
    plan_figures,
)

DIFF_FILE = "changes.md"
LABELS = ("原方案", "调整后")


def _decisions_fit_history(scenario: Scenario, old: PlanDir, history: pd.DataFrame, committee: Committee) -> None:
    """Rounds under way cannot change: a fixed decision they break is refused before any solve."""
    broken = [v.message for v in check_plan(scenario, PlanDir(old.path, history, old.meta), [committee])
              if v.rule == "fixed"]
    if broken:
        raise ValueError("锁定事项与已进驻或已开始准备的轮次矛盾 (这些轮次不再调整): " + "; ".join(broken))


def drafted_scenario(plan_dir: Path) -> Scenario | None:
    """The scenario a plan was drafted from, as its scenario.json keeps it (None for an older plan)."""
    try:
        return Scenario.model_validate_json((Path(plan_dir) / SCENARIO_FILE).read_text(encoding="utf-8"),
                                            context={DEFER_CROSS_CHECK: True})
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Replan:
    solution: Solution
    kept: int  # rows kept as they were
    report: StabilityReport | None
    out: Path
    diff_path: Path | None

    @property
    def moved(self) -> list[Change]:
        return self.report.moved if self.report else []


def replan(
    scenario: Scenario,
    plan_dir: Path,
    as_of: dt.date,
    out: Path,
    settings: SolveSettings,
    progress: Callable[[Progress], None] | None = None,
    overrides: Iterable[str] = (),
    committee: Committee = CITY,
    previous: Scenario | None = None,
    free: bool = False,
    old: PlanDir | None = None,
) -> Replan:
    """Re-plan everything not under way by ``as_of`` and write the plan and ``changes.md`` to ``out``.

    ``scenario`` is the scenario as it is now (overrides applied), ``previous``
    the one the old plan was drafted from (to say which inputs changed);
    ``old`` the old plan when already read (an edited workbook). Rounds on
    site or in preparation by ``as_of`` are kept as they were; the rest stays
    as close to the old plan as the changed inputs allow (``free``: the soft
    rules first). Only ``committee``'s rows are re-planned.
    """
    old = old or read_plan(plan_dir)
    mine = old.assignments[old.assignments["county"] == committee.county]
    history = kept_rows(mine, as_of)
    future = mine.drop(history.index)
    _decisions_fit_history(scenario, old, history, committee)
    pins = pins_from_plan(mine, scenario, as_of, committee)
    solution = draft_plan(scenario, committee, settings, progress, pins=pins, as_of_week=as_of_week(scenario, as_of),
                          start=mine, baseline=baseline_of(future, scenario, committee, free))
    if not solution.has_plan:
        return Replan(solution, len(history), None, out, None)
    extra = {"time_limit": settings.time_limit, "replanned_from": str(plan_dir), "as_of": as_of.isoformat(),
             "overrides": list(overrides), "stability": "free" if free else "stable",
             "moved": {name: solution.penalties.get(name, 0) for name in STABILITY_TERMS}}
    meta = plan_meta(solution, scenario, extra)
    new = solution_frame(solution, scenario)
    # Rounds under way are history: copied as they were, even where today's staff tables differ.
    begun = kept_rows(new, as_of)
    frame = renumbered(pd.concat([history.reindex(columns=new.columns, fill_value=""), new.drop(begun.index)],
                                 ignore_index=True))
    report = stability_report(PlanDir(old.path, mine, old.meta), history, frame, meta, scenario, previous,
                              overrides, free, as_of)
    title = f"{scenario.policy(committee).committee}巡察规划调整 ({as_of} 起重新安排)"
    with atomic_directory(out, markers=(ASSIGNMENTS_FILE, PLAN_FILE)) as staging:
        write_plan_files(staging, frame, meta, scenario)
        (staging / DIFF_FILE).write_text(report.markdown(title, overrides), encoding="utf-8")
    return Replan(solution, len(history), report, out, out / DIFF_FILE)


def write_changes(out: Path, old: PlanDir, scenario: Scenario, committees: list[Committee],
                  previous: Scenario | None, overrides: Iterable[str] = (), free: bool = False) -> StabilityReport:
    """``changes.md`` of a plan in ``out`` drafted against the baseline ``old`` (``plan --baseline``):
    what moved from the baseline, and why (where an edit broke a rule, the rule)."""
    new = read_plan(out)
    mine = old.assignments[old.assignments["county"].isin({c.county for c in committees})]
    report = stability_report(PlanDir(old.path, mine, old.meta), mine.iloc[:0], new.assignments, new.meta, scenario,
                              previous, overrides, free)
    names = "、".join(scenario.policy(c).committee for c in committees)
    atomic_write_text(out / DIFF_FILE, report.markdown(f"{names}巡察规划 (以 {old.path} 为基准重新编制)", overrides))
    return report


@dataclass(frozen=True)
class StabilityReport:
    """How a new plan differs from the one it replaces, unit by unit, and why."""

    moved: list[Change]
    reasons: dict[str, str]
    headline: list[str]
    tables: list[Table]

    def markdown(self, title: str, overrides: Iterable[str] = ()) -> str:
        return compare_markdown(title, list(overrides), self.tables, self.headline)


def stability_report(old: PlanDir, history: pd.DataFrame, frame: pd.DataFrame, meta: dict[str, Any],
                     scenario: Scenario, previous: Scenario | None, overrides: Iterable[str] = (),
                     free: bool = False, as_of: dt.date | None = None) -> StabilityReport:
    """Compare the new plan (``frame``, ``meta``) with the old one by dates and teams; ``history``
    are the old rows kept as they were."""
    before, after = plan_figures(old.assignments, old.meta, scenario), plan_figures(frame, meta, scenario)
    moved = changes(before, after, scenario)
    reasons = move_reasons(moved, old, history, scenario, previous, free)
    riders = {t.id for c in scenario.committees for t in scenario.riding_villages(c)}
    untouched = len({t for t in old.assignments["target"] if t and t not in riders}
                    - set(history["target"]) - {c.target for c in moved})
    lead = replan_headline(history, moved, reasons, input_changes(previous, scenario, overrides), as_of,
                           untouched, after.uncovered)
    tables = [changes_table(moved, scenario, LABELS, reasons), comparison_table(before, after, LABELS)]
    return StabilityReport(moved, reasons, lead, tables)


# ----------------------------------------------------------------- why units moved
FOLLOWS = "随之调整: 为上述必须调整的单位腾出轮次、巡察组或人手"
REOPTIMISED = "按改动后的设置重新优化 (软性规则)"
FREED = "按软性规则重新优化 (--free)"


def move_reasons(moved: list[Change], old: PlanDir, history: pd.DataFrame, scenario: Scenario,
                 previous: Scenario | None, free: bool = False) -> dict[str, str]:
    """Target -> why it moved: the hard rule its old place breaks under today's inputs (a new
    fixed decision, a team away, a smaller pool, ...), a decision or a change of its own data,
    or that it follows those (the others had to make room)."""
    forced = _forced(old, history, scenario)
    own = _own_changes(previous, scenario)
    reasons = {}
    for c in moved:
        if c.before is None:
            reasons[c.target] = "新增的巡察对象" if previous and c.target not in {t.id for t in previous.targets} else ""
        elif c.after is None:
            reasons[c.target] = "排不下, 不再覆盖"
        elif c.target in forced:
            reasons[c.target] = "原安排不再可行: " + forced[c.target]
        elif c.target in own:
            reasons[c.target] = own[c.target]
    fallback = FREED if free else (FOLLOWS if reasons else REOPTIMISED)
    return {c.target: reasons.get(c.target) or fallback for c in moved}


def _forced(old: PlanDir, history: pd.DataFrame, scenario: Scenario) -> dict[str, str]:
    """Target -> the first finding of the checker on its old place, read with today's inputs.

    A finding names its targets, or its rounds and teams (every unit those
    teams inspect in those rounds), or its rounds only (every unit in them);
    rounds under way are history and not held to today's inputs.
    """
    done = set(zip(history["county"], history["round"]))
    rows = [r for r in old.assignments.itertuples() if r.target and (r.county, r.round) not in done]
    found: dict[str, str] = {}
    for v in check_plan(scenario, old):
        for target in _named(v, rows):
            found.setdefault(target, v.message)
    return found


def _named(v: Violation, rows: list[Any]) -> list[str]:
    if v.targets:
        return [r.target for r in rows if r.target in v.targets]
    if v.teams:
        return [r.target for r in rows if r.round in v.rounds and r.team in v.teams]
    return [r.target for r in rows if r.round in v.rounds]


def _own_changes(previous: Scenario | None, scenario: Scenario) -> dict[str, str]:
    """Target -> what changed in its own row, or in a fixed decision naming it."""
    if previous is None:
        return {}
    found: dict[str, str] = {}
    before = {t.id: t for t in previous.targets}
    for target in scenario.targets:
        old = before.get(target.id)
        if old is not None and old != target:
            found[target.id] = "单位数据改动: " + _diff_text(old.model_dump(), target.model_dump())
    kept = set(previous.fixed)
    for d in scenario.fixed:
        if d not in kept:
            for unit in d.units:
                found.setdefault(unit, f"新增锁定事项: {decision_text(d, scenario)}")
    return found


def input_changes(previous: Scenario | None, scenario: Scenario, overrides: Iterable[str] = ()) -> list[str]:
    """What differs between the scenario of the old plan and today's, one line each."""
    if previous is None:
        listed = [f"--set {o}" for o in overrides]
        return listed or ["(原方案目录中没有编制时的场景 scenario.json, 无法列出其他改动)"]
    lines = []
    old_settings = _flat(previous.model_dump(exclude=set(NOT_SETTINGS)))
    new_settings = _flat(scenario.model_dump(exclude=set(NOT_SETTINGS)))
    for key in dict.fromkeys([*old_settings, *new_settings]):
        if old_settings.get(key) != new_settings.get(key):
            lines.append(f"设置 {key}: {_value(old_settings.get(key))} → {_value(new_settings.get(key))}")
    for label, old_items, new_items in (("巡察组", previous.teams, scenario.teams),
                                        ("巡察对象", previous.targets, scenario.targets)):
        before, after = {i.id: i for i in old_items}, {i.id: i for i in new_items}
        for item_id in dict.fromkeys([*before, *after]):
            a, b = before.get(item_id), after.get(item_id)
            if a is None:
                lines.append(f"新增{label} {b.name} ({item_id})")
            elif b is None:
                lines.append(f"删除{label} {a.name} ({item_id})")
            elif a != b:
                lines.append(f"{label} {b.name} ({item_id}): {_diff_text(a.model_dump(), b.model_dump())}")
    kept, now = set(previous.fixed), set(scenario.fixed)
    lines += [f"新增锁定事项: {decision_text(d, scenario)}" for d in scenario.fixed if d not in kept]
    lines += [f"取消锁定事项: {decision_text(d, previous)}" for d in previous.fixed if d not in now]
    audited, planned = set(previous.audits), set(scenario.audits)
    lines += [f"新增审计计划: {a.unit} {a.year}年" for a in scenario.audits if a not in audited]
    lines += [f"取消审计计划: {a.unit} {a.year}年" for a in previous.audits if a not in planned]
    return lines


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def _value(value: Any) -> str:
    return "—" if value in (None, "", (), []) else str(value)


def _diff_text(before: dict[str, Any], after: dict[str, Any]) -> str:
    return "、".join(f"{key} {_value(before[key])} → {_value(after[key])}" for key in after if before.get(key) != after[key])


def replan_headline(history: pd.DataFrame, moved: list[Change], reasons: dict[str, str], inputs: list[str],
                    as_of: dt.date | None, untouched: int, uncovered: tuple[str, ...]) -> list[str]:
    """The first lines of changes.md: what was kept, which inputs changed, how much moved and why."""
    lines = []
    if as_of is not None:
        rounds = history[["county", "round"]].drop_duplicates()
        lines.append(f"{as_of} 前已进驻或已开始准备的 {len(rounds)} 轮 ({len(history)} 条安排) 原样保留。")
    lines.append("改动的输入: " + ("; ".join(inputs) if inputs else "无 (与编制原方案时相同)") + "。")
    if not moved:
        lines.append(f"其余 {untouched} 个单位的时间和巡察组全部不变。")
        return lines
    followers = {FOLLOWS, REOPTIMISED, FREED}
    forced = [c for c in moved if reasons[c.target] not in followers]
    later = [c for c in moved if c.weeks and c.weeks > 0]
    lines.append(f"{len(moved)} 个单位的时间或巡察组有变化, {untouched} 个不变: {len(forced)} 个因改动的输入必须调整, "
                 f"{len(moved) - len(forced)} 个随之调整; 推迟的 {len(later)} 个, 合计推迟 {sum(c.weeks for c in later)} 周。")
    if uncovered:
        lines.append(f"有 {len(uncovered)} 个单位排不下, 见下表“不再覆盖”。")
    return lines
