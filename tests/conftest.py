"""Shared fixtures: the tiny scenario of tests/data/tiny."""

from __future__ import annotations

from pathlib import Path

import os
import signal

import pytest
from hypothesis import HealthCheck, settings

from planner.loading import load_scenario
from planner.scenario import Scenario

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


@pytest.fixture
def ctrl_c_reaches_python():
    """Ctrl-C raises KeyboardInterrupt for the test, as in a terminal, even when the test run
    itself was started with SIGINT ignored (a background job without job control)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
