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
from planner.export import plan_meta, solution_frame
from planner.fonts import cjk_rc
from planner.io import atomic_write_bytes
from planner.overrides import apply_overrides, parse_assignment
from planner.scenario import CITY, Committee, Scenario
from planner.solve import SolveSettings, draft_plan
from planner.whatif import plan_figures

CSV_FILE = "sweep.csv"
PNG_FILE = "sweep.png"


@dataclass(frozen=True)
class SweepRow:
    value: str
    status: str
    finish: dt.date | None
    uncovered: int | None
    rounds: int | None
    drafted_cadre_weeks: int | None
    objective: float | None
    gap: float | None
    seconds: float
    warm_start: str  # the value whose plan started this run, or "" (greedy)
    bound: float | None = None  # proven: no plan of this value scores below it
    vs_previous: str = ""  # the objective against the previous value's: proven, or within the uncertainty
    settle_seconds: float = 0.0  # solved on to decide against a neighbour (see planner.decide)

    @property
    def proven(self) -> Proven | None:
        return None if self.objective is None or self.bound is None else Proven(self.objective, self.bound)


def run_value(scenario: Scenario, committee: Committee, key: str, value: str, settings: SolveSettings,
              start: pd.DataFrame | None, warm_from: str) -> tuple[SweepRow, pd.DataFrame | None]:
    """Plan one value; return its row and, when there is a plan, its table (to warm-start others)."""
    started = time.monotonic()
    variant = apply_overrides(scenario, [f"{key}={value}"])
    solution = draft_plan(variant, committee, settings, allow_uncovered=True, start=start)
    seconds = round(time.monotonic() - started, 1)
    if not solution.has_plan:
        return SweepRow(value, solution.status, None, None, None, None, None, None, seconds, warm_from), None
    frame = solution_frame(solution, variant)
    figures = plan_figures(frame, plan_meta(solution, variant, {}), variant)
    villages = {t.id for t in variant.targets if t.category == "village"}
    units_left_out = len([t for t in figures.uncovered if t not in villages])  # a town's villages go with it
    row = SweepRow(value, solution.status, figures.finish, units_left_out, figures.rounds,
                   figures.drafted_weeks, solution.objective, solution.gap, seconds, warm_from,
                   max(0.0, solution.best_bound))
    return row, frame


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
    committee: Committee = CITY,
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
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                value = pending.pop(0)
                near = min(finished, key=lambda v: _distance(v, value, values), default="")
                running[pool.submit(run_value, scenario, committee, key, value, settings, finished.get(near), near)] = value
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
        _settle(pool, scenario, committee, key, values, settings, rows, finished, budget)
    ordered = _with_verdicts([rows[v] for v in values])
    write_sweep(out, key, ordered, scenario, committee)
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


def _settle(pool: ProcessPoolExecutor, scenario: Scenario, committee: Committee, key: str, values: list[str],
            settings: SolveSettings, rows: dict[str, SweepRow], finished: dict[str, pd.DataFrame],
            budget: float) -> None:
    """Solve on the undecided values, each from its own plan, while the budget lasts."""
    started = time.monotonic()
    while (left := budget - (time.monotonic() - started)) >= 1:
        again = _undecided([rows[v] for v in values])
        if not again:
            return
        limit = replace(settings, time_limit=min(settings.time_limit, left))
        futures = {pool.submit(run_value, scenario, committee, key, v, limit, finished.get(v), v): v for v in again}
        for future, value in futures.items():
            row, frame = future.result()
            old = rows[value]
            extra = old.settle_seconds + row.seconds
            if row.objective is not None and old.objective is not None and row.objective < old.objective:
                rows[value] = replace(row, bound=max(row.bound, old.bound), settle_seconds=extra,
                                      seconds=old.seconds, warm_start=old.warm_start)
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
    return frame.astype({"uncovered": "Int64", "rounds": "Int64", "drafted_cadre_weeks": "Int64"})


def plot_sweep(key: str, rows: list[SweepRow], scenario: Scenario, ax: Axes | None = None,
               committee: Committee = CITY) -> Axes:
    """Coverage finish date (line; red where units stay uncovered) and uncovered units (bars) against the parameter."""
    if ax is None:
        ax = Figure(figsize=(8, 4.5)).add_subplot()
    positions = list(range(len(rows)))
    bars = ax.twinx()
    bars.bar(positions, [r.uncovered or 0 for r in rows], width=0.4, alpha=0.35, color="#c55a11", label="未覆盖单位数")
    bars.set_ylabel("未覆盖单位数")
    bars.set_ylim(bottom=0, top=max([r.uncovered or 0 for r in rows] + [1]) * 1.15)
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_zorder(bars.get_zorder() + 1)  # the line in front of the bars
    ax.patch.set_visible(False)
    planned = [(p, r) for p, r in zip(positions, rows) if r.finish is not None]
    ax.plot([p for p, _ in planned], [r.finish for _, r in planned], "-", color="#1f4e79", zorder=1)
    full = [(p, r.finish) for p, r in planned if not r.uncovered]
    short = [(p, r.finish) for p, r in planned if r.uncovered]
    ax.plot([p for p, _ in full], [d for _, d in full], "o", color="#1f4e79", label="全覆盖完成日期")
    ax.plot([p for p, _ in short], [d for _, d in short], "X", color="#c00000", markersize=8,
            label="有单位未覆盖 (已覆盖部分完成日期)")
    ax.axhline(scenario.horizon.end, color="#c00000", linestyle="--", linewidth=1, label="本届结束")
    for p, r in zip(positions, rows):
        if r.finish is None:
            ax.annotate("无方案" if r.status == "INFEASIBLE" else "未解出", (p, scenario.horizon.end),
                        ha="center", va="bottom", color="#c00000", fontsize=8)
    ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_xticks(positions, [r.value for r in rows])
    ax.set_xlabel(key)
    ax.set_ylabel("全覆盖完成日期")
    lines, labels = ax.get_legend_handles_labels()
    more_lines, more_labels = bars.get_legend_handles_labels()
    ax.legend(lines + more_lines, labels + more_labels, loc="best", fontsize=8)
    ax.set_title(f"{scenario.policy(committee).committee}巡察规划参数推演: {key}", loc="left", fontsize=11)
    return ax


def write_sweep(out: Path, key: str, rows: list[SweepRow], scenario: Scenario, committee: Committee = CITY) -> None:
    """sweep.csv (UTF-8 with BOM, for Excel) and sweep.png, each written atomically."""
    frame = sweep_frame(rows)
    atomic_write_bytes(Path(out) / CSV_FILE, frame.to_csv(index=False).encode("utf-8-sig"))
    with cjk_rc():
        fig = Figure(figsize=(8, 4.5))
        plot_sweep(key, rows, scenario, fig.add_subplot(), committee)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=150)
    atomic_write_bytes(Path(out) / PNG_FILE, buffer.getvalue())
