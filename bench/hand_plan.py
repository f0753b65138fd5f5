"""What the office would draft by hand in a spreadsheet: the baseline the optimizer is measured against.

The planner takes the units in the order of the list and fills the rounds team
by team, as a clerk does in Excel: regular rounds open on fixed dates (the
first Monday of March, June and September), every team goes out, each team
takes the next units of the list until it has three units or a full load, and
stays as long as its longest unit needs. One special round a year runs in
November with enough teams to stay within its target length; the follow-ups
go to a round in the last spring of the term, each with a team other than
the one that inspected the unit. Drafted cadres fill each team to its working
size. Nothing is checked against blackouts, busy teams or the term's end: the
independent checker says what such a plan breaks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from planner.plan import ASSIGNMENT_COLUMNS
from planner.scenario import Scenario
from planner.tables import Target, Team
from planner.vocabulary import CITY, Committee, Kind

WEEK = dt.timedelta(days=7)
REGULAR_MONTHS = (3, 6, 9)
SPECIAL_MONTH = 11
FOLLOW_UP_MONTH = 4


def first_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=-day.weekday() % 7)


@dataclass
class _Sheet:
    scenario: Scenario
    committee: Committee
    rows: list[dict] = field(default_factory=list)
    number: int = 0
    inspected_by: dict[str, str] = field(default_factory=dict)

    def add_round(self, kind: Kind, start: dt.date, loads: list[tuple[Team, list[Target], int]], theme: str = "") -> None:
        policy = self.scenario.policy(self.committee)
        kind_policy = policy.rounds.policy(kind)
        self.number += 1
        for team, targets, weeks in loads:
            end = start + (weeks - 1) * WEEK + dt.timedelta(days=4)
            drafted = policy.need_drafted(team, kind)
            base = {
                "round": self.number, "kind": kind.value, "level": self.committee.level.value,
                "county": self.committee.county, "team": team.id,
                "onsite_start": start, "onsite_end": end,
                "busy_start": start - kind_policy.prep_weeks * WEEK,
                "busy_end": end + kind_policy.report_weeks * WEEK,
                "team_size": team.filled + (not team.has_leader) + drafted, "drafted": drafted,
                "leader": "permanent" if team.has_leader else "drafted",
            }
            if not targets:
                self.rows.append(base | {"target": "", "target_name": theme, "category": "", "target_county": ""})
            for t in targets:
                self.rows.append(base | {"target": t.id, "target_name": t.name, "category": t.category,
                                         "target_county": t.county if t.category in ("county", "town") else ""})
                self.inspected_by.setdefault(t.id, team.id)


def _take(queue: list[Target], most_units: int, most_effort: int) -> list[Target]:
    """The next units of the list that fit one team: the clerk stops at the first that does not."""
    taken: list[Target] = []
    while queue and len(taken) < most_units and sum(t.effort for t in taken) + queue[0].effort <= most_effort:
        taken.append(queue.pop(0))
    return taken


def hand_plan(scenario: Scenario, committee: Committee = CITY) -> pd.DataFrame:
    """The spreadsheet plan of ``committee``'s term, as an assignments table."""
    policy = scenario.policy(committee)
    rounds = policy.rounds
    teams = scenario.teams_of(committee)
    queue = list(scenario.targets_of(committee))
    sheet = _Sheet(scenario, committee)
    h = scenario.horizon
    starts = [first_monday(y, m) for y in h.years for m in REGULAR_MONTHS]
    specials = list(rounds.special.themes)
    for start in sorted(s for s in starts if h.start <= s <= h.end):
        if not queue:
            break
        loads = []
        for team in teams:
            taken = _take(queue, rounds.max_units_per_team, rounds.max_effort_per_team)
            if taken:
                loads.append((team, taken, max(rounds.regular.onsite_weeks_for(t.category) for t in taken)))
        sheet.add_round(Kind.REGULAR, start, loads)
        if start.month == REGULAR_MONTHS[-1] and specials:
            theme = specials.pop(0)
            special = rounds.special
            n = min(theme.max_teams, len(teams), -(-theme.scope_units // special.target_onsite_weeks))
            weeks = max(special.onsite_weeks, -(-theme.scope_units // (n * special.units_per_team_week)))
            sheet.add_round(Kind.SPECIAL, first_monday(start.year, SPECIAL_MONTH),
                            [(team, [], weeks) for team in teams[:n]], theme.name)
    while queue:  # what the fixed dates did not hold goes to one more round after the last
        last = max(r["onsite_end"] for r in sheet.rows)
        loads = [(team, taken, max(rounds.regular.onsite_weeks_for(t.category) for t in taken))
                 for team in teams if (taken := _take(queue, rounds.max_units_per_team, rounds.max_effort_per_team))]
        sheet.add_round(Kind.REGULAR, last + dt.timedelta(days=3) + 2 * WEEK, loads)
    due = [t for t in scenario.targets_of(committee) if t.follow_up]
    if due:
        loads: dict[str, list[Target]] = {}
        for t in due:
            team = next((m for m in teams if m.id != sheet.inspected_by.get(t.id) and m.id not in t.avoid_teams
                         and len(loads.get(m.id, [])) < rounds.max_units_per_team), teams[0])
            loads.setdefault(team.id, []).append(t)
        by_id = {team.id: team for team in teams}
        sheet.add_round(Kind.FOLLOW_UP, first_monday(h.years[-1], FOLLOW_UP_MONTH),
                        [(by_id[tid], targets, rounds.follow_up.onsite_weeks) for tid, targets in loads.items()])
    frame = pd.DataFrame(sheet.rows, columns=list(ASSIGNMENT_COLUMNS))
    # Rounds numbered in start order, as the checker expects of any plan.
    order = {n: i for i, n in enumerate(frame.groupby("round")["onsite_start"].min().sort_values().index, 1)}
    frame["round"] = frame["round"].map(order)
    return frame.sort_values(["round", "team"], kind="stable").reset_index(drop=True)
