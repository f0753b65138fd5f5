"""Mid-term re-planning: executed rounds come out identical, the rest starts after the date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from cli import app
from planner.export import write_plan
from planner.loading import load_scenario
from planner.model import Pin
from planner.overrides import apply_overrides
from planner.plan import read_plan
from planner.replan import drafted_scenario, kept_rows, replan
from planner.check import check_plan
from planner.plan import ASSIGNMENT_COLUMNS
from planner.solution import RoundPlan, Solution, TeamRound
from planner.solve import SolveSettings, draft_plan
from planner.status import SolveStatus
from planner.vocabulary import CITY, Kind
from scenario_edits import SHANGLUO, TINY

runner = CliRunner()


def planned(scenario, folder, seconds):
    write_plan(folder, draft_plan(scenario, settings=SolveSettings(time_limit=seconds)), scenario, {})
    return read_plan(folder).assignments


def assert_kept(old, new, as_of):
    before = kept_rows(old, as_of).reset_index(drop=True)
    assert len(before) > 0
    assert kept_rows(new, as_of).reset_index(drop=True).equals(before)


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory):
    scenario = load_scenario(TINY)
    folder = tmp_path_factory.mktemp("tiny") / "plan"
    return scenario, folder, planned(scenario, folder, 10)


def test_tiny_rows_before_the_date_are_identical_and_the_rest_starts_after(tiny_plan, tmp_path):
    scenario, folder, old = tiny_plan
    as_of = sorted(set(old["onsite_start"]))[2]  # two rounds executed
    # Risk 5 on the first unit not yet executed would pull it earlier, but not before the date.
    later = old[[d >= as_of for d in old["onsite_start"]]]["target"].iloc[0]
    variant = scenario.model_copy(update={"targets": tuple(
        t.model_copy(update={"risk": 5}) if t.id == later else t for t in scenario.targets)})
    result = replan(variant, folder, as_of, tmp_path / "new", SolveSettings(time_limit=10))
    assert result.solution.status == "OPTIMAL"
    new = read_plan(tmp_path / "new").assignments
    assert_kept(old, new, as_of)
    # Rounds not under way by the date start preparing on or after it.
    later = new.drop(kept_rows(new, as_of).index)
    assert len(later) and all(b >= as_of for b in later["busy_start"])
    assert result.kept == len(kept_rows(old, as_of))
    assert "前已进驻或已开始准备的" in result.diff_path.read_text(encoding="utf-8")


def test_a_pin_holds_a_high_risk_unit_late_and_nothing_else_starts_before_the_date(tiny_plan):
    """E1 (risk 5) goes in the first round unpinned; pinned on T1 from week 20, it stays there."""
    scenario = tiny_plan[0]
    free = draft_plan(scenario, settings=SolveSettings(time_limit=10))
    assert any("E1" in tr.targets for tr in free.rounds[0].teams + free.rounds[1].teams)
    pin = Pin(Kind.REGULAR, start_week=20, team="T1", target="E1", onsite_weeks=4)
    solution = draft_plan(scenario, settings=SolveSettings(time_limit=10), pins=(pin,), as_of_week=23)
    assert solution.status == "OPTIMAL"
    [held] = [r for r in solution.rounds if r.start_week == 20]
    assert [(tr.team, tr.targets, tr.onsite_weeks) for tr in held.teams] == [("T1", ("E1",), 4)]
    assert all(r.start_week - r.prep_weeks >= 23 for r in solution.rounds if r is not held)


def test_executed_rounds_are_not_held_to_todays_pools(tiny_plan):
    """A round that drafted 5 (T1: 2, T2: 3) stays, though the pool is now 3; the rest fits 4 rounds of one team."""
    scenario = apply_overrides(tiny_plan[0], ["staff.city.drafted_pool=3", "rounds.regular.rounds_per_year_max=4"])
    pins = (Pin(Kind.REGULAR, 6, "T1", "K1", onsite_weeks=6),) + tuple(
        Pin(Kind.REGULAR, 6, "T2", target, onsite_weeks=4) for target in ("P1", "G2", "E1"))
    solution = draft_plan(scenario, settings=SolveSettings(time_limit=10), pins=pins, as_of_week=12)
    assert solution.status == "OPTIMAL"
    later = [r for r in solution.rounds if r.kind == Kind.REGULAR and r.start_week > 6]
    assert all(len(r.teams) == 1 for r in later)


def test_executed_rows_stay_as_they_were_when_todays_staff_differs(tiny_plan, tmp_path):
    """T2 has a leader now: its executed rows keep the drafted leader and the team size of their day."""
    scenario, folder, old = tiny_plan
    as_of = sorted(set(old["onsite_start"]))[2]
    variant = apply_overrides(scenario, ["teams.T2.leader_filled=1"])
    replan(variant, folder, as_of, tmp_path / "new", SolveSettings(time_limit=10))
    assert_kept(old, read_plan(tmp_path / "new").assignments, as_of)
    assert "drafted" in set(kept_rows(old, as_of).query("team == 'T2'")["leader"])


def test_tiny_as_of_after_every_round_keeps_the_whole_plan(tiny_plan, tmp_path):
    scenario, folder, old = tiny_plan
    result = replan(scenario, folder, dt.date(2027, 12, 31), tmp_path / "new", SolveSettings(time_limit=10))
    assert read_plan(tmp_path / "new").assignments.equals(old)
    assert result.moved == []


def test_cli_replan_rejects_a_bad_date_and_a_missing_plan(tiny_plan, tmp_path):
    _, folder, _ = tiny_plan
    bad = runner.invoke(app, ["replan", str(TINY), "--plan", str(folder), "--as-of", "2027-13-01"])
    assert bad.exit_code == 2 and "--as-of" in bad.output
    missing = runner.invoke(app, ["replan", str(TINY), "--plan", str(tmp_path / "none"), "--as-of", "2027-05-01",
                                  "--out", str(tmp_path / "out")])
    assert missing.exit_code == 2 and not (tmp_path / "out").exists()


@pytest.mark.slow  # the full Shangluo scenario, planned and replanned for 15 s each
def test_shangluo_replan_as_of_2029_keeps_every_earlier_row(tmp_path):
    scenario = load_scenario(SHANGLUO)
    old = planned(scenario, tmp_path / "old", 15)
    as_of = dt.date(2029, 1, 1)
    result = runner.invoke(app, ["replan", str(SHANGLUO), "--plan", str(tmp_path / "old"), "--as-of", "2029-01-01",
                                 "--out", str(tmp_path / "new"), "--time-limit", "15"])
    assert result.exit_code == 0, result.output
    assert_kept(old, read_plan(tmp_path / "new").assignments, as_of)
    assert runner.invoke(app, ["check", str(SHANGLUO), str(tmp_path / "new")]).exit_code == 0


# --- stable re-planning: a hand-made plan, so the expected moves are known by hand ------------

THEME = "作风建设专项巡察"


def hand_plan(scenario):
    """Tiny's plan of tests/test_check.py (weeks on the grid from Monday 2027-01-04):
    1 (wk 8) T1 K1, T2 A1 + village; 2 (wk 17) T1 P1 P2 S1, T2 G1 G2; 3 (wk 24) T1 E1;
    4 (wk 31) the special theme with T1 and T2; 5 (wk 35) T1's 回头看 of G1."""
    def team(tid, weeks, targets=(), drafted=2, leader=False):
        return TeamRound(tid, weeks, tuple(targets), drafted, leader)

    rounds = (
        RoundPlan(Kind.REGULAR, 8, 1, 2, (team("T1", 6, ["K1"]), team("T2", 5, ["A1", "A1-V1"], 3, True))),
        RoundPlan(Kind.REGULAR, 17, 1, 2, (team("T1", 4, ["P1", "P2", "S1"]), team("T2", 4, ["G1", "G2"], 3, True))),
        RoundPlan(Kind.REGULAR, 24, 1, 2, (team("T1", 4, ["E1"]),)),
        RoundPlan(Kind.SPECIAL, 31, 1, 1, (team("T1", 2, drafted=1), team("T2", 2, drafted=2, leader=True)), THEME),
        RoundPlan(Kind.FOLLOW_UP, 35, 1, 1, (team("T1", 2, ["G1"], 1),)),
    )
    return Solution(CITY, SolveStatus.FEASIBLE, rounds, objective=0.0, best_bound=0.0)


@pytest.fixture()
def by_hand(tmp_path):
    scenario = load_scenario(TINY)
    folder = tmp_path / "hand"
    write_plan(folder, hand_plan(scenario), scenario, {})
    assert check_plan(scenario, read_plan(folder)) == []
    return scenario, folder


def rows(folder):
    return read_plan(folder).assignments[list(ASSIGNMENT_COLUMNS)]


def test_replan_with_nothing_changed_returns_identical_rows(by_hand, tmp_path):
    scenario, folder = by_hand
    result = replan(scenario, folder, dt.date(2027, 6, 1), tmp_path / "new", SolveSettings(time_limit=10),
                    previous=drafted_scenario(folder))
    assert rows(tmp_path / "new").equals(rows(folder))
    assert result.moved == []
    text = result.diff_path.read_text(encoding="utf-8")
    assert "改动的输入: 无 (与编制原方案时相同)。" in text and "其余 1 个单位的时间和巡察组全部不变。" in text


def test_one_team_away_moves_only_the_unit_it_must(by_hand, tmp_path):
    """T1 lent out from 14 June to 20 July: only E1 (round 3, T1) is in the way. T2 is free then, so E1
    changes team on the same dates (cheaper than moving its date); the special round (preparing from
    26 July) and the 回头看 stay. Expected: exactly 1 unit changes."""
    scenario, folder = by_hand
    away = scenario.replace(fixed=[{"kind": "unavailable", "team": "T1", "start": dt.date(2027, 6, 14),
                                    "end": dt.date(2027, 7, 20), "note": "借调省委巡视"}])
    result = replan(away, folder, dt.date(2027, 6, 1), tmp_path / "new", SolveSettings(time_limit=10),
                    previous=drafted_scenario(folder))
    assert [(c.target, c.before.start, c.after.start, c.before.team, c.after.team) for c in result.moved] == [
        ("E1", dt.date(2027, 6, 21), dt.date(2027, 6, 21), "T1", "T2")]
    old, new = rows(folder), rows(tmp_path / "new")
    assert new[new["target"] != "E1"].reset_index(drop=True).drop(columns=["team_size", "drafted", "leader"]).equals(
        old[old["target"] != "E1"].reset_index(drop=True).drop(columns=["team_size", "drafted", "leader"]))
    text = result.diff_path.read_text(encoding="utf-8")
    assert "新增锁定事项: 市委第一巡察组 2027-06-14 至 2027-07-20 不可用 (借调省委巡视)" in text
    assert "1 个单位的时间或巡察组有变化, 0 个不变: 1 个因改动的输入必须调整, 0 个随之调整" in text
    assert "| 市城投公司 | E1 | 常规巡察 | 第3轮 2027-06-21 市委第一巡察组 | 第3轮 2027-06-21 市委第二巡察组 | 换组 |" \
           " 原安排不再可行: 锁定事项: 市委第一巡察组 2027-06-14 至 2027-07-20 不可用" in text
    assert check_plan(away, read_plan(tmp_path / "new")) == []
    # The cost of the team change is the re-plan's, not a soft rule's: check scores the plan as recorded.
    assert json.loads((tmp_path / "new" / "plan.json").read_text(encoding="utf-8"))["stability_cost"] == 200
    checked = runner.invoke(app, ["check", str(tmp_path / "new")])
    assert checked.exit_code == 0 and "方案编制后已改动" not in checked.output, checked.output


def test_free_replan_puts_the_soft_rules_first(by_hand, tmp_path):
    """Re-drafted from the start of the term: the hand plan is not the soft rules' best (E1, risk 5,
    waits for round 3), so --free moves units for them, while the stable re-plan keeps it whole."""
    scenario, folder = by_hand
    stable = replan(scenario, folder, dt.date(2027, 1, 1), tmp_path / "a", SolveSettings(time_limit=10))
    free = replan(scenario, folder, dt.date(2027, 1, 1), tmp_path / "b", SolveSettings(time_limit=10), free=True)
    assert stable.moved == [] and free.moved
    assert all(free.report.reasons[c.target] == "按软性规则重新优化 (--free)" for c in free.moved)


def test_a_decision_broken_by_a_round_under_way_is_refused(by_hand, tmp_path):
    scenario, folder = by_hand
    away = scenario.replace(fixed=[{"kind": "unavailable", "team": "T2", "start": dt.date(2027, 5, 1),
                                    "end": dt.date(2027, 5, 31)}])
    with pytest.raises(ValueError, match="锁定事项与已进驻或已开始准备的轮次矛盾.*市委第二巡察组 2027-05-01 至 2027-05-31"):
        replan(away, folder, dt.date(2027, 6, 1), tmp_path / "new", SolveSettings(time_limit=10))
    assert not (tmp_path / "new").exists()
