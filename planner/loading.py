"""Read a scenario folder (``scenario.yaml`` + tables) into a validated :class:`Scenario`.

Tables may be CSV in UTF-8, UTF-8 with BOM or GBK (what Excel and WPS on
Chinese Windows write), ``.xlsx`` (one file per table), or the sheets
巡察对象, 村(社区) and 巡察组 of one workbook ``scenario.xlsx`` (what
``xuncha template`` writes). Headers and the values of level, category and
flags may be written in Chinese or as codes (see :mod:`planner.columns`).
Every problem is collected in one pass (settings, rows and references
between tables) and reported with the file, the row as the spreadsheet
numbers it (header = row 1) and the field under the header the user wrote,
so a clerk can find it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import yaml
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, TypeAdapter, ValidationError

from planner.columns import (
    SCENARIO_TABLES,
    TableSpec,
    accepted_categories,
    accepted_decisions,
    accepted_levels,
    category_code,
    decision_code,
    flag_value,
    level_code,
    normalize,
)
from planner.io import os_reason
from planner.messages import error_message, one_line, shown_value
from planner.scenario import NOT_SETTINGS, Scenario
from planner.scenario_settings import Horizon
from planner.tables import Audit, FixedDecision, Target, Team
from planner.validation import DEFER_CROSS_CHECK, cross_check

BUNDLED = "shangluo"
COUNTY_SCENARIO = "zhashui"  # the bundled county committee planning on its own
TABLE_SUFFIXES = (".csv", ".xlsx")
WORKBOOK = "scenario.xlsx"
# Sheets of the template that hold no table: its notes and the lists behind its drop-downs.
NOTE_SHEETS = ("填写说明", "选项")
FLAGS = ("elevated", "follow_up")
UNKNOWN_ENCODING = "文件编码无法识别 (应为 UTF-8、带BOM的UTF-8 或 GBK)"
NOT_A_WORKBOOK = "不是有效的 Excel 工作簿 (.xlsx)"
# Far above any real scenario (the Shangluo tables are under 200 KB); a bigger file is a mistake.
MAX_FILE_BYTES = {".yaml": 2**20, ".csv": 16 * 2**20, ".xlsx": 16 * 2**20}
# Stands in for a horizon that could not be read, so that no date is wrongly called out of it
# (built without validation: no real horizon may be this long).
_ANY_TIME = Horizon.model_construct(start=dt.date.min, end=dt.date.max)


@dataclass(frozen=True)
class InputProblem:
    """One problem in the input, located for a person."""

    file: str
    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.field:
            where.append(f"字段 {self.field}")
        return one_line(f"{', '.join(where)}: {self.message}")


class ScenarioError(Exception):
    """The scenario cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class TableSource:
    """Where a table is: a file, or a sheet of the workbook; ``label`` is how problems name it."""

    label: str
    path: Path
    sheet: str | None = None


@dataclass
class TableRead:
    """A table's non-blank rows as {code: text}, each with its spreadsheet row, and the headers as written."""

    label: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # code -> header as written
    readable: bool = True

    def written(self, code: str) -> str:
        """The header the user wrote for ``code`` ('avoid_teams[0]' -> '回避巡察组[0]')."""
        head, rest = re.match(r"([^.\[]*)(.*)", code).groups()
        return self.headers.get(head, head) + rest


def bundled_scenario_path(name: str = BUNDLED) -> Path:
    """Folder of a scenario shipped with the package (works after ``pip install .``)."""
    return Path(str(resources.files("scenarios") / name))


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Load and validate the scenario folder at ``path`` (default: bundled Shangluo).

    Raises :class:`ScenarioError` listing every problem found: in the
    settings, in the rows and in the references between tables, together.
    """
    folder = Path(path) if path else bundled_scenario_path()
    if not folder.is_dir():
        raise ScenarioError([InputProblem(str(folder), None, "", "场景目录不存在")])
    problems: list[InputProblem] = []
    config, yaml_root = _read_yaml(folder / "scenario.yaml", problems)
    # A file that cannot be read (syntax, encoding) has been reported: its settings are not checked further.
    yaml_read = yaml_root is not None or not problems
    settings = _settings(config, yaml_root, problems) if yaml_read else None
    sources = _table_sources(folder, problems)
    # A county office's own tables need no level or county columns: every row is its own.
    implied = OWN_COUNTY_IMPLIED if settings is not None and settings.own_county else ()
    tables = {spec.stem: _read_table(sources.get(spec.stem), spec, problems, implied) for spec in SCENARIO_TABLES}
    for row in tables["villages"].rows:
        row.update(level="county", category="village")
    if implied:
        for row in tables["targets"].rows + tables["villages"].rows + tables["teams"].rows:
            row.setdefault("level", "county")
            row.setdefault("county", settings.names.county)
    _names_to_ids(tables)

    target_reads = [tables["targets"], tables["villages"]]
    targets, target_origin = _build(Target, target_reads, problems)
    teams, team_origin = _build(Team, [tables["teams"]], problems)
    fixed, fixed_origin = _build(FixedDecision, [tables["fixed"]], problems)
    audits, audit_origin = _build(Audit, [tables["audits"]], problems)
    if settings is not None and all(t.readable for t in tables.values()):
        seen = {(p.file, p.row, p.field) for p in problems}
        candidate = settings.model_copy(update={"targets": tuple(targets), "teams": tuple(teams),
                                                "fixed": tuple(fixed), "audits": tuple(audits)})
        origins = {"targets": target_origin, "teams": team_origin, "fixed": fixed_origin, "audits": audit_origin}
        labels = {name: tables[name].label for name in origins}
        for p in _cross_problems(candidate, origins, labels, yaml_root):
            if (p.file, p.row, p.field) not in seen:
                problems.append(p)
    if problems:
        raise ScenarioError(problems)
    data = dict(config, targets=targets, teams=teams, fixed=fixed, audits=audits, source=str(folder.resolve()),
                sha256=_digest(folder))
    return Scenario.model_validate(data, context={DEFER_CROSS_CHECK: True})


def _settings(config: dict[str, Any], yaml_root: yaml.Node, problems: list[InputProblem]) -> Scenario | None:
    """The settings of scenario.yaml, validated; with problems, a stand-in for the checks across tables.

    The stand-in drops the sections in error (their defaults apply) and
    takes any date as inside the horizon, so that the tables are still
    checked against the counties and teams the file names.
    """
    try:
        return Scenario.model_validate(dict(config, targets=(), teams=()), context={DEFER_CROSS_CHECK: True})
    except ValidationError as exc:
        errors = exc.errors()
    problems += [_yaml_problem(yaml_root, _dotted(e["loc"]), error_message(e)) for e in errors]
    bad = {e["loc"][0] for e in errors if e["loc"]}
    kept = {key: value for key, value in config.items() if key not in bad}
    if "horizon" in bad:
        kept["horizon"] = _ANY_TIME
    try:
        return Scenario.model_validate(dict(kept, targets=(), teams=()), context={DEFER_CROSS_CHECK: True})
    except ValidationError:
        return None


def _cross_problems(scenario: Scenario, origins: dict[str, list[tuple[TableRead, int]]],
                    labels: dict[str, str], yaml_root: yaml.Node | None) -> list[InputProblem]:
    """Problems across tables, each at the row and under the header the user wrote."""
    problems = []
    items = {"targets": scenario.targets, "teams": scenario.teams, "fixed": scenario.fixed, "audits": scenario.audits}
    for p in cross_check(scenario):
        if p.table == "scenario":
            problems.append(_yaml_problem(yaml_root, p.field, p.message))
        elif p.index is None:
            problems.append(InputProblem(labels[p.table], None, p.field, p.message))
        else:
            table, row = origins[p.table][p.index]
            message = p.message
            if p.field == "id":
                # cross_check flags the later copy; point at the first one too.
                first_table, first_row = origins[p.table][_first_with_id(items[p.table], items[p.table][p.index].id)]
                where = f"第{first_row}行" if first_table is table else f" {first_table.label} 第{first_row}行"
                message += f" (与{where}重复)"
            problems.append(InputProblem(table.label, row, table.written(p.field), message))
    return problems


def _first_with_id(items: tuple[Any, ...], item_id: str) -> int:
    return next(i for i, item in enumerate(items) if item.id == item_id)


def _names_to_ids(tables: dict[str, TableRead]) -> None:
    """A village's town, a unit's avoided teams and the units and teams of a fixed decision may be
    given by full name instead of 编号."""
    towns = _unique_names(r for r in tables["targets"].rows if r.get("category") == "town")
    teams = _unique_names(tables["teams"].rows)
    for row in tables["targets"].rows + tables["villages"].rows:
        if "town" in row:
            row["town"] = towns.get(row["town"], row["town"])
        if "avoid_teams" in row:
            row["avoid_teams"] = tuple(teams.get(team, team) for team in row["avoid_teams"])
    units = _unique_names(tables["targets"].rows + tables["villages"].rows)
    for row in tables["fixed"].rows:
        for code, names in (("target", units), ("other", units), ("team", teams)):
            if code in row:
                row[code] = names.get(row[code], row[code])
    for row in tables["audits"].rows:
        if "unit" in row:
            row["unit"] = units.get(row["unit"], row["unit"])


def _unique_names(rows) -> dict[str, str]:
    ids: dict[str, list[str]] = {}
    for row in rows:
        if "name" in row and "id" in row:
            ids.setdefault(row["name"], []).append(row["id"])
    return {name: found[0] for name, found in ids.items() if len(found) == 1}


class DatesAsTextLoader(yaml.SafeLoader):
    """Leave dates as text: pydantic then reports a bad date with its field."""


DatesAsTextLoader.add_constructor("tag:yaml.org,2002:timestamp", DatesAsTextLoader.construct_yaml_str)


def _read_yaml(path: Path, problems: list[InputProblem]) -> tuple[dict[str, Any], yaml.Node | None]:
    """The settings and their node tree (to find the line of a key)."""
    if not path.is_file():
        problems.append(InputProblem(path.name, None, "", "缺少文件"))
        return {}, None
    try:
        if _too_big(path, path.name, problems):
            return {}, None
        loader = DatesAsTextLoader(_decode(path.read_bytes()))
        try:
            root = loader.get_single_node()
            duplicates = _duplicate_keys(root)
            data = loader.construct_document(root) if root is not None else {}
        finally:
            loader.dispose()
    except UnicodeDecodeError:
        problems.append(InputProblem(path.name, None, "", UNKNOWN_ENCODING))
        return {}, None
    except OSError as exc:
        problems.append(InputProblem(path.name, None, "", f"无法读取文件: {os_reason(exc)}"))
        return {}, None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        problems.append(InputProblem(path.name, row, "", f"YAML 格式错误: {getattr(exc, 'problem', exc)}"))
        return {}, None
    if duplicates:
        problems.extend(duplicates)
        return {}, None
    if not isinstance(data, dict):
        problems.append(InputProblem(path.name, None, "", "顶层应为键值对 (名称: 值)"))
        return {}, None
    for key in NOT_SETTINGS:
        if key in data:
            problems.append(_yaml_problem(root, key, "此项由表格或程序给出, 不能写在 scenario.yaml 中"))
    return data, root


def _duplicate_keys(root: yaml.Node | None) -> list[InputProblem]:
    """A key given twice in one mapping: YAML would keep the later value without a word."""
    problems = []
    stack, visited = [(root, "")], set()
    while stack:
        node, where = stack.pop()
        if node is None or id(node) in visited:  # an alias is walked once
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                field = f"{where}.{name}" if where else name
                line = key.start_mark.line + 1
                if name in first and name != "<<":
                    problems.append(InputProblem("scenario.yaml", line, field,
                                                 f"重复给出 (第{first[name]}行已给出), 请只保留一处"))
                first.setdefault(name, line)
                stack.append((value, field))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(node.value))
    return sorted(problems, key=lambda p: p.row or 0)


def _too_big(path: Path, label: str, problems: list[InputProblem]) -> bool:
    limit = MAX_FILE_BYTES.get(path.suffix, MAX_FILE_BYTES[".csv"])
    size = path.stat().st_size
    if size > limit:
        problems.append(InputProblem(label, None, "", f"文件过大 ({size / 2**20:.1f} MB, 上限 {limit / 2**20:.0f} MB)"))
    return size > limit


def _yaml_problem(root: yaml.Node | None, field: str, message: str) -> InputProblem:
    return InputProblem("scenario.yaml", _yaml_line(root, field), field, message)


def _yaml_line(root: yaml.Node | None, field: str) -> int | None:
    """Line of the deepest key of ``field`` ('a.b[0].c') that the file has."""
    line = None
    node = root
    for part in re.findall(r"[^.\[\]]+", field):
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part]
            if not found:
                break
            key, node = found[-1]
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _table_sources(folder: Path, problems: list[InputProblem]) -> dict[str, TableSource]:
    """Where each table is: its own file, or a sheet of the workbook; at most one place each."""
    places: dict[str, list[TableSource]] = {}
    for spec in SCENARIO_TABLES:
        for suffix in TABLE_SUFFIXES:
            path = folder / f"{spec.stem}{suffix}"
            if path.is_file():
                places.setdefault(spec.stem, []).append(TableSource(path.name, path))
    workbook = folder / WORKBOOK
    if workbook.is_file():
        for sheet in _sheet_names(workbook, problems):
            spec = _spec_of_sheet(sheet)
            if spec is not None:
                places.setdefault(spec.stem, []).append(TableSource(f"{WORKBOOK} 工作表“{sheet}”", workbook, sheet))
            elif normalize(sheet) not in NOTE_SHEETS:
                problems.append(InputProblem(WORKBOOK, None, "", f"未知的工作表“{sheet}”, 可用的工作表: "
                                             + "、".join(f"{s.sheet} ({s.stem})" for s in SCENARIO_TABLES)))
    sources = {}
    for stem, found in places.items():
        if len(found) > 1:
            problems.append(InputProblem(found[0].label, None, "",
                                         f"{' 与 '.join(p.label for p in found)} 同时存在, 请只保留一个"))
        sources[stem] = found[0]
    return sources


def _sheet_names(workbook: Path, problems: list[InputProblem]) -> list[str]:
    try:
        if _too_big(workbook, WORKBOOK, problems):
            return []
        return _workbook(lambda: _sheets_of(workbook))
    except OSError as exc:
        problems.append(InputProblem(WORKBOOK, None, "", f"无法读取文件: {os_reason(exc)}"))
    except ValueError as exc:
        problems.append(InputProblem(WORKBOOK, None, "", f"无法读取表格: {exc}"))
    return []


def _sheets_of(workbook: Path) -> list[str]:
    with pd.ExcelFile(workbook, engine="openpyxl") as book:
        return list(book.sheet_names)


def _workbook(read):
    """What ``read`` gets from an .xlsx file; ValueError if the file is not a workbook."""
    try:
        return read()
    except OSError:
        raise
    except Exception:
        # openpyxl raises whatever its zip and XML layers raise on a damaged or foreign file.
        raise ValueError(NOT_A_WORKBOOK) from None


def _spec_of_sheet(sheet: str) -> TableSpec | None:
    wanted = normalize(sheet)
    return next((s for s in SCENARIO_TABLES if wanted in (normalize(s.sheet), s.stem)), None)


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or GBK; anything else raises UnicodeDecodeError."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if b"\x00" in raw:
        raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL byte: UTF-16 or binary")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk")


class TableFormatError(ValueError):
    """A CSV file whose quoting breaks its rows; ``row`` is the line where the broken row starts."""

    def __init__(self, row: int, column: int | None, message: str):
        super().__init__(message)
        self.row, self.column = row, column


def read_grid(path: Path) -> list[list[str]]:
    """Every row of a table as stripped text, header first.

    Blank rows are kept so that list position + 1 is the row number the
    spreadsheet shows. Raises UnicodeDecodeError, ValueError (TableFormatError
    for broken CSV quoting, or a file that is not a workbook), csv.Error or OSError.
    """
    if path.suffix == ".xlsx":
        frame = _workbook(lambda: pd.read_excel(path, header=None, dtype=str, keep_default_na=False, engine="openpyxl"))
        rows = frame.values.tolist()
    else:
        rows = csv_rows(_decode(path.read_bytes()))
    return [[str(cell).strip() for cell in row] for row in rows]


def csv_rows(text: str) -> list[list[str]]:
    """Parse CSV so that one row is one line: a stray quote must not swallow the rows after it.

    A quote that opens a field and never closes on its line makes the reader
    join the following lines into one cell, silently losing rows; no field of
    a scenario table holds a line break, so that is refused, naming the line.
    """
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error:
            raise _quote_error(lines, start) from None
        broken = next((i for i, cell in enumerate(row) if "\n" in cell or "\r" in cell), None)
        if broken is not None or reader.line_num > start:
            raise _quote_error(lines, start, broken)
        rows.append(row)
        start = reader.line_num + 1


def _quote_error(lines: list[str], row: int, column: int | None = None) -> TableFormatError:
    """The line where a quoted field opens and does not close, and that field's position."""
    line = lines[row - 1] if row <= len(lines) else ""
    if column is None:
        cells = line.split(",")
        column = next((i for i, cell in enumerate(cells) if cell.strip().startswith('"')), None)
    return TableFormatError(row, column, "引号不成对: 此行有一个引号没有闭合, 其后各行会被并入一个单元格; "
                                         "请删除多余的引号 (或把整格用一对引号括起)")


# Columns a county's own scenario (names.level: county) may leave out: the level and county of every row.
OWN_COUNTY_IMPLIED = ("level", "county")


def _read_table(source: TableSource | None, spec: TableSpec, problems: list[InputProblem],
                implied: tuple[str, ...] = ()) -> TableRead:
    """A table's rows under column codes, with level, category and flags given as codes.

    A table that is missing, cannot be read or has a bad header row comes back
    unreadable (its problems reported): the checks across tables then wait.
    """
    if source is None:
        if spec.optional:  # a scenario without villages (a city-only plan) or without fixed decisions
            return TableRead(f"{spec.stem}.csv")
        problems.append(InputProblem(f"{spec.stem}.csv", None, "",
                                     f"缺少文件 ({spec.stem}.csv 或 {spec.stem}.xlsx), "
                                     f"或 {WORKBOOK} 中的工作表“{spec.sheet}”"))
        return TableRead(f"{spec.stem}.csv", readable=False)
    table = TableRead(source.label)
    grid = _grid(source, problems)
    if grid is None:
        table.readable = False
        return table
    if not grid:
        problems.append(InputProblem(source.label, None, "", "文件为空"))
        table.readable = False
        return table
    before = len(problems)
    header = grid[0]
    codes = _header_codes(source.label, header, spec, table, problems, implied)
    for number, cells in enumerate(grid[1:], start=2):
        if not any(cells):
            continue
        stray = [i for i, cell in enumerate(cells) if cell and (i >= len(header) or not header[i])]
        if stray:
            problems.append(InputProblem(source.label, number, "", f"{get_column_letter(stray[0] + 1)}列有内容但没有列名"))
        table.rows.append({code: cell for code, cell in zip(codes, cells) if code and cell})
        table.numbers.append(number)
    if len(problems) > before:
        table.rows, table.numbers, table.readable = [], [], False
        return table
    if not table.rows and not spec.optional:
        problems.append(InputProblem(source.label, None, "", "表格中没有数据行"))
    for row in table.rows:
        _read_values(row)
    return table


def _grid(source: TableSource, problems: list[InputProblem]) -> list[list[str]] | None:
    """The cells of a table file or sheet, or None (reported) when it cannot be read."""
    try:
        if source.sheet is not None:
            frame = _workbook(lambda: pd.read_excel(source.path, sheet_name=source.sheet, header=None, dtype=str,
                                                    keep_default_na=False, engine="openpyxl"))
            return [[str(cell).strip() for cell in row] for row in frame.values.tolist()]
        if _too_big(source.path, source.label, problems):
            return None
        return read_grid(source.path)
    except UnicodeDecodeError:
        problems.append(InputProblem(source.label, None, "", UNKNOWN_ENCODING))
    except TableFormatError as exc:
        header = next(csv.reader([_decode(source.path.read_bytes()).splitlines()[0]]), [])
        field = header[exc.column] if exc.column is not None and exc.column < len(header) else ""
        problems.append(InputProblem(source.label, exc.row, field, str(exc)))
    except OSError as exc:
        problems.append(InputProblem(source.label, None, "", f"无法读取文件: {os_reason(exc)}"))
    except (ValueError, csv.Error) as exc:
        problems.append(InputProblem(source.label, None, "", f"无法读取表格: {exc}"))
    return None


def _header_codes(label: str, header: list[str], spec: TableSpec, table: TableRead,
                  problems: list[InputProblem], implied: tuple[str, ...] = ()) -> list[str | None]:
    """The column code under each header cell (None for a blank or unknown one); header problems reported."""
    codes: list[str | None] = []
    for cell in header:
        code = spec.code_of(cell) if cell else None
        if cell and code is None:
            problems.append(InputProblem(label, 1, cell, f"未知的列, 可用的列: {spec.accepted()}"))
        elif code in table.headers:
            problems.append(InputProblem(label, 1, cell, f"列名重复 (与“{table.headers[code]}”是同一列)"))
            code = None
        elif code is not None:
            table.headers[code] = cell
        codes.append(code)
    # Name a missing column the way the table writes its others: in Chinese or as codes.
    chinese = any(not h.isascii() for h in table.headers.values())
    for code in spec.required:
        if code not in table.headers and code not in implied:
            column = spec.column(code)
            name, other = (column.header, code) if chinese else (code, column.header)
            problems.append(InputProblem(label, 1, name, f"缺少此列 (也可写作“{other}”)"))
    return codes


def _read_values(row: dict[str, Any]) -> None:
    """Lists split; level, category and flags written in Chinese turned into their codes."""
    if "avoid_teams" in row:
        row["avoid_teams"] = tuple(x for x in re.split(r"[;,，；、\s]+", row["avoid_teams"]) if x)
    for code, read in (("level", level_code), ("category", category_code), ("kind", decision_code)):
        if code in row:
            row[code] = read(row[code]) or row[code]
    for flag in FLAGS:
        if flag in row and flag_value(row[flag]) is not None:
            row[flag] = flag_value(row[flag])


def _dotted(loc: tuple[str | int, ...]) -> str:
    """('calendar', 'extra', 0, 'end') -> 'calendar.extra[0].end'."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def _rule_column(message: str, row: dict[str, Any], model: type[BaseModel]) -> tuple[str, str]:
    """The column a rule on a whole row blames, and its message: a message 'field: text' names
    its field (even an empty one); otherwise the first column the message names."""
    head, sep, text = message.partition(": ")
    if sep and head in model.model_fields:
        return head, text
    return _named_column(message, row), message


def _named_column(message: str, row: dict[str, Any]) -> str:
    """A rule on a whole row names the columns it concerns; blame the first one named."""
    named = [(m.start(), c) for c in row if (m := re.search(rf"\b{re.escape(c)}\b", message))]
    return min(named)[1] if named else ""


def _build(model: type[BaseModel], tables: list[TableRead], problems: list[InputProblem]):
    """One item per row, and where each came from.

    A row in error is reported under the header the user wrote and kept as a
    stand-in holding its valid cells, so that the checks across tables see
    every id and no false "unknown town" follows from a row with a typo.
    """
    built, origin = [], []
    for table in tables:
        for row, number in zip(table.rows, table.numbers):
            origin.append((table, number))
            try:
                built.append(model.model_validate(row))
                continue
            except ValidationError as exc:
                errors = exc.errors()
            for error in errors:
                message = error_message(error)
                code = _dotted(error["loc"])
                if not code:
                    code, message = _rule_column(message, row, model)
                problems.append(InputProblem(table.label, number, table.written(code),
                                             _cell_message(code, error, message)))
            built.append(_stand_in(model, row))
    return built, origin


def _cell_message(code: str, error: dict[str, Any], message: str) -> str:
    """What may be written in a cell of level, category or a flag, in the office's words."""
    value = shown_value(error.get("input"))
    if code == "category" and error["type"] == "value_error":
        return f"未知类别 '{value}', 应为: {accepted_categories()}"
    if code == "level" and error["type"] == "enum":
        return f"应为 {accepted_levels()} (填写为 '{value}')"
    if code == "kind" and error["type"] == "enum":
        return f"未知的锁定类型 '{value}', 应为: {accepted_decisions()}"
    if code in FLAGS and error["type"].startswith("bool"):
        return f"应为 是 或 否 (填写为 '{value}')"
    return message


def _stand_in(model: type[BaseModel], row: dict[str, Any]) -> BaseModel:
    """The row with each valid cell read as the model reads it, and defaults (or None) for the rest."""
    values = {}
    for name, info in model.model_fields.items():
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        try:
            values[name] = _field_adapter(model, name).validate_python(row[name]) if name in row else default
        except ValidationError:
            values[name] = default
    return model.model_construct(**values)


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".csv", ".xlsx"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()
