"""A plan table as the starting point of a new plan: the rounds under way by a date (kept as
they were) and the rest as a baseline to stay close to (re-planning, ``plan --baseline``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.calendar import WeekGrid
from planner.model_types import Anchor, Baseline, Pin
from planner.scenario import Scenario
from planner.vocabulary import CITY, Committee, Kind

# What a change costs against the plan being replaced. A unit moved costs more than any soft
# rule gains by moving one unit (a round's drafted cadres, its mix, a unit's risk rank); a week
# of distance and a change of team (same dates) cost less. With --free the soft rules come
# first and the baseline only breaks ties.
STABLE = {"move_weight": 1000, "week_weight": 10, "team_weight": 200}
FREE = {"move_weight": 1, "week_weight": 0, "team_weight": 0}


def kept_rows(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Rows of the rounds under way by ``as_of``: on site, or preparing (units have been notified)."""
    begun = frame.groupby(["county", "round"])["busy_start"].transform("min")
    return frame[[day < as_of for day in begun]]


def pins_from_plan(frame: pd.DataFrame, scenario: Scenario, as_of: dt.date, committee: Committee = CITY
                   ) -> tuple[Pin, ...]:
    """One pin per row of ``committee``'s rounds under way by ``as_of``."""
    grid = WeekGrid.of(scenario)
    rows = kept_rows(frame[frame["county"] == committee.county], as_of)
    return tuple(
        Pin(
            kind=Kind(r.kind),
            start_week=grid.week_of(r.onsite_start),
            team=r.team,
            target=r.target if r.kind != Kind.SPECIAL.value else "",
            theme=r.target_name if r.kind == Kind.SPECIAL.value else "",
            onsite_weeks=(r.onsite_end - r.onsite_start).days // 7 + 1,
        )
        for r in rows.itertuples()
    )


def as_of_week(scenario: Scenario, as_of: dt.date) -> int:
    """The first week starting on or after ``as_of``."""
    grid = WeekGrid.of(scenario)
    return grid.week_of(as_of) + (as_of.weekday() != 0)


def baseline_of(frame: pd.DataFrame, scenario: Scenario, committee: Committee = CITY, free: bool = False) -> Baseline:
    """The plan in ``frame`` (``committee``'s rows) as a baseline to stay close to.

    Villages riding with their town follow it; a unit listed twice (an edit)
    is anchored where it is first listed.
    """
    grid = WeekGrid.of(scenario)
    riders = {t.id for t in scenario.riding_villages(committee)}
    rows = frame[frame["county"] == committee.county]
    anchors: dict[tuple[str, str], Anchor] = {}
    for _, group in rows.groupby("round", sort=True):
        kind = Kind(group["kind"].iloc[0]) if group["kind"].iloc[0] in {k.value for k in Kind} else None
        if kind is None:
            continue
        week = grid.week_of(group["onsite_start"].min())
        if kind == Kind.SPECIAL:
            theme = group["target_name"].iloc[0]
            anchors.setdefault((theme, kind.value), Anchor(kind, week, tuple(sorted(set(group["team"]))), theme=theme))
            continue
        for r in group.itertuples():
            if r.target and r.target not in riders:
                anchors.setdefault((r.target, kind.value),
                                   Anchor(kind, grid.week_of(r.onsite_start), (r.team,), target=r.target))
    return Baseline(tuple(anchors.values()), **(FREE if free else STABLE))


def renumbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rounds of each committee numbered 1..N again in the order their on-site work starts."""
    starts = frame.groupby(["county", "round"])["onsite_start"].transform("min")
    order = frame.assign(_start=starts).sort_values(["county", "_start", "round"], kind="stable")
    numbers: dict[tuple[str, int], int] = {}
    for county, number in zip(order["county"], order["round"]):
        numbers.setdefault((county, number), sum(1 for c, _ in numbers if c == county) + 1)
    out = order.drop(columns="_start").reset_index(drop=True)
    out["round"] = [numbers[c, n] for c, n in zip(out["county"], out["round"])]
    return out
