"""A scenario for the office to fill in: ``scenario.xlsx`` and ``scenario.yaml``.

The workbook has a notes sheet (填写说明) and one sheet per table (巡察对象,
村(社区), 巡察组, 锁定事项) with the Chinese headers the loader reads, a note on
every header cell, and drop-down lists for level, category, county, the yes/no
flags, the teams to avoid and the kinds of fixed decision; the lists live on a
hidden sheet (选项). The
settings file carries every setting with its meaning as a Chinese comment.
``xuncha validate`` reads the folder back as it is.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel
from rich.cells import cell_len

from planner.columns import AUDITS, FIXED, SCENARIO_TABLES, TEAMS, VILLAGES, TableSpec
from planner.describe import LEVEL_LABELS
from planner.io import OutputError, atomic_directory
from planner.loading import OWN_COUNTY_IMPLIED, WORKBOOK
from planner.overrides import yaml_text
from planner.printouts.xlsx_writer import FORMULA_STARTS, fit_to_page_width
from planner.scenario import NOT_SETTINGS, Scenario, unused_settings
from planner.tables import DECISION_LABELS
from planner.vocabulary import CATEGORIES, CATEGORY_LABELS, CITY_CATEGORIES, COUNTY_CATEGORIES, Level

SETTINGS = "scenario.yaml"
NOTES, CHOICES = "填写说明", "选项"
LAST_ROW = 5000  # drop-downs and checks reach this row of each sheet
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="E1E6F0")
YES, NO = "是", "否"
MIN_WIDTH = {"name": 30, "category": 26, "last_inspected": 14}  # room to type into an empty template

# What a cell may hold, for the notes sheet.
ALLOWED = {
    "level": "市级 或 县级",
    "category": "见下方“类别”表, 填名称或代码",
    "county": "scenario.yaml 中 counties 所列县区",
    "elevated": "是 或 否 (空白为否)",
    "follow_up": "是 或 否 (空白为否)",
    "avoid_teams": "巡察组编号或名称, 多个用顿号分隔",
    "town": "镇办的编号或单位名称",
    "last_inspected": "日期 YYYY-MM-DD",
    "effort": "整数 1-10, 空白为 1",
    "risk": "整数 1-5, 空白为 3",
    "kind": "定年度、定轮次、定巡察组、不早于、不晚于、巡察组不可用、同轮巡察、不同轮巡察、不同组巡察",
    "target": "单位编号或全称",
    "other": "同轮、不同轮、不同组时填另一单位",
    "team": "巡察组编号或名称",
    "year": "2027 或 2027-2028",
    "round": "整数, 如 3 (第3轮)",
    "unit": "被审计单位的编号或全称",
    "start": "日期 YYYY-MM-DD (不早于、巡察组不可用)",
    "end": "日期 YYYY-MM-DD (不晚于、巡察组不可用)",
}
DATE_CODES = ("last_inspected", "start", "end")
# A county office's own workbook: no level or county (every row is its own), no elevation by the city.
OWN_COUNTY_HIDDEN = (*OWN_COUNTY_IMPLIED, "elevated")


def _columns(spec: TableSpec, source: Scenario) -> list:
    """The columns of a sheet: a county's own workbook leaves out level, county and elevation."""
    return [c for c in spec.columns if not (source.own_county and c.code in OWN_COUNTY_HIDDEN)]


def _categories(source: Scenario) -> tuple[str, ...]:
    return (*COUNTY_CATEGORIES, "village") if source.own_county else CATEGORIES


def write_template(out: Path, source: Scenario, fill: bool = False) -> list[Path]:
    """Write ``scenario.xlsx`` and ``scenario.yaml`` into the new or empty folder ``out``.

    The settings, the counties of the drop-down and the examples in the
    notes come from ``source``; with ``fill`` its tables are copied into the
    sheets too (a CSV scenario turned into one workbook).
    Raises OutputError when ``out`` holds files: a filled-in workbook is never overwritten.
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputError(f"{out}: 已存在且非空; 为免覆盖已填写的表格, 请另选一个新目录")
    with atomic_directory(out) as staging:
        (staging / WORKBOOK).write_bytes(template_workbook(source, fill))
        (staging / SETTINGS).write_text(settings_yaml(source), encoding="utf-8")
    return [out / WORKBOOK, out / SETTINGS]


def _rows(source: Scenario, spec: TableSpec) -> list[BaseModel]:
    if spec is TEAMS:
        return list(source.teams)
    if spec is FIXED:
        return list(source.fixed)
    if spec is AUDITS:
        return list(source.audits)
    villages = spec is VILLAGES
    return [t for t in source.targets if (t.category == "village") == villages]


def template_workbook(source: Scenario, fill: bool = False) -> bytes:
    book = Workbook()
    notes = book.active
    notes.title = NOTES
    choices = _choices_sheet(book, source)
    for spec in SCENARIO_TABLES:
        sheet = book.create_sheet(spec.sheet)
        _table_sheet(sheet, spec, _columns(spec, source), choices, _rows(source, spec) if fill else [])
    _notes_sheet(notes, source)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _choices_sheet(book: Workbook, source: Scenario) -> dict[str, str]:
    """The hidden lists behind the drop-downs; returns column code -> list formula."""
    sheet = book.create_sheet(CHOICES)
    sheet.sheet_state = "hidden"
    lists = {
        "category": [CATEGORY_LABELS[c] for c in _categories(source)],
        "level": list(LEVEL_LABELS.values()),
        "county": list(source.counties),
        "flag": [YES, NO],
        "kind": list(DECISION_LABELS.values()),
    }
    formulas = {}
    for n, (code, values) in enumerate(lists.items(), start=1):
        sheet.cell(1, n, code)
        for row, value in enumerate(values, start=2):
            sheet.cell(row, n, value)
        letter = get_column_letter(n)
        formulas[code] = f"{quote_sheetname(CHOICES)}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    formulas["elevated"] = formulas["follow_up"] = formulas.pop("flag")
    formulas["avoid_teams"] = formulas["team"] = f"{quote_sheetname(TEAMS.sheet)}!$A$2:$A${LAST_ROW}"
    return formulas


def _table_sheet(sheet: Worksheet, spec: TableSpec, columns: list, choices: dict[str, str],
                 rows: list[BaseModel]) -> None:
    for n, column in enumerate(columns, start=1):
        cell = sheet.cell(1, n, column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        note = spec.description(column.code) + ("。必填。" if column.required else "。")
        cell.comment = Comment(f"{column.header} ({column.code}): {note}", "xuncha", width=260, height=110)
    for r, item in enumerate(rows, start=2):
        for n, column in enumerate(columns, start=1):
            _put(sheet.cell(r, n), _cell_value(item, column.code))
    for n, column in enumerate(columns, start=1):
        letter = get_column_letter(n)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        check = _validation(column.code, choices)
        if check is not None:
            check.add(cells)
            sheet.add_data_validation(check)
        if column.code in DATE_CODES:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=max(2, len(rows) + 1), min_col=n, max_col=n):
                cell.number_format = "yyyy-mm-dd"
        widest = max([cell_len(column.header), *(cell_len(str(c.value or "")) for (c,) in
                                                   sheet.iter_rows(min_row=2, max_row=min(len(rows) + 1, 200),
                                                                   min_col=n, max_col=n))])
        sheet.column_dimensions[letter].width = min(40, max(widest + 3, MIN_WIDTH.get(column.code, 0)))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    fit_to_page_width(sheet)


def _validation(code: str, choices: dict[str, str]) -> DataValidation | None:
    """The drop-down or number check of a column; the team list accepts several teams, so it only suggests."""
    if code in choices:
        strict = code not in ("avoid_teams", "team")  # a team may be written by its name too
        return DataValidation(type="list", formula1=f"={choices[code]}", allow_blank=True, showErrorMessage=strict,
                              errorTitle="请从列表中选择", error="请从下拉列表中选择一项 (或填写代码)")
    bounds = {"effort": (1, 10), "risk": (1, 5)}
    if code in bounds or code.endswith(("_posts", "_filled")):
        low, high = bounds.get(code, (0, 9))
        return DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high),
                              allow_blank=True, showErrorMessage=True, errorTitle="应为整数",
                              error=f"请填写 {low} 至 {high} 的整数")
    if code in DATE_CODES:
        return DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                              showErrorMessage=True, errorTitle="应为日期", error="请填写日期, 如 2024-05-01")
    return None


def _cell_value(item: BaseModel, code: str) -> Any:
    """A model value as the office writes it: Chinese names, 是 for a flag, teams joined by 、."""
    value = getattr(item, code)
    if code == "level":
        return LEVEL_LABELS[value]
    if code == "category":
        return CATEGORY_LABELS[value]
    if code == "kind":
        return DECISION_LABELS[value]
    if code == "year" and value is not None:
        return str(value[0]) if value[0] == value[1] else f"{value[0]}-{value[1]}"
    if isinstance(value, bool):
        return YES if value else None
    if isinstance(value, tuple):
        return "、".join(value) or None
    return value if value != "" else None


def _put(cell, value: Any) -> None:
    """Text from a table is never run as a formula when the workbook opens."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _notes_sheet(sheet: Worksheet, source: Scenario) -> None:
    if source.own_county:
        who = source.policy(source.home).committee
        scope = [f"本场景为{who}单独编制 (scenario.yaml 中 names.level: county), 表中不填层级和所属县区。",
                 "工作表“巡察对象”: 本级巡察的县直部门、事业单位、国有企业、镇办等, 每个单位一行。",
                 "工作表“村(社区)”: 每个村(社区)一行, 随所属镇办巡察 (巡镇带村); 工作表“巡察组”: 本级巡察组, 每组一行。"]
    else:
        scope = ["工作表“巡察对象”: 市级单位、县(区)和县级单位 (含镇办), 每个单位一行。",
                 "工作表“村(社区)”: 每个村(社区)一行; 工作表“巡察组”: 市级和县级巡察组, 每组一行。"]
    lines = [
        f"本工作簿与 {SETTINGS} 放在同一目录中, 即是一个场景。",
        "填好后运行 xuncha validate 目录 检查, 再运行 xuncha plan 目录 编制方案。",
        *scope,
        "工作表“锁定事项”: 方案必须遵守的决定, 每条一行 (可以不填): 某单位定于某年、某轮、某组, 不早于或不晚于某日,"
        " 某组某段时间不可用, 两个单位同轮、不同轮或不同组。",
        "橙色表头为必填列; 鼠标停在表头上可看该列说明。",
        "表头可写中文或代码 (如 类别 或 category); 层级、类别填中文名称或代码; 是否类的列填 是 或 否。",
        "各表也可各存一个文件 (targets.csv、villages.csv、teams.csv 或同名 .xlsx), 但同一张表只能有一处。",
    ]
    sheet.cell(1, 1, "填写说明").font = Font(bold=True, size=14)
    for row, text in enumerate(lines, start=2):
        sheet.cell(row, 1, text)
    header = ("工作表", "列名", "代码", "必填", "说明", "可填写", "示例")
    row = _notes_table(sheet, len(lines) + 3, 1, header, [
        (spec.sheet, c.header, c.code, "是" if c.required else "", spec.description(c.code),
         ALLOWED.get(c.code, ""), _example(source, spec, c.code))
        for spec in SCENARIO_TABLES for c in _columns(spec, source)
    ])
    sheet.cell(row + 1, 1, "类别").font = Font(bold=True)
    _notes_table(sheet, row + 2, 1, ("层级", "类别名称", "代码"), [
        (LEVEL_LABELS[_category_level(c)], CATEGORY_LABELS[c], c) for c in _categories(source)
    ])
    for letter, width in zip("ABCDEFG", (12, 26, 18, 6, 60, 30, 24)):
        sheet.column_dimensions[letter].width = width
    fit_to_page_width(sheet)


def _notes_table(sheet: Worksheet, top: int, left: int, header: tuple[str, ...], rows: list[tuple]) -> int:
    """Write a small table at row ``top``, column ``left``; return the row after it."""
    for n, name in enumerate(header, start=left):
        cell = sheet.cell(top, n, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for r, values in enumerate(rows, start=top + 1):
        for n, value in enumerate(values, start=left):
            _put(sheet.cell(r, n), value)
            sheet.cell(r, n).alignment = Alignment(wrap_text=True, vertical="top")
    return top + len(rows) + 1


def _category_level(category: str) -> Level:
    return Level.CITY if category in CITY_CATEGORIES or category == "county" else Level.COUNTY


def _example(source: Scenario, spec: TableSpec, code: str) -> str:
    """The value of the first row of ``source`` that fills this column, as the office writes it."""
    for item in _rows(source, spec):
        value = _cell_value(item, code)
        if value is not None:
            return value.isoformat() if isinstance(value, dt.date) else str(value)
    return ""


def settings_yaml(source: Scenario) -> str:
    """Every setting of ``source`` in block YAML, each with its meaning as a comment."""
    lines = [
        "# 场景设置 (xuncha template 生成)。# 后面是说明, 可以删去; 删去的设置项取默认值。",
        "# 同一目录中的 scenario.xlsx 是巡察对象、村(社区)和巡察组三张表。",
        "# 各项的含义和当前取值也可用 xuncha keys 查看; 推演时用 --set 键=值 临时改动一项。",
    ]
    if source.own_county:
        lines.append(f"# 本场景为{source.policy(source.home).committee}单独编制 (names.level: county): 不设所辖县区、"
                     "市县联动和交叉巡察; staff.county 为本级每轮可抽调的人员。")
    _yaml_lines(source, 0, lines, {tuple(key.split(".")) for key in unused_settings(source)})
    return "\n".join(lines) + "\n"


def _yaml_lines(model: BaseModel, depth: int, lines: list[str], skip: set[tuple[str, ...]] = frozenset(),
                path: tuple[str, ...] = ()) -> None:
    indent = "  " * depth
    for name, info in type(model).model_fields.items():
        if (name in NOT_SETTINGS and depth == 0) or (*path, name) in skip:
            continue
        value, meaning = getattr(model, name), info.description or ""
        if isinstance(value, BaseModel):
            if depth == 0:
                lines += ["", f"# {meaning}"]
                lines.append(f"{name}:")
            else:
                lines.append(_commented(f"{indent}{name}:", meaning))
            _yaml_lines(value, depth + 1, lines, skip, (*path, name))
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            lines.append(_commented(f"{indent}{name}:", meaning))
            lines += [f"{indent}  - {yaml_text(item)}" for item in value]
        elif depth == 0:
            lines += ["", f"# {meaning}", f"{name}: {yaml_text(value)}"]
        else:
            lines.append(_commented(f"{indent}{name}: {yaml_text(value)}", meaning))


def _commented(line: str, meaning: str, column: int = 44) -> str:
    return f"{line}{' ' * max(2, column - cell_len(line))}# {meaning}" if meaning else line

