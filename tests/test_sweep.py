"""xuncha sweep on tiny: one row per value, known by hand, each run warm-started from its nearest neighbour.

Tiny by hand (see test_explain): pool 0 sends no team at all (no plan); pool 3
sends one team a round, leaving 2 units out; pool 5 sends both, covering all.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from planner.loading import ScenarioError, load_scenario
from planner.solve import SolveSettings
from planner.status import SolveStatus
from planner.sweep import CSV_FILE, PNG_FILE, sweep
from scenario_edits import TINY

runner = CliRunner()
KEY = "staff.city.drafted_pool"


def test_sweep_rows_match_the_hand_count_and_files_are_written(tmp_path):
    rows = sweep(load_scenario(TINY), KEY, ["0", "3", "5"], tmp_path, SolveSettings(time_limit=10), jobs=2)
    assert [(r.value, r.status, r.uncovered) for r in rows] == [("0", SolveStatus.INFEASIBLE, None),
                                                                 ("3", SolveStatus.OPTIMAL, 2), ("5", SolveStatus.OPTIMAL, 0)]
    assert all(isinstance(r.status, SolveStatus) for r in rows)
    table = pd.read_csv(tmp_path / CSV_FILE, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns[:9]) == ["value", "status", "finish", "uncovered", "rounds", "drafted_cadre_weeks",
                                       "objective", "gap", "seconds"]
    assert list(table["uncovered"]) == ["", "2", "0"]
    assert (tmp_path / PNG_FILE).read_bytes().startswith(b"\x89PNG")


def test_each_run_starts_from_the_nearest_finished_value(tmp_path):
    rows = sweep(load_scenario(TINY), KEY, ["6", "3", "5"], tmp_path, SolveSettings(time_limit=10), jobs=1)
    assert [r.warm_start for r in rows] == ["", "6", "6"]


def test_a_bad_value_stops_before_any_run(tmp_path):
    with pytest.raises(ScenarioError):
        sweep(load_scenario(TINY), KEY, ["5", "-1"], tmp_path / "s", SolveSettings(time_limit=10))
    assert not (tmp_path / "s").exists()
    result = runner.invoke(app, ["sweep", str(TINY), "--param", KEY, "--values", "5,x", "--out", str(tmp_path / "c")])
    assert result.exit_code == 2 and KEY in result.output and not (tmp_path / "c").exists()
