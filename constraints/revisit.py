"""回访督查: every year after the first, each team keeps a short free window to revisit last year's units."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.fixed_decisions import blocked_weeks
from planner.model import PlanModel
from planner.tables import DecisionKind


def revisit_starts(m: PlanModel, year: int, team: str) -> list[int]:
    """Weeks of ``year`` a revisit window of ``team`` may start in: its weeks open (no blackout),
    inside the term, not before the re-planning week, none while the team is away (巡察组不可用)."""
    weeks = m.data.policy.rounds.revisit_weeks
    away: set[int] = set()
    for _row, d in m.data.decisions:
        if d.kind == DecisionKind.UNAVAILABLE and d.team == team:
            first, last = blocked_weeks(m.data.grid, d.start, d.end)
            away.update(range(first, last + 1))
    return sorted(s for s in m.open_starts(weeks, 0, 0, year) if not away & set(range(s, s + weeks)))


def add_revisit_windows(m: PlanModel) -> None:
    """Hard: 回访督查. In every year of the term after the first, each team of the committee
    keeps ``rounds.revisit_weeks`` consecutive weeks free of any round (no preparation, no
    on-site work, no report), on open weeks (no Spring Festival or National Day day) while it
    is not away (巡察组不可用), to revisit the units inspected the year before: a few days at
    each unit, checking the rectification (整改) against the problems the report listed. It
    is not a round: no unit is assigned to it and nobody is drafted for it.

    For each team t and year y > first year with some open start, with W = revisit_weeks:
      r[t,y] in S_y = {s : first_week(y) <= s < first_week(y+1), s >= as_of_week,
                       s + W <= term weeks, weeks s..s+W-1 open and not away},
      NoOverlap({busy[k,t] : k a round slot} + {[r[t,y], r[t,y] + W) : y}).
    A year whose calendar leaves no such run (a term ending in its first weeks) is exempt;
    a team away in all of a year's runs makes the plan impossible. Nothing is added when W = 0.
    """
    weeks = m.data.policy.rounds.revisit_weeks
    if not weeks:
        return
    for t, team in enumerate(m.data.teams):
        windows = []
        for year in m.data.years[1:]:
            if not m.open_starts(weeks, 0, 0, year):
                continue
            starts = revisit_starts(m, year, team.id)
            if not starts:  # away all the open weeks of the year: no plan keeps the rule
                m.cp.add_bool_or([])
                continue
            start = m.cp.new_int_var_from_domain(cp_model.Domain.from_values(starts), f"revisit_{year}_{team.id}")
            window = m.cp.new_fixed_size_interval_var(start, weeks, f"revisit_window_{year}_{team.id}")
            m.revisits[t, year] = start
            windows.append(window)
        if windows:
            m.cp.add_no_overlap([m.busy[k, t] for k in range(len(m.slots))] + windows)
