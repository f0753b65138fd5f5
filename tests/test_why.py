"""xuncha why on the tiny plan: what holds a unit in its round, and the cost of one round earlier."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from planner.export import write_plan
from planner.loading import load_scenario
from planner.plan import read_plan
from planner.solve import SolveSettings, draft_plan
from planner.status import SolveStatus
from planner.build import build_model
from planner.vocabulary import CITY, Kind
from planner.why import _round_facts, describe_why, find_target, part_namer, why
from scenario_edits import TINY

runner = CliRunner()
FAST = SolveSettings(time_limit=10)


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory):
    scenario = load_scenario(TINY)
    folder = tmp_path_factory.mktemp("why") / "plan"
    solution = draft_plan(scenario, settings=FAST)
    assert solution.status is SolveStatus.OPTIMAL
    write_plan(folder, solution, scenario, {})
    frame = read_plan(folder).assignments
    regular = sorted(frame.loc[frame["kind"] == "regular", "round"].unique())
    return scenario, folder, frame, regular


def test_a_unit_in_the_first_regular_round_cannot_move_earlier(tiny_plan):
    scenario, folder, frame, regular = tiny_plan
    first = frame.loc[(frame["round"] == regular[0]) & (frame["kind"] == "regular"), "target"].iloc[0]
    found = why(scenario, folder, first, FAST)
    assert found.earlier is None and found.moved is None and found.status is None
    assert "不能再提前" in describe_why(found)[-1]


def test_one_round_earlier_costs_what_the_rules_add_up_to(tiny_plan):
    scenario, folder, frame, regular = tiny_plan
    last = frame.loc[(frame["round"] == regular[-1]) & (frame["kind"] == "regular"), "target"].iloc[0]
    found = why(scenario, folder, last, FAST)
    assert found.earlier == regular[-2]
    # The plan is optimal, so it is the reference and moving can only cost;
    # the soft rules' changes make up the whole cost.
    assert not found.reference_resolved and found.cost >= 0
    assert sum(c.after - c.before for c in found.costs) == found.cost
    # The re-solved plan has the unit one regular round earlier.
    moved = [r for r in found.moved.rounds if r.kind == "regular"]
    position = next(n for n, r in enumerate(moved) for tr in r.teams if last in tr.targets)
    assert position == len(regular) - 2


def test_the_earlier_round_shows_avoidance_absent_and_full_teams(tiny_plan):
    """Round 5 by hand: T1 holds A1 (effort 3), T2 stays home. G2 must avoid T1; S1 finds T1 full."""
    scenario = tiny_plan[0]
    monday, friday = dt.date(2027, 6, 7), dt.date(2027, 7, 2)
    frame = pd.DataFrame([{"round": 5, "kind": "regular", "team": "T1", "target": "A1",
                           "onsite_start": monday, "onsite_end": friday}])
    targets = {t.id: t for t in scenario.targets}
    assert _round_facts(scenario, CITY, frame, targets["G2"], 5) == ["市委第一巡察组须回避本单位",
                                                              "市委第二巡察组未参加第5轮 (人员、组长或上一轮任务所限)"]
    assert _round_facts(scenario, CITY, frame, targets["S1"], 5)[0].startswith("市委第一巡察组在第5轮已有1个单位、工作量3")


def test_cli_why_names_an_unknown_unit(tiny_plan):
    _, folder, _, _ = tiny_plan
    result = runner.invoke(app, ["why", str(folder), "XX", "--scenario", str(TINY)])
    assert result.exit_code == 2 and "'XX'" in result.output


def test_a_unit_is_found_by_its_name_and_a_near_miss_gets_suggestions(tiny_plan):
    scenario = tiny_plan[0]
    assert find_target(scenario, "市水利局").id == "G2"
    assert find_target(scenario, "G2").name == "市水利局"
    with pytest.raises(ValueError) as caught:
        find_target(scenario, "水利局")
    assert str(caught.value) == "中共测试市委的巡察对象中没有编号或名称为 '水利局' 的单位; 是否要找: 市水利局 (G2)"
    with pytest.raises(ValueError) as caught:
        find_target(scenario, "市教育厅")
    assert "是否要找: 市教育局 (G1)" in str(caught.value)
    # A county's own unit is not the city's to inspect.
    with pytest.raises(ValueError):
        find_target(scenario, "乙县河口镇")


def test_penalty_parts_are_named_by_round_and_team_never_by_internal_ids(tiny_plan):
    scenario, folder, frame, regular = tiny_plan
    last = frame.loc[(frame["round"] == regular[-1]) & (frame["kind"] == "regular"), "target_name"].iloc[0]
    found = why(scenario, folder, last, FAST)
    names = [name for cost in found.costs for name, _ in cost.objects]
    assert names and not any("#" in name or "/" in name for name in names), names
    team_names = {t.name for t in scenario.teams}
    drafted = [name for c in found.costs if c.rule == "drafted_cadres" for name, _ in c.objects]
    assert all(name.startswith("第") and name.split(" ")[1] in team_names for name in drafted), drafted


def test_part_names_follow_the_plan_round_numbers(tiny_plan):
    scenario, _, frame, regular = tiny_plan
    model = build_model(scenario)
    name = part_namer(model, scenario, frame)
    first_regular, second_regular = model.slots_of(Kind.REGULAR)[:2]
    assert name(first_regular.label) == f"第{regular[0]}轮"
    assert name(f"{second_regular.label}/T2") == f"第{regular[1]}轮 市委第二巡察组"
    special = model.slots_of(Kind.SPECIAL)[0]
    number = int(frame.loc[frame["kind"] == "special", "round"].iloc[0])
    assert name(special.label) == f"第{number}轮 (作风建设专项巡察)"
    assert (name("P1"), name("2027")) == ("市委办公室", "2027年")


def test_cli_why_takes_a_name_and_suggests_when_it_matches_none(tiny_plan):
    _, folder, _, _ = tiny_plan
    result = runner.invoke(app, ["why", str(folder), "水利局", "--scenario", str(TINY)])
    assert result.exit_code == 2 and "是否要找: 市水利局 (G2)" in result.output
