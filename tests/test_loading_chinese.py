"""Input as an office writes it: Chinese headers and names, one workbook, every problem in one pass."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from planner.columns import TABLES, TARGETS, TEAMS, VILLAGES, TableSpec, category_code, flag_value, level_code
from planner.describe import LEVEL_LABELS
from planner.loading import WORKBOOK
from planner.vocabulary import CATEGORIES, CATEGORY_LABELS
from scenario_edits import SHANGLUO, TINY, copy_scenario, replace_in
from test_loading import comparable, problems_of

LEVELS = {level.value: label for level, label in LEVEL_LABELS.items()}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def in_chinese(spec: TableSpec, rows: list[list[str]]) -> list[list[str]]:
    """Headers, levels, categories and flags as the office writes them."""
    header, *body = rows
    codes = [spec.code_of(h) for h in header]
    values = {"level": LEVELS, "category": CATEGORY_LABELS, "elevated": {"1": "是"}, "follow_up": {"1": "是"}}
    return [[spec.column(c).header for c in codes]] + [
        [values.get(code, {}).get(cell, cell) for code, cell in zip(codes, row)] for row in body
    ]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def chinese_copy(source: Path, tmp_path: Path) -> Path:
    folder = copy_scenario(source, tmp_path)
    for spec in TABLES:
        path = folder / f"{spec.stem}.csv"
        write_csv(path, in_chinese(spec, read_csv(path)))
    return folder


@pytest.fixture(scope="module")
def shangluo() -> dict:
    return comparable(SHANGLUO)


def test_every_category_and_level_reads_by_its_chinese_name_and_its_code():
    for code in CATEGORIES:
        assert category_code(CATEGORY_LABELS[code]) == code and category_code(code) == code
    assert category_code("市政府工作部门及管理机构") == "gov_department"
    assert category_code("镇（街道）") == "town"  # full-width brackets, as an IME types them
    assert (level_code("市级"), level_code("县级"), level_code("county")) == ("city", "county", "county")
    assert (flag_value("是"), flag_value("否"), flag_value("1"), flag_value("也许")) == (True, False, True, None)


def test_chinese_headers_and_names_load_like_the_codes(tmp_path, shangluo):
    folder = chinese_copy(SHANGLUO, tmp_path)
    header = (folder / "targets.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("编号,单位名称,层级,所属县区,类别")
    assert "市政府工作部门及管理机构" in (folder / "targets.csv").read_text(encoding="utf-8")
    assert comparable(folder) == shangluo


def test_a_problem_names_the_header_as_written(tmp_path):
    folder = chinese_copy(TINY, tmp_path)
    replace_in(folder / "targets.csv", "市政府工作部门及管理机构,教育,2,", "市政府工作部门及管理机构,教育,-2,")
    replace_in(folder / "teams.csv", "T2,市委第二巡察组,市级,,1,0", "T2,市委第二巡察组,市级,,1,无")
    shown = [str(p) for p in problems_of(folder)]
    assert shown == ["targets.csv, 第4行, 字段 工作量: 不能小于 1 (填写为 '-2')",
                     "teams.csv, 第3行, 字段 组长在编: 应为整数 (填写为 '无')"]


def test_an_unknown_category_lists_the_chinese_names_and_codes(tmp_path):
    folder = chinese_copy(TINY, tmp_path)
    replace_in(folder / "targets.csv", "市级人民团体", "人民团体")
    [problem] = problems_of(folder)
    assert (problem.file, problem.row, problem.field) == ("targets.csv", 3, "类别")
    assert problem.message.startswith("未知类别 '人民团体', 应为: 市委工作机关及直属单位 (party_work_organ)、")


def test_a_bad_level_and_flag_say_what_may_be_written(tmp_path):
    folder = chinese_copy(TINY, tmp_path)
    replace_in(folder / "targets.csv", "P1,市委办公室,市级", "P1,市委办公室,省级")
    replace_in(folder / "targets.csv", "乡村振兴,3,3,2023-05-01,,是", "乡村振兴,3,3,2023-05-01,,可能")
    messages = {(p.row, p.field): p.message for p in problems_of(folder)}
    assert messages == {(2, "层级"): "应为 市级 (city) 或 县级 (county) (填写为 '省级')",
                        (9, "提级巡察"): "应为 是 或 否 (填写为 '可能')"}


def test_an_unknown_header_is_refused_with_every_accepted_name(tmp_path):
    folder = chinese_copy(TINY, tmp_path)
    replace_in(folder / "teams.csv", "组长在编", "组长实有")
    problems = problems_of(folder)
    assert [(p.file, p.row, p.field) for p in problems][:1] == [("teams.csv", 1, "组长实有")]
    assert problems[0].message == f"未知的列, 可用的列: {TEAMS.accepted()}"
    assert "组长在编 (leader_filled)" in problems[0].message
    # The column it was meant to be is then missing, named in the table's own language.
    assert [(p.field, p.message) for p in problems[1:]] == [("组长在编", "缺少此列 (也可写作“leader_filled”)")]


def test_the_same_column_twice_under_two_names_is_refused(tmp_path):
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "targets.csv", ",sector,", ",所属系统,")
    replace_in(folder / "targets.csv", ",risk,", ",系统,")
    assert [(p.row, p.field, p.message) for p in problems_of(folder)] == [(1, "系统", "列名重复 (与“所属系统”是同一列)")]


def test_town_and_avoided_team_may_be_given_by_name(tmp_path):
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "villages.csv", "甲县,A1,", "甲县,甲县城关镇,")
    replace_in(folder / "targets.csv", ",,,,T1", ",,,,市委第一巡察组")
    assert comparable(folder) == comparable(TINY)


def test_settings_rows_and_references_are_reported_in_one_pass(tmp_path):
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "scenario.yaml", "drafted_pool: 6", "drafted_pool: -6")
    replace_in(folder / "targets.csv", "gov_department,教育,2,", "gov_department,教育,-2,")
    replace_in(folder / "teams.csv", "county,乙县", "county,丙县")
    shown = {(p.file, p.field) for p in problems_of(folder)}
    assert shown == {("scenario.yaml", "staff.city.drafted_pool"), ("targets.csv", "effort"), ("teams.csv", "county")}


def test_a_row_in_error_does_not_cast_doubt_on_the_rows_that_refer_to_it(tmp_path):
    """A town with a typo is still a town: its villages are not reported as orphans."""
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "targets.csv", "A1,甲县城关镇,county,甲县,town,乡村振兴,3,3,", "A1,甲县城关镇,county,甲县,town,乡村振兴,3,9,")
    replace_in(folder / "targets.csv", ",,,,T1", ",,,,T9")
    shown = [(p.file, p.row, p.field) for p in problems_of(folder)]
    assert shown == [("targets.csv", 9, "risk"), ("targets.csv", 5, "avoid_teams")]


def test_a_bad_horizon_still_lets_the_tables_be_checked(tmp_path):
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "scenario.yaml", "end: 2027-12-31", "end: 2027-13-31")
    replace_in(folder / "teams.csv", "county,乙县", "county,丙县")
    shown = [(p.file, p.field) for p in problems_of(folder)]
    assert shown == [("scenario.yaml", "horizon.end"), ("teams.csv", "county")]


def write_workbook(folder: Path, sheets: dict[str, list[list[str]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(folder / WORKBOOK)


def workbook_copy(source: Path, tmp_path: Path) -> Path:
    """The three tables as sheets of scenario.xlsx, in Chinese, with a notes sheet."""
    folder = copy_scenario(source, tmp_path)
    sheets = {"填写说明": [["说明"]]}
    for spec in TABLES:
        path = folder / f"{spec.stem}.csv"
        sheets[spec.sheet] = in_chinese(spec, read_csv(path))
        path.unlink()
    write_workbook(folder, sheets)
    return folder


def test_one_workbook_with_a_sheet_per_table_loads_like_the_csv(tmp_path, shangluo):
    assert comparable(workbook_copy(SHANGLUO, tmp_path)) == shangluo


def test_a_workbook_problem_names_the_sheet(tmp_path):
    folder = workbook_copy(TINY, tmp_path)
    book = openpyxl.load_workbook(folder / WORKBOOK)
    book[VILLAGES.sheet]["G3"] = 9  # risk of A2-V1
    book.save(folder / WORKBOOK)
    [problem] = problems_of(folder)
    assert str(problem) == "scenario.xlsx 工作表“村(社区)”, 第3行, 字段 风险等级: 不能大于 5 (填写为 '9')"


def test_a_table_in_its_file_and_in_the_workbook_is_refused(tmp_path):
    folder = workbook_copy(TINY, tmp_path)
    write_csv(folder / "teams.csv", read_csv(TINY / "teams.csv"))
    [problem] = problems_of(folder)
    assert problem.message == "teams.csv 与 scenario.xlsx 工作表“巡察组” 同时存在, 请只保留一个"


def test_an_unknown_sheet_is_refused_and_a_missing_one_named(tmp_path):
    folder = copy_scenario(TINY, tmp_path)
    (folder / "targets.csv").unlink()
    write_workbook(folder, {"巡察对像": in_chinese(TARGETS, read_csv(TINY / "targets.csv"))})
    messages = [str(p) for p in problems_of(folder)]
    assert messages[0].startswith("scenario.xlsx: 未知的工作表“巡察对像”, 可用的工作表: 巡察对象 (targets)、")
    assert messages[1] == ("targets.csv: 缺少文件 (targets.csv 或 targets.xlsx), 或 scenario.xlsx 中的工作表“巡察对象”")
