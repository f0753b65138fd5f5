"""Mid-term re-planning (中期调整): keep the rounds already on site, plan the rest again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.calendar import WeekGrid
from planner.describe import Table
from planner.export import plan_meta, solution_frame, write_plan_files
from planner.io import atomic_directory
from planner.model_types import Pin
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE, read_plan
from planner.scenario import CITY, Committee, Kind, Scenario
from planner.solution import Solution
from planner.solve import Progress, SolveSettings, draft_plan
from planner.whatif import Move, comparison_table, compare_markdown, moves, moves_table, plan_figures

DIFF_FILE = "changes.md"


def executed_rows(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Rows of the rounds whose on-site phase started before ``as_of``."""
    return frame[[start < as_of for start in frame["onsite_start"]]]


def pins_from_plan(frame: pd.DataFrame, scenario: Scenario, as_of: dt.date) -> tuple[Pin, ...]:
    """One pin per row of an executed round."""
    grid = WeekGrid.of(scenario)
    return tuple(
        Pin(
            kind=Kind(r.kind),
            start_week=grid.week_of(r.onsite_start),
            team=r.team,
            target=r.target if r.kind != Kind.SPECIAL.value else "",
            theme=r.target_name if r.kind == Kind.SPECIAL.value else "",
            onsite_weeks=(r.onsite_end - r.onsite_start).days // 7 + 1,
        )
        for r in executed_rows(frame, as_of).itertuples()
    )


def as_of_week(scenario: Scenario, as_of: dt.date) -> int:
    """The first week starting on or after ``as_of``."""
    grid = WeekGrid.of(scenario)
    return grid.week_of(as_of) + (as_of.weekday() != 0)


@dataclass(frozen=True)
class Replan:
    solution: Solution
    kept: int  # rows kept as they were
    moved: list[Move]
    tables: list[Table]
    out: Path
    diff_path: Path | None


def replan(
    scenario: Scenario,
    plan_dir: Path,
    as_of: dt.date,
    out: Path,
    settings: SolveSettings,
    progress: Callable[[Progress], None] | None = None,
    overrides: list[str] = (),
    committee: Committee = CITY,
) -> Replan:
    """Re-plan everything not yet on site by ``as_of``; write the plan and ``changes.md`` to ``out``.

    ``scenario`` is the scenario as it is now (overrides applied); the old plan starts the search.
    """
    old = read_plan(plan_dir)
    pins = pins_from_plan(old.assignments, scenario, as_of)
    solution = draft_plan(scenario, committee, settings, progress, pins=pins,
                          as_of_week=as_of_week(scenario, as_of), start=old.assignments)
    kept = len(executed_rows(old.assignments, as_of))
    if not solution.has_plan:
        return Replan(solution, kept, [], [], out, None)
    extra = {"time_limit": settings.time_limit, "replanned_from": str(plan_dir), "as_of": as_of.isoformat(),
             "overrides": list(overrides)}
    meta = plan_meta(solution, scenario, extra)
    new = solution_frame(solution, scenario)
    # Executed rows are history: copied as they were, even where today's staff tables differ.
    history = executed_rows(old.assignments, as_of).reindex(columns=new.columns, fill_value="")
    frame = pd.concat([history, new[[d >= as_of for d in new["onsite_start"]]]], ignore_index=True)
    before, after = plan_figures(old.assignments, old.meta, scenario), plan_figures(frame, meta, scenario)
    moved = moves(before, after, scenario)
    labels = ("原方案", "调整后")
    tables = [comparison_table(before, after, labels), moves_table(moved, labels)]
    title = f"{scenario.policy(committee).committee}巡察规划中期调整 ({as_of} 起重新安排, 保留已进驻的 {kept} 条安排)"
    with atomic_directory(out, markers=(ASSIGNMENTS_FILE, PLAN_FILE)) as staging:
        write_plan_files(staging, frame, meta, scenario)
        (staging / DIFF_FILE).write_text(compare_markdown(title, list(overrides), tables), encoding="utf-8")
    return Replan(solution, kept, moved, tables, out, out / DIFF_FILE)
