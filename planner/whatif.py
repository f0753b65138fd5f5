"""What-if comparison of two plans: the figures a leader compares side by side.

Both plans are read as exported tables (``assignments.csv`` + ``plan.json``),
so a baseline may be a plan written weeks ago or a fresh one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from constraints.coverage import UNCOVERED
from planner.decide import Proven, Verdict, compare, proven_of
from planner.describe import Table
from planner.figures import PlanFacts, facts_lines, plan_facts, slip_lines, slip_summary, slips
from planner.export import (
    CADRE_WEEK_NOTE,
    RULE_LABELS,
    cadre_weeks,
    plan_meta,
    solution_frame,
    status_label,
    write_plan,
)
from planner.io import atomic_write_text
from planner.overrides import apply_overrides
from planner.plan import read_plan
from planner.scenario import Scenario
from planner.scope import Scope
from planner.solution import Solution
from planner.solve import Progress, SolveSettings, draft_plan
from planner.status import SolveStatus, recorded_status
from planner.vocabulary import CITY, Committee
from planner.whole import draft_committees

COMPARE_FILE = "compare.md"


@dataclass(frozen=True)
class Placement:
    """Where a plan has a unit: its committee's round number, first on-site day and team."""

    round: int
    start: dt.date
    team: str
    county: str = ""

    def label(self, teams: dict[str, str]) -> str:
        return f"{self.county}第{self.round}轮 {self.start} {teams.get(self.team, self.team)}"


@dataclass(frozen=True)
class PlanFigures:
    """The headline figures of one plan."""

    status: SolveStatus | None  # None: plan.json records none
    finish: dt.date | None
    uncovered: tuple[str, ...]
    rounds_by_year: dict[int, int]
    units_by_year: dict[int, int]
    drafted_weeks: int  # drafted cadre-weeks, drafted leaders included (see export.cadre_weeks)
    drafted_leader_weeks: int
    objective: float | None
    penalties: dict[str, int]
    placed: dict[tuple[str, str], Placement]  # (target, kind) -> where the plan has it
    drafted_per_round: tuple[int, ...]  # drafted cadres (leaders included) of each round, in start order
    scored: bool = True  # plan.json records the soft rules' penalties
    proven: Proven | None = None  # the objective found and the bound proven on every plan
    uncovered_units: int = 0  # units left out as the model counts them (a town with its villages: one)
    uncovered_bound: int = 0  # proven: every plan leaves at least this many units out

    @property
    def rounds(self) -> int:
        return sum(self.rounds_by_year.values())

    @property
    def has_plan(self) -> bool:
        return (self.status is not None and self.status.has_plan) or self.finish is not None

    @property
    def soft_total(self) -> int | None:
        """The weighted soft rules, without the cost of units left uncovered (None for a plan whose
        plan.json records no penalties: one drafted by hand or by another tool)."""
        return sum(self.penalties.values()) if self.scored else None


def weighted_penalties(penalties: dict[str, int | None], weights: dict[str, int]) -> dict[str, int]:
    """Weight x penalty of each soft rule that was weighed (plan.json gives None for the others)."""
    return {rule: value * weights.get(rule, 1) for rule, value in penalties.items() if value is not None}


def plan_figures(frame: pd.DataFrame, meta: dict[str, Any], scenario: Scenario) -> PlanFigures:
    """Figures of a plan table; the years are the scenario's."""
    years = scenario.horizon.years
    regular = frame[frame["kind"] == "regular"]
    starts = frame.groupby(["county", "round"])["onsite_start"].min()
    rounds_by_year = {y: int(sum(d.year == y for d in starts)) for y in years}
    units_by_year = {y: int(sum(d.year == y for d in regular["onsite_start"])) for y in years}
    members, leaders = cadre_weeks(frame)
    weights = meta.get("weights", {})
    teams = frame.drop_duplicates(["county", "round", "team"])
    drafted = (teams["drafted"] + (teams["leader"] == "drafted")).groupby([teams["county"], teams["round"]]).sum()
    order = sorted(starts.index, key=lambda key: (starts[key], key))
    return PlanFigures(
        status=recorded_status(meta),
        finish=max(regular["onsite_end"]) if len(regular) else None,
        uncovered=tuple(sorted(meta.get("uncovered", meta.get("penalty_parts", {}).get(UNCOVERED, {})))),
        rounds_by_year=rounds_by_year,
        units_by_year=units_by_year,
        drafted_weeks=members + leaders,
        drafted_leader_weeks=leaders,
        objective=meta.get("objective"),
        penalties=weighted_penalties(meta.get("penalties", {}), weights),
        placed={(r.target, r.kind): Placement(int(r.round), r.onsite_start, r.team, r.county)
                for r in frame.itertuples() if r.target},
        drafted_per_round=tuple(int(drafted[key]) for key in order),
        scored=bool(meta.get("penalties")),
        proven=proven_of(meta),
        uncovered_units=len(meta.get("penalty_parts", {}).get(UNCOVERED, {})),
        uncovered_bound=int(meta.get("uncovered_bound") or 0),
    )


@dataclass(frozen=True)
class Change:
    """A unit whose dates or team differ between two plans (round numbers alone are no change),
    or that only one of them covers. A town carries the villages that ride with it."""

    target: str
    name: str
    kind: str
    before: Placement | None
    after: Placement | None
    villages: int = 0

    @property
    def weeks(self) -> int | None:
        """Weeks later (negative: earlier) the unit starts, when both plans have it."""
        if self.before is None or self.after is None:
            return None
        return (self.after.start - self.before.start).days // 7

    @property
    def later_year(self) -> bool:
        return self.weeks is not None and self.after.start.year > self.before.start.year

    @property
    def earlier_year(self) -> bool:
        return self.weeks is not None and self.after.start.year < self.before.start.year

    def what(self) -> str:
        """The change in a few words."""
        if self.after is None:
            return "不再覆盖"
        if self.before is None:
            return "新增覆盖"
        parts = []
        if self.weeks:
            parts.append(f"推迟{self.weeks}周" if self.weeks > 0 else f"提前{-self.weeks}周")
        if self.after.team != self.before.team:
            parts.append("换组")
        return "、".join(parts) or "日期微调"


def _riders(scenario: Scenario) -> dict[str, str]:
    """Village -> its town, for villages that ride with their town (巡镇带村) in any committee."""
    return {t.id: t.town for c in scenario.committees for t in scenario.riding_villages(c)}


def changes(base: PlanFigures, variant: PlanFigures, scenario: Scenario) -> list[Change]:
    """Units placed differently in ``variant`` than in ``base``: another first on-site day or
    another team, or covered by one plan only. Villages riding with their town are counted
    with the town; the order is the base plan's."""
    names = {t.id: t.name for t in scenario.targets}
    riders = _riders(scenario)
    villages: dict[str, int] = {}
    for village, town in riders.items():
        villages[town] = villages.get(town, 0) + 1
    keys = [k for k in dict.fromkeys([*base.placed, *variant.placed]) if k[0] not in riders]
    found = []
    for target, kind in keys:
        before, after = base.placed.get((target, kind)), variant.placed.get((target, kind))
        if before is not None and after is not None and (before.start, before.team) == (after.start, after.team):
            continue
        found.append(Change(target, names.get(target, target), kind, before, after, villages.get(target, 0)))
    far = dt.date.max
    return sorted(found, key=lambda c: ((c.before or c.after).start if (c.before or c.after) else far, c.target))


def _round_label(placement: Placement | None, teams: dict[str, str]) -> str:
    return "未安排" if placement is None else placement.label(teams)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value)


def _change(before: Any, after: Any) -> str:
    if isinstance(before, (int, float)) and isinstance(after, (int, float)):
        delta = after - before
        return "" if delta == 0 else f"{delta:+.0f}"
    if isinstance(before, dt.date) and isinstance(after, dt.date):
        days = (after - before).days
        return "" if days == 0 else f"{days:+d} 天"
    return "" if before == after else "变化"


def _finish(f: PlanFigures) -> Any:
    if f.finish is None:
        return None
    return f.finish if not f.uncovered else f"{f.finish} (未覆盖 {len(f.uncovered)} 个)"


def _uncovered(f: PlanFigures) -> int | None:
    return None if f.finish is None else len(f.uncovered)


BASE_LABELS = ("基准方案", "推演方案")
# The objective in the office's words: what the solver minimises, coverage and soft rules weighed together.
OBJECTIVE_LABEL = "综合代价 (未覆盖单位与软性规则加权合计)"
BOUND_LABEL = "综合代价下界 (已证明, 任何方案都不低于此)"
KIND_WORDS = {"regular": "常规巡察", "cross": "交叉巡察", "follow_up": "回头看"}


def verdicts(base: PlanFigures, variant: PlanFigures) -> tuple[Verdict | None, Verdict | None]:
    """Whether the objectives, and the numbers of units left out, differ for sure (see planner.decide)."""
    objective = compare(base.proven, variant.proven) if base.proven and variant.proven else None
    if base.finish is None or variant.finish is None:
        return objective, None
    left_out = compare(Proven(base.uncovered_units, base.uncovered_bound),
                       Proven(variant.uncovered_units, variant.uncovered_bound))
    return objective, left_out


def _finding(label: str, before: Any, after: Any, objective: Verdict | None, left_out: Verdict | None) -> str:
    """The verdict column: proven or within the uncertainty, for every row that changed."""
    if _change(before, after) == "" or label in ("求解状态", BOUND_LABEL):
        return ""
    if label == "未覆盖单位数" and left_out is not None:
        return left_out.text(" 个 (镇带村计1个)", "多", "少")
    if objective is None:
        return "无下界, 未证明"
    if label == OBJECTIVE_LABEL:
        return objective.text()
    if objective.proven:
        return "综合代价差异已证明; 本项为两方案之差"
    return f"未证明 (综合代价在求解不确定度 ±{objective.uncertainty:,.0f} 之内)"


def comparison_table(base: PlanFigures, variant: PlanFigures, labels: tuple[str, str] = BASE_LABELS) -> Table:
    """Side by side: coverage, rounds and units per year, drafted cadres, soft-rule costs (uncovered
    units apart); for every change, whether it is proven (the bounds separate the two plans) or within
    the uncertainty."""
    rows: list[tuple[str, Any, Any]] = [
        ("求解状态", status_label(base.status), status_label(variant.status)),
    ]
    figures: list[tuple[str, Any, Any]] = [
        ("全覆盖完成日期", _finish(base), _finish(variant)),
        ("未覆盖单位数", _uncovered(base), _uncovered(variant)),
        ("轮次合计", base.rounds, variant.rounds),
    ]
    for year in sorted(base.rounds_by_year.keys() | variant.rounds_by_year.keys()):
        figures.append((f"{year}年 轮次", base.rounds_by_year.get(year, 0), variant.rounds_by_year.get(year, 0)))
        figures.append((f"{year}年 常规巡察单位数", base.units_by_year.get(year, 0), variant.units_by_year.get(year, 0)))
    figures.append(("每轮抽调干部最多 (人, 含抽调组长)", max(base.drafted_per_round, default=None),
                    max(variant.drafted_per_round, default=None)))
    figures.append(("抽调干部合计 (人·周, 含抽调组长)", base.drafted_weeks, variant.drafted_weeks))
    figures.append(("其中抽调组长 (人·周)", base.drafted_leader_weeks, variant.drafted_leader_weeks))
    for rule in dict.fromkeys([*base.penalties, *variant.penalties]):
        figures.append((f"软性规则: {RULE_LABELS.get(rule, rule)}", base.penalties.get(rule),
                        variant.penalties.get(rule)))
    figures.append(("软性规则代价合计 (不计未覆盖单位)", base.soft_total, variant.soft_total))
    figures.append((OBJECTIVE_LABEL, base.objective, variant.objective))
    figures.append((BOUND_LABEL, _bound(base), _bound(variant)))
    # A plan that does not exist has no figures: a dash, not a zero.
    rows += [(label, b if base.has_plan else None, v if variant.has_plan else None) for label, b, v in figures]
    objective, left_out = verdicts(base, variant)
    return Table("对比", ("项目", *labels, "变化", "结论"),
                 tuple((label, _fmt(b), _fmt(v), _change(b, v), _finding(label, b, v, objective, left_out))
                       for label, b, v in rows))


def _bound(f: PlanFigures) -> float | None:
    return None if f.proven is None else f.proven.bound


def changes_table(found: list[Change], scenario: Scenario, labels: tuple[str, str] = BASE_LABELS,
                  reasons: dict[str, str] | None = None) -> Table:
    """One row per unit placed differently; ``reasons`` (target -> why) adds a column."""
    teams = {t.id: t.name for t in scenario.teams}
    columns = ("单位", "编号", "类型", *labels, "变化") + (("原因",) if reasons is not None else ())
    rows = []
    for c in found:
        name = c.name + (f" (含随镇巡察的{c.villages}个村)" if c.villages else "")
        row = (name, c.target, KIND_WORDS.get(c.kind, c.kind), _round_label(c.before, teams),
               _round_label(c.after, teams), c.what())
        rows.append(row + ((reasons.get(c.target, ""),) if reasons is not None else ()))
    return Table(f"巡察时间或巡察组有变化的单位 ({len(found)} 个; 按日期比较, 仅轮次编号变化的不计)", columns, tuple(rows))


def _names(items: list[str]) -> str:
    return "、".join(items)


def headline(base: PlanFigures, variant: PlanFigures, found: list[Change], scenario: Scenario,
             labels: tuple[str, str] = BASE_LABELS) -> list[str]:
    """What a leader asks first, in sentences: what is no longer covered, what slips to a later
    year, how drafting and the rounds of each year change, and whether the whole term is covered."""
    a, b = labels
    names = {t.id: t.name for t in scenario.targets}
    if not variant.has_plan:
        after = "可加大 --time-limit 后重试" if variant.status == SolveStatus.UNKNOWN else "冲突的规则见 xuncha explain"
        return [f"{b}{status_label(variant.status)}, 没有可比较的方案; {after}。"]
    riders = _riders(scenario)

    def listed(ids: list[str]) -> str:
        return _names([_with_villages(t, names, riders) for t in ids])

    # A town left out takes its villages along: they are named with it, not apart.
    lost = [t for t in variant.uncovered if t not in base.uncovered and t not in riders]
    regained = [t for t in base.uncovered if t not in variant.uncovered and t not in riders]
    still = [t for t in variant.uncovered if t in base.uncovered and t not in riders]
    lines = []
    if not base.has_plan:
        lines.append(f"{a}{status_label(base.status)}, 只能列出{b}本身的情况。")
    if lost:
        lines.append(f"{b}有{len(lost)}个单位本届排不下、不再覆盖: {listed(lost)}。")
        owner = {t.id: c.county or "市委" for c in scenario.committees for t in scenario.targets_of(c)}
        by_committee = Counter(owner.get(t, "") for t in lost)
        if len(by_committee) > 1 or "市委" not in by_committee:
            lines.append("按党委: " + "、".join(f"{who}{n}个" for who, n in by_committee.items()) + "。")
    if regained:
        lines.append(f"{len(regained)}个单位在{b}中得以覆盖 ({a}未覆盖): {listed(regained)}。")
    if still:
        lines.append(f"{len(still)}个单位两个方案都未覆盖: {listed(still)}。")
    if not variant.uncovered:
        lines.append(f"{b}覆盖全部单位, 最后一个单位 {variant.finish} 结束进驻 ({a}为 {_fmt(base.finish)})。")
    later = [c for c in found if c.kind == "regular" and c.later_year]
    if later:
        lines.append(f"{len(later)}个单位推迟到以后年度: "
                     + _names([f"{c.name} ({c.before.start.year}年 → {c.after.start.year}年)" for c in later]) + "。")
    else:
        lines.append("没有单位推迟到以后年度。")
    earlier = [c for c in found if c.kind == "regular" and c.earlier_year]
    if earlier:
        lines.append(f"{len(earlier)}个单位提前到较早年度: "
                     + _names([f"{c.name} ({c.before.start.year}年 → {c.after.start.year}年)" for c in earlier]) + "。")
    same = [c for c in found if c.before and c.after and not c.later_year and not c.earlier_year]
    if same:
        lines.append(f"另有{len(same)}个单位在同一年内调整了时间或巡察组 (见下表)。")
    lines.append(f"每轮抽调干部 (含抽调组长): {a}{_drafting(base)}, {b}{_drafting(variant)}。")
    lines.append(_rounds_sentence(base, variant, labels))
    lines.append(f"软性规则代价 (不计未覆盖单位, 越小越好): {a} {_fmt(base.soft_total)}, {b} {_fmt(variant.soft_total)}。")
    return lines


def _with_villages(target: str, names: dict[str, str], riders: dict[str, str]) -> str:
    villages = sum(1 for town in riders.values() if town == target)
    return names.get(target, target) + (f" (含{villages}个村)" if villages else "")


def _drafting(f: PlanFigures) -> str:
    if not f.drafted_per_round:
        return "无轮次"
    return f"每轮最多{max(f.drafted_per_round)}人、平均{sum(f.drafted_per_round) / len(f.drafted_per_round):.1f}人"


def _rounds_sentence(base: PlanFigures, variant: PlanFigures, labels: tuple[str, str]) -> str:
    years = sorted(base.rounds_by_year.keys() | variant.rounds_by_year.keys())
    moved = [y for y in years if base.rounds_by_year.get(y, 0) != variant.rounds_by_year.get(y, 0)]
    if not moved:
        return f"每年轮次不变 (共{variant.rounds}轮)。"
    text = "、".join(f"{y}年 {base.rounds_by_year.get(y, 0)} → {variant.rounds_by_year.get(y, 0)}轮" for y in moved)
    return f"每年轮次 ({labels[0]} → {labels[1]}): {text}; 其余年份不变, 共{base.rounds} → {variant.rounds}轮。"


def table_markdown(table: Table) -> list[str]:
    lines = [f"## {table.title}", "", "| " + " | ".join(table.columns) + " |",
             "|" + " --- |" * len(table.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    return lines + [""]


def compare_markdown(title: str, overrides: list[str], tables: list[Table], lead: list[str] = (),
                     facts: list[str] = (), slipped: list[str] = ()) -> str:
    """``facts``: the proven figures, first after the title; then ``lead``, the headline sentences;
    ``slipped``: one line per unit moved to a later year, forced or a choice."""
    lines = [f"# {title}", ""]
    if facts:
        lines += ["## 已证明的数字 (只含硬性规则, 每项单独求解)", ""] + [f"- {line}" for line in facts] + [""]
        lines += ["## 两个方案的对比", ""]
    lines += [f"- {line}" for line in lead] + ([""] if lead else [])
    if slipped:
        lines += ["## 推迟到以后年度的单位: 不得不推迟, 还是本方案的选择", "",
                  "按风险从高到低; “不得不推迟”: 把该单位定在原年度 (定年度) 后, 推演场景已证明没有覆盖同样多单位的方案。", ""]
        lines += [f"- {line}" for line in slipped] + [""]
    if overrides:
        lines += ["推演设置:", ""] + [f"- `{o}`" for o in overrides] + [""]
    for table in tables:
        lines += table_markdown(table)
    lines += [f"抽调干部: {CADRE_WEEK_NOTE}。抽调组长另从组长库计; 软性规则“少抽调干部”只计抽调组员 (不含组长)。", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class WhatIf:
    """A what-if run: both plans' figures, the units placed differently, where the files went."""

    base: PlanFigures
    variant: PlanFigures
    moved: list[Change]
    headline: list[str]
    compare_path: Path
    variant_dir: Path | None
    variant_solutions: tuple[Solution, ...]
    scenario: Scenario
    settle_seconds: float = 0.0  # spent solving on to decide the difference
    settle_budget: float = 0.0
    facts: list[str] = field(default_factory=list)  # the proven figures of both plans, in sentences
    slips: list[str] = field(default_factory=list)  # each unit moved to a later year: forced or a choice

    @property
    def tables(self) -> list[Table]:
        return [comparison_table(self.base, self.variant), changes_table(self.moved, self.scenario)]


@dataclass
class _Side:
    """One of the two plans compared: its scenario, folder, table, plan.json and, when solved here, its solutions."""

    scenario: Scenario
    out: Path
    extra: dict[str, Any]
    frame: pd.DataFrame
    meta: dict[str, Any]
    solutions: tuple[Solution, ...] = ()

    def take(self, solution: Solution, bound: float) -> None:
        """A one-committee re-solve's plan when it is better (written to ``out``), and the higher bound either way."""
        better = solution.has_plan and (self.meta.get("objective") is None
                                        or solution.objective < self.meta["objective"])
        if better:
            self.solutions = (replace(solution, best_bound=min(bound, solution.objective)),)
            self.frame = write_plan(self.out, self.solutions, self.scenario, self.extra)
        elif self.solutions:
            self.solutions = (replace(self.solutions[0], best_bound=bound),)
            write_plan(self.out, self.solutions, self.scenario, self.extra)
        else:
            self.meta = dict(self.meta, best_bound=bound)
            return
        self.meta = plan_meta(self.solutions, self.scenario, self.extra)


def plan_and_write(scenario: Scenario, scope: Scope, out: Path, settings: SolveSettings, extra: dict[str, Any],
                   progress: Callable[[Progress], None] | None = None, start: pd.DataFrame | None = None) -> _Side:
    """Solve the scope's plan, units left uncovered allowed, from ``start`` (a plan table) when given
    and one committee is planned; write it to ``out`` when every committee has one."""
    report = (lambda r: progress(r.progress) if r.progress is not None else None) if progress else None
    solutions, _stopped, _coupling = draft_committees(scenario, scope, settings, on_report=report, allow_uncovered=True,
                                           start=start)
    meta = plan_meta(solutions, scenario, extra)
    if not all(s.has_plan for s in solutions):
        frame = pd.concat([solution_frame(s, scenario) for s in solutions], ignore_index=True)
        return _Side(scenario, out, extra, frame, meta, tuple(solutions))
    return _Side(scenario, out, extra, write_plan(out, solutions, scenario, extra), meta, tuple(solutions))


def settle(base: _Side, variant: _Side, committee: Committee, settings: SolveSettings, budget: float,
           progress: Callable[[Progress], None] | None = None) -> float:
    """Keep solving one committee's pair while the bounds do not separate the two plans: each time
    the one with the wider range, started from its own plan, for at most ``settings.time_limit``,
    until the difference is proven, both are proven best, or ``budget`` seconds are spent. Returns
    the seconds spent."""
    spent = 0.0
    while spent < budget - 1:
        before, after = proven_of(base.meta), proven_of(variant.meta)
        if before is None or after is None or compare(before, after).proven:
            break
        side, proven = (variant, after) if after.uncertainty >= before.uncertainty else (base, before)
        if proven.uncertainty == 0:
            break
        started = time.monotonic()
        limit = min(settings.time_limit, budget - spent)
        solution = draft_plan(side.scenario, committee, replace(settings, time_limit=limit), progress,
                              allow_uncovered=True, start=side.frame if len(side.frame) else None)
        spent += time.monotonic() - started
        if not solution.has_plan:
            break
        side.take(solution, proven.merged(Proven(solution.objective, max(0.0, solution.best_bound))).bound)
    return spent


def run_whatif(
    scenario: Scenario,
    overrides: list[str],
    out: Path,
    settings: SolveSettings,
    baseline: Path | None = None,
    progress: Callable[[Progress], None] | None = None,
    scope: Scope = Scope.one(CITY),
    settle_budget: float | None = None,
    facts: list[str] | None = None,
) -> WhatIf:
    """Plan the variant (``overrides`` applied), compare it with the baseline, write ``compare.md``.

    The baseline is the plan in ``baseline``, or a fresh plan of the unchanged
    scenario written to ``out/baseline``. The variant goes to ``out/variant``,
    solved from the baseline's plan (or the greedy plan, when that is better).
    Both may leave units uncovered (the heaviest soft rule), so a variant
    short of staff still shows what slips. While the bounds do not separate the
    two plans, both are solved on (see :func:`settle`) for up to ``settle_budget``
    seconds (default: twice the time limit); compare.md says what is proven.
    compare.md opens with ``facts``, the figures the solver proves of both scenarios (default:
    :func:`figures_of`, before any plan is drafted). Each unit moved to a later year is proven forced
    or a choice (:func:`planner.figures.slips`).
    Bad overrides raise :class:`~planner.loading.ScenarioError` before anything is written.
    """
    variant = apply_overrides(scenario, overrides)
    extra = {"time_limit": settings.time_limit}
    if facts is None:
        facts = figures_of(scenario, variant, scope, settings)
    if baseline is None:
        base = plan_and_write(scenario, scope, out / "baseline", settings, extra, progress)
    else:
        base_plan = read_plan(baseline)
        base = _Side(scenario, out / "baseline", extra, base_plan.assignments, base_plan.meta)
    one = len(scope.apart) == 1
    side = plan_and_write(variant, scope, out / "variant", settings, extra | {"overrides": overrides}, progress,
                          start=base.frame if one and len(base.frame) else None)
    budget = 2 * settings.time_limit if settle_budget is None else settle_budget
    # Solving on is for one committee's pair; several committees are compared as solved.
    spent = settle(base, side, scope.first, settings, budget, progress) if one else 0.0
    base_figures = plan_figures(base.frame, base.meta, scenario)
    variant_figures = plan_figures(side.frame, side.meta, variant)
    moved = changes(base_figures, variant_figures, variant)
    lead = headline(base_figures, variant_figures, moved, variant)
    slipped: list[str] = []
    for committee in scope.apart:
        found, rest = slips(variant, [(c.target, c.before.start.year, c.after.start.year) for c in moved
                                      if c.kind == "regular" and c.later_year and c.after.county == committee.county],
                            committee, settings, variant_figures.uncovered_units)
        if found or rest:
            who = f"{variant.policy(committee).committee}: " if len(scope.apart) > 1 else ""
            lead.append(who + slip_summary(found, rest))
            slipped += [who + line for line in slip_lines(found, rest)]
    result = WhatIf(base_figures, variant_figures, moved, lead, out / COMPARE_FILE,
                    out / "variant" if all(s.has_plan for s in side.solutions) else None, side.solutions, variant,
                    spent, budget if one else 0.0, facts, slipped)
    title = f"{scenario.names.committee if scope.whole else scenario.policy(scope.first).committee}巡察规划推演"
    note = settle_note(spent, budget, *verdicts(base_figures, variant_figures))
    text = compare_markdown(title, overrides, result.tables, lead, facts, slipped)
    atomic_write_text(result.compare_path, text + note)
    return result


def figures_of(scenario: Scenario, variant: Scenario, scope: Scope, settings: SolveSettings) -> list[str]:
    """The proven figures of the baseline and the variant of each committee the scope plans on its own
    (a whole-city plan's counties follow the city's calendar of one run: nothing to prove alone)."""
    committees = scope.apart
    if not committees:
        return ["全市联动方案 (--level all) 的各县区依市委当次的轮次编制, 不单独证明数字; 可用 --level city 或 --county 分别推演。"]
    lines = []
    for committee in committees:
        pair: list[tuple[str, PlanFacts]] = [(BASE_LABELS[0], plan_facts(scenario, committee, settings)),
                                             (BASE_LABELS[1], plan_facts(variant, committee, settings))]
        who = f"{scenario.policy(committee).committee}: " if len(committees) > 1 else ""
        lines += [who + line for line in facts_lines(pair)]
    return lines


def settle_note(spent: float, budget: float, objective: Verdict | None, left_out: Verdict | None) -> str:
    """What compare.md says about the proof: decided, or not within the time spent."""
    lines = ["", "## 结论是否已证明", ""]
    lines.append("“已证明”: 两个方案的综合代价区间 [下界, 方案代价] 不重叠, 无论再怎么排, 差异的方向不变;"
                 "“在求解不确定度之内”: 区间重叠, 差异可能只是求解未完成所致, 不能作为结论。")
    if objective is not None:
        lines.append(f"综合代价: {objective.text()}。")
    if left_out is not None:
        lines.append(f"未覆盖单位数: {left_out.text(' 个 (镇带村计1个)', '多', '少')}。")
    if spent:
        lines.append(f"为判断差异, 又继续求解了 {spent:.0f} 秒 (上限 {budget:.0f} 秒)。")
    elif objective is not None and not objective.proven:
        lines.append(f"继续求解的时限为 {budget:.0f} 秒。")
    return "\n".join(lines) + "\n"
