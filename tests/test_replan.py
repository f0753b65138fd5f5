"""Mid-term re-planning: executed rounds come out identical, the rest starts after the date."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from cli import app
from planner.export import write_plan
from planner.loading import load_scenario
from planner.model import Pin
from planner.overrides import apply_overrides
from planner.plan import read_plan
from planner.replan import executed_rows, replan
from planner.scenario import Kind
from planner.solve import SolveSettings, draft_plan
from scenario_edits import SHANGLUO, TINY

runner = CliRunner()


def planned(scenario, folder, seconds):
    write_plan(folder, draft_plan(scenario, settings=SolveSettings(time_limit=seconds)), scenario, {})
    return read_plan(folder).assignments


def assert_kept(old, new, as_of):
    before = executed_rows(old, as_of).reset_index(drop=True)
    assert len(before) > 0
    assert executed_rows(new, as_of).reset_index(drop=True).equals(before)


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
    # Re-planned rounds start preparing on or after the date.
    assert all(b >= as_of for d, b in zip(new["onsite_start"], new["busy_start"]) if d >= as_of)
    assert result.kept == len(executed_rows(old, as_of))
    assert "保留已进驻的" in result.diff_path.read_text(encoding="utf-8")


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
    assert "drafted" in set(executed_rows(old, as_of).query("team == 'T2'")["leader"])


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


def test_shangluo_replan_as_of_2029_keeps_every_earlier_row(tmp_path):
    scenario = load_scenario(SHANGLUO)
    old = planned(scenario, tmp_path / "old", 15)
    as_of = dt.date(2029, 1, 1)
    result = runner.invoke(app, ["replan", str(SHANGLUO), "--plan", str(tmp_path / "old"), "--as-of", "2029-01-01",
                                 "--out", str(tmp_path / "new"), "--time-limit", "15"])
    assert result.exit_code == 0, result.output
    assert_kept(old, read_plan(tmp_path / "new").assignments, as_of)
    assert runner.invoke(app, ["check", str(SHANGLUO), str(tmp_path / "new")]).exit_code == 0
