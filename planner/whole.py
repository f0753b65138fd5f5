"""The whole city's plan (市县巡察一盘棋): the city committee and every county, as one plan.

About 2,000 objects and 26 teams, coupled only through dates, sectors and
cross rounds, are planned in two stages that keep one truth:

1. the city plan, which fixes the city's round calendar, names up to two
   linked sectors (联动系统) per regular round, holds the window of each cross
   round (交叉巡察) and keeps visits into each county together or apart
   (对县区不重复打扰);
2. every county plan, in parallel, drafted against that calendar: its
   regular rounds start with the city's (同步), its special rounds with the
   city's of the same theme, it inspects units of the named sectors in the
   round in step (联动), and in each cross round its teams inspect the next
   county's chosen units while its own go to the county before it.

The bound of a county plan holds given the city's calendar; so the sum of
bounds is the bound of this decomposition, not of every possible whole plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from planner.model_types import CityCalendar, CityRound
from planner.parallel import CommitteeProgress, draft_plans
from planner.scenario import CITY, Committee, Kind, Scenario
from planner.solution import Solution
from planner.solve import SolveSettings, draft_plan

CITY_SHARE = 0.3  # of the time limit, for the city stage; the counties share the rest


def city_calendar(city: Solution) -> CityCalendar:
    """The city's plan as the counties follow it: regular rounds (numbered in start order), specials by theme."""
    rounds = sorted(city.rounds, key=lambda r: r.start_week)
    regular = tuple(
        CityRound(number, r.start_week, r.start_week + r.onsite_weeks, r.sectors)
        for number, r in enumerate(rounds, 1) if r.kind == Kind.REGULAR
    )
    special = tuple((r.theme, r.start_week) for r in rounds if r.kind == Kind.SPECIAL)
    return CityCalendar(regular, special, city.cross)


def draft_whole(
    scenario: Scenario,
    settings: SolveSettings,
    jobs: int = 2,
    on_report: Callable[[CommitteeProgress], None] | None = None,
    allow_uncovered: bool = False,
) -> tuple[list[Solution], bool]:
    """The city plan, then every county plan against its calendar; the solutions (city first) and
    whether Ctrl-C stopped the run. Without a city plan no county is planned."""
    city_settings = replace(settings, time_limit=max(5.0, settings.time_limit * CITY_SHARE))
    if on_report:
        on_report(CommitteeProgress(CITY))
    city = draft_plan(scenario, CITY, city_settings,
                      (lambda p: on_report(CommitteeProgress(CITY, p))) if on_report else None,
                      allow_uncovered=allow_uncovered, whole=True)
    if on_report:
        on_report(CommitteeProgress(CITY, solution=city))
    if not city.has_plan or city.stopped_by.value == "interrupted":
        return [city], city.stopped_by.value == "interrupted"
    county_settings = replace(settings, time_limit=max(5.0, settings.time_limit - city.solve_seconds))
    counties = [Committee(c) for c in scenario.counties]
    solutions, stopped = draft_plans(scenario, counties, county_settings, jobs, on_report, allow_uncovered,
                                     city_calendar(city))
    return [city, *solutions], stopped
