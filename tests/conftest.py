"""Shared fixtures: the tiny scenario of tests/data/tiny, its county variant, and the whole-city
scenario of tests/data/whole with its plan (drafted once a session: several test files read it)."""

from __future__ import annotations

from pathlib import Path

import os
import signal

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from planner.export import solution_frame
from planner.loading import load_scenario
from planner.overrides import apply_overrides
from planner.scenario import Scenario
from planner.solution import Solution
from planner.whole import draft_whole
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


@pytest.fixture
def ctrl_c_reaches_python():
    """Ctrl-C raises KeyboardInterrupt for the test, as in a terminal, even when the test run
    itself was started with SIGINT ignored (a background job without job control)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
