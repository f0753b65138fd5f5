"""Sweep one scenario parameter: plan every value, in parallel, each warm-started from its nearest finished neighbour.

Every run allows uncovered targets (coverage as the heaviest soft rule), so a
value with too few staff still gives a plan and the count of units left out:
the curve a leader reads is where coverage stops finishing within the term.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from planner.decide import Proven, compare
from planner.describe import Table
from planner.export import STATUS_LABELS, plan_meta, solution_frame
from planner.figures import PlanFacts, plan_facts
from planner.fonts import cjk_rc
from planner.io import atomic_write_bytes
from planner.overrides import apply_overrides, parse_assignment, setting_keys
from planner.scenario import Scenario
from planner.scope import Scope
from planner.solve import SolveSettings
from planner.status import SolveStatus
from planner.vocabulary import CITY, Committee
from planner.whatif import plan_figures
from planner.whole import draft_committees

CSV_FILE = "sweep.csv"
PNG_FILE = "sweep.png"


@dataclass(frozen=True)
class SweepRow:
    value: str
    status: SolveStatus
    finish: dt.date | None
    uncovered: int | None
    rounds: int | None
    drafted_cadre_weeks: int | None
    objective: float | None
    gap: float | None
    seconds: float
    warm_start: str  # the value whose plan started this run, or "" (greedy)
    soft_cost: int | None = None  # the weighted soft rules, without the cost of units left out
    bound: float | None = None  # proven: no plan of this value scores below it
    vs_previous: str = ""  # the objective against the previous value's: proven, or within the uncertainty
    settle_seconds: float = 0.0  # solved on to decide against a neighbour (see planner.decide)
    # The figures the solver proves (planner.figures), hard rules only; bounds equal when proven.
    least_uncovered: int | None = None
    least_uncovered_bound: int | None = None
    earliest_finish: dt.date | None = None
    earliest_finish_bound: dt.date | None = None
    least_drafted_pool: int | None = None
    least_drafted_pool_bound: int | None = None
    least_leader_pool: int | None = None
    least_leader_pool_bound: int | None = None

    @property
    def proven(self) -> Proven | None:
        return None if self.objective is None or self.bound is None else Proven(self.objective, self.bound)


def run_value(scenario: Scenario, scope: Scope, key: str, value: str, settings: SolveSettings,
              start: pd.DataFrame | None, warm_from: str, prove: bool = True) -> tuple[SweepRow, pd.DataFrame | None]:
    """Plan one value; return its row and, when there is a plan, its table (to warm-start others).
    ``prove``: also the figures the solver proves (one committee planned on its own only)."""
    started = time.monotonic()
    variant = apply_overrides(scenario, [f"{key}={value}"])
    alone = prove and len(scope.apart) == 1
    facts = plan_facts(variant, scope.first, settings) if alone else None
    solutions, _stopped, _coupling = draft_committees(variant, scope, settings, allow_uncovered=True, start=start)
    seconds = round(time.monotonic() - started, 1)
    failed = next((s for s in solutions if not s.has_plan), None)
    if failed is not None:
        proven = _proven_fields(facts) if facts else {}
        return SweepRow(value, failed.status, None, None, None, None, None, None, seconds, warm_from, **proven), None
    frame = pd.concat([solution_frame(s, variant) for s in solutions], ignore_index=True)
    meta = plan_meta(solutions, variant, {})
    figures = plan_figures(frame, meta, variant)
    riding = {t.id for c in scope.committees for t in variant.riding_villages(c)}
    units_left_out = len([t for t in figures.uncovered if t not in riding])  # a town's villages go with it
    # The plan itself is a plan of the variant: it bounds the least left out from above.
    proven = _proven_fields(replace(facts, uncovered=facts.uncovered.with_plan(units_left_out))) if facts else {}
    # Committees planned apart sum their bounds; a whole-city run's county bounds hold only for the city's
    # calendar of that run, so no bound is claimed for it.
    bound = None if scope.whole else sum(max(0.0, s.best_bound or 0.0) for s in solutions)
    row = SweepRow(value, meta["status"], figures.finish, units_left_out, figures.rounds,
                   figures.drafted_weeks, meta["objective"], meta["gap"], seconds, warm_from, figures.soft_total,
                   bound, **proven)
    return row, frame


PROVEN_FIELDS = ("least_uncovered", "least_uncovered_bound", "earliest_finish", "earliest_finish_bound",
                 "least_drafted_pool", "least_drafted_pool_bound", "least_leader_pool", "least_leader_pool_bound")


def _proven_fields(facts: PlanFacts) -> dict[str, object]:
    return {"least_uncovered": facts.uncovered.found, "least_uncovered_bound": facts.uncovered.bound,
            "earliest_finish": facts.finish_found, "earliest_finish_bound": facts.finish_bound,
            "least_drafted_pool": facts.drafted.found, "least_drafted_pool_bound": facts.drafted.bound,
            "least_leader_pool": facts.leaders.found, "least_leader_pool_bound": facts.leaders.bound}


def _distance(a: str, b: str, values: list[str]) -> float:
    try:
        return abs(float(a) - float(b))
    except ValueError:
        return abs(values.index(a) - values.index(b))


def sweep(
    scenario: Scenario,
    key: str,
    values: list[str],
    out: Path,
    settings: SolveSettings,
    jobs: int = 2,
    on_done: Callable[[SweepRow], None] | None = None,
    scope: Scope = Scope.one(CITY),
    settle_budget: float | None = None,
) -> list[SweepRow]:
    """Plan ``key=value`` for every value; write ``sweep.csv`` and ``sweep.png`` to ``out``.

    Every value is validated before any run starts (a bad one raises
    :class:`~planner.loading.ScenarioError`). A run starts from the plan of
    the finished run with the nearest value, or from the greedy plan. While the
    bounds of two neighbouring values do not separate their objectives, the
    wider of the two is solved on from its own plan, for up to ``settle_budget``
    seconds in all (default: twice the time limit); ``vs_previous`` says what
    is proven.
    """
    for value in values:
        parse_assignment(f"{key}={value}")
        apply_overrides(scenario, [f"{key}={value}"])
    pending = list(values)
    finished: dict[str, pd.DataFrame] = {}
    rows: dict[str, SweepRow] = {}
    running: dict[Future, str] = {}
    # spawn, not fork: the parent runs threads (progress bar) that a fork would copy mid-lock.
    # A value of several committees runs its own pool of processes: one value at a time then.
    alone = len(scope.apart) == 1
    jobs = jobs if alone else 1
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                value = pending.pop(0)
                near = min(finished, key=lambda v: _distance(v, value, values), default="")
                # Several committees plan side by side already, without a start of their own.
                start = finished.get(near) if alone else None
                running[pool.submit(run_value, scenario, scope, key, value, settings, start,
                                    near if start is not None else "")] = value
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                row, frame = future.result()
                rows[row.value] = row
                if frame is not None:
                    finished[row.value] = frame
                if on_done:
                    on_done(row)
        budget = 2 * settings.time_limit if settle_budget is None else settle_budget
        _settle(pool, scenario, scope, key, values, settings, rows, finished, budget)
    ordered = _with_verdicts([rows[v] for v in values])
    write_sweep(out, key, ordered, scenario, scope.single)
    return ordered


def _undecided(rows: list[SweepRow]) -> set[str]:
    """Of each neighbouring pair the bounds do not separate, the value solved least tightly."""
    wider = set()
    for a, b in zip(rows, rows[1:]):
        if a.proven and b.proven and not compare(a.proven, b.proven).proven:
            side = a if a.proven.uncertainty >= b.proven.uncertainty else b
            if side.proven.uncertainty > 0:
                wider.add(side.value)
    return wider


def _settle(pool: ProcessPoolExecutor, scenario: Scenario, scope: Scope, key: str, values: list[str],
            settings: SolveSettings, rows: dict[str, SweepRow], finished: dict[str, pd.DataFrame],
            budget: float) -> None:
    """Solve on the undecided values, each from its own plan, while the budget lasts."""
    started = time.monotonic()
    while (left := budget - (time.monotonic() - started)) >= 1:
        again = _undecided([rows[v] for v in values])
        if not again:
            return
        limit = replace(settings, time_limit=min(settings.time_limit, left))
        futures = {pool.submit(run_value, scenario, scope, key, v, limit, finished.get(v), v, False): v
                   for v in again}
        for future, value in futures.items():
            row, frame = future.result()
            old = rows[value]
            extra = old.settle_seconds + row.seconds
            if row.objective is not None and old.objective is not None and row.objective < old.objective:
                rows[value] = replace(row, bound=max(row.bound, old.bound), settle_seconds=extra,
                                      seconds=old.seconds, warm_start=old.warm_start,
                                      **{name: getattr(old, name) for name in PROVEN_FIELDS})
                finished[value] = frame
            elif row.bound is not None and old.bound is not None:
                rows[value] = replace(old, bound=max(row.bound, old.bound), settle_seconds=extra)


def _with_verdicts(rows: list[SweepRow]) -> list[SweepRow]:
    """Each row's objective against the previous value's, proven or within the uncertainty; the gap
    from the best bound known."""
    out = []
    for n, row in enumerate(rows):
        before = rows[n - 1].proven if n else None
        text = compare(before, row.proven).text() if before and row.proven else ""
        gap = row.proven.uncertainty / row.objective if row.proven and row.objective else row.gap
        out.append(replace(row, vs_previous=text, gap=gap))
    return out


def sweep_frame(rows: list[SweepRow]) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(r) for r in rows])
    counts = ("uncovered", "rounds", "drafted_cadre_weeks", "soft_cost", *(f for f in PROVEN_FIELDS if "finish" not in f))
    return frame.astype({name: "Int64" for name in counts})


def key_label(scenario: Scenario, key: str) -> str:
    """A ``--set`` key as the office reads it: 'staff.city.drafted_pool' -> '市委 每轮可抽调干部数 (人才库)',
    'teams.C5.leader_filled' -> '市委第五巡察组 组长在编人数'; the key itself when it has no meaning."""
    meanings = {k.key: k.meaning for k in setting_keys(scenario)}
    parts = key.split(".")
    if key in meanings:
        return meanings[key].replace(": ", " ")
    if len(parts) == 3 and parts[0] in ("teams", "targets"):
        names = {i.id: i.name for i in (*scenario.teams, *scenario.targets)}
        meaning = meanings.get(f"{parts[0]}.<编号>.{parts[2]}", "")
        return f"{names.get(parts[1], parts[1])} {meaning.split(': ', 1)[-1]}" if meaning else key
    if len(parts) > 2 and parts[0] == "counties_policy":
        meaning = meanings.get("county_defaults." + ".".join(parts[2:]), "")
        return f"{parts[1]} {meaning.split(': ', 1)[-1].replace(': ', ' ')}" if meaning else key
    return key


def row_line(key: str, row: SweepRow) -> str:
    """One value's run as it finishes, in a line."""
    return (f"{key}={row.value}: {STATUS_LABELS[row.status]}, 完成 {row.finish or '—'}, "
            f"未覆盖 {'—' if row.uncovered is None else row.uncovered}, {row.seconds} 秒")


def sweep_table(scenario: Scenario, key: str, rows: list[SweepRow]) -> Table:
    """Every value's run, in a table for the console."""
    return Table(f"参数推演: {key_label(scenario, key)} ({key})",
                 ("取值", "状态", "全覆盖完成", "未覆盖", "轮次", "抽调干部人·周 (含组长)", "软性规则代价", "用时(秒)"),
                 tuple((r.value, STATUS_LABELS[r.status], str(r.finish or "—"),
                        "—" if r.uncovered is None else str(r.uncovered), str(r.rounds or "—"),
                        str(r.drafted_cadre_weeks or "—"), "—" if r.soft_cost is None else str(r.soft_cost),
                        str(r.seconds)) for r in rows))


def plot_sweep(key: str, rows: list[SweepRow], scenario: Scenario, axes: list[Axes] | None = None,
               committee: Committee | None = CITY) -> list[Axes]:
    """Four panels against the parameter: units left uncovered, the day the last unit's on-site work
    ends (red where units are left out) with the earliest finish proven (a bar from bound to plan
    when not proven), the drafted cadre-weeks, and the least pools the solver proves."""
    if axes is None:
        axes = list(Figure(figsize=(8, 10)).subplots(4, 1, sharex=True))
    uncovered, finish, drafted, pools = axes
    positions = list(range(len(rows)))
    counts = [r.uncovered or 0 for r in rows]
    uncovered.bar(positions, counts, width=0.5, color="#c55a11")
    for p, r in zip(positions, rows):
        label = "无方案" if r.status == SolveStatus.INFEASIBLE else ("未解出" if r.finish is None else str(r.uncovered))
        uncovered.annotate(label, (p, r.uncovered or 0), ha="center", va="bottom", fontsize=8,
                           color="#c00000" if r.finish is None or r.uncovered else "#000000")
    uncovered.set_ylabel("未覆盖单位数")
    uncovered.set_ylim(0, max(counts + [1]) * 1.25)
    uncovered.yaxis.set_major_locator(MaxNLocator(integer=True))
    planned = [(p, r) for p, r in zip(positions, rows) if r.finish is not None]
    finish.plot([p for p, _ in planned], [r.finish for _, r in planned], "-", color="#1f4e79")
    full = [(p, r.finish) for p, r in planned if not r.uncovered]
    short = [(p, r.finish) for p, r in planned if r.uncovered]
    finish.plot([p for p, _ in full], [d for _, d in full], "o", color="#1f4e79", label="全部覆盖")
    finish.plot([p for p, _ in short], [d for _, d in short], "X", color="#c00000", markersize=8,
                label="有单位未覆盖 (已安排单位的结束日期)")
    _ranges(finish, positions, [(r.earliest_finish, r.earliest_finish_bound) for r in rows], "#7030a0",
            "最早可完成 (硬性规则, 已证明; 竖线: 未证明的范围)")
    finish.axhline(scenario.horizon.end, color="#c00000", linestyle="--", linewidth=1, label="本届结束")
    finish.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    finish.set_ylabel("最后一个单位\n进驻结束")
    finish.legend(loc="best", fontsize=8)
    weeks = [(p, r.drafted_cadre_weeks) for p, r in planned]
    drafted.plot([p for p, _ in weeks], [w for _, w in weeks], "o-", color="#548235")
    drafted.set_ylabel("抽调干部\n(人·周, 含组长)")
    _ranges(pools, positions, [(r.least_drafted_pool, r.least_drafted_pool_bound) for r in rows], "#1f4e79",
            "每轮最少抽调干部 (人才库)")
    _ranges(pools, positions, [(r.least_leader_pool, r.least_leader_pool_bound) for r in rows], "#c55a11",
            "每轮最少抽调组长 (组长库)")
    pools.set_ylabel("全覆盖最少\n所需 (人)")
    pools.set_ylim(bottom=0)
    pools.yaxis.set_major_locator(MaxNLocator(integer=True))
    pools.legend(loc="best", fontsize=8)
    pools.set_xticks(positions, [r.value for r in rows])
    pools.set_xlabel(key_label(scenario, key))
    for ax in axes:
        ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    who = scenario.policy(committee).committee if committee is not None else f"{scenario.names.city}市县"
    uncovered.set_title(f"{who}巡察规划参数推演: {key_label(scenario, key)}",
                        loc="left", fontsize=11)
    return axes


def _ranges(ax: Axes, positions: list[int], figures: list[tuple], color: str, label: str) -> None:
    """Proven figures (found, bound) as points; where they differ, a line from the bound to the plan."""
    known = [(p, found, bound) for p, (found, bound) in zip(positions, figures) if found is not None]
    ax.plot([p for p, f, b in known if f == b], [f for p, f, b in known if f == b], "D", color=color, label=label)
    for p, found, bound in known:
        if bound is not None and bound != found:
            ax.plot([p, p], [bound, found], "-", color=color, linewidth=3, alpha=0.6)
            ax.plot([p], [found], "v", color=color)


def write_sweep(out: Path, key: str, rows: list[SweepRow], scenario: Scenario,
                committee: Committee | None = CITY) -> None:
    """sweep.csv (UTF-8 with BOM, for Excel) and sweep.png, each written atomically."""
    frame = sweep_frame(rows)
    atomic_write_bytes(Path(out) / CSV_FILE, frame.to_csv(index=False).encode("utf-8-sig"))
    with cjk_rc():
        fig = Figure(figsize=(8, 10))
        plot_sweep(key, rows, scenario, list(fig.subplots(4, 1, sharex=True)), committee)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=150)
    atomic_write_bytes(Path(out) / PNG_FILE, buffer.getvalue())
