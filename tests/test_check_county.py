"""The checker on a county committee's plan: villages ride with their town, a county team stays
in its county, a county special round never overlaps a county regular round."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from planner.calendar import WeekGrid
from planner.check import check_plan
from planner.loading import load_scenario
from planner.overrides import apply_overrides
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE, assignments_to_csv_bytes, read_plan
from planner.scenario import Scenario
from planner.vocabulary import Committee, Kind
from scenario_edits import TINY

YI = Committee("乙县")
THEME = "村务公开专项巡察"
# 乙县 holds one regular round a year at least; it has a theme of its own (自选专项).
SETTINGS = [
    "counties_policy.乙县.rounds.regular.rounds_per_year_min=1",
    f"counties_policy.乙县.rounds.special.themes=[{{name: {THEME}, scope_units: 2, max_teams: 1}}]",
]


@pytest.fixture(scope="module")
def county_scenario() -> Scenario:
    return apply_overrides(load_scenario(TINY), SETTINGS)


def _rows(scenario: Scenario, rounds: list[tuple[int, str, tuple[str, ...], int, int, int]]) -> list[dict]:
    """(number, kind, targets, first week, weeks, drafted) -> the table rows of team Y1 in 乙县."""
    grid, policy = WeekGrid.of(scenario), scenario.policy(YI)
    targets = {t.id: t for t in scenario.targets}
    team = next(t for t in scenario.teams if t.id == "Y1")
    rows = []
    for number, kind, ids, week, weeks, drafted in rounds:
        kind_policy = policy.rounds.policy(Kind(kind))
        base = dict(round=number, kind=kind, level="county", county="乙县", team="Y1",
                    onsite_start=grid.monday(week), onsite_end=grid.friday(week + weeks - 1),
                    busy_start=grid.monday(week - kind_policy.prep_weeks),
                    busy_end=grid.monday(week + weeks + kind_policy.report_weeks) - dt.timedelta(days=1),
                    team_size=team.filled + drafted, drafted=drafted, leader="permanent")
        for target_id in ids:
            t = targets.get(target_id)
            what = (dict(target="", target_name=target_id, category="", target_county="") if kind == "special"
                    else dict(target=t.id, target_name=t.name, category=t.category, target_county=t.county))
            rows.append(base | what)
    return rows


VALID = [
    (1, "regular", ("A2", "A2-V1"), 8, 7, 3),  # a town with one village: 6 weeks + 1
    (2, "special", (THEME,), 20, 4, 2),
]


def _check(scenario: Scenario, tmp_path: Path, rounds) -> list[str]:
    (tmp_path / ASSIGNMENTS_FILE).write_bytes(assignments_to_csv_bytes(pd.DataFrame(_rows(scenario, rounds))))
    (tmp_path / PLAN_FILE).write_text(json.dumps({"committees": ["乙县"]}), encoding="utf-8")
    return [v.message for v in check_plan(scenario, read_plan(tmp_path))]


def test_a_whole_county_plan_passes(county_scenario, tmp_path):
    assert _check(county_scenario, tmp_path, VALID) == []


def test_a_village_in_another_round_than_its_town(county_scenario, tmp_path):
    rounds = [(1, "regular", ("A2",), 8, 6, 3), (2, "special", (THEME,), 20, 4, 2), (3, "regular", ("A2-V1",), 28, 4, 3)]
    assert _check(county_scenario, tmp_path, rounds) == [
        "工作量: 乙县河口镇西沟村 (A2-V1) 应随所属镇办 乙县河口镇 (A2) 巡察 (乙县第1轮 乙县委第一巡察组 (Y1)), "
        "却安排在乙县第3轮 乙县委第一巡察组 (Y1)"]


def test_a_key_village_may_be_inspected_alone(county_scenario, tmp_path):
    keyed = apply_overrides(county_scenario, ["counties_policy.乙县.villages.key_risk=3"])
    rounds = [(1, "regular", ("A2",), 8, 6, 3), (2, "special", (THEME,), 20, 4, 2), (3, "regular", ("A2-V1",), 28, 4, 3)]
    assert _check(keyed, tmp_path, rounds) == []


def test_a_county_team_inspecting_outside_its_county(county_scenario, tmp_path):
    # With 甲县城关镇 no longer elevated, it is 甲县's own unit: 乙县's team may not inspect it.
    scenario = apply_overrides(county_scenario, ["targets.A1.elevated=false"])
    rounds = [*VALID, (3, "regular", ("A1",), 28, 6, 3)]
    found = _check(scenario, tmp_path, rounds)
    assert "覆盖: 乙县第3轮 乙县委第一巡察组 (Y1) 巡察了甲县的巡察对象 甲县城关镇 (A1)" in found


def test_a_county_special_round_overlapping_a_regular_round(county_scenario, tmp_path):
    rounds = [(1, "regular", ("A2", "A2-V1"), 8, 7, 3), (2, "special", (THEME,), 12, 4, 2)]
    found = _check(county_scenario, tmp_path, rounds)
    assert any(m.startswith("常规与专项: 乙县第2轮专项巡察") and "与乙县第1轮常规巡察" in m for m in found), found


def test_a_town_stays_longer_with_its_villages(county_scenario, tmp_path):
    rounds = [(1, "regular", ("A2", "A2-V1"), 8, 6, 3), (2, "special", (THEME,), 20, 4, 2)]
    assert _check(county_scenario, tmp_path, rounds) == [
        "轮次规则: 乙县第1轮 乙县委第一巡察组 (Y1) 进驻 2027-03-01 至 2027-04-09, 不足7周"]
