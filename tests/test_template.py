"""xuncha template: a workbook and settings file the office fills in, which validate back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from planner.columns import TABLES, TARGETS, TEAMS, VILLAGES
from planner.loading import WORKBOOK, ScenarioError, load_scenario
from planner.template import CHOICES, NOTES, SETTINGS
from scenario_edits import SHANGLUO, TINY

runner = CliRunner()


def make(folder: Path, *options: str) -> None:
    result = runner.invoke(app, ["template", str(folder), *options])
    assert result.exit_code == 0, result.output
    assert f"已写入 {folder / WORKBOOK}" in result.output


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "new"
    make(folder)
    return folder


def test_the_blank_template_has_a_sheet_per_table_with_chinese_headers_and_notes(blank):
    book = openpyxl.load_workbook(blank / WORKBOOK)
    assert book.sheetnames == [NOTES, CHOICES, TARGETS.sheet, VILLAGES.sheet, TEAMS.sheet]
    assert book[CHOICES].sheet_state == "hidden"
    for spec in TABLES:
        header = [cell.value for cell in book[spec.sheet][1]]
        assert header == [c.header for c in spec.columns]
        assert all(cell.comment is not None and spec.description(code) in cell.comment.text
                   for cell, code in zip(book[spec.sheet][1], (c.code for c in spec.columns)))
    notes = {(row[0], row[1]) for row in book[NOTES].iter_rows(values_only=True)}
    assert all((spec.sheet, c.header) in notes for spec in TABLES for c in spec.columns)


def test_drop_downs_offer_levels_categories_counties_flags_and_teams(blank):
    book = openpyxl.load_workbook(blank / WORKBOOK)
    sheet = book[TARGETS.sheet]
    letters = {c.code: openpyxl.utils.get_column_letter(n) for n, c in enumerate(TARGETS.columns, start=1)}
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    choices = book[CHOICES]
    columns = {choices.cell(1, n).value: [c.value for c in choices[openpyxl.utils.get_column_letter(n)][1:]]
               for n in range(1, choices.max_column + 1)}
    assert columns["level"][:2] == ["市级", "县级"]
    assert "市政府工作部门及管理机构" in columns["category"] and len([v for v in columns["category"] if v]) == 14
    assert [v for v in columns["county"] if v] == list(load_scenario(SHANGLUO).counties)
    for code in ("level", "category", "county", "elevated", "follow_up", "avoid_teams"):
        assert f"{letters[code]}2" in lists, code
    assert lists[f"{letters['avoid_teams']}2"] == f"='{TEAMS.sheet}'!$A$2:$A$5000"


def test_an_unfilled_template_says_only_that_the_tables_are_empty(blank):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(blank)
    assert [str(p) for p in caught.value.problems] == [
        "scenario.xlsx 工作表“巡察对象”: 表格中没有数据行",
        "scenario.xlsx 工作表“巡察组”: 表格中没有数据行",
    ]


def test_the_settings_file_explains_every_setting_in_chinese(blank):
    text = (blank / SETTINGS).read_text(encoding="utf-8")
    assert "    drafted_pool: 15                        # 每轮可抽调干部数 (人才库)" in text
    assert "# 规划期\nhorizon:\n  start: 2027-01-01" in text
    settings = [line for line in text.splitlines() if ":" in line and not line.lstrip().startswith(("#", "-"))]
    assert all("#" in line for line in settings if line.startswith("  ")), settings


def test_a_template_filled_in_by_hand_validates(blank, tmp_path):
    """What a clerk types: Chinese names, 是/否, a town by name, dates as dates."""
    folder = tmp_path / "filled"
    folder.mkdir()
    for name in (WORKBOOK, SETTINGS):
        (folder / name).write_bytes((blank / name).read_bytes())
    book = openpyxl.load_workbook(folder / WORKBOOK)
    targets, villages, teams = book[TARGETS.sheet], book[VILLAGES.sheet], book[TEAMS.sheet]
    rows = [
        ["C1", "市委办公室", "市级", None, "市委工作机关及直属单位", "党委办", 1, 2, dt.datetime(2024, 5, 1)],
        ["C2", "市公安局", "市级", None, "市政府工作部门及管理机构", "政法", 2, 4, None, None, None, "是", "第一组"],
        ["K1", "中共商州区委员会", "市级", "商州区", "县(区)", None, 3, 4],
        ["T1", "商州区城关街道", "县级", "商州区", "镇(街道)", "乡村振兴", 3, 3, None, None, "是"],
    ]
    for row in rows:
        targets.append(row)
    villages.append(["T1-V1", "城关街道张湾社区", "商州区", "商州区城关街道"])
    teams.append(["Z1", "第一组", "市级", None, 1, 1, 1, 1, 1, 1])
    teams.append(["Z2", "第二组", "市级", None, 1, 0, 1, 1, 1, 0])
    book.save(folder / WORKBOOK)

    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    scenario = load_scenario(folder)
    police = next(t for t in scenario.targets if t.id == "C2")
    assert (police.category, police.follow_up, police.avoid_teams) == ("gov_department", True, ("Z1",))
    assert next(t for t in scenario.targets if t.id == "T1-V1").town == "T1"
    assert [t.id for t in scenario.targets_of()] == ["C1", "C2", "K1", "T1", "T1-V1"]  # the village goes with its elevated town


@pytest.mark.parametrize("source", [SHANGLUO, TINY], ids=["shangluo", "tiny"])
def test_a_filled_template_loads_like_the_scenario_it_came_from(source, tmp_path):
    folder = tmp_path / "copy"
    make(folder, "--scenario", str(source), "--fill")
    assert sorted(p.name for p in folder.iterdir()) == [WORKBOOK, SETTINGS]
    exclude = {"source", "sha256"}
    assert load_scenario(folder).model_dump(exclude=exclude) == load_scenario(source).model_dump(exclude=exclude)


def test_a_folder_with_files_is_never_overwritten(blank):
    before = {p.name: p.read_bytes() for p in blank.iterdir()}
    result = runner.invoke(app, ["template", str(blank)])
    assert result.exit_code == 2
    assert "已存在且非空" in result.output
    assert {p.name: p.read_bytes() for p in blank.iterdir()} == before
