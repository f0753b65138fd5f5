"""人员: each team led and within its size, the drafted cadres and leaders within the pools."""

from __future__ import annotations

import pytest

from constraints import add_staffing
from planner.export import solution_frame
from planner.scenario import Scenario
from rule_helpers import (
    Break, VALID, broken_rules, caught_by_its_rule, changed, finish_early, infeasible_only_because_of,
    mini, plan, regular, team, unit,
)


def test_model_drafted_cadres_of_one_round_stay_within_the_pool(tiny):
    # T1 needs 2 drafted cadres to reach 5, T2 (no liaison) needs 3; the pool holds 4.
    s = mini(tiny, [unit("A", effort=3), unit("B", effort=3)], [team("T1"), team("T2", liaison=0)],
             staff={"city": {"drafted_pool": 4}})
    _one_team_a_round_within_the_pool(s)


def _one_team_a_round_within_the_pool(s: Scenario) -> None:
    """T1 and T2 (5 drafted together) go one after the other; without the rule, together, which the checker refuses."""
    full = plan(s, pressure=finish_early)
    assert [len(r.teams) for r in regular(full)] == [1, 1]
    assert not broken_rules(s, full)
    relaxed = plan(s, add_staffing, finish_early)
    (together,) = regular(relaxed)
    assert sum(tr.drafted for tr in together.teams) == 5
    assert broken_rules(s, relaxed) == {"staff": 1}


def test_model_cadres_the_city_lends_to_the_counties_come_out_of_its_pool(tiny):
    # T1 needs 2 drafted cadres, T2 3: a pool of 5 sends both at once, but lending one cadre to
    # each of the two counties (上派) leaves 3 for a regular round, and they go one after the other.
    units, teams = [unit("A", effort=3), unit("B", effort=3)], [team("T1"), team("T2", liaison=0)]
    s = mini(tiny, units, teams, staff={"city": {"drafted_pool": 5}})
    assert [len(r.teams) for r in regular(plan(s, pressure=finish_early))] == [2]
    _one_team_a_round_within_the_pool(
        mini(tiny, units, teams, staff={"city": {"drafted_pool": 5}}, linkage={"exchange_up": 1}))


def test_model_a_team_without_leader_goes_out_with_one_from_the_leader_pool(tiny):
    s = mini(tiny, [unit("A", avoid_teams=("T1",))], [team("T1"), team("T2", leader=False)])
    solution = plan(s)
    (inspection,) = regular(solution)
    (only,) = inspection.teams
    assert (only.team, only.leader_drafted, only.drafted) == ("T2", True, 2)
    row = solution_frame(solution, s).iloc[0]
    assert (row["leader"], row["team_size"], row["drafted"]) == ("drafted", 5, 2)


INFEASIBLE = [
    pytest.param(add_staffing, dict(staff={"city": {"drafted_pool": 1}}),
                 id="staffing: drafted pool below the minimum team size"),
    pytest.param(add_staffing, dict(staff={"city": {"leader_pool": 0}}, units=[unit("A", avoid_teams=("T1",))],
                                    teams=[team("T1"), team("T2", leader=False)]),
                 id="staffing: no leader for the only allowed team"),
    pytest.param(add_staffing, dict(staff={"min_team_size": {"regular": 2}, "max_team_size": {"regular": 2}}),
                 id="staffing: team larger than the working size"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "team below minimum size": Break(
        "staff", "第3轮 市委第一巡察组 (T1) 4人, 不在5至7人之间", ((3,), ("T1",), ()),
        plan=changed(VALID, 3, "T1", drafted=1),
    ),
    "staff differing between rows of a team": Break(
        "staff", "第2轮 市委第一巡察组 (T1) 的各行人数或组长不一致", ((2,), ("T1",), ()), edit=(2, "T1", {"drafted": 3}),
    ),
    "team size not adding up": Break(
        "staff", "第5轮 市委第一巡察组 (T1) 人数应为 在编3 + 抽调组长0 + 抽调1 = 4, 表中为 5", ((5,), ("T1",), ()),
        edit=(5, "T1", {"team_size": 5}),
    ),
    "drafted cadres over the pool": Break(
        "staff", "第2轮抽调干部7人, 超过每轮可抽调6人", ((2,), ("T1", "T2"), ()), plan=changed(VALID, 2, "T1", drafted=4),
    ),
    "drafted leaders over the pool": Break(
        "staff", "第2轮抽调组长2人 (T1、T2), 超过组长库1人", ((2,), ("T1", "T2"), ()),
        plan=changed(VALID, 2, "T1", leader="drafted", drafted=1),
    ),
    "permanent leader for a vacant post": Break(
        "staff", "第2轮 市委第二巡察组 (T2) 组长岗位空缺", ((2,), ("T2",), ()),
        plan=changed(VALID, 2, "T2", leader="permanent", drafted=4),
    ),
    "county team in a city round": Break(
        "staff", "第3轮 甲县委第一巡察组 (J1) 是甲县委的巡察组, 不能参加市委的轮次", ((3,), ("J1",), ()),
        plan=changed(VALID, 3, "T1", team="J1", drafted=3),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)
