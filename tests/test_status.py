"""One status enum: what a solve ended with, written to plan.json as its name and read back as the enum;
no module compares a status with a string."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from plan_fixture import write_plan
from planner.export import STATUS_LABELS, committee_meta, status_label
from planner.loading import load_scenario
from planner.plan import read_plan
from planner.solution import Solution
from planner.status import SolveStatus, StopReason, recorded_status
from planner.vocabulary import CITY
from planner.whatif import plan_figures
from scenario_edits import TINY

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for package in ("planner", "constraints") for p in (ROOT / package).rglob("*.py")) + [ROOT / "cli.py"]


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


def test_a_plan_and_a_proof_are_told_by_the_status():
    assert [s for s in SolveStatus if s.has_plan] == [SolveStatus.OPTIMAL, SolveStatus.FEASIBLE]
    assert [s for s in SolveStatus if s.proven] == [SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE]


def test_the_enums_write_the_solver_s_own_words():
    """plan.json, sweep.csv and the printouts read as they did when statuses were strings."""
    assert [f"{s}" for s in SolveStatus] == ["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]
    assert str(StopReason.TIME_LIMIT) == "time_limit"
    assert json.dumps([SolveStatus.OPTIMAL, StopReason.PROOF]) == '["OPTIMAL", "proof"]'


@pytest.mark.parametrize("status", list(SolveStatus))
def test_plan_json_s_status_reads_back_as_the_enum(tiny, status):
    written = json.loads(json.dumps(committee_meta(Solution(CITY, status, ()), tiny)))
    assert written["status"] == status.value
    assert recorded_status(written) is status


def test_a_plan_read_from_its_folder_has_the_enum(tiny, tmp_path):
    write_plan(tiny, tmp_path)  # plan.json records "FEASIBLE"
    plan = read_plan(tmp_path)
    assert plan_figures(plan.assignments, plan.meta, tiny).status is SolveStatus.FEASIBLE


@pytest.mark.parametrize("meta", [{}, {"status": "DONE"}, {"status": ["OPTIMAL"]}])
def test_a_plan_json_without_a_known_status_records_none(meta):
    assert recorded_status(meta) is None
    assert status_label(recorded_status(meta)) == ""


def test_every_status_has_its_label():
    assert set(STATUS_LABELS) == set(SolveStatus)
    assert status_label(SolveStatus.INFEASIBLE) == "无可行方案"


def _status_words(path: Path) -> list[str]:
    names = {s.value for s in SolveStatus}
    return [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and node.value in names]


def test_no_module_but_the_enum_s_own_spells_a_status():
    """A status is compared with the enum, never with its name as a string."""
    assert [where for path in SOURCES if path.name != "status.py" for where in _status_words(path)] == []
