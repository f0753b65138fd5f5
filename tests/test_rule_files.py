"""tests/rules mirrors the rule registry (planner/rules.py): one file per rule, test_<rule id>.py,
holding the rule's model cases (test_model_*: a tiny instance where its families bind) and its
broken-plan cases (test_broken_*: a hand-broken plan the checker refuses). A rule with no family
holds by construction of the exported table, so it has broken-plan cases only.

The files are read twice here: as text (ast), so a missing file or case fails by name, and as
modules, for the tables of cases they hold."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

from constraints import add_within_horizon
from planner import rules
from planner.check import RULES

RULE_DIR = Path(__file__).parent / "rules"
KINDS = ("test_model_", "test_broken_")
# The rule ids broken on a whole-city plan (tests/rules/test_cross.py, test_sync.py, test_quiet.py),
# not by a row of a BREAKS table.
WHOLE_RULES_BROKEN = frozenset({"cross", "sync", "quiet"})


def _tests(path: Path) -> list[str]:
    return [node.name for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]


def _break_rules(path: Path) -> set[str]:
    """The rule ids the file's Break(...) rows name."""
    return {node.args[0].value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Break"}


def _modules() -> list[ModuleType]:
    """The rule files as modules of their own (pytest imports them under their bare names too)."""
    modules = []
    for path in sorted(RULE_DIR.glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(f"rule_file_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def test_every_rule_has_its_file_with_a_broken_plan_and_a_model_case_where_it_has_families():
    gaps = {}
    for rule in RULES:
        path = RULE_DIR / f"test_{rule.id}.py"
        if not path.exists():
            gaps[rule.id] = f"no tests/rules/{path.name}"
            continue
        names = _tests(path)
        has = {kind: any(name.startswith(kind) for name in names) for kind in KINDS}
        if not has["test_broken_"]:
            gaps[rule.id] = "no test_broken_* (a hand-broken plan the checker refuses)"
        elif has["test_model_"] != bool(rule.model):
            gaps[rule.id] = ("no test_model_* (a tiny instance where its families bind)" if rule.model
                             else "a test_model_* for a rule with no model family")
    assert gaps == {}


def test_every_file_in_tests_rules_is_of_a_registered_rule_and_holds_only_its_cases():
    ids = {rule.id for rule in RULES}
    paths = sorted(RULE_DIR.glob("*.py"))
    assert [p.name for p in paths if not p.stem.startswith("test_") or p.stem.removeprefix("test_") not in ids] == []
    assert [f"{p.name}::{name}" for p in paths for name in _tests(p) if not name.startswith(KINDS)] == []
    assert {p.name: _break_rules(p) for p in paths if _break_rules(p) - {p.stem.removeprefix("test_")}} == {}


def test_every_rule_has_a_broken_plan():
    # The whole-city rules are broken on a whole-city plan in tests/rules.
    breaks = {key: case for module in _modules() for key, case in getattr(module, "BREAKS", {}).items()}
    assert {case.rule for case in breaks.values()} | WHOLE_RULES_BROKEN == {rule.id for rule in RULES}


def test_every_hard_family_has_an_instance_where_it_binds():
    # add_within_horizon is shown at its edge in tests/rules/test_horizon.py.
    infeasible = [param for module in _modules() for param in getattr(module, "INFEASIBLE", ())]
    assert {p.values[0] for p in infeasible} | {add_within_horizon} == set(rules.HARD_RULES)
