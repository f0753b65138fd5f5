"""Read a scenario folder (``scenario.yaml`` + tables) into a validated :class:`Scenario`.

Tables may be CSV in UTF-8, UTF-8 with BOM or GBK (what Excel and WPS on
Chinese Windows write), or ``.xlsx``. Every problem is collected and reported
with the file, the row as the spreadsheet numbers it (header = row 1) and the
field, so a clerk can find it.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError

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
        return f"{', '.join(where)}: {self.message}"


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
    config = _read_yaml(folder / "scenario.yaml", problems)
    target_rows, target_origin = _read_rows(folder, "targets", TARGET_REQUIRED, problems)
    village_rows: list[dict[str, Any]] = []
    village_origin: list[tuple[str, int]] = []
    if _find_table(folder, "villages"):
        village_rows, village_origin = _read_rows(folder, "villages", VILLAGE_REQUIRED, problems)
        for row in village_rows:
            row.update(level="county", category="village")
    team_rows, team_origin = _read_rows(folder, "teams", TEAM_REQUIRED, problems)

    targets = _build(Target, target_rows + village_rows, target_origin + village_origin, problems)
    teams = _build(Team, team_rows, team_origin, problems)
    if problems:
        raise ScenarioError(problems)

    data = dict(config, targets=targets, teams=teams, source=str(folder), sha256=_digest(folder))
    try:
        scenario = Scenario.model_validate(data, context={DEFER_CROSS_CHECK: True})
    except ValidationError as exc:
        raise ScenarioError(_yaml_problems(exc, folder / "scenario.yaml")) from None
    origins = {"targets": target_origin + village_origin, "teams": team_origin}
    for p in cross_check(scenario):
        if p.table == "scenario":
            problems.append(InputProblem("scenario.yaml", None, p.field, p.message))
        elif p.index is None:
            problems.append(InputProblem(_table_name(folder, p.table), None, p.field, p.message))
        else:
            file, row = origins[p.table][p.index]
            problems.append(InputProblem(file, row, p.field, p.message))
    if problems:
        raise ScenarioError(problems)
    return scenario


def _read_yaml(path: Path, problems: list[InputProblem]) -> dict[str, Any]:
    if not path.is_file():
        problems.append(InputProblem(path.name, None, "", "缺少文件"))
        return {}
    try:
        text = _decode(path.read_bytes())
        data = yaml.safe_load(text) or {}
    except UnicodeDecodeError:
        problems.append(InputProblem(path.name, None, "", "文件编码无法识别 (应为 UTF-8、带BOM的UTF-8 或 GBK)"))
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        problems.append(InputProblem(path.name, row, "", f"YAML 格式错误: {getattr(exc, 'problem', exc)}"))
        return {}
    if not isinstance(data, dict):
        problems.append(InputProblem(path.name, None, "", "顶层应为键值对"))
        return {}
    for key in ("targets", "teams", "source", "sha256"):
        if key in data:
            problems.append(InputProblem(path.name, None, key, "此项由表格或程序给出, 不能写在 scenario.yaml 中"))
    return data


def _find_table(folder: Path, stem: str) -> Path | None:
    for suffix in TABLE_SUFFIXES:
        if (folder / f"{stem}{suffix}").is_file():
            return folder / f"{stem}{suffix}"
    return None


def _table_name(folder: Path, stem: str) -> str:
    found = _find_table(folder, stem)
    return found.name if found else f"{stem}.csv"


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


def read_frame(path: Path) -> pd.DataFrame:
    """A table as strings, blanks as ''. Raises UnicodeDecodeError or ValueError."""
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    else:
        frame = pd.read_csv(io.StringIO(_decode(path.read_bytes())), dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def _read_rows(
    folder: Path, stem: str, required: tuple[str, ...], problems: list[InputProblem]
) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    path = _find_table(folder, stem)
    if path is None:
        problems.append(InputProblem(f"{stem}.csv", None, "", "缺少文件"))
        return [], []
    try:
        frame = read_frame(path)
    except UnicodeDecodeError:
        problems.append(InputProblem(path.name, None, "", "文件编码无法识别 (应为 UTF-8、带BOM的UTF-8 或 GBK)"))
        return [], []
    except (ValueError, pd.errors.ParserError, OSError) as exc:
        problems.append(InputProblem(path.name, None, "", f"无法读取表格: {exc}"))
        return [], []
    missing = [c for c in required if c not in frame.columns]
    for column in missing:
        problems.append(InputProblem(path.name, 1, column, "缺少此列"))
    if missing:
        return [], []
    rows = [{k: v for k, v in row.items() if v != ""} for row in frame.to_dict("records")]
    for row in rows:
        if "avoid_teams" in row:
            row["avoid_teams"] = tuple(x for x in re.split(r"[;,，；、\s]+", row["avoid_teams"]) if x)
        for flag in ("elevated", "follow_up"):
            if flag in row and row[flag].lower() in BOOL_TRUE | BOOL_FALSE:
                row[flag] = row[flag].lower() in BOOL_TRUE
    return rows, [(path.name, i + 2) for i in range(len(rows))]


_MESSAGES = {
    "missing": "必填项为空",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 是/否 (1/0)",
    "date_from_datetime_parsing": "应为日期 (YYYY-MM-DD)",
    "date_parsing": "应为日期 (YYYY-MM-DD)",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "不能为空",
    "enum": "应为 {expected}",
    "extra_forbidden": "未知的字段",
}


def _message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(error["type"])
    value = error.get("input")
    shown = f" (填写为 '{value}')" if isinstance(value, (str, int, float)) else ""
    if template is None:
        return f"{error['msg']}{shown}"
    return template.format(**(error.get("ctx") or {})) + shown


def _build(model: type, rows: list[dict[str, Any]], origin: list[tuple[str, int]], problems: list[InputProblem]):
    built = []
    for row, (file, line) in zip(rows, origin):
        try:
            built.append(model.model_validate(row))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(x) for x in error["loc"]) if error["loc"] else ""
                problems.append(InputProblem(file, line, field, _message(error)))
    return built


def _yaml_problems(exc: ValidationError, path: Path) -> list[InputProblem]:
    return [
        InputProblem(path.name, None, ".".join(str(x) for x in e["loc"]), _message(e)) for e in exc.errors()
    ]


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".csv", ".xlsx"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()
