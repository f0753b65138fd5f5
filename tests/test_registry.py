"""The rule registry: the model, the checker, the greedy, explain and why read the same list of rules."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from typer.testing import CliRunner

import constraints
from cli import app
from planner import rule_checks
from planner.explain import RELAX_COSTS, hard_model
from planner.loading import ScenarioError, load_scenario
from planner.overrides import apply_overrides
from planner.model_types import Relax
from planner.rules import GUARDS, HARD_RULES, RELAXABLE, RULES, WHY_FACTS, WHY_ORDER
from scenario_edits import copy_scenario, replace_in

ROOT = Path(__file__).resolve().parent.parent
MODEL_LISTS = ("IMPLIED_RULES", "REPLAN_RULES", "LINKAGE_RULES", "SOFT_RULES")
runner = CliRunner()


def _defined_in(module, prefix: str = "") -> set:
    """The functions ``module`` defines (not those it imports), whose names start with ``prefix``."""
    return {f for name, f in inspect.getmembers(module, inspect.isfunction)
            if name.startswith(prefix) and f.__module__ == module.__name__}


def test_the_ids_are_unique_and_every_hard_rule_has_a_check():
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert all(rule.check for rule in RULES)


def test_every_checker_function_of_a_rule_is_listed_under_one_rule():
    listed = [check for rule in RULES for check in rule.check]
    assert len(listed) == len(set(listed))
    # The checker's helpers are private or take other arguments than the checked plan.
    functions = {f for f in _defined_in(rule_checks) if not f.__name__.startswith("_")
                 and list(inspect.signature(f).parameters) == ["plan"]}
    # A rule's check lives in planner/rule_checks.py or in the rule's own constraints module.
    assert {f for f in listed if f.__module__ == rule_checks.__name__} == functions
    assert {rule.id: [f.__name__ for f in rule.check if f.__module__ not in (rule_checks.__name__,
                                                                            *(f"constraints.{m}" for m in rule.modules))]
            for rule in RULES} == {rule.id: [] for rule in RULES}


def test_every_rule_family_is_added_to_the_model_once():
    added = list(HARD_RULES) + [f for name in MODEL_LISTS for f in getattr(constraints, name)]
    assert len(added) == len(set(added))
    families = {f for path in (ROOT / "constraints").glob("*.py")
                for f in _defined_in(__import__(f"constraints.{path.stem}", fromlist=["_"]), "add_")}
    assert families == set(added)


def test_a_rule_names_the_modules_that_hold_it_and_its_families_reach_the_model():
    for rule in RULES:
        assert all((ROOT / "constraints" / f"{module}.py").is_file() for module in rule.modules)
        model_list = HARD_RULES if rule.hard else constraints.LINKAGE_RULES
        assert set(rule.model) <= set(model_list), rule.id
    assert [f for rule in RULES if rule.hard for f in rule.model] == list(HARD_RULES)


def test_every_guard_relaxation_and_why_fact_belongs_to_a_rule_and_sits_beside_its_family():
    assert GUARDS == tuple(rule.guard for rule in RULES if rule.guard) and GUARDS
    assert set(RELAXABLE) == set(Relax)
    assert len([rule for rule in RULES if rule.relax]) == len(Relax)
    assert sorted(WHY_ORDER) == sorted(rule.id for rule in RULES if rule.why)
    assert set(WHY_FACTS) == {rule.why for rule in RULES if rule.why}
    for rule in RULES:
        for part in (rule.guard, rule.why):
            assert part is None or part.__module__.removeprefix("constraints.") in rule.modules, rule.id


def test_a_relaxable_group_names_every_way_the_model_relaxes_it_and_explain_prices_each():
    scenario = load_scenario(ROOT / "scenarios" / "zhashui")  # no fixed decisions: the other three groups
    m = hard_model(scenario, scenario.home)
    assert {r.rule for r in m.relaxations} == {Relax.COVERAGE, Relax.STAFFING, Relax.ROUNDS}
    for r in m.relaxations:
        assert set(r.amounts) <= set(RELAXABLE[r.rule].slacks), r.rule
    assert set(RELAX_COSTS) == {slack for group in RELAXABLE.values() for slack in group.slacks}


def test_a_committee_switching_on_a_rule_that_does_not_exist_is_refused_naming_the_key():
    scenario = load_scenario(ROOT / "scenarios" / "zhashui")
    with pytest.raises(ScenarioError) as given:
        apply_overrides(scenario, ["rounds.extra_rules=[no_such_rule]"])
    [problem] = given.value.problems
    assert (problem.file, problem.field) == ("--set", "rounds.extra_rules")
    assert "未知的可选规则 'no_such_rule'" in problem.message


def test_validate_and_plan_refuse_an_unknown_rule_in_the_file_with_exit_2_and_write_nothing(tmp_path):
    folder = copy_scenario(ROOT / "scenarios" / "zhashui", tmp_path)
    replace_in(folder / "scenario.yaml", "rounds:\n", "rounds:\n  extra_rules: [no_such_rule]\n")
    validated = runner.invoke(app, ["validate", str(folder)])
    assert validated.exit_code == 2
    assert "scenario.yaml, 字段 rounds.extra_rules: 未知的可选规则 'no_such_rule'" in validated.stderr
    planned = runner.invoke(app, ["plan", str(folder), "--out", str(tmp_path / "out"), "--time-limit", "5"])
    assert planned.exit_code == 2 and "no_such_rule" in planned.stderr
    assert not (tmp_path / "out").exists()
