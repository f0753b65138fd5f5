"""The plan checker: a hand-made valid plan for the tiny scenario passes (its broken copies,
each caught by exactly the rule it breaks, are in tests/rules), and ``xuncha check`` reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from planner.calendar import WeekGrid
from planner.check import check_plan
from planner.loading import load_scenario
from planner.plan import PLAN_FILE, read_plan
from rule_helpers import TARGET_TWICE, VALID, broken_rows, rows_of, write_plan_dir

TINY = Path(__file__).parent / "data" / "tiny"


def test_hand_made_plan_passes(tiny, tmp_path):
    grid = WeekGrid.of(tiny)
    assert all(grid.blocked.isdisjoint(range(a.week, a.week + a.weeks)) for a in VALID)
    assert check_plan(tiny, read_plan(write_plan_dir(tmp_path, rows_of(tiny)))) == []


def _invoke(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def test_cli_passes_valid_plan(tmp_path):
    result = _invoke(str(TINY), str(write_plan_dir(tmp_path, rows_of(load_scenario(TINY)))))
    assert result.exit_code == 0, result.output
    assert "检查通过: 5轮、12条安排、9个巡察对象" in result.output


def test_cli_lists_violations(tmp_path):
    case = TARGET_TWICE
    result = _invoke(str(TINY), str(write_plan_dir(tmp_path, broken_rows(load_scenario(TINY), case))))
    assert result.exit_code == 1, result.output
    assert "检查未通过: 发现 1 处违反硬性规则" in result.output
    assert case.words in result.output


def test_cli_defaults_to_bundled_scenario(tmp_path):
    result = _invoke(str(write_plan_dir(tmp_path, rows_of(load_scenario(TINY)))))
    assert result.exit_code == 1
    assert "第1轮安排了未知的巡察对象 'K1'" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (lambda d: [str(TINY), str(d / "missing")], "不是方案目录"),
        (lambda d: [str(TINY), str(write_plan_dir(d, rows_of(load_scenario(TINY)), "province"))], "应为 city 或 county"),
        (lambda d: [str(TINY), str(d), str(d)], "最多两个目录"),
    ],
    ids=["missing plan dir", "unknown level", "three paths"],
)
def test_cli_exits_2_on_unreadable_input(tmp_path, args, words):
    result = _invoke(*args(tmp_path))
    assert result.exit_code == 2
    assert words in result.output


def _write_meta(directory: Path, **meta) -> Path:
    (directory / PLAN_FILE).write_text(json.dumps({"level": "city", **meta}), encoding="utf-8")
    return directory


def test_cli_uses_the_scenario_the_plan_records(tmp_path):
    scenario = load_scenario(TINY)
    (tmp_path / "plan").mkdir()
    plan_dir = write_plan_dir(tmp_path / "plan", rows_of(scenario))
    _write_meta(plan_dir, scenario_source=scenario.source, scenario_sha256=scenario.sha256)
    result = _invoke(str(plan_dir))
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output


def test_cli_refuses_a_plan_whose_scenario_is_gone(tmp_path, monkeypatch):
    """A relative scenario path from another working folder must not fall back to the bundled scenario."""
    (tmp_path / "plan").mkdir()
    plan_dir = write_plan_dir(tmp_path / "plan", rows_of(load_scenario(TINY)))
    _write_meta(plan_dir, scenario_source="scen", scenario_sha256="0" * 64)
    monkeypatch.chdir(tmp_path)
    result = _invoke(str(plan_dir))
    assert result.exit_code == 2, result.output
    assert "检查通过" not in result.output
    assert "'scen' 已不存在" in result.output


def test_cli_checks_against_the_plans_overrides(tmp_path):
    """A what-if plan is checked against its variant: --set overrides recorded in plan.json are applied."""
    scenario = load_scenario(TINY)
    plan_dir = write_plan_dir(tmp_path, rows_of(scenario))
    _write_meta(plan_dir, scenario_source=scenario.source, scenario_sha256=scenario.sha256,
                overrides=["staff.city.drafted_pool=2"])
    result = _invoke(str(plan_dir))
    assert result.exit_code == 1, result.output
    assert "超过每轮可抽调2人" in result.output
