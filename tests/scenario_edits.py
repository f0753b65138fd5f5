"""Edits to copies of scenario folders, shared by the loader and CLI tests.

``BAD_INPUTS`` lists one case per bad input: an edit to a copy of a scenario
and the problem the loader must then report (file, row as the spreadsheet or
editor numbers it, field, and a piece of the message).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

SHANGLUO = Path(__file__).parent.parent / "scenarios" / "shangluo"
TINY = Path(__file__).parent / "data" / "tiny"
WHOLE = Path(__file__).parent / "data" / "whole"


@dataclass(frozen=True)
class LineOf:
    """The row of a scenario.yaml problem: the line holding ``text`` after the edit."""

    text: str


@dataclass(frozen=True)
class Expected:
    file: str
    row: int | None | LineOf
    field: str
    fragment: str

    def located(self, folder: Path) -> Expected:
        if isinstance(self.row, LineOf):
            return Expected(self.file, line_of(folder / self.file, self.row.text), self.field, self.fragment)
        return self

    def found_in(self, problems) -> bool:
        return any(
            (p.file, p.row, p.field) == (self.file, self.row, self.field) and self.fragment in p.message
            for p in problems
        )


@dataclass(frozen=True)
class Replace:
    """Replace the first ``old`` in ``file``."""

    file: str
    old: str
    new: str

    def __call__(self, folder: Path) -> None:
        replace_in(folder / self.file, self.old, self.new)


def in_step_county(tmp_path: Path) -> Path:
    """The whole-city test scenario with two more bureaux in 甲县: four to inspect (its town goes to a
    cross round), three a team-round at most, so its one team needs two regular team-rounds."""
    folder = tmp_path / "whole"
    shutil.copytree(WHOLE, folder)
    with (folder / "targets.csv").open("a", encoding="utf-8") as rows:
        rows.write("AX,甲县财政局,county,甲县,county_organ,财政,1,2,2025-05-01,,,,\n"
                   "AY,甲县民政局,county,甲县,county_organ,民政,1,2,2025-05-01,,,,\n")
    return folder


def copy_scenario(source: Path, tmp_path: Path) -> Path:
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the first ``old``; fail loudly if the fixture no longer has it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """1-based number of the first line of ``path`` containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def reencode(folder: Path, encoding: str) -> None:
    """Rewrite the tables and scenario.yaml in ``encoding``."""
    for path in [*folder.glob("*.csv"), folder / "scenario.yaml"]:
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))


def _excel_value(text: str):
    """What Excel holds for a typed cell: numbers and dates as such, blanks empty."""
    if text.isdigit():
        return int(text)
    try:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
    except ValueError:
        return text or None


def to_xlsx(path: Path) -> None:
    """Replace the CSV table at ``path`` by an .xlsx workbook with typed cells."""
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_excel_value(cell) for cell in row])
    book.save(path.with_suffix(".xlsx"))
    path.unlink()


def drop_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [c for c in rows[0] if c != column]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def to_utf16(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def case(source: Path, name: str, edit: Callable[[Path], None], expected: Expected):
    return pytest.param(source, edit, expected, id=name)


# Tiny scenario: targets.csv rows 2-10 are P1 P2 G1 G2 S1 E1 K1 A1 A2;
# villages.csv rows 2-3 are A1-V1 A2-V1; teams.csv rows 2-5 are T1 T2 J1 Y1.
TINY_CASES = [
    ("missing_table", lambda f: (f / "teams.csv").unlink(), Expected("teams.csv", None, "", "缺少文件 (teams.csv 或 teams.xlsx)")),
    ("missing_settings", lambda f: (f / "scenario.yaml").unlink(), Expected("scenario.yaml", None, "", "缺少文件")),
    ("missing_column", lambda f: drop_column(f / "targets.csv", "category"), Expected("targets.csv", 1, "category", "缺少此列")),
    ("misspelt_column", Replace("targets.csv", ",avoid_teams", ",avoid_team"), Expected("targets.csv", 1, "avoid_team", "未知的列")),
    ("duplicate_target_id", Replace("targets.csv", "P2,市总工会", "P1,市总工会"), Expected("targets.csv", 3, "id", "编号 'P1' 重复 (与第2行重复)")),
    ("village_id_taken_by_target", Replace("villages.csv", "A2-V1,", "G1,"), Expected("villages.csv", 3, "id", "编号 'G1' 重复 (与 targets.csv 第4行重复)")),
    ("duplicate_team_id", Replace("teams.csv", "Y1,", "J1,"), Expected("teams.csv", 5, "id", "编号 'J1' 重复 (与第4行重复)")),
    ("unknown_category", Replace("targets.csv", ",people_org,", ",people_orgs,"), Expected("targets.csv", 3, "category", "未知类别 'people_orgs'")),
    ("unknown_county_of_target", Replace("targets.csv", "A2,乙县河口镇,county,乙县", "A2,乙县河口镇,county,丙县"), Expected("targets.csv", 10, "county", "未知的县区 '丙县'")),
    ("unknown_county_of_team", Replace("teams.csv", "county,乙县", "county,丙县"), Expected("teams.csv", 5, "county", "未知的县区 '丙县'")),
    ("unknown_avoided_team", Replace("targets.csv", ",,,,T1", ",,,,T9"), Expected("targets.csv", 5, "avoid_teams", "未知的巡察组 'T9'")),
    ("village_of_missing_town", Replace("villages.csv", "乙县,A2,", "乙县,A9,"), Expected("villages.csv", 3, "town", "所属镇办 'A9' 不存在")),
    ("negative_effort", Replace("targets.csv", "教育,2,", "教育,-2,"), Expected("targets.csv", 4, "effort", "不能小于 1 (填写为 '-2')")),
    ("non_numeric_effort", Replace("targets.csv", "教育,2,", "教育,两,"), Expected("targets.csv", 4, "effort", "应为整数 (填写为 '两')")),
    ("fractional_effort", Replace("targets.csv", "教育,2,", "教育,2.5,"), Expected("targets.csv", 4, "effort", "应为整数 (填写为 '2.5')")),
    ("negative_posts", Replace("teams.csv", "county,甲县,1,", "county,甲县,-1,"), Expected("teams.csv", 4, "leader_posts", "不能小于 0 (填写为 '-1')")),
    ("non_numeric_filled", Replace("teams.csv", "T2,市委第二巡察组,city,,1,0", "T2,市委第二巡察组,city,,1,无"), Expected("teams.csv", 3, "leader_filled", "应为整数 (填写为 '无')")),
    ("filled_above_posts", Replace("teams.csv", "T1,市委第一巡察组,city,,1,1,1,1", "T1,市委第一巡察组,city,,1,1,1,2"), Expected("teams.csv", 2, "deputy_filled", "deputy_filled (在编) 超过 deputy_posts (编制)")),
    ("stray_cell", Replace("targets.csv", "国资,1,5,2022-05-01,,,,", "国资,1,5,2022-05-01,,,,,备注"), Expected("targets.csv", 7, "", "N列有内容但没有列名")),
    # A blank row is still a row of the spreadsheet: G1 moves from row 4 to row 6.
    ("blank_rows_keep_numbering", Replace("targets.csv", "P2,市总工会,city,,people_org,群团,1,1,2024-05-01,,,,\nG1,市教育局,city,,gov_department,教育,2,", "\n\nP2,市总工会,city,,people_org,群团,1,1,2024-05-01,,,,\nG1,市教育局,city,,gov_department,教育,-2,"), Expected("targets.csv", 6, "effort", "不能小于 1")),
    ("empty_target_list", lambda f: header_only(f / "targets.csv"), Expected("targets.csv", None, "", "表格中没有数据行")),
    ("empty_team_table", lambda f: (f / "teams.csv").write_bytes(b""), Expected("teams.csv", None, "", "文件为空")),
    ("utf16_table", lambda f: to_utf16(f / "targets.csv"), Expected("targets.csv", None, "", "文件编码无法识别 (应为 UTF-8、带BOM的UTF-8 或 GBK)")),
    ("utf16_settings", lambda f: to_utf16(f / "scenario.yaml"), Expected("scenario.yaml", None, "", "文件编码无法识别")),
    ("table_in_csv_and_xlsx", lambda f: (f / "teams.xlsx").write_bytes(b""), Expected("teams.csv", None, "", "teams.csv 与 teams.xlsx 同时存在")),
    ("not_an_xlsx", lambda f: (f / "teams.csv").rename(f / "teams.xlsx"), Expected("teams.xlsx", None, "", "无法读取表格")),
    # A stray quote would join every later row into one cell: the rows after it must not vanish.
    ("stray_quote_never_closed", Replace("targets.csv", "G2,市水利局", 'G2,"市水利局'), Expected("targets.csv", 5, "name", "引号不成对")),
    ("stray_quote_closed_rows_later", lambda f: (Replace("targets.csv", "S1,市第一高级中学", 'S1,"市第一高级中学')(f), Replace("targets.csv", "K1,", 'K1",')(f)), Expected("targets.csv", 6, "name", "引号不成对")),
]

# Shangluo scenario.yaml is in block style: every key has a line of its own.
EXTRA = "  extra: []"
SHANGLUO_CASES = [
    ("negative_staff", Replace("scenario.yaml", "drafted_pool: 15 ", "drafted_pool: -15 "), Expected("scenario.yaml", LineOf("drafted_pool: -15"), "staff.city.drafted_pool", "不能小于 0 (填写为 '-15')")),
    ("non_numeric_staff", Replace("scenario.yaml", "drafted_pool: 15 ", "drafted_pool: 十五 "), Expected("scenario.yaml", LineOf("drafted_pool: 十五"), "staff.city.drafted_pool", "应为整数 (填写为 '十五')")),
    ("team_size_not_numeric", Replace("scenario.yaml", "min_team_size: {regular: 5,", "min_team_size: {regular: 五人,"), Expected("scenario.yaml", LineOf("min_team_size:"), "staff.min_team_size.regular", "应为整数")),
    ("misspelt_setting", Replace("scenario.yaml", "    leader_pool: 2 ", "    leader_pol: 2 "), Expected("scenario.yaml", LineOf("leader_pol"), "staff.city.leader_pol", "未知的字段")),
    ("unknown_section", Replace("scenario.yaml", "weights:", "wieghts:"), Expected("scenario.yaml", LineOf("wieghts:"), "wieghts", "未知的字段")),
    ("end_before_start", Replace("scenario.yaml", "  end: 2031-12-31", "  end: 2026-12-31"), Expected("scenario.yaml", LineOf("horizon:"), "horizon", "结束日期 2026-12-31 不晚于开始日期 2027-01-01")),
    ("impossible_date", Replace("scenario.yaml", "  end: 2031-12-31", "  end: 2031-13-31"), Expected("scenario.yaml", LineOf("2031-13-31"), "horizon.end", "应为日期 (YYYY-MM-DD) (填写为 '2031-13-31')")),
    (
        "blackout_after_horizon",
        Replace("scenario.yaml", EXTRA, "  extra:\n    - {name: 全国两会, start: 2030-03-03, end: 2030-03-12}\n    - {name: 换届, start: 2031-12-20, end: 2032-01-10}"),
        Expected("scenario.yaml", LineOf("换届"), "calendar.extra[1].end", "禁止进驻时段 '换届' (2031-12-20 至 2032-01-10) 超出规划期 (2027-01-01 至 2031-12-31)"),
    ),
    ("blackout_before_horizon", Replace("scenario.yaml", EXTRA, "  extra:\n    - name: 年终考核\n      start: 2026-12-15\n      end: 2027-01-05"), Expected("scenario.yaml", LineOf("start: 2026-12-15"), "calendar.extra[0].start", "超出规划期")),
    ("blackout_ends_before_it_starts", Replace("scenario.yaml", EXTRA, "  extra:\n    - {name: 两会, start: 2028-03-12, end: 2028-03-03}"), Expected("scenario.yaml", LineOf("两会"), "calendar.extra[0]", "结束日期 2028-03-03 早于开始日期 2028-03-12")),
    ("yaml_syntax_error", Replace("scenario.yaml", "  city: 商洛市", "  city: 商洛市: 陕西省"), Expected("scenario.yaml", LineOf("陕西省"), "", "YAML 格式错误")),
]

BAD_INPUTS = [case(TINY, *c) for c in TINY_CASES] + [case(SHANGLUO, *c) for c in SHANGLUO_CASES]
