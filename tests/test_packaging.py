"""The bundled scenarios ship with the package and are found without a checkout."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from planner.loading import bundled_scenario_path, load_scenario

ROOT = Path(__file__).parent.parent
SCENARIOS = ROOT / "scenarios"


def test_package_data_globs_cover_every_scenario_file():
    """A new file type in a scenario folder must be added to pyproject.toml, or pip leaves it out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["scenarios"]
    shipped = {p for pattern in globs for p in SCENARIOS.glob(pattern)}
    folders = [d for d in SCENARIOS.iterdir() if d.is_dir() and not d.name.startswith((".", "__"))]
    present = {p for d in folders for p in d.rglob("*") if p.is_file() and p.suffix != ".pyc"}
    assert SCENARIOS / "shangluo" / "targets.csv" in present
    assert present - shipped == set()


def test_bundled_scenario_is_found_through_importlib_resources(tmp_path, monkeypatch):
    path = bundled_scenario_path()
    assert path == Path(str(resources.files("scenarios") / "shangluo"))
    assert sorted(p.name for p in path.glob("*.csv")) == ["targets.csv", "teams.csv", "villages.csv"]
    monkeypatch.chdir(tmp_path)
    assert load_scenario().source == str(path)
