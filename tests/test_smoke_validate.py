from typer.testing import CliRunner

from cli import app
from planner.loading import load_scenario
from planner.vocabulary import CITY, Level


def test_bundled_scenario_counts():
    s = load_scenario()
    assert sum(t.category != "village" for t in s.targets_of(CITY)) == 112
    assert sum(1 for t in s.targets if t.category == "village") == 1295


def test_validate_prints_summary():
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "中共商洛市委" in result.output
