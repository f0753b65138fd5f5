"""The exported plan: ``assignments.csv`` + ``plan.json`` in a plan directory.

This is the contract between the solver and everything downstream (checker,
charts, printouts, what-if comparisons): those read a plan directory through
:func:`read_plan` and never touch solver objects.

``assignments.csv`` (UTF-8 with BOM) has one row per (round, team, target);
its first columns are :data:`ASSIGNMENT_COLUMNS`, in that order:

- ``round``: 1..N in start order, within the city level or within one county;
- ``kind``: regular, special, cross or follow_up;
- ``level``: city or county; ``county``: the county whose committee runs the
  round (empty for the city);
- ``team``: team id; ``target``: target id (empty for a special round, whose
  theme is in ``target_name``); ``category`` and ``target_county`` describe
  the target;
- ``onsite_start``/``onsite_end`` and ``busy_start``/``busy_end``: ISO dates,
  inclusive; busy = preparation + on-site + report;
- ``team_size``: people who go out (filled posts + drafted leader + drafted);
  ``drafted``: drafted cadres other than the leader; ``leader``: permanent or
  drafted.

The file is opened in Excel, and unit names come from spreadsheets people
typed: a text cell starting with ``=``, ``+``, ``-``, ``@`` (which Excel would
run as a formula) or with ``'`` is written with one more ``'`` in front, and
:func:`read_assignments` takes it off again, so what is read back is what was
planned.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.io import os_reason
from planner.loading import TableFormatError, csv_rows, shown_value
from planner.vocabulary import FIRST_YEAR, INT32_MAX, LAST_YEAR, MAX_NAME_CHARS

ASSIGNMENT_COLUMNS = (
    "round",
    "kind",
    "level",
    "county",
    "team",
    "target",
    "target_name",
    "category",
    "target_county",
    "onsite_start",
    "onsite_end",
    "busy_start",
    "busy_end",
    "team_size",
    "drafted",
    "leader",
)
EXTRA_COLUMNS = ("sector", "round_start", "round_end", "team_name", "linked_sectors")
DATE_COLUMNS = ("onsite_start", "onsite_end", "busy_start", "busy_end")
INT_COLUMNS = ("round", "team_size", "drafted")
ASSIGNMENTS_FILE = "assignments.csv"
PLAN_FILE = "plan.json"
SUMMARY_FILE = "summary.md"
SCENARIO_FILE = "scenario.json"  # the scenario as drafted (see planner.replan)
PLAN_MARKERS = (ASSIGNMENTS_FILE, PLAN_FILE)  # a folder holding one of these is an earlier plan
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
MAX_CELL_CHARS = MAX_NAME_CHARS  # a plan's cells hold ids and names of the scenario


class PlanReadError(Exception):
    """A plan directory cannot be read; the message names file, row and field."""


@dataclass(frozen=True)
class PlanDir:
    """A plan as read back from disk."""

    path: Path
    assignments: pd.DataFrame
    meta: dict[str, Any]


def assignments_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise in the exported column order, UTF-8 with BOM for Excel."""
    columns = list(ASSIGNMENT_COLUMNS) + [c for c in frame.columns if c not in ASSIGNMENT_COLUMNS]
    out = frame[columns].copy()
    for column in DATE_COLUMNS:
        out[column] = out[column].map(lambda d: d.isoformat() if isinstance(d, dt.date) else d)
    out = out.map(_as_text_cell)
    return out.to_csv(index=False).encode("utf-8-sig")


def _as_text_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS + (TEXT_MARK,)):
        return TEXT_MARK + value
    return value


def read_assignments(path: Path) -> pd.DataFrame:
    """Read ``assignments.csv``; dates become ``datetime.date``, counts ``int``."""
    try:
        rows = csv_rows(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PlanReadError(f"{path.name}: 文件编码无法识别 (应为 UTF-8)") from None
    except TableFormatError as exc:
        raise PlanReadError(f"{path.name}, 第{exc.row}行: {exc}") from None
    except OSError as exc:
        raise PlanReadError(f"{path.name}: 无法读取 ({os_reason(exc)})") from None
    if not rows:
        raise PlanReadError(f"{path.name}: 文件为空")
    header = rows[0]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise PlanReadError(f"{path.name}, 第1行, 字段 {shown_value(duplicated[0])}: 列名重复")
    body, numbers = [], []  # the rows and their numbers as a spreadsheet shows them
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) != len(header):
            raise PlanReadError(f"{path.name}, 第{number}行: 有 {len(row)} 个单元格, 表头有 {len(header)} 列")
        body.append(row)
        numbers.append(number)
    frame = pd.DataFrame(body, columns=header, dtype=object)
    missing = [c for c in ASSIGNMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise PlanReadError(f"{path.name}, 第1行: 缺少列 {', '.join(missing)}")
    for column in frame.columns:
        for number, value in zip(numbers, frame[column]):
            if len(value) > MAX_CELL_CHARS:
                raise PlanReadError(f"{path.name}, 第{number}行, 字段 {shown_value(column)}: 超过 {MAX_CELL_CHARS} 个字 "
                                    f"('{shown_value(value, 20)}')")
    frame = frame.map(lambda value: value[1:] if value.startswith(TEXT_MARK) else value)
    for column in DATE_COLUMNS:
        frame[column] = [_parse(path, n, column, v, _date) for n, v in zip(numbers, frame[column])]
    for column in INT_COLUMNS:
        frame[column] = [_parse(path, n, column, v, _count) for n, v in zip(numbers, frame[column])]
    return frame


class _OutOfRange(ValueError):
    """A value that parses but that no plan holds; the message says the range."""


def _date(text: str) -> dt.date:
    """An ISO date a plan can hold: its busy span reaches a little before and after the horizon."""
    day = dt.date.fromisoformat(text)
    if not FIRST_YEAR - 1 <= day.year <= LAST_YEAR + 1:
        raise _OutOfRange(f"应在 {FIRST_YEAR - 1} 至 {LAST_YEAR + 1} 年之间")
    return day


def _count(text: str) -> int:
    number = int(text)
    if not 0 <= number <= INT32_MAX:
        raise _OutOfRange(f"应为 0 至 {INT32_MAX} 之间的整数")
    return number


def _parse(path: Path, number: int, column: str, value: str, convert):
    try:
        return convert(value)
    except ValueError as exc:
        reason = str(exc) if isinstance(exc, _OutOfRange) else "无法识别"
        raise PlanReadError(f"{path.name}, 第{number}行, 字段 {column}: {reason} (填写为 '{shown_value(value)}')") from None


def read_plan(plan_dir: str | Path) -> PlanDir:
    """Read a plan directory written by ``xuncha plan``."""
    path = Path(plan_dir)
    if not (path / ASSIGNMENTS_FILE).is_file():
        raise PlanReadError(f"{path}: 不是方案目录 (缺少 {ASSIGNMENTS_FILE})")
    meta: dict[str, Any] = {}
    if (path / PLAN_FILE).is_file():
        try:
            meta = json.loads((path / PLAN_FILE).read_text(encoding="utf-8"))
        except OSError as exc:
            raise PlanReadError(f"{PLAN_FILE}: 无法读取 ({os_reason(exc)})") from None
        except json.JSONDecodeError as exc:
            raise PlanReadError(f"{PLAN_FILE}, 第{exc.lineno}行: 不是有效的 JSON") from None
        except UnicodeDecodeError:
            raise PlanReadError(f"{PLAN_FILE}: 文件编码无法识别 (应为 UTF-8)") from None
        if not isinstance(meta, dict):
            raise PlanReadError(f"{PLAN_FILE}: 应为一组 \"名称\": 值 (JSON 对象)")
    return PlanDir(path=path, assignments=read_assignments(path / ASSIGNMENTS_FILE), meta=meta)
