"""工作量: 1-3 units and a bounded effort for each team in a round, villages with their town."""

from __future__ import annotations

import pytest

from constraints import add_team_capacity
from rule_helpers import (
    Break, COUNTY_THEME, VALID, broken_rules, caught_by_its_rule, changed, check_county, finish_early,
    infeasible_only_because_of, mini, omitted, plan, regular, renumbered, team, unit,
)


@pytest.mark.parametrize(
    ("units", "teams", "bounds", "roomy"),
    [
        ([unit(u) for u in "ABCD"], 1, {"max_units_per_team": 3, "max_effort_per_team": 9}, {"max_units_per_team": 4}),
        # Two teams: the year-load rules' round effort (teams x max effort) does not bind.
        ([unit(u, effort=2) for u in "ABC"], 2, {"max_units_per_team": 9, "max_effort_per_team": 3},
         {"max_effort_per_team": 4}),
    ],
    ids=["units", "effort"],
)
def test_model_team_capacity_splits_the_work_over_rounds(tiny, units, teams, bounds, roomy):
    crew = [team(f"T{n}") for n in range(1, teams + 1)]
    s = mini(tiny, units, crew, rounds=bounds)
    full = plan(s, pressure=finish_early)
    assert len(regular(full)) == 2
    effort = {u["id"]: u["effort"] for u in units}
    for tr in (tr for r in regular(full) for tr in r.teams):
        assert len(tr.targets) <= bounds["max_units_per_team"]
        assert sum(effort[t] for t in tr.targets) <= bounds["max_effort_per_team"]
    assert not broken_rules(s, full)
    # The same instance with that one bound raised: everything in one round.
    (one,) = regular(plan(mini(tiny, units, crew, rounds=bounds | roomy), pressure=finish_early))
    assert sorted(t for tr in one.teams for t in tr.targets) == sorted(effort)


def test_model_a_county_takes_its_team_alone(tiny):
    # The weighted capacity sums alone keep a whole-team unit's team-round to itself.
    s = mini(tiny, [unit("W", category="county"), unit("A")])
    full = plan(s, pressure=finish_early)
    assert sorted(tr.targets for r in regular(full) for tr in r.teams) == [("A",), ("W",)]
    assert not broken_rules(s, full)
    # A unit of another category shares the team's round.
    shared = plan(mini(tiny, [unit("W"), unit("A")]), pressure=finish_early)
    assert [sorted(tr.targets) for r in regular(shared) for tr in r.teams] == [["A", "W"]]


INFEASIBLE = [
    pytest.param(add_team_capacity, dict(units=[unit("A", effort=4)]), id="capacity: effort above a team's"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "four targets for one team": Break(
        "capacity", "第2轮 市委第一巡察组 (T1) 巡察4个单位, 应为1至3个", ((2,), ("T1",), ("P1", "P2", "S1", "E1")),
        plan=renumbered(changed(omitted(VALID, 3, "T1"), 2, "T1", targets=("P1", "P2", "S1", "E1")), {4: 3, 5: 4}),
    ),
    "effort over the limit": Break(
        "capacity", "第1轮 市委第二巡察组 (T2) 工作量4, 超过上限3", ((1,), ("T2",), ("A1", "P1")),
        plan=changed(changed(VALID, 2, "T1", targets=("P2", "S1")), 1, "T2", targets=("A1", "A1-V1", "P1")),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


def test_broken_a_village_in_another_round_than_its_town(county_scenario, tmp_path):
    rounds = [(1, "regular", ("A2",), 8, 6, 3), (2, "special", (COUNTY_THEME,), 20, 4, 2), (3, "regular", ("A2-V1",), 28, 4, 3)]
    assert check_county(county_scenario, tmp_path, rounds) == [
        "工作量: 乙县河口镇西沟村 (A2-V1) 应随所属镇办 乙县河口镇 (A2) 巡察 (乙县第1轮 乙县委第一巡察组 (Y1)), "
        "却安排在乙县第3轮 乙县委第一巡察组 (Y1)"]
