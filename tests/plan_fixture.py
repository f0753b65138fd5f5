"""A plausible city plan built greedily, without OR-Tools, for tests of the printouts.

Each year (from late February) runs regular, regular, special, regular rounds (the last year
regular, special, regular, 巡察“回头看”); targets are dealt round-robin over the regular rounds so
each round mixes categories, and a round starts on the first Monday on which
its teams are free and its on-site weeks miss every blackout period.

Run ``python3 tests/plan_fixture.py OUT [SCENARIO]`` to write a plan directory.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from planner.calendar import blackout_days
from planner.io import atomic_write_bytes, atomic_write_text
from planner.loading import load_scenario
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE, assignments_to_csv_bytes
from planner.scenario import Scenario
from planner.tables import Target, Team
from planner.vocabulary import CITY, Kind, Level

WEEK = dt.timedelta(days=7)
YEAR_PATTERN = (Kind.REGULAR, Kind.REGULAR, Kind.SPECIAL, Kind.REGULAR)
# The last year keeps room for 回头看 (public practice).
LAST_YEAR_PATTERN = (Kind.REGULAR, Kind.SPECIAL, Kind.REGULAR, Kind.FOLLOW_UP)
SPECIAL_TEAMS = 3
MIN_REGULAR_TEAMS = 3
FOLLOW_UP_TEAMS = 2


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


def _pack(targets: list[Target], n_teams: int, capacity: int) -> tuple[list[list[Target]], list[Target]]:
    """Largest effort first, each to the least loaded team; what does not fit is returned."""
    loads: list[list[Target]] = [[] for _ in range(n_teams)]
    left = []
    for target in sorted(targets, key=lambda t: -t.effort):
        team = min(loads, key=lambda load: sum(t.effort for t in load))
        (team if sum(t.effort for t in team) + target.effort <= capacity else left).append(target)
    return [load for load in loads if load], left


class _Scheduler:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.blocked = blackout_days(scenario)
        self.teams = scenario.teams_of(CITY)
        self.free = {team.id: scenario.horizon.start for team in self.teams}
        self.cursor = scenario.horizon.start
        self.rows: list[dict] = []
        self.number = 0
        self.done: dict[str, dt.date] = {}
        towns = {t.id for t in scenario.targets_of(CITY) if t.category == "town"}
        self.riders: dict[str, list[Target]] = {}  # the villages that go with each town (巡镇带村)
        for village in scenario.targets_of(CITY):
            if village.category == "village" and village.town in towns:
                self.riders.setdefault(village.town, []).append(village)

    def available(self, kind: Kind, earliest: dt.date, count: int) -> tuple[dt.date, list[Team]]:
        """The first Monday by which ``count`` teams are free, and the teams free then."""
        prep = self.scenario.rounds.policy(kind).prep_weeks
        ready = sorted(self.teams, key=lambda t: self.free[t.id])[:count]
        # Only regular and special rounds must not overlap.
        cursor = earliest if kind == Kind.FOLLOW_UP else max(self.cursor, earliest)
        start = _next_monday(max(cursor, self.free[ready[-1].id] + prep * WEEK))
        return start, [t for t in self.teams if self.free[t.id] + prep * WEEK <= start]

    def _clear(self, start: dt.date, weeks: int) -> dt.date:
        while any(start + dt.timedelta(days=d) in self.blocked for d in range(7 * weeks)):
            start += WEEK
        return start

    def add_round(self, kind: Kind, loads: list[tuple[Team, list[Target] | str]], start: dt.date) -> None:
        policy = self.scenario.rounds.policy(kind)
        villages = self.scenario.villages
        weeks = {
            team.id: policy.onsite_weeks if isinstance(work, str) else max(
                villages.town_weeks(policy.onsite_weeks_for(t.category), len(self.riders.get(t.id, []))) for t in work)
            for team, work in loads
        }
        start = self._clear(start, max(weeks.values()))
        self.number += 1
        ends = {tid: start + (w - 1) * WEEK + dt.timedelta(days=4) for tid, w in weeks.items()}
        for team, work in loads:
            end = ends[team.id]
            self.free[team.id] = end + policy.report_weeks * WEEK + dt.timedelta(days=1)
            visited = [None] if isinstance(work, str) else [
                v for t in work for v in [t, *(self.riders.get(t.id, []) if kind == Kind.REGULAR else [])]]
            for target in visited:
                self.rows.append(self._row(kind, team, target, work if target is None else "", start, end, max(ends.values()), policy))
                if target is not None:
                    self.done[target.id] = end
        if kind != Kind.FOLLOW_UP:
            self.cursor = max(ends.values()) + dt.timedelta(days=3)

    def _row(self, kind, team, target, theme, start, end, round_end, policy) -> dict:
        size = self.scenario.staff.min_team_size.for_kind(kind) + (self.number + int(team.id[-1])) % 3
        leader = "permanent" if team.has_leader else "drafted"
        return {
            "round": self.number,
            "kind": kind.value,
            "level": "city",
            "county": "",
            "team": team.id,
            "target": target.id if target else "",
            "target_name": target.name if target else theme,
            "category": target.category if target else "",
            "target_county": target.county if target else "",
            "onsite_start": start,
            "onsite_end": end,
            "busy_start": start - policy.prep_weeks * WEEK,
            "busy_end": end + policy.report_weeks * WEEK,
            "team_size": size,
            "drafted": size - team.filled - (leader == "drafted"),
            "leader": leader,
            "sector": target.sector if target else "",
            "round_start": start,
            "round_end": round_end,
            "team_name": team.name,
        }


def make_plan(scenario: Scenario) -> pd.DataFrame:
    """Assignments of a greedy city plan over the whole horizon."""
    s = _Scheduler(scenario)
    years = scenario.horizon.years
    patterns = [YEAR_PATTERN] * (len(years) - 1) + [LAST_YEAR_PATTERN]
    n_regular = sum(k == Kind.REGULAR for pattern in patterns for k in pattern)
    targets = sorted((t for t in scenario.targets_of(CITY) if t.category != "village"), key=lambda t: (t.category, t.id))
    dealt = [targets[i::n_regular] for i in range(n_regular)]
    themes = scenario.rounds.special.themes
    capacity = scenario.rounds.max_effort_per_team
    carry: list[Target] = []
    gap = scenario.rounds.follow_up.min_gap_weeks * WEEK
    for y, (year, pattern) in enumerate(zip(years, patterns)):
        earliest = dt.date(year, 2, 20)
        for kind in pattern:
            if kind == Kind.SPECIAL and themes:
                start, teams = s.available(kind, earliest, SPECIAL_TEAMS)
                s.add_round(kind, [(t, themes[y % len(themes)].name) for t in teams[:SPECIAL_TEAMS]], start)
            elif kind == Kind.REGULAR:
                start, teams = s.available(kind, earliest, MIN_REGULAR_TEAMS)
                loads, carry = _pack(carry + dealt.pop(0), len(teams), capacity)
                s.add_round(kind, list(zip(teams, loads)), start)
            elif kind == Kind.FOLLOW_UP:
                start, teams = s.available(kind, earliest, FOLLOW_UP_TEAMS)
                due = [t for t in targets if t.follow_up and t.id in s.done and s.done[t.id] + gap < start]
                loads = [due[i::FOLLOW_UP_TEAMS] for i in range(FOLLOW_UP_TEAMS)]
                if due:
                    s.add_round(kind, [(team, load) for team, load in zip(teams, loads) if load], start)
    while carry:  # a small scenario may need more regular rounds than the pattern has
        start, teams = s.available(Kind.REGULAR, s.cursor, MIN_REGULAR_TEAMS)
        loads, left = _pack(carry, len(teams), capacity)
        if len(left) == len(carry):
            raise ValueError("a target needs more effort than one team can give")
        s.add_round(Kind.REGULAR, list(zip(teams, loads)), start)
        carry = left
    return pd.DataFrame(s.rows)


def write_plan(scenario: Scenario, out: Path) -> Path:
    """Write ``assignments.csv`` and ``plan.json`` of :func:`make_plan` into ``out``."""
    out = Path(out)
    atomic_write_bytes(out / ASSIGNMENTS_FILE, assignments_to_csv_bytes(make_plan(scenario)))
    meta = {
        "level": "city",
        "status": "FEASIBLE",
        "objective": 0,
        "scenario_sha256": scenario.sha256,
        "penalties": {},
        "generator": "tests/plan_fixture.py",
    }
    atomic_write_text(out / PLAN_FILE, json.dumps(meta, ensure_ascii=False, indent=2))
    return out


if __name__ == "__main__":
    write_plan(load_scenario(sys.argv[2] if len(sys.argv) > 2 else None), Path(sys.argv[1]))
