"""What-if comparison of two plans: the figures a leader compares side by side.

Both plans are read as exported tables (``assignments.csv`` + ``plan.json``),
so a baseline may be a plan written weeks ago or a fresh one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from constraints.coverage import UNCOVERED
from planner.decide import Proven, Verdict, compare, proven_of
from planner.describe import Table
from planner.export import (
    CADRE_WEEK_NOTE,
    RULE_LABELS,
    STATUS_LABELS,
    cadre_weeks,
    plan_meta,
    solution_frame,
    write_plan,
)
from planner.io import atomic_write_text
from planner.overrides import apply_overrides
from planner.plan import read_plan
from planner.scenario import CITY, Committee, Scenario
from planner.solution import Solution
from planner.solve import Progress, SolveSettings, draft_plan

COMPARE_FILE = "compare.md"


@dataclass(frozen=True)
class PlanFigures:
    """The headline figures of one plan."""

    status: str
    finish: dt.date | None
    uncovered: tuple[str, ...]
    rounds_by_year: dict[int, int]
    units_by_year: dict[int, int]
    drafted_weeks: int  # drafted cadre-weeks, drafted leaders included (see export.cadre_weeks)
    drafted_leader_weeks: int
    objective: float | None
    penalties: dict[str, int]
    rounds_of: dict[tuple[str, str], int]  # (target, kind) -> round number
    starts_of: dict[tuple[str, str], dt.date]  # (target, kind) -> first on-site day
    proven: Proven | None = None  # the objective found and the bound proven on every plan
    uncovered_units: int = 0  # units left out as the model counts them (a town with its villages: one)
    uncovered_bound: int = 0  # proven: every plan leaves at least this many units out

    @property
    def rounds(self) -> int:
        return sum(self.rounds_by_year.values())


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
    return PlanFigures(
        status=meta.get("status", ""),
        finish=max(regular["onsite_end"]) if len(regular) else None,
        uncovered=tuple(sorted(meta.get("uncovered", meta.get("penalty_parts", {}).get(UNCOVERED, {})))),
        rounds_by_year=rounds_by_year,
        units_by_year=units_by_year,
        drafted_weeks=members + leaders,
        drafted_leader_weeks=leaders,
        objective=meta.get("objective"),
        penalties=weighted_penalties(meta.get("penalties", {}), weights),
        rounds_of={(r.target, r.kind): int(r.round) for r in frame.itertuples() if r.target},
        starts_of={(r.target, r.kind): r.onsite_start for r in frame.itertuples() if r.target},
        proven=proven_of(meta),
        uncovered_units=len(meta.get("penalty_parts", {}).get(UNCOVERED, {})),
        uncovered_bound=int(meta.get("uncovered_bound") or 0),
    )


@dataclass(frozen=True)
class Move:
    target: str
    name: str
    kind: str
    before: int | None
    after: int | None
    before_start: dt.date | None = None
    after_start: dt.date | None = None


def _round_label(number: int | None, start: dt.date | None) -> str:
    return "未安排" if number is None else f"第{number}轮 ({start})"


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
    if _change(before, after) == "" or label in ("求解状态", "目标值下界 (已证明)"):
        return ""
    if label == "未覆盖单位数" and left_out is not None:
        return left_out.text(" 个 (镇带村计1个)", "多", "少")
    if objective is None:
        return "无下界, 未证明"
    if label == "目标值":
        return objective.text()
    if objective.proven:
        return "目标值差异已证明; 本项为两方案之差"
    return f"未证明 (目标值在求解不确定度 ±{objective.uncertainty:,.0f} 之内)"


def comparison_table(base: PlanFigures, variant: PlanFigures, labels: tuple[str, str] = BASE_LABELS) -> Table:
    """Side by side: coverage, rounds and units per year, drafted cadre-weeks, soft-rule costs; for
    every change, whether it is proven (the bounds separate the two plans) or within the uncertainty."""
    rows: list[tuple[str, Any, Any]] = [
        ("求解状态", STATUS_LABELS.get(base.status, base.status), STATUS_LABELS.get(variant.status, variant.status)),
        ("全覆盖完成日期", _finish(base), _finish(variant)),
        ("未覆盖单位数", _uncovered(base), _uncovered(variant)),
        ("轮次合计", base.rounds, variant.rounds),
    ]
    for year in sorted(base.rounds_by_year.keys() | variant.rounds_by_year.keys()):
        rows.append((f"{year}年 轮次", base.rounds_by_year.get(year, 0), variant.rounds_by_year.get(year, 0)))
        rows.append((f"{year}年 常规巡察单位数", base.units_by_year.get(year, 0), variant.units_by_year.get(year, 0)))
    rows.append(("抽调干部合计 (人·周, 含抽调组长)", base.drafted_weeks, variant.drafted_weeks))
    rows.append(("其中抽调组长 (人·周)", base.drafted_leader_weeks, variant.drafted_leader_weeks))
    for rule in dict.fromkeys([*base.penalties, *variant.penalties]):
        rows.append((f"软性规则: {RULE_LABELS.get(rule, rule)}", base.penalties.get(rule), variant.penalties.get(rule)))
    rows.append(("目标值", base.objective, variant.objective))
    rows.append(("目标值下界 (已证明)", _bound(base), _bound(variant)))
    objective, left_out = verdicts(base, variant)
    return Table("对比", ("项目", *labels, "变化", "结论"),
                 tuple((label, _fmt(b), _fmt(v), _change(b, v), _finding(label, b, v, objective, left_out))
                       for label, b, v in rows))


def _bound(f: PlanFigures) -> float | None:
    return None if f.proven is None else f.proven.bound


def moves(base: PlanFigures, variant: PlanFigures, scenario: Scenario) -> list[Move]:
    """Units whose round number changed (or that were planned in one plan only)."""
    names = {t.id: t.name for t in scenario.targets}
    keys = sorted(base.rounds_of.keys() | variant.rounds_of.keys(),
                  key=lambda k: (base.rounds_of.get(k, 10**6), k))
    return [
        Move(target, names.get(target, target), kind, base.rounds_of.get((target, kind)),
             variant.rounds_of.get((target, kind)), base.starts_of.get((target, kind)),
             variant.starts_of.get((target, kind)))
        for target, kind in keys
        if base.rounds_of.get((target, kind)) != variant.rounds_of.get((target, kind))
    ]


def moves_table(found: list[Move], labels: tuple[str, str] = BASE_LABELS) -> Table:
    kinds = {"regular": "常规巡察", "follow_up": "回头看"}
    return Table(f"轮次有变化的单位 ({len(found)} 个)", ("单位", "编号", "类型", *labels),
                 tuple((m.name, m.target, kinds.get(m.kind, m.kind), _round_label(m.before, m.before_start),
                        _round_label(m.after, m.after_start))
                       for m in found))


def table_markdown(table: Table) -> list[str]:
    lines = [f"## {table.title}", "", "| " + " | ".join(table.columns) + " |",
             "|" + " --- |" * len(table.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    return lines + [""]


def compare_markdown(title: str, overrides: list[str], tables: list[Table]) -> str:
    lines = [f"# {title}", ""]
    if overrides:
        lines += ["推演设置:", ""] + [f"- `{o}`" for o in overrides] + [""]
    for table in tables:
        lines += table_markdown(table)
    lines += [f"抽调干部: {CADRE_WEEK_NOTE}。抽调组长另从组长库计; 软性规则“少抽调干部”只计抽调组员 (不含组长)。", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class WhatIf:
    """A what-if run: both plans' figures, the units that moved, where the files went."""

    base: PlanFigures
    variant: PlanFigures
    moved: list[Move]
    compare_path: Path
    variant_dir: Path | None
    variant_solution: Solution
    settle_seconds: float = 0.0  # spent solving on to decide the difference
    settle_budget: float = 0.0

    @property
    def tables(self) -> list[Table]:
        return [comparison_table(self.base, self.variant), moves_table(self.moved)]


@dataclass
class _Side:
    """One of the two plans compared: its scenario, folder, table, plan.json and, when solved here, its solution."""

    scenario: Scenario
    out: Path
    extra: dict[str, Any]
    frame: pd.DataFrame
    meta: dict[str, Any]
    solution: Solution | None = None

    def take(self, solution: Solution, bound: float) -> None:
        """A re-solve's plan when it is better (written to ``out``), and the higher bound either way."""
        better = solution.has_plan and (self.meta.get("objective") is None
                                        or solution.objective < self.meta["objective"])
        if better:
            self.solution = replace(solution, best_bound=min(bound, solution.objective))
            self.frame = write_plan(self.out, self.solution, self.scenario, self.extra)
            self.meta = plan_meta(self.solution, self.scenario, self.extra)
        elif self.solution is not None:
            self.solution = replace(self.solution, best_bound=bound)
            write_plan(self.out, self.solution, self.scenario, self.extra)
            self.meta = plan_meta(self.solution, self.scenario, self.extra)
        else:
            self.meta = dict(self.meta, best_bound=bound)


def plan_and_write(scenario: Scenario, committee: Committee, out: Path, settings: SolveSettings,
                   extra: dict[str, Any], progress: Callable[[Progress], None] | None = None,
                   start: pd.DataFrame | None = None) -> _Side:
    """Solve ``committee``'s plan, units left uncovered allowed (from ``start``, a plan table, when
    given); write it to ``out`` when there is one."""
    solution = draft_plan(scenario, committee, settings, progress, allow_uncovered=True, start=start)
    meta = plan_meta(solution, scenario, extra)
    if not solution.has_plan:
        return _Side(scenario, out, extra, solution_frame(solution, scenario), meta, solution)
    return _Side(scenario, out, extra, write_plan(out, solution, scenario, extra), meta, solution)


def settle(base: _Side, variant: _Side, committee: Committee, settings: SolveSettings, budget: float,
           progress: Callable[[Progress], None] | None = None) -> float:
    """Keep solving while the bounds do not separate the two plans: each time the one with the
    wider range, started from its own plan, for at most ``settings.time_limit``, until the
    difference is proven, both are proven best, or ``budget`` seconds are spent. Returns the seconds spent."""
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
    committee: Committee = CITY,
    settle_budget: float | None = None,
) -> WhatIf:
    """Plan the variant (``overrides`` applied), compare it with the baseline, write ``compare.md``.

    The baseline is the plan in ``baseline``, or a fresh plan of the unchanged
    scenario written to ``out/baseline``. The variant goes to ``out/variant``,
    solved from the baseline's plan (or the greedy plan, when that is better).
    Both may leave units uncovered (the heaviest soft rule), so a variant
    short of staff still shows what slips. While the bounds do not separate the
    two plans, both are solved on (see :func:`settle`) for up to ``settle_budget``
    seconds (default: twice the time limit); compare.md says what is proven.
    Bad overrides raise :class:`~planner.loading.ScenarioError` before anything is written.
    """
    variant = apply_overrides(scenario, overrides)
    extra = {"time_limit": settings.time_limit}
    if baseline is None:
        base = plan_and_write(scenario, committee, out / "baseline", settings, extra, progress)
    else:
        base_plan = read_plan(baseline)
        base = _Side(scenario, out / "baseline", extra, base_plan.assignments, base_plan.meta)
    side = plan_and_write(variant, committee, out / "variant", settings, extra | {"overrides": overrides}, progress,
                          start=base.frame if len(base.frame) else None)
    budget = 2 * settings.time_limit if settle_budget is None else settle_budget
    spent = settle(base, side, committee, settings, budget, progress)
    base_figures = plan_figures(base.frame, base.meta, scenario)
    variant_figures = plan_figures(side.frame, side.meta, variant)
    moved = moves(base_figures, variant_figures, variant)
    solution = side.solution
    result = WhatIf(base_figures, variant_figures, moved, out / COMPARE_FILE,
                    out / "variant" if solution.has_plan else None, solution, spent, budget)
    title = f"{scenario.policy(committee).committee}巡察规划推演"
    note = settle_note(spent, budget, *verdicts(base_figures, variant_figures))
    atomic_write_text(result.compare_path, compare_markdown(title, overrides, result.tables) + note)
    return result


def settle_note(spent: float, budget: float, objective: Verdict | None, left_out: Verdict | None) -> str:
    """What compare.md says about the proof: decided, or not within the time spent."""
    lines = ["", "## 结论是否已证明", ""]
    lines.append("“已证明”: 两个方案的目标值区间 [下界, 目标值] 不重叠, 无论再怎么排, 差异的方向不变;"
                 "“在求解不确定度之内”: 区间重叠, 差异可能只是求解未完成所致, 不能作为结论。")
    if objective is not None:
        lines.append(f"目标值: {objective.text()}。")
    if left_out is not None:
        lines.append(f"未覆盖单位数: {left_out.text(' 个 (镇带村计1个)', '多', '少')}。")
    if spent:
        lines.append(f"为判断差异, 又继续求解了 {spent:.0f} 秒 (上限 {budget:.0f} 秒)。")
    elif objective is not None and not objective.proven:
        lines.append(f"继续求解的时限为 {budget:.0f} 秒。")
    return "\n".join(lines) + "\n"
