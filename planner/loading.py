"""Read a scenario folder (``scenario.yaml`` + tables) into a validated :class:`Scenario`.

Tables may be CSV in UTF-8, UTF-8 with BOM or GBK (what Excel and WPS on
Chinese Windows write), or ``.xlsx``. Every problem is collected and reported
with the file, the row as the spreadsheet numbers it (header = row 1) and the
field, so a clerk can find it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from planner.io import os_reason
from planner.scenario import DEFER_CROSS_CHECK, Scenario, Target, Team, cross_check

BUNDLED = "shangluo"
TABLE_SUFFIXES = (".csv", ".xlsx")

TARGET_REQUIRED = ("id", "name", "level", "category")
TARGET_OPTIONAL = (
    "county",
    "sector",
    "effort",
    "risk",
    "last_inspected",
    "town",
    "elevated",
    "follow_up",
    "avoid_teams",
)
VILLAGE_REQUIRED = ("id", "name", "county", "town")
VILLAGE_OPTIONAL = ("sector", "effort", "risk", "last_inspected", "follow_up", "avoid_teams")
TEAM_REQUIRED = (
    "id",
    "name",
    "level",
    "county",
    "leader_posts",
    "leader_filled",
    "deputy_posts",
    "deputy_filled",
    "liaison_posts",
    "liaison_filled",
)
BOOL_TRUE = {"1", "true", "yes", "y", "是", "√", "x"}
BOOL_FALSE = {"", "0", "false", "no", "n", "否"}
UNKNOWN_ENCODING = "文件编码无法识别 (应为 UTF-8、带BOM的UTF-8 或 GBK)"
# Far above any real scenario (the Shangluo tables are under 200 KB); a bigger file is a mistake.
MAX_FILE_BYTES = {".yaml": 2**20, ".csv": 16 * 2**20, ".xlsx": 16 * 2**20}


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


def one_line(text: str) -> str:
    """Line breaks and other control characters typed into a cell, shown escaped: one problem, one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def shown_value(value: object, width: int = 40) -> str:
    """A value as typed, for a message: on one line and cut short."""
    text = one_line(str(value))
    return text if len(text) <= width else text[:width] + "…"


class ScenarioError(Exception):
    """The scenario cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def bundled_scenario_path(name: str = BUNDLED) -> Path:
    """Folder of a scenario shipped with the package (works after ``pip install .``)."""
    return Path(str(resources.files("scenarios") / name))


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Load and validate the scenario folder at ``path`` (default: bundled Shangluo)."""
    folder = Path(path) if path else bundled_scenario_path()
    if not folder.is_dir():
        raise ScenarioError([InputProblem(str(folder), None, "", "场景目录不存在")])
    problems: list[InputProblem] = []
    config, yaml_root = _read_yaml(folder / "scenario.yaml", problems)
    target_rows, target_origin = _read_rows(folder, "targets", TARGET_REQUIRED, TARGET_OPTIONAL, problems)
    village_rows: list[dict[str, Any]] = []
    village_origin: list[tuple[str, int]] = []
    if _find_tables(folder, "villages"):
        village_rows, village_origin = _read_rows(
            folder, "villages", VILLAGE_REQUIRED, VILLAGE_OPTIONAL, problems, allow_empty=True
        )
        for row in village_rows:
            row.update(level="county", category="village")
    team_rows, team_origin = _read_rows(folder, "teams", TEAM_REQUIRED, (), problems)

    targets = _build(Target, target_rows + village_rows, target_origin + village_origin, problems)
    teams = _build(Team, team_rows, team_origin, problems)
    if problems:
        raise ScenarioError(problems)

    data = dict(config, targets=targets, teams=teams, source=str(folder.resolve()), sha256=_digest(folder))
    try:
        scenario = Scenario.model_validate(data, context={DEFER_CROSS_CHECK: True})
    except ValidationError as exc:
        raise ScenarioError(
            [_yaml_problem(yaml_root, _dotted(e["loc"]), error_message(e)) for e in exc.errors()]
        ) from None
    origins = {"targets": target_origin + village_origin, "teams": team_origin}
    items = {"targets": scenario.targets, "teams": scenario.teams}
    for p in cross_check(scenario):
        if p.table == "scenario":
            problems.append(_yaml_problem(yaml_root, p.field, p.message))
        elif p.index is None:
            problems.append(InputProblem(_table_name(folder, p.table), None, p.field, p.message))
        else:
            file, row = origins[p.table][p.index]
            message = p.message
            if p.field == "id":
                # cross_check flags the later copy; point at the first one too.
                first = _first_with_id(items[p.table], items[p.table][p.index].id)
                first_file, first_row = origins[p.table][first]
                where = f"第{first_row}行" if first_file == file else f" {first_file} 第{first_row}行"
                message += f" (与{where}重复)"
            problems.append(InputProblem(file, row, p.field, message))
    if problems:
        raise ScenarioError(problems)
    return scenario


def _first_with_id(items: tuple[Any, ...], item_id: str) -> int:
    return next(i for i, item in enumerate(items) if item.id == item_id)


class DatesAsTextLoader(yaml.SafeLoader):
    """Leave dates as text: pydantic then reports a bad date with its field."""


DatesAsTextLoader.add_constructor("tag:yaml.org,2002:timestamp", DatesAsTextLoader.construct_yaml_str)


def _read_yaml(path: Path, problems: list[InputProblem]) -> tuple[dict[str, Any], yaml.Node | None]:
    """The settings and their node tree (to find the line of a key)."""
    if not path.is_file():
        problems.append(InputProblem(path.name, None, "", "缺少文件"))
        return {}, None
    try:
        if _too_big(path, problems):
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
    for key in ("targets", "teams", "source", "sha256"):
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


def _too_big(path: Path, problems: list[InputProblem]) -> bool:
    limit = MAX_FILE_BYTES.get(path.suffix, MAX_FILE_BYTES[".csv"])
    size = path.stat().st_size
    if size > limit:
        problems.append(InputProblem(path.name, None, "", f"文件过大 ({size / 2**20:.1f} MB, 上限 {limit / 2**20:.0f} MB)"))
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


def _find_tables(folder: Path, stem: str) -> list[Path]:
    return [folder / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES if (folder / f"{stem}{suffix}").is_file()]


def _table_name(folder: Path, stem: str) -> str:
    found = _find_tables(folder, stem)
    return found[0].name if found else f"{stem}.csv"


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
        try:
            frame = pd.read_excel(path, header=None, dtype=str, keep_default_na=False, engine="openpyxl")
        except OSError:
            raise
        except Exception:
            # openpyxl raises whatever its zip and XML layers raise on a damaged or foreign file.
            raise ValueError("不是有效的 Excel 工作簿 (.xlsx)") from None
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


def _read_rows(
    folder: Path,
    stem: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[InputProblem],
    allow_empty: bool = False,
) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """Non-blank rows as {column: text} without blanks, and their (file, row)."""
    found = _find_tables(folder, stem)
    if not found:
        problems.append(InputProblem(f"{stem}.csv", None, "", f"缺少文件 ({stem}.csv 或 {stem}.xlsx)"))
        return [], []
    path = found[0]
    if len(found) > 1:
        problems.append(InputProblem(path.name, None, "", f"{' 与 '.join(p.name for p in found)} 同时存在, 请只保留一个"))
        return [], []
    try:
        if _too_big(path, problems):
            return [], []
        grid = read_grid(path)
    except UnicodeDecodeError:
        problems.append(InputProblem(path.name, None, "", UNKNOWN_ENCODING))
        return [], []
    except TableFormatError as exc:
        header = next(csv.reader([_decode(path.read_bytes()).splitlines()[0]]), [])
        field = header[exc.column] if exc.column is not None and exc.column < len(header) else ""
        problems.append(InputProblem(path.name, exc.row, field, str(exc)))
        return [], []
    except OSError as exc:
        problems.append(InputProblem(path.name, None, "", f"无法读取文件: {os_reason(exc)}"))
        return [], []
    except (ValueError, csv.Error) as exc:
        problems.append(InputProblem(path.name, None, "", f"无法读取表格: {exc}"))
        return [], []
    if not grid:
        problems.append(InputProblem(path.name, None, "", "文件为空"))
        return [], []
    before = len(problems)
    header = grid[0]
    named = [c for c in header if c]
    for column in required:
        if column not in named:
            problems.append(InputProblem(path.name, 1, column, "缺少此列"))
    for column in sorted({c for c in named if named.count(c) > 1}):
        problems.append(InputProblem(path.name, 1, column, "列名重复"))
    for column in named:
        if column not in required + optional:
            problems.append(InputProblem(path.name, 1, column, f"未知的列, 可用的列: {', '.join(required + optional)}"))
    rows: list[dict[str, Any]] = []
    origin: list[tuple[str, int]] = []
    for number, cells in enumerate(grid[1:], start=2):
        if not any(cells):
            continue
        stray = [i for i, cell in enumerate(cells) if cell and (i >= len(header) or not header[i])]
        if stray:
            problems.append(InputProblem(path.name, number, "", f"{get_column_letter(stray[0] + 1)}列有内容但没有列名"))
        rows.append({column: cell for column, cell in zip(header, cells) if column and cell})
        origin.append((path.name, number))
    if len(problems) > before:
        return [], []
    if not rows and not allow_empty:
        problems.append(InputProblem(path.name, None, "", "表格中没有数据行"))
    for row in rows:
        if "avoid_teams" in row:
            row["avoid_teams"] = tuple(x for x in re.split(r"[;,，；、\s]+", row["avoid_teams"]) if x)
        for flag in ("elevated", "follow_up"):
            if flag in row and row[flag].lower() in BOOL_TRUE | BOOL_FALSE:
                row[flag] = row[flag].lower() in BOOL_TRUE
    return rows, origin


_MESSAGES = {
    "missing": "必填项为空",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 1/0 或 true/false",
    "bool_type": "应为 1/0 或 true/false",
    "date_from_datetime_parsing": "应为日期 (YYYY-MM-DD)",
    "date_parsing": "应为日期 (YYYY-MM-DD)",
    "date_type": "应为日期 (YYYY-MM-DD)",
    "string_type": "应为文字",
    "model_type": "应为一组设置 (名称: 值)",
    "dict_type": "应为一组设置 (名称: 值)",
    "list_type": "应为列表, 如 [甲, 乙]",
    "tuple_type": "应为列表, 如 [甲, 乙]",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "不能为空",
    "string_too_long": "过长, 不能超过 {max_length} 个字",
    "string_pattern_mismatch": "不能含换行",
    "too_long": "过多, 不能超过 {max_length} 项",
    "enum": "应为 {expected}",
    "extra_forbidden": "未知的字段, 请检查拼写",
    "value_error": "{error}",
}


def error_message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(error["type"])
    text = error["msg"] if template is None else template.format(**(error.get("ctx") or {}))
    value = error.get("input")
    if isinstance(value, (str, int, float)) and str(value) not in text:
        text += f" (填写为 '{shown_value(value)}')"
    return text


def _dotted(loc: tuple[str | int, ...]) -> str:
    """('calendar', 'extra', 0, 'end') -> 'calendar.extra[0].end'."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def _named_column(message: str, row: dict[str, Any]) -> str:
    """A rule on a whole row names the columns it concerns; blame the first one named."""
    named = [(m.start(), c) for c in row if (m := re.search(rf"\b{re.escape(c)}\b", message))]
    return min(named)[1] if named else ""


def _build(model: type, rows: list[dict[str, Any]], origin: list[tuple[str, int]], problems: list[InputProblem]):
    built = []
    for row, (file, line) in zip(rows, origin):
        try:
            built.append(model.model_validate(row))
        except ValidationError as exc:
            for error in exc.errors():
                message = error_message(error)
                field = _dotted(error["loc"]) or _named_column(message, row)
                problems.append(InputProblem(file, line, field, message))
    return built


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".csv", ".xlsx"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()
