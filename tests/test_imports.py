"""The package's import graph has no circle: each module imports on its own in a fresh
interpreter, no import sits inside a function (where one would dodge a circle), in the package
or in its tests, and no rule family imports the model builder, not even for type checking."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("planner", "constraints", "scenarios")
SOURCES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py")) + [ROOT / "cli.py"]
# The tests and their helpers: scanned for imports inside a function too.
TESTS = sorted((ROOT / "tests").rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = [module_name(p) for p in SOURCES]
# The scenario's parts, each above the ones before it; planner.scenario sits on top of them all.
SCENARIO_PARTS = ("planner.vocabulary", "planner.tables", "planner.scenario_settings", "planner.validation")


def test_every_package_module_is_listed():
    assert {"planner.model", "planner.scenario", "planner.loading", "constraints.coverage", "cli"} <= set(MODULES)
    assert set(SCENARIO_PARTS) <= set(MODULES)


def _import_alone(module: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def fresh_imports() -> dict[str, subprocess.CompletedProcess]:
    """One fresh interpreter per module as before, run a core each at a time: a hundred in a row
    took over a minute."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(MODULES, pool.map(_import_alone, MODULES)))


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_on_its_own_in_a_fresh_interpreter(module, fresh_imports):
    run = fresh_imports[module]
    assert run.returncode == 0, run.stderr


def _function_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [f"{path.relative_to(ROOT)}:{inner.lineno}" for inner in ast.walk(node)
                      if isinstance(inner, (ast.Import, ast.ImportFrom))]
    return found


def test_no_import_sits_inside_a_function():
    assert [where for path in SOURCES + TESTS for where in _function_imports(path)] == []


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def _type_checking_imports(path: Path) -> set[str]:
    blocks = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    return {inner.module for block in blocks for inner in ast.walk(block)
            if isinstance(inner, ast.ImportFrom) and inner.module}


def test_the_rule_families_import_the_model_and_not_its_builder():
    """The builder imports the rule families; they import the model's variables, at run time."""
    families = sorted((ROOT / "constraints").glob("*.py"))
    assert [p.name for p in families if "planner.build" in _imported_modules(p)] == []
    assert [p.name for p in families if any(m.startswith("planner") for m in _type_checking_imports(p))] == []
    assert "constraints" in _imported_modules(ROOT / "planner" / "build.py")


def test_the_scenario_parts_sit_below_the_scenario():
    """Scenario's validator runs the cross-table checks, so they read a scenario without importing it;
    each part imports of the planner only the parts below it."""
    for n, part in enumerate(SCENARIO_PARTS):
        planner_imports = {m for m in _imported_modules(ROOT / (part.replace(".", "/") + ".py")) if m.startswith("planner")}
        assert planner_imports <= {*SCENARIO_PARTS[:n], "planner.messages"}, part
    assert set(SCENARIO_PARTS) <= _imported_modules(ROOT / "planner" / "scenario.py")
