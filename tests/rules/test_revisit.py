"""回访督查: each team keeps free weeks a year (the first excepted) to revisit last year's units."""

from __future__ import annotations

import datetime as dt

import pytest
from ortools.sat.python import cp_model

from constraints import add_revisit_windows
from planner.build import build_model
from planner.calendar import WeekGrid
from planner.scenario import Scenario
from planner.solve import solve
from rule_helpers import (
    Break, QUICK, broken_rules, caught_by_its_rule, infeasible_only_because_of, mini, unit, with_rounds,
)


INFEASIBLE = [
    # B fixed to 2028, a term ending 2028-02-27: B's round leaves the team 2 free weeks of 2028, not 3.
    pytest.param(add_revisit_windows, dict(horizon={"start": dt.date(2027, 1, 4), "end": dt.date(2028, 2, 27)},
                                           rounds={"revisit_weeks": 3, "follow_up": {"rounds_per_year_max": 0}},
                                           units=[unit("A"), unit("B")],
                                           fixed=[dict(kind="year", target="B", year=(2028, 2028))]),
                 id="revisit: no 3 free weeks in the last year"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


def revisit_scenario(tiny, weeks: int):
    """One team, two units, B fixed to 2028, whose term has only 8 weeks (2028-01-03 to 02-27):
    B's round keeps the team busy for 6 of them (4 on site, 2 to report)."""
    return mini(tiny, [unit("A"), unit("B")], horizon={"start": dt.date(2027, 1, 4), "end": dt.date(2028, 2, 27)},
                rounds={"revisit_weeks": weeks, "follow_up": {"rounds_per_year_max": 0}},
                fixed=[dict(kind="year", target="B", year=(2028, 2028))])


def test_model_revisit_window_binds_on_a_tiny_instance(tiny):
    assert solve(build_model(revisit_scenario(tiny, 3)), QUICK).status == "INFEASIBLE"
    fits = revisit_scenario(tiny, 2)
    m = build_model(fits)
    solver = cp_model.CpSolver()
    assert solver.solve(m.cp) == cp_model.OPTIMAL
    grid = WeekGrid.of(fits)
    # The only two weeks of 2028 the team is free: after B's report, to the end of the term.
    assert grid.monday(solver.value(m.revisits[0, 2028])) == dt.date(2028, 2, 14)
    assert not broken_rules(fits, solve(m, QUICK))


def test_model_a_team_away_takes_no_revisit_window(tiny):
    away = mini(tiny, [unit("A")], horizon={"start": dt.date(2027, 1, 4), "end": dt.date(2028, 2, 27)},
                rounds={"revisit_weeks": 2, "follow_up": {"rounds_per_year_max": 0}},
                fixed=[dict(kind="unavailable", team="T1", start=dt.date(2028, 1, 1), end=dt.date(2028, 2, 27))])
    assert solve(build_model(away), QUICK).status == "INFEASIBLE"


def _revisit_in_2028(scenario: Scenario) -> Scenario:
    """The tiny term stretched to two weeks of 2028 (no regular minimum there), each team to keep
    2 weeks for 回访督查, and T1 away in both."""
    longer = scenario.replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 1, 16)},
                              fixed=[{"kind": "unavailable", "team": "T1", "start": dt.date(2028, 1, 3),
                                      "end": dt.date(2028, 1, 14)}])
    longer = with_rounds(longer, "regular", rounds_per_year_min=0)
    return longer.replace(rounds=longer.rounds.model_copy(update={"revisit_weeks": 2}))


BREAKS = {
    "a team with no weeks left for its revisits": Break(
        "revisit", "市委第一巡察组 (T1) 2028年没有连续2周的空档用于回访督查", ((), ("T1",), ()),
        scenario=_revisit_in_2028,
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


def test_broken_checker_finds_a_team_without_its_revisit_window(tiny):
    plan = solve(build_model(revisit_scenario(tiny, 0)), QUICK)
    assert not broken_rules(revisit_scenario(tiny, 2), plan)
    assert broken_rules(revisit_scenario(tiny, 3), plan) == {"revisit": 1}
