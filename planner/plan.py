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
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

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
    return out.to_csv(index=False).encode("utf-8-sig")


def read_assignments(path: Path) -> pd.DataFrame:
    """Read ``assignments.csv``; dates become ``datetime.date``, counts ``int``."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise PlanReadError(f"{path.name}: 无法读取 ({exc})") from None
    missing = [c for c in ASSIGNMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise PlanReadError(f"{path.name}, 第1行: 缺少列 {', '.join(missing)}")
    for column in DATE_COLUMNS:
        frame[column] = [_parse(path, i, column, v, dt.date.fromisoformat) for i, v in enumerate(frame[column])]
    for column in INT_COLUMNS:
        frame[column] = [_parse(path, i, column, v, int) for i, v in enumerate(frame[column])]
    return frame


def _parse(path: Path, index: int, column: str, value: str, convert):
    try:
        return convert(value)
    except ValueError:
        raise PlanReadError(f"{path.name}, 第{index + 2}行, 字段 {column}: 无法识别 '{value}'") from None


def read_plan(plan_dir: str | Path) -> PlanDir:
    """Read a plan directory written by ``xuncha plan``."""
    path = Path(plan_dir)
    if not (path / ASSIGNMENTS_FILE).is_file():
        raise PlanReadError(f"{path}: 不是方案目录 (缺少 {ASSIGNMENTS_FILE})")
    meta: dict[str, Any] = {}
    if (path / PLAN_FILE).is_file():
        try:
            meta = json.loads((path / PLAN_FILE).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise PlanReadError(f"{PLAN_FILE}: 无法读取 ({exc})") from None
    return PlanDir(path=path, assignments=read_assignments(path / ASSIGNMENTS_FILE), meta=meta)
