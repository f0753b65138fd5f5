"""The rule registry: the model and the checker read the same list of rules."""

from __future__ import annotations

import inspect
from pathlib import Path

import constraints
from constraints.registry import RULES
from planner.check import CHECKS

ROOT = Path(__file__).resolve().parent.parent
MODEL_LISTS = ("HARD_RULES", "IMPLIED_RULES", "REPLAN_RULES", "LINKAGE_RULES", "SOFT_RULES")


def test_the_checker_verifies_every_rule_of_the_registry_in_its_order():
    assert list(CHECKS) == [rule.id for rule in RULES]
    assert all(CHECKS[rule.id] for rule in RULES)


def test_every_rule_family_is_added_to_the_model_once():
    added = [f for name in MODEL_LISTS for f in getattr(constraints, name)]
    assert len(added) == len(set(added))
    families = {f for path in (ROOT / "constraints").glob("*.py")
                for name, f in inspect.getmembers(__import__(f"constraints.{path.stem}", fromlist=["_"]),
                                                  inspect.isfunction)
                if name.startswith("add_") and f.__module__ == f"constraints.{path.stem}"}
    assert families == set(added)


def test_a_rule_names_the_modules_that_hold_it_and_its_families_reach_the_model():
    for rule in RULES:
        assert all((ROOT / "constraints" / f"{module}.py").is_file() for module in rule.modules)
        model_list = constraints.HARD_RULES if rule.hard else constraints.LINKAGE_RULES
        assert set(rule.model) <= set(model_list), rule.id
    assert [f for rule in RULES if rule.hard for f in rule.model] == list(constraints.HARD_RULES)
