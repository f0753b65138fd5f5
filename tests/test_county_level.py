"""A county committee planning on its own (names.level: county), and the plain messages for a
committee with nothing to plan (no units, no teams, no room for a round)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from cli import app
from planner.loading import ScenarioError, load_scenario
from planner.scenario_settings import CountyPolicy
from planner.vocabulary import Level
from scenario_edits import TINY

ZHASHUI = Path(__file__).parent.parent / "scenarios" / "zhashui"
runner = CliRunner()


def copy_of(source: Path, folder: Path, **settings) -> Path:
    """A copy of ``source`` with top-level ``settings`` of scenario.yaml replaced."""
    shutil.copytree(source, folder)
    path = folder / "scenario.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(settings)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


# --- a county's own scenario --------------------------------------------------------


def test_zhashui_is_one_county_committee_with_its_own_settings():
    s = load_scenario(ZHASHUI)
    assert s.own_county and s.committees == [s.home] and s.home.county == "柞水县"
    assert {t.county for t in s.targets} == {"柞水县"} and {t.level for t in s.targets} == {Level.COUNTY}
    policy = s.policy(s.home)
    assert policy.committee == "中共柞水县委"
    assert (policy.rounds.regular.rounds_per_year_min, policy.rounds.regular.rounds_per_year_max) == (3, 4)
    assert policy.staff.drafted_pool == 8 and policy.rounds.revisit_weeks == 2
    assert len(s.targets_of(s.home)) == 80 + 86
    assert s.horizon.years == [2027, 2028, 2029, 2030]


def test_a_county_scenario_leaving_settings_out_takes_a_county_defaults(tmp_path):
    folder = copy_of(ZHASHUI, tmp_path / "s")
    data = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    kept = {"names": {"level": "county", "county": "柞水县"}, "horizon": data["horizon"]}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    s = load_scenario(folder)
    county = CountyPolicy().resolved("柞水县")
    policy = s.policy(s.home)
    assert policy.committee == "中共柞水县委" and policy.office == county.office
    assert policy.rounds == county.rounds and policy.staff == county.staff
    assert s.rounds.regular.rounds_per_year_max == 4  # the city's default is 3


@pytest.mark.parametrize("settings, field", [
    ({"cross_inspection": {"rounds": [{"year": 2028}]}}, "cross_inspection.rounds"),
    ({"counties": ["柞水县", "镇安县"]}, "counties"),
    ({"counties_policy": {"柞水县": {"staff": {"drafted_pool": 3}}}}, "counties_policy"),
])
def test_a_county_scenario_refuses_the_city_settings(tmp_path, settings, field):
    folder = copy_of(ZHASHUI, tmp_path / "s", **settings)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert any(p.field == field and "本级为柞水县委" in p.message for p in caught.value.problems)


def test_a_county_scenario_needs_its_county_named(tmp_path):
    folder = copy_of(ZHASHUI, tmp_path / "s", names={"level": "county"})
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert any("须写明县区名" in p.message for p in caught.value.problems)


def test_the_city_level_of_a_county_scenario_is_refused():
    result = runner.invoke(app, ["plan", str(ZHASHUI), "--level", "city", "--out", "unused"])
    assert result.exit_code == 2 and "没有市委方案" in result.output


@pytest.mark.slow
def test_zhashui_plans_with_a_bare_plan_and_passes_the_checker(tmp_path):
    out = tmp_path / "plan"
    result = runner.invoke(app, ["plan", str(ZHASHUI), "--time-limit", "20", "--out", str(out), "--no-gantt"])
    assert result.exit_code == 0, result.output
    assert "独立检查通过" in result.output
    assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["committees"] == ["柞水县"]
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# 中共柞水县委") and "市县联动" not in summary
    assert runner.invoke(app, ["check", str(ZHASHUI), str(out)]).exit_code == 0


# --- nothing to plan ---------------------------------------------------------------


def tiny_copy(folder: Path, targets: list[str] | None = None, teams: list[str] | None = None) -> Path:
    """The tiny scenario with only the target and team rows whose id is listed (and the villages
    of the towns kept)."""
    shutil.copytree(TINY, folder)
    for name, keep, column in (("targets.csv", targets, 0), ("teams.csv", teams, 0), ("villages.csv", targets, 3)):
        if keep is not None:
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
            kept = [lines[0], *(r for r in lines[1:] if r.split(",")[column] in keep)]
            (folder / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [["plan", "--out", "unused"], ["explain"]])
def test_a_city_without_units_has_nothing_to_plan(tmp_path, command):
    # The county planned as if it were the city: only county units, the city's level by default.
    folder = tiny_copy(tmp_path / "s", targets=["A2"], teams=["T1", "Y1"])
    result = runner.invoke(app, [command[0], str(folder), *command[1:]])
    assert result.exit_code == 2, result.output
    assert "本级没有巡察对象" in result.output and "level: county" in result.output
    assert "已证明" not in result.output and "都不能排出方案" not in result.output
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize("command", [["plan", "--out", "unused"], ["explain"]])
def test_a_county_without_teams_has_nothing_to_plan(tmp_path, command):
    folder = tiny_copy(tmp_path / "s", teams=["T1", "T2", "J1"])
    result = runner.invoke(app, [command[0], str(folder), "--county", "乙县", *command[1:]])
    assert result.exit_code == 2, result.output
    assert "本级没有巡察组" in result.output and "已证明" not in result.output


@pytest.mark.parametrize("command", [["plan", "--out", "unused"], ["explain"]])
def test_a_term_without_room_for_a_round_has_nothing_to_plan(tmp_path, command):
    blackout = {"name": "换届", "start": dt.date(2027, 1, 1), "end": dt.date(2027, 3, 31)}
    folder = copy_of(ZHASHUI, tmp_path / "s", horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2027, 3, 31)},
                     calendar={"extra": [blackout]})
    result = runner.invoke(app, [command[0], str(folder), *command[1:]])
    assert result.exit_code == 2, result.output
    assert "中共柞水县委: 规划期内排不下任何一轮常规巡察" in result.output and "已证明" not in result.output


# --- xuncha template --level county ----------------------------------------------------


def test_template_level_county_writes_a_county_office_workbook_and_settings(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path / "t"), "--level", "county", "--fill"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "t" / "scenario.xlsx")
    headers = [c.value for c in book["巡察对象"][1]]
    assert "层级" not in headers and "所属县区" not in headers and "提级巡察" not in headers
    categories = [c.value for (c,) in book["选项"].iter_rows(min_row=2, min_col=1, max_col=1) if c.value]
    assert "镇(街道)" in categories and "市政府工作部门及管理机构" not in categories
    settings = (tmp_path / "t" / "scenario.yaml").read_text(encoding="utf-8")
    assert "level: county" in settings and "revisit_weeks: 2" in settings
    assert "linkage:" not in settings and "county_defaults:" not in settings and "cross_inspection:" not in settings
    written, source = load_scenario(tmp_path / "t"), load_scenario(ZHASHUI)
    assert written.policy(written.home) == source.policy(source.home)
    assert [t.model_dump() for t in written.targets] == [t.model_dump() for t in source.targets]


def test_template_level_county_refuses_a_city_scenario(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path / "t"), "--level", "county", "--scenario", str(TINY)])
    assert result.exit_code == 2 and "names.level" in result.output
    assert not (tmp_path / "t").exists()
