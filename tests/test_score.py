"""The soft-rule scorer (planner.score): the model's own penalties on its plans, and hand-made plans."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from planner.check import check_plan
from planner.export import solution_frame
from planner.plan import ASSIGNMENTS_FILE, PlanDir, read_plan
from planner.loading import load_scenario
from planner.score import priority, score_plan
from planner.solve import SolveSettings, draft_plan
from planner.vocabulary import CATEGORY_GROUP, CITY

runner = CliRunner()

# An office's own draft for the tiny scenario, typed as a spreadsheet row by row. The village
# A1-V1 rides with its town A1 (巡镇带村), whose stay takes a week more for it.
# T1 is full (3 on staff: 2 drafted for a regular round of 5, 1 for a special or follow-up
# round of 4); T2 has one deputy and no leader (a drafted leader, then 3 / 2 / 2 drafted).
HAND_MADE = """round,kind,level,county,team,target,target_name,category,target_county,onsite_start,onsite_end,busy_start,busy_end,team_size,drafted,leader
1,special,city,,T1,,作风建设专项巡察,,,2027-01-11,2027-01-22,2027-01-04,2027-01-29,4,1,permanent
1,special,city,,T2,,作风建设专项巡察,,,2027-01-11,2027-01-22,2027-01-04,2027-01-29,4,2,drafted
2,regular,city,,T1,K1,中共甲县委员会,county,甲县,2027-02-15,2027-03-26,2027-02-08,2027-04-09,5,2,permanent
2,regular,city,,T2,P2,市总工会,people_org,,2027-02-15,2027-03-12,2027-02-08,2027-03-26,5,3,drafted
2,regular,city,,T2,G2,市水利局,gov_department,,2027-02-15,2027-03-12,2027-02-08,2027-03-26,5,3,drafted
2,regular,city,,T2,E1,市城投公司,city_soe,,2027-02-15,2027-03-12,2027-02-08,2027-03-26,5,3,drafted
3,regular,city,,T1,A1,甲县城关镇,town,甲县,2027-04-19,2027-05-21,2027-04-12,2027-06-04,5,2,permanent
3,regular,city,,T1,A1-V1,甲县城关镇东坡村,village,甲县,2027-04-19,2027-05-21,2027-04-12,2027-06-04,5,2,permanent
3,regular,city,,T2,G1,市教育局,gov_department,,2027-04-19,2027-05-14,2027-04-12,2027-05-28,5,3,drafted
3,regular,city,,T2,S1,市第一高级中学,gov_subordinate,,2027-04-19,2027-05-14,2027-04-12,2027-05-28,5,3,drafted
4,regular,city,,T1,P1,市委办公室,party_work_organ,,2027-06-14,2027-07-09,2027-06-07,2027-07-23,5,2,permanent
5,follow_up,city,,T1,G1,市教育局,gov_department,,2027-08-02,2027-08-13,2027-07-26,2027-08-20,4,1,permanent
"""


def quiet_soft(scenario: Path, tmp_path: Path) -> Path:
    """The scenario with the quiet-visit rule weighed instead of enforced: the draft breaks it once,
    and the scorer is to count that."""
    folder = tmp_path / "scenario"
    shutil.copytree(scenario, folder)
    with (folder / "scenario.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("linkage: {quiet_hard: false}\n")
    return folder


def hand_made(tmp_path: Path) -> Path:
    folder = tmp_path / "draft"
    folder.mkdir()
    (folder / ASSIGNMENTS_FILE).write_text(HAND_MADE, encoding="utf-8")
    return folder


def test_a_hand_made_plan_is_scored_rule_by_rule(tiny_path, tmp_path):
    tiny = load_scenario(quiet_soft(tiny_path, tmp_path))
    plan = read_plan(hand_made(tmp_path))
    assert check_plan(tiny, plan) == []
    (score,) = score_plan(tiny, plan).committees
    assert score.penalties == {
        # priority x rank (rounds 2, 3, 4 rank 0, 1, 2): G1 overdue (5), A1 3, S1 2 in rank 1; P1 2 in rank 2
        "risk_first": (5 + 3 + 2) * 1 + 2 * 2,
        # round 4 has the party group only: 2 of the 3 groups short
        "mixed_rounds": 2,
        # T1: K1 3 + A1 3 + P1 1 = 7; T2: P2, G2, E1, S1 1 each + G1 2 = 6
        "even_team_load": 1,
        # one year: nothing to even out
        "even_year_load": 0,
        # the special round stays 2 weeks, under its 3
        "short_special": 0,
        # all 13 effort in the last (only) year, room int(0.6 * 13 / 1) = 7
        "last_year_room": 13 - 7,
        # drafted x (prep + on-site + report) weeks: special 1x4 + 2x4; round 2: 2x(1+6+2) + 3x7;
        # round 3: 2x(1+5+2) + 3x7; round 4: 2x7; follow-up 1x(1+2+1)
        "drafted_cadres": 4 + 8 + 18 + 21 + 16 + 21 + 14 + 4,
        # 甲县 is visited twice, three weeks apart: its county committee (K1) and its elevated town (A1)
        "county_quiet": 1,
        "sync": 0,
        "linked_sectors": 0,
        "audit_sync": 0,  # no audit plan given
    }
    assert score.uncovered == ()
    assert score.objective == 14 * 2 + 2 * 20 + 1 * 10 + 6 * 10 + 106 * 3 + 1 * 60


def test_the_scorer_gives_the_models_penalties_on_its_plans(tiny):
    solution = draft_plan(tiny, settings=SolveSettings(time_limit=10))
    assert solution.has_plan
    frame = solution_frame(solution, tiny)
    (score,) = score_plan(tiny, PlanDir(Path("."), frame, {}), [CITY]).committees
    assert score.penalties == {rule: solution.penalties.get(rule, 0) for rule in score.penalties}
    assert score.objective == solution.objective


def _swappable(frame: pd.DataFrame, scenario) -> tuple[int, int]:
    """Two regular rows in different rounds whose targets no rule but risk-first tells apart."""
    targets = {t.id: t for t in scenario.targets}
    start, years = scenario.horizon.start, scenario.soft.overdue_years
    rows = frame[frame["kind"] == "regular"]
    for a in rows.itertuples():
        for b in rows.itertuples():
            ta, tb = targets[a.target], targets[b.target]
            if (a.round < b.round and ta.effort == tb.effort and ta.category == tb.category
                    and not ta.follow_up and not tb.follow_up and b.team not in ta.avoid_teams
                    and a.team not in tb.avoid_teams and CATEGORY_GROUP[ta.category] == CATEGORY_GROUP[tb.category]
                    and priority(ta, start, years) != priority(tb, start, years)):
                return a.Index, b.Index
    pytest.fail("the plan has no two interchangeable units in different rounds")


@pytest.mark.slow  # plans the full Shangluo scenario, 20 s
def test_check_prints_the_score_of_a_plan_edited_by_hand(shangluo_plan, shangluo):
    """Swap two units of one category between rounds, as an office would in Excel."""
    frame = read_plan(shangluo_plan).assignments
    before = score_plan(shangluo, read_plan(shangluo_plan))
    a, b = _swappable(frame, shangluo)
    moved = ["target", "target_name", "category", "target_county", "sector"]
    frame.loc[[a, b], moved] = frame.loc[[b, a], moved].to_numpy()
    raw = (shangluo_plan / ASSIGNMENTS_FILE).read_bytes()
    columns = list(pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", nrows=0).columns)
    frame[columns].to_csv(shangluo_plan / ASSIGNMENTS_FILE, index=False, encoding="utf-8-sig",
                          date_format="%Y-%m-%d")
    edited = read_plan(shangluo_plan)
    after = score_plan(shangluo, edited)
    targets = {t.id: t for t in shangluo.targets}
    # risk-first's rank: R * (year - first year) + place among the year's regular rounds
    starts = frame[frame["kind"] == "regular"].groupby("round")["onsite_start"].min().sort_values()
    per_year = shangluo.rounds.regular.rounds_per_year_max
    places = starts.groupby([d.year for d in starts]).cumcount()
    rank = {n: per_year * (d.year - starts.iloc[0].year) + places[n] for n, d in starts.items()}
    # x was in row a's round and moved to row b's; y the other way.
    x, y = targets[frame.at[b, "target"]], targets[frame.at[a, "target"]]
    p = {t.id: priority(t, shangluo.horizon.start, shangluo.soft.overdue_years) for t in (x, y)}
    change = (p[x.id] - p[y.id]) * (rank[frame.at[b, "round"]] - rank[frame.at[a, "round"]])
    assert change != 0
    assert after.committees[0].penalties["risk_first"] == before.committees[0].penalties["risk_first"] + change
    unchanged = {r: v for r, v in before.committees[0].penalties.items() if r != "risk_first"}
    assert {r: v for r, v in after.committees[0].penalties.items() if r != "risk_first"} == unchanged
    result = runner.invoke(app, ["check", str(shangluo_plan)])
    assert result.exit_code == 0, result.output
    assert "软性规则得分" in result.output
    assert f"{after.objective:,}" in result.output
    assert "方案编制后已改动" in result.output
    assert before.objective != after.objective


@pytest.fixture(scope="module")
def shangluo():
    return load_scenario(Path(__file__).parent.parent / "scenarios" / "shangluo")


@pytest.fixture
def shangluo_plan(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", "--out", str(out), "--time-limit", "20", "--no-gantt"])
    assert result.exit_code == 0, result.output
    return out


def test_check_prints_the_score_of_a_hand_made_plan(tiny_path, tmp_path):
    draft = hand_made(tmp_path)
    broken = runner.invoke(app, ["check", str(tiny_path), str(draft)])
    assert broken.exit_code == 1 and "不重复打扰: 甲县" in broken.output  # quiet visits are hard by default
    result = runner.invoke(app, ["check", str(quiet_soft(tiny_path, tmp_path)), str(draft)])
    assert result.exit_code == 0, result.output
    assert "合计 (目标值)" in result.output and "516" in result.output
    assert "方案编制后已改动" not in result.output  # no plan.json: nothing recorded to differ from
