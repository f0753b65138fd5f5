"""Commands on a plan directory use the scenario the plan was drafted from."""

import shutil

from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_check_finds_the_plans_own_scenario_and_warns_when_it_changed(tiny_path, tmp_path):
    scenario = tmp_path / "scenario"
    shutil.copytree(tiny_path, scenario)
    out = tmp_path / "plan"
    planned = runner.invoke(app, ["plan", str(scenario), "--out", str(out), "--time-limit", "10", "--no-gantt"])
    assert planned.exit_code == 0, planned.output

    checked = runner.invoke(app, ["check", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "检查通过" in checked.output
    assert "场景数据" not in checked.output

    yaml = scenario / "scenario.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("drafted_pool: 6", "drafted_pool: 7"), encoding="utf-8")
    changed = runner.invoke(app, ["check", str(out)])
    assert changed.exit_code == 0, changed.output
    assert "与编制该方案时不同" in changed.output
