"""The checker on a county committee's plan: a whole plan passes, and a key village may be
inspected apart from its town (the broken plans are in tests/rules)."""

from __future__ import annotations

from planner.overrides import apply_overrides
from rule_helpers import COUNTY_THEME, COUNTY_VALID, check_county


def test_a_whole_county_plan_passes(county_scenario, tmp_path):
    assert check_county(county_scenario, tmp_path, COUNTY_VALID) == []


def test_a_key_village_may_be_inspected_alone(county_scenario, tmp_path):
    keyed = apply_overrides(county_scenario, ["counties_policy.乙县.villages.key_risk=3"])
    rounds = [(1, "regular", ("A2",), 8, 6, 3), (2, "special", (COUNTY_THEME,), 20, 4, 2), (3, "regular", ("A2-V1",), 28, 4, 3)]
    assert check_county(keyed, tmp_path, rounds) == []
