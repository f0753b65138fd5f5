"""回避: no team inspects a unit it must avoid, or a unit twice; no county its own in a cross round."""

from __future__ import annotations

import pytest

from constraints import add_avoidance
from planner.check import check_plan
from planner.plan import read_plan
from planner.vocabulary import Kind
from rule_helpers import (
    Assign, Break, VALID, broken_rules, caught_by_its_rule, changed, found_messages,
    infeasible_only_because_of, mini, plan, rows_of, team, team_of, unit, write_plan_dir,
)


def test_model_a_target_is_never_inspected_by_a_team_it_avoids(tiny):
    # Drafting makes T2 (no liaison) dearer: without avoidance A would go to T1.
    s = mini(tiny, [unit("A", avoid_teams=("T1",))], [team("T1"), team("T2", liaison=0)],
             weights={"drafted_cadres": 1})
    full = plan(s)
    assert team_of(full, "A") == "T2"
    relaxed = plan(s, add_avoidance)
    assert team_of(relaxed, "A") == "T1"
    assert broken_rules(s, relaxed) == {"avoidance": 1}


def test_model_a_follow_up_goes_to_another_team(tiny):
    s = mini(tiny, [unit("A", follow_up=True)], [team("T1"), team("T2", liaison=0)],
             weights={"drafted_cadres": 1})
    full = plan(s)
    assert {team_of(full, "A"), team_of(full, "A", Kind.FOLLOW_UP)} == {"T1", "T2"}
    assert not broken_rules(s, full)
    relaxed = plan(s, add_avoidance)
    assert team_of(relaxed, "A") == team_of(relaxed, "A", Kind.FOLLOW_UP) == "T1"
    assert broken_rules(s, relaxed) == {"avoidance": 1}


INFEASIBLE = [
    pytest.param(add_avoidance, dict(units=[unit("A", avoid_teams=("T1", "T2"))], teams=[team("T1"), team("T2")]),
                 id="avoidance: avoid list names every team"),
    pytest.param(add_avoidance, dict(units=[unit("A", follow_up=True)]), id="avoidance: follow-up, one team"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "avoid list ignored": Break(
        "avoidance", "市委第一巡察组 (T1) 应回避 市水利局 (G2), 却在第2轮巡察该单位", ((2,), ("T1",), ("G2",)),
        plan=changed(changed(VALID, 2, "T1", targets=("P1", "P2", "G2")), 2, "T2", targets=("G1", "S1")),
    ),
    "same team back for the follow-up": Break(
        "avoidance", "市委第二巡察组 (T2) 两次巡察 市教育局 (G1) (第2轮、第5轮)", ((2, 5), ("T2",), ("G1",)),
        plan=changed(VALID, 5, "T1", team="T2", leader="drafted", drafted=2),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


@pytest.mark.parametrize(
    ("pairs", "words"),
    [
        ((("J1", "A1-V1"), ("Y1", "A2")), "甲县第1轮交叉巡察中 甲县委第一巡察组 (J1) 巡察本县区的 甲县城关镇东坡村 (A1-V1)"),
        ((("J1", "A2"), ("Y1", "A1-V1")), "交叉巡察中乙县与甲县互相巡察, 应循环交叉"),
    ],
    ids=["own county", "swap"],
)
def test_broken_cross_inspection_stays_away_from_home(tiny, tmp_path, pairs, words):
    plan = tuple(Assign(1, "cross", team, (target,), 8, 4, 2) for team, target in pairs)
    teams = {t.id: t for t in tiny.teams}
    # A cross row names the inspecting county's committee.
    rows = [row | {"county": teams[row["team"]].county} for row in rows_of(tiny, plan, level="county")]
    violations = check_plan(tiny, read_plan(write_plan_dir(tmp_path, rows, "county")))
    assert any(v.rule == "avoidance" and words in v.message for v in violations), [v.message for v in violations]


def test_broken_a_county_inspecting_itself_in_a_cross_round_is_refused(whole_frame, whole):
    broken = whole_frame.copy()
    row = broken.index[(broken["kind"] == "cross") & (broken["target"] == "BT")][0]
    broken.loc[row, ["county", "team"]] = ["乙县", "JB"]  # 乙县's own town, by 乙县's team
    words = "交叉巡察中 乙县委第一巡察组 (JB) 巡察本县区的 乙县河口镇 (BT)"
    assert any(words in m for m in found_messages(whole, broken, words))
