"""Calendar: blackout periods and the week grid the model plans on.

Official holidays are published only a year ahead, so the Spring Festival is
computed from the lunar calendar (``lunardate``) for every year of the horizon.
The model counts in weeks: week ``w`` runs from ``monday(w)`` to the Sunday
after; an on-site window of ``L`` weeks starting in week ``w`` runs from
``monday(w)`` to ``friday(w + L - 1)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from lunardate import LunarDate

from planner.scenario import Scenario
from planner.scenario_settings import Period

WEEK = dt.timedelta(days=7)


def spring_festival(year: int) -> dt.date:
    """正月初一 of ``year`` (Gregorian date)."""
    return LunarDate(year, 1, 1).to_solar_date()


def blackout_periods(scenario: Scenario) -> list[Period]:
    """Every blackout period touching the horizon, sorted by start."""
    rules = scenario.calendar
    periods: list[Period] = []
    for year in range(scenario.horizon.start.year, scenario.horizon.end.year + 2):
        if rules.spring_festival:
            day = spring_festival(year)
            periods.append(
                Period(
                    name=f"{year}年春节",
                    start=day - dt.timedelta(days=rules.spring_festival_days_before),
                    end=day + dt.timedelta(days=rules.spring_festival_days_after),
                )
            )
        if rules.national_day:
            start = dt.date(year, 10, 1)
            periods.append(
                Period(name=f"{year}年国庆节", start=start, end=start + dt.timedelta(days=rules.national_day_days - 1))
            )
    periods.extend(rules.extra)
    h = scenario.horizon
    return sorted((p for p in periods if p.end >= h.start and p.start <= h.end), key=lambda p: p.start)


def blackout_days(scenario: Scenario) -> dict[dt.date, str]:
    """Each blackout day with the name of its period."""
    days: dict[dt.date, str] = {}
    for p in blackout_periods(scenario):
        day = p.start
        while day <= p.end:
            days.setdefault(day, p.name)
            day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class WeekGrid:
    """Whole weeks (Monday to Sunday) that lie inside the horizon."""

    first_monday: dt.date
    n_weeks: int
    blocked: frozenset[int]

    @classmethod
    def of(cls, scenario: Scenario) -> WeekGrid:
        start, end = scenario.horizon.start, scenario.horizon.end
        first = start + dt.timedelta(days=(7 - start.weekday()) % 7)
        n_weeks = ((end - first).days + 1) // 7
        days = blackout_days(scenario)
        blocked = frozenset(w for w in range(n_weeks) if any(first + w * WEEK + dt.timedelta(d) in days for d in range(7)))
        return cls(first, n_weeks, blocked)

    def monday(self, week: int) -> dt.date:
        return self.first_monday + week * WEEK

    def friday(self, week: int) -> dt.date:
        return self.monday(week) + dt.timedelta(days=4)

    def week_of(self, day: dt.date) -> int:
        return (day - self.first_monday).days // 7

    def year_of(self, week: int) -> int:
        years = self._week_years
        return years[week] if 0 <= week < len(years) else self.monday(week).year

    @cached_property
    def _week_years(self) -> tuple[int, ...]:
        """Each week's year: the greedy asks about a hundred thousand times a pass."""
        return tuple(self.monday(w).year for w in range(self.n_weeks))

    @cached_property
    def year_ranges(self) -> dict[int, tuple[int, int]]:
        """Year -> (first week, last week + 1) of the weeks whose Monday lies in it."""
        ranges: dict[int, tuple[int, int]] = {}
        for w in range(self.n_weeks):
            y = self.year_of(w)
            lo, _ = ranges.get(y, (w, w))
            ranges[y] = (lo, w + 1)
        return ranges

    def open_starts(self, weeks: int, prep: int, report: int, after: int = 0, year: int | None = None) -> frozenset[int]:
        """Weeks a round of ``weeks`` weeks on site may start in: its preparation after the term's
        start (and week ``after``), its report before the term's end, no on-site week in a
        blackout; only those of ``year`` if given."""
        lo, hi = (0, self.n_weeks) if year is None else self.year_ranges.get(year, (0, 0))
        return frozenset(s for s in range(max(lo, prep + after), min(hi, self.n_weeks - weeks - report + 1))
                         if not any(w in self.blocked for w in range(s, s + weeks)))

    def blocked_runs(self) -> list[tuple[int, int]]:
        """Maximal runs [a, b) of closed weeks (weeks with a blackout day)."""
        runs, run_start = [], None
        for w in range(self.n_weeks + 1):
            closed = w in self.blocked
            if closed and run_start is None:
                run_start = w
            elif not closed and run_start is not None:
                runs.append((run_start, w))
                run_start = None
        return runs
