"""Shared fixtures: the tiny scenario of tests/data/tiny."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.loading import load_scenario
from planner.scenario import Scenario

TINY = Path(__file__).parent / "data" / "tiny"


@pytest.fixture(scope="session")
def tiny_path() -> Path:
    return TINY


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    return load_scenario(TINY)
