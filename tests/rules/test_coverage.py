"""覆盖: every target once, its 回头看 after rectification, each theme run once."""

from __future__ import annotations

import pytest

from constraints import add_follow_up_after_rectification, add_full_coverage
from planner.overrides import apply_overrides
from planner.solution import Solution
from planner.vocabulary import Kind
from rule_helpers import (
    Break, COUNTY_VALID, TARGET_TWICE, VALID, broken_rules, caught_by_its_rule, changed, check_county,
    few_assignments, finish_early, infeasible_only_because_of, many_assignments, mini, omitted, plan,
    regular, team, theme_in_2028, unit, visits, with_rounds,
)


def test_model_full_coverage_each_target_exactly_once_with_its_follow_up(tiny):
    s = mini(tiny, [unit("A", follow_up=True), unit("B"), unit("C")], [team("T1"), team("T2")])
    for pressure in (few_assignments, many_assignments):
        full = plan(s, pressure=pressure)
        assert visits(full) == {"A": 1, "B": 1, "C": 1}
        assert visits(full, Kind.FOLLOW_UP) == {"A": 1}
        assert not broken_rules(s, full)
    fewest = plan(s, add_full_coverage, few_assignments)
    assert sum(visits(fewest).values()) == 1 and not visits(fewest, Kind.FOLLOW_UP)
    assert broken_rules(s, fewest)["coverage"] == 3  # two targets and A's follow-up missing
    most = plan(s, add_full_coverage, many_assignments)
    assert max(visits(most).values()) > 1
    assert broken_rules(s, most)["coverage"] >= 1


def test_model_follow_up_waits_for_the_rectification_period(tiny):
    s = mini(tiny, [unit("A", follow_up=True)], [team("T1"), team("T2")],
             rounds={"follow_up": {"min_gap_weeks": 20}})

    def gap(solution: Solution) -> int:
        (done,) = regular(solution)
        (back,) = [r for r in solution.rounds if r.kind == Kind.FOLLOW_UP]
        return back.start_week - (done.start_week + done.onsite_weeks)

    full = plan(s, pressure=finish_early)
    assert gap(full) == 20
    assert not broken_rules(s, full)
    relaxed = plan(s, add_follow_up_after_rectification, finish_early)
    assert gap(relaxed) < 20
    assert broken_rules(s, relaxed) == {"coverage": 1}


INFEASIBLE = [
    pytest.param(add_full_coverage, dict(rounds={"regular": {"rounds_per_year_min": 0, "rounds_per_year_max": 1}},
                                         units=[unit("A", effort=3), unit("B", effort=3)]),
                 id="coverage: two whole-team units, one team, one round"),
    pytest.param(add_follow_up_after_rectification, dict(units=[unit("A", follow_up=True)],
                                                         teams=[team("T1"), team("T2")],
                                                         rounds={"follow_up": {"min_gap_weeks": 45}}),
                 id="follow-up: rectification longer than the year"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "target in a second round": TARGET_TWICE,
    "target left out": Break(
        "coverage", "市第一高级中学 (S1) 未被安排", ((), (), ("S1",)),
        plan=changed(VALID, 2, "T1", targets=("P1", "P2")),
    ),
    "unknown target": Break(
        "coverage", "第5轮安排了未知的巡察对象 'X1'", ((5,), ("T1",), ("X1",)), edit=(5, "T1", {"target": "X1"}),
    ),
    "target of the county level": Break(
        "coverage", "第5轮 市委第一巡察组 (T1) 巡察了乙县的巡察对象 乙县河口镇 (A2)", ((5,), ("T1",), ("A2",)),
        edit=(5, "T1", {"target": "A2"}),
    ),
    "inspection row without a target": Break(
        "coverage", "第5轮 市委第一巡察组 (T1) 有一行未填写巡察对象", ((5,), ("T1",), ("",)),
        edit=(5, "T1", {"target": ""}), also=frozenset({"capacity"}),
    ),
    "follow-up missing": Break(
        "coverage", "市教育局 (G1) 应安排1次回头看, 实为0次", ((), (), ("G1",)), plan=omitted(VALID, 5, "T1"),
    ),
    "follow-up of an unlisted target": Break(
        "coverage", "甲县城关镇 (A1) 未列入回头看名单, 却安排了回头看 (第5轮)", ((5,), ("T1",), ("A1",)),
        plan=changed(VALID, 5, "T1", targets=("A1",)),
        also=frozenset({"quiet"}),  # 甲县's town in round 5 is a second visit into 甲县 within 6 months
    ),
    "follow-up before rectification": Break(
        "coverage", "市教育局 (G1) 第5轮回头看 2027-09-06 进驻, 距第2轮常规巡察进驻结束 (2027-05-28) 不足16周",
        ((2, 5), ("T1",), ("G1",)), scenario=lambda s: with_rounds(s, "follow_up", min_gap_weeks=16),
    ),
    "unknown theme": Break(
        "coverage", "第4轮的专项主题「环保专项」不在场景的专项主题中", ((4,), (), ()),
        plan=changed(omitted(VALID, 4, "T2"), 4, "T1", targets=("环保专项",)),
    ),
    "special round naming a target": Break(
        "coverage", "第4轮专项巡察不应填写巡察对象 (A1)", ((4,), (), ("A1",)), edit=(4, "T1", {"target": "A1"}),
    ),
    "two themes in one round": Break(
        "coverage", "第4轮专项巡察有多个主题: 作风建设专项巡察、环保专项", ((4,), (), ()),
        edit=(4, "T2", {"target_name": "环保专项"}),
    ),
    "theme in the wrong year": Break(
        "coverage", "专项主题「作风建设专项巡察」应在2028年开展, 第4轮却在2027年", ((4,), (), ()), scenario=theme_in_2028,
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


def test_broken_a_county_team_inspecting_outside_its_county(county_scenario, tmp_path):
    # With 甲县城关镇 no longer elevated, it is 甲县's own unit: 乙县's team may not inspect it.
    scenario = apply_overrides(county_scenario, ["targets.A1.elevated=false"])
    rounds = [*COUNTY_VALID, (3, "regular", ("A1",), 28, 6, 3)]
    found = check_county(scenario, tmp_path, rounds)
    assert "覆盖: 乙县第3轮 乙县委第一巡察组 (Y1) 巡察了甲县的巡察对象 甲县城关镇 (A1)" in found
