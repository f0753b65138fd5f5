"""Shared fixtures: the tiny scenario of tests/data/tiny, its county variant, and the whole-city
scenario of tests/data/whole with its plan (drafted once a session: several test files read it);
the fixture plan of the bundled scenario with its printouts, and the whole city's plan as the
command line writes it (each made once a session for the files that read them; read only)."""

from __future__ import annotations

import os
import signal
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from cli import app
from planner.export import solution_frame
from planner.loading import load_scenario
from planner.overrides import apply_overrides
from planner.printouts.files import write_annual, write_report, write_round
from planner.scenario import Scenario
from planner.solution import Solution
from planner.whole import draft_whole
from plan_fixture import write_plan
from printout_helpers import PRINT_DATE
from rule_helpers import COUNTY_SETTINGS, WHOLE, WHOLE_FAST

TINY = Path(__file__).parent / "data" / "tiny"

# Fuzzing budget: "ci" (the default) keeps every hypothesis test to a few seconds and the
# same examples on every run; HYPOTHESIS_PROFILE=long searches much further.
_FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("ci", max_examples=60, derandomize=True, print_blob=True, **_FUZZ)
settings.register_profile("long", max_examples=3000, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def tiny_path() -> Path:
    return TINY


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    return load_scenario(TINY)


@pytest.fixture(scope="session")
def county_scenario() -> Scenario:
    return apply_overrides(load_scenario(TINY), COUNTY_SETTINGS)


@pytest.fixture(scope="session")
def whole() -> Scenario:
    return load_scenario(WHOLE)


@pytest.fixture(scope="session")
def whole_solved(whole) -> list[Solution]:
    solutions, stopped, _coupling = draft_whole(whole, WHOLE_FAST, jobs=2)
    assert not stopped and all(s.has_plan for s in solutions)
    return solutions


@pytest.fixture(scope="session")
def whole_frame(whole_solved, whole) -> pd.DataFrame:
    return pd.concat([solution_frame(s, whole) for s in whole_solved], ignore_index=True)


@pytest.fixture(scope="session")
def whole_cli_plan(tmp_path_factory) -> Path:
    """The whole city's plan as ``xuncha plan --level all`` writes it (gantt.png, plan.html and
    summary.md beside the table): tests/test_view.py and tests/test_whole_outputs.py read it."""
    out = tmp_path_factory.mktemp("whole-cli") / "plan"
    result = CliRunner().invoke(app, ["plan", str(WHOLE), "--level", "all", "--time-limit", "40", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def fixture_plan_dir(tmp_path_factory) -> Path:
    """The fixture plan (tests/plan_fixture.py) of the bundled scenario."""
    return write_plan(load_scenario(), tmp_path_factory.mktemp("fixture-plan"))


@pytest.fixture(scope="session")
def fixture_printouts(fixture_plan_dir, tmp_path_factory) -> dict[str, list[Path]]:
    """What write_annual (2028), write_round (round 5) and write_report return for the fixture plan,
    each into a folder of its own: tests/test_printouts.py reads them, tests/test_printouts_render.py
    renders them (each file wrote its own: some 8 s more)."""
    scenario = load_scenario()
    out = tmp_path_factory.mktemp("fixture-printouts")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as in both files: a missing glyph is a warning in matplotlib
        return {
            "annual": write_annual(fixture_plan_dir, scenario, 2028, ["docx", "pdf", "xlsx"], out / "annual",
                                   date=PRINT_DATE),
            "round": write_round(fixture_plan_dir, scenario, 5, ["docx", "pdf"], out / "round", date=PRINT_DATE),
            "report": write_report(fixture_plan_dir, scenario, ["docx", "pdf"], out / "report", date=PRINT_DATE),
        }


@pytest.fixture
def ctrl_c_reaches_python():
    """Ctrl-C raises KeyboardInterrupt for the test, as in a terminal, even when the test run
    itself was started with SIGINT ignored (a background job without job control)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
