"""The whole city's plan (市县一盘棋): the city and every county in step, linked sectors, one
cross-inspection cycle, visits into a county kept apart (the checker refusing each broken: tests/rules)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from cli import app
from planner.check import check_plan
from planner.linkage import linkage_of
from planner.parallel import MIN_SECONDS
from planner.loading import ScenarioError, load_scenario
from planner.plan import read_plan
from planner.scope import Scope
from planner.score import score_plan
from planner.status import SolveStatus
from planner.sweep import sweep
from planner.vocabulary import Committee, Kind
from planner.whatif import run_whatif
from planner.whole import (
    HINTED_SECONDS, Coupling, city_calendar, coupling_lines, failing_county, final_seconds, team_rounds_asked,
)
from rule_helpers import WHOLE, WHOLE_FAST, whole_plan
from scenario_edits import in_step_county


def test_the_whole_plan_passes_the_checker(whole_frame, whole):
    assert check_plan(whole, whole_plan(whole_frame)) == []


def test_every_object_is_covered_once_the_cross_units_by_another_county(whole_frame, whole):
    covering = whole_frame[whole_frame["kind"].isin(["regular", "cross"])]
    assert sorted(covering["target"]) == sorted(t.id for t in whole.targets)
    cross = whole_frame[whole_frame["kind"] == "cross"]
    # Each county's riskiest town (and its village) goes to the county before it in the cycle.
    assert {(r.county, r.target) for r in cross.itertuples()} == {
        ("丙县", "AT"), ("丙县", "AT-V1"), ("甲县", "BT"), ("甲县", "BT-V1"), ("乙县", "CT"), ("乙县", "CT-V1")}
    assert cross["onsite_start"].nunique() == 1  # one round, organised by the city


def test_county_rounds_start_with_the_citys(whole_frame, whole):
    linkage = linkage_of(whole_frame, whole)
    assert linkage.sync_share == 1.0
    assert all(city is not None for city in linkage.special_in_step.values()) and linkage.special_in_step
    assert linkage.cycle == {"甲县": {"乙县"}, "乙县": {"丙县"}, "丙县": {"甲县"}}
    assert linkage.sectors_linked  # a named sector inspected by a county in the round in step


def test_the_scorer_gives_each_committees_own_penalties(whole_solved, whole_frame, whole):
    score = score_plan(whole, whole_plan(whole_frame))
    for solution, committee_score in zip(whole_solved, score.committees):
        assert committee_score.committee == solution.committee
        assert committee_score.penalties == {rule: solution.penalties.get(rule, 0) for rule in committee_score.penalties}
    assert score.objective == sum(s.objective for s in whole_solved)


def test_whatif_at_the_whole_city_names_the_county_that_slips(whole, tmp_path):
    """乙县 holding one round a year: the cross round is it (it counts as a regular round), so 乙县's
    own units slip; the headline names them and the committee they belong to."""
    result = run_whatif(whole, ["counties_policy.乙县.rounds.regular.rounds_per_year_max=1"], tmp_path, WHOLE_FAST,
                        scope=Scope.whole_city(whole))
    assert {"BE", "BW"} <= set(result.variant.uncovered) and not result.base.uncovered
    text = "\n".join(result.headline)
    assert "乙县教育局" in text and "按党委: " in text and "乙县" in text.split("按党委: ")[1]
    assert (tmp_path / "variant" / "assignments.csv").exists()


def test_a_sweep_at_the_whole_city_plans_each_value_as_one_whole_plan(whole, tmp_path):
    rows = sweep(whole, "county_defaults.rounds.regular.rounds_per_year_max", ["1", "3"], tmp_path, WHOLE_FAST, 2,
                 scope=Scope.whole_city(whole))
    assert [r.value for r in rows] == ["1", "3"]
    assert rows[0].uncovered >= 6 and rows[1].uncovered == 0  # with one round a year, the cross round takes it


def test_a_county_that_cannot_follow_the_citys_first_calendar_gets_a_plan_after_coupling(tmp_path):
    """甲县's two bureaux are not to be inspected before 16 August (不早于); the city's first calendar,
    drafted without knowing it, puts its regular rounds in spring and summer (risk first). The
    coupling pass moves a city round to where 甲县 can follow it, and the console names 甲县."""
    folder = tmp_path / "late"
    shutil.copytree(WHOLE, folder)
    (folder / "fixed.csv").write_text("锁定类型,单位,另一单位,巡察组,年度,轮次,开始日期,结束日期,说明\n"
                                      "不早于,AE,,,,,2027-08-16,,\n不早于,AW,,,,,2027-08-16,,\n", encoding="utf-8")
    out = tmp_path / "plan"
    result = CliRunner().invoke(app, ["plan", str(folder), "--level", "all", "--time-limit", "20",
                                      "--deterministic", "--out", str(out), "--no-gantt"])
    assert result.exit_code == 0, result.output
    assert "甲县按市委第一版日程排不出与市委同步的方案" in result.output
    assert "市委据各县区的进驻时间重排日程" in result.output
    assert "协调后: 3/3 轮县区常规巡察与市委同步" in result.output
    late = load_scenario(folder)
    plan = read_plan(out)
    assert check_plan(late, plan) == []
    jia = plan.assignments[(plan.assignments["county"] == "甲县") & (plan.assignments["kind"] == "regular")]
    assert min(jia["onsite_start"]) >= dt.date(2027, 8, 16)


def test_a_decision_on_a_unit_given_up_to_a_cross_round_is_refused_at_its_row(tmp_path):
    """甲县城关镇 is 甲县's riskiest town, given up to 丙县's teams in the cross round: no round of
    甲县's holds it, so a year fixed for it could never hold (it crashed the model build)."""
    folder = tmp_path / "crossed"
    shutil.copytree(WHOLE, folder)
    (folder / "fixed.csv").write_text("锁定类型,单位,年度\n定年度,AT,2027\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert [(p.file, p.row, p.field) for p in caught.value.problems] == [("fixed.csv", 2, "单位")]
    assert "甲县城关镇 第1次交叉巡察中由丙县巡察" in caught.value.problems[0].message


def test_a_county_short_of_team_rounds_is_named_with_the_count_and_the_citys_rounds(tmp_path, whole_solved):
    """甲县 with four bureaux of its own and one team, against a city calendar of one regular round:
    the console's reason gives the team-rounds needed and offered; the coupling lines say the city
    was asked for more rounds, and how many team-rounds it still leaves short."""
    short = load_scenario(in_step_county(tmp_path))
    city = replace(whole_solved[0], rounds=tuple(r for r in whole_solved[0].rounds if r.kind != Kind.REGULAR)
                   + tuple(r for r in whole_solved[0].rounds if r.kind == Kind.REGULAR)[:1])
    asked = team_rounds_asked(short, Committee("甲县"), city_calendar(city))
    assert asked is not None and (asked.needed, asked.teams, asked.cross_teams) == (2, 1, 1)
    coupling = Coupling(failed=("甲县",), redrafted=True, requested=3, city_objective=(100.0, 110.0),
                        short=(asked,), short_left=1)
    text = failing_county(short, "甲县", city, coupling)
    assert "覆盖全部单位至少需要2组次, 而与市委1轮常规巡察同步进驻, 该县区1个组至多1组次" in text
    lines = "\n".join(coupling_lines(short, coupling, whole_solved))
    assert "为组次不够的县区 (甲县至少2组次) 增加常规巡察轮次, 仍差1组次" in lines


def test_no_coupling_is_reported_when_the_city_has_no_plan(whole, whole_solved):
    """The city without a plan leaves the counties undrafted: no line may say they were in step."""
    failed = replace(whole_solved[0], status=SolveStatus.INFEASIBLE, rounds=())
    assert coupling_lines(whole, Coupling(), [failed]) == []
    assert coupling_lines(whole, Coupling(), whole_solved)[0].startswith("市县协调: 各县区按市委日程编制")


def test_the_final_wave_shares_the_time_left_equally_and_short_of_it_gives_the_unhinted_counties_more():
    counties = [Committee(c) for c in ("甲县", "乙县", "丙县", "丁县")]
    hinted = set(counties[1:])
    assert final_seconds(40.0, 2, counties, hinted) == {c: 20.0 for c in counties}
    # 8 s with two at a time: 16 s of solving; the three hinted take 2 s each, 甲县 the other 10 s.
    assert final_seconds(8.0, 2, counties, hinted) == {counties[0]: 10.0, **{c: HINTED_SECONDS for c in hinted}}
    # No time left: the floors, so that every county is still drafted.
    assert final_seconds(-3.0, 2, counties, hinted) == {counties[0]: MIN_SECONDS, **{c: HINTED_SECONDS for c in hinted}}
