"""Fuzzing the doors of the tool: the scenario loader and ``check`` (issue 13).

Whatever the input, ``validate`` and ``check`` end with an exit code a script
can act on and lines a person can read, never a traceback: 0 or 2 for a
scenario (2 with one located line per problem), 0, 1 or 2 for a plan. A plan
mutated so that it breaks a rule the checker knows never passes. The budget
is set by the hypothesis profile in conftest.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, note
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from scenario_edits import TINY

runner = CliRunner()
TABLES = ("targets.csv", "teams.csv", "villages.csv")
FILES = ("scenario.yaml", *TABLES)
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Cells a clerk or a careless script may type: quoting, separators, line breaks, odd numbers and dates.
NASTY = ('"', '""', '"x', 'x"', ",", ";", "\n", "\r\n", "\t", " ", "=1+1", "-1", "0", "1.5", "1e400", "nan", "inf",
         "9" * 30, "2027-02-30", "9999-12-31", "0001-01-01", "是", "√", "city", "county", "village", "T1", "A1", "P1",
         "甲县", "\ufeff", "\u200b", "长" * 200)
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=12), st.integers(-(2**70), 2**70).map(str))
encodings = st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-32", "latin-1", "cp1252"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=8),
                    st.dates(), st.sampled_from(["2027-01-01", "city", "-", "~", "*a", "&a x"]))
shapes = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


def _paths(node, prefix=()) -> Iterator[tuple]:
    """Every key path of a YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


YAML_PATHS = sorted(_paths(yaml.safe_load((TINY / "scenario.yaml").read_text(encoding="utf-8"))), key=str)


@pytest.fixture(autouse=True, scope="module")
def private_temp_folder(tmp_path_factory) -> Iterator[None]:
    """Error logs of an unexpected failure go here, not into the machine's temp folder."""
    saved = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("logs"))
    yield
    tempfile.tempdir = saved


@contextmanager
def copy_of(source: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(shutil.copytree(source, Path(tmp) / source.name))


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


# --- edits to a scenario folder --------------------------------------------------------------------


@dataclass(frozen=True)
class CellEdit:
    """One cell of a data row set to ``text``, quoted as a spreadsheet program would."""

    table: str
    row: int
    column: int
    text: str

    def __call__(self, folder: Path) -> int:
        rows = _rows(folder / self.table)
        row = 1 + self.row % (len(rows) - 1)
        rows[row][self.column % len(rows[row])] = self.text
        _write_rows(folder / self.table, rows)
        return row + 1  # the row as the spreadsheet numbers it


@dataclass(frozen=True)
class RawBytes:
    """Bytes inserted anywhere in a file: broken quoting, stray separators, foreign encodings."""

    file: str
    at: int
    data: bytes

    def __call__(self, folder: Path) -> None:
        raw = (folder / self.file).read_bytes()
        at = self.at % (len(raw) + 1)
        (folder / self.file).write_bytes(raw[:at] + self.data + raw[at:])


@dataclass(frozen=True)
class Reencoded:
    file: str
    encoding: str

    def __call__(self, folder: Path) -> None:
        text = (folder / self.file).read_text(encoding="utf-8")
        (folder / self.file).write_bytes(text.encode(self.encoding, errors="replace"))


@dataclass(frozen=True)
class YamlShape:
    """One setting of scenario.yaml (or the whole file) replaced by an arbitrary YAML value."""

    path: tuple
    value: object

    def __call__(self, folder: Path) -> None:
        file = folder / "scenario.yaml"
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if not self.path:
            data = self.value
        else:
            node = data
            for part in self.path[:-1]:
                node = node[part]
            node[self.path[-1]] = self.value
        file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@dataclass(frozen=True)
class YamlLines:
    """Raw lines added to scenario.yaml: keys given twice, anchors, tabs, half a mapping."""

    lines: str

    def __call__(self, folder: Path) -> None:
        with (folder / "scenario.yaml").open("a", encoding="utf-8") as handle:
            handle.write(self.lines)


cell_edits = st.builds(CellEdit, st.sampled_from(TABLES), st.integers(0, 20), st.integers(0, 20), cells)
scenario_edits = st.one_of(
    cell_edits,
    st.builds(RawBytes, st.sampled_from(FILES), st.integers(0, 2000),
              st.one_of(st.binary(max_size=6), st.sampled_from([b'"', b",", b"\n", b"\xff\xfe", b"\x00", b"\xe4\xb8"]))),
    st.builds(Reencoded, st.sampled_from(FILES), encodings),
    st.builds(YamlShape, st.sampled_from([(), *YAML_PATHS]), shapes),
    st.builds(YamlLines, st.sampled_from([
        "staff:\n  city: {drafted_pool: 3, leader_pool: 1}\n", "horizon: {start: 2027-01-01}\n", "x: &a [1, 2]\ny: *a\n",
        "\tcounties: [甲县]\n", "names:\n  committee:\n", "rounds: {regular: {onsite_weeks: 0}}\n", ": x\n",
        "counties: [甲县, 甲县, 丙县]\n", "weights: {risk_first: 99999999999}\n",
    ])),
)


def validate(folder: Path):
    result = runner.invoke(app, ["validate", str(folder)])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed and "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 2), result.output
    return result


@given(edit=scenario_edits)
def test_any_scenario_edit_ends_in_a_located_message_or_a_pass(edit):
    note(repr(edit))
    with copy_of(TINY) as folder:
        edited_row = edit(folder)
        result = validate(folder)
    if result.exit_code == 0:
        return
    header, *lines = result.stderr.splitlines()
    assert re.fullmatch(r"场景数据有误 \(\d+ 处\):", header)
    assert lines
    for line in lines:
        assert line.split(",")[0].split(":")[0] in FILES or line.startswith(str(folder)), line
        assert CHINESE.search(line), line
    if isinstance(edit, CellEdit) and "\x00" not in edit.text:
        # A bad cell is found by its row (in its own table or in a table that refers to it).
        assert any(re.search(r", 第\d+行", line) for line in lines), (edited_row, lines)


@given(edit=cell_edits)
def test_a_bad_cell_is_found_by_its_row_or_by_the_row_that_refers_to_it(edit):
    """A cell that breaks its own row is named by that row; one that breaks a reference (an id,
    a town, a category another table relies on) is named by the referring row in the other table."""
    if "\x00" in edit.text:
        return  # a NUL byte makes the file binary: refused as a whole
    with copy_of(TINY) as folder:
        row = edit(folder)
        result = validate(folder)
    if result.exit_code == 0:
        return
    lines = result.stderr.splitlines()[1:]
    own = [line for line in lines if line.startswith(f"{edit.table}, ")]
    others = [line for line in lines if not line.startswith(f"{edit.table}, ")]
    assert any(f"第{row}行" in line for line in own) or any(re.search(r", 第\d+行", line) for line in others), lines


# --- check on mutated plans ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> Path:
    """A plan of the tiny scenario, drafted once for the module."""
    root = tmp_path_factory.mktemp("fuzz")
    scenario = shutil.copytree(TINY, root / "scen")
    result = runner.invoke(app, ["plan", str(scenario), "--out", str(root / "plan"), "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    return root / "plan"


def read(plan: Path) -> pd.DataFrame:
    return pd.read_csv(plan / "assignments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write(plan: Path, frame: pd.DataFrame) -> None:
    (plan / "assignments.csv").write_bytes(frame.to_csv(index=False).encode("utf-8-sig"))


def _regular(frame: pd.DataFrame, pick: int) -> int:
    rows = frame.index[frame["kind"] == "regular"]
    return rows[pick % len(rows)]


def _team_round(frame: pd.DataFrame, pick: int) -> pd.Series:
    """Rows of one team in one round."""
    index = frame.index[pick % len(frame)]
    return (frame["round"] == frame.at[index, "round"]) & (frame["team"] == frame.at[index, "team"])


def _shift(frame: pd.DataFrame, rows: pd.Series, days: int) -> None:
    for column in ("onsite_start", "onsite_end", "busy_start", "busy_end"):
        frame.loc[rows, column] = [str(dt.date.fromisoformat(d) + dt.timedelta(days=days)) for d in frame.loc[rows, column]]


def drop_a_target(frame, pick):  # 全覆盖: a unit never inspected
    return frame.drop(frame.index[frame["target"] == frame.at[_regular(frame, pick), "target"]])


def inspect_a_target_twice(frame, pick):  # 全覆盖: a unit inspected in two rounds
    row = frame.loc[[_regular(frame, pick)]].copy()
    other = sorted(set(frame["round"]) - {row["round"].iloc[0]})
    row["round"] = other[pick % len(other)]
    return pd.concat([frame, row], ignore_index=True)


def oversize_a_team(frame, pick):  # 人员配备: more people than the kind's working size allows
    frame.loc[_team_round(frame, pick), "team_size"] = "99"
    return frame


def go_on_site_at_spring_festival(frame, pick):  # 禁止进驻时段: on site in the 2027 Spring Festival
    rows = _team_round(frame, pick)
    start = dt.date.fromisoformat(frame.loc[rows, "onsite_start"].iloc[0])
    _shift(frame, rows, (dt.date(2027, 2, 1) - start).days)
    return frame


def leave_the_horizon(frame, pick):  # 规划期: work after the term ends
    _shift(frame, _team_round(frame, pick), 400)
    return frame


def unknown_team(frame, pick):  # 表格取值
    frame.loc[_team_round(frame, pick), "team"] = "T9"
    return frame


def unknown_kind(frame, pick):
    frame.loc[_team_round(frame, pick), "kind"] = "audit"
    return frame


def unknown_leader(frame, pick):
    frame.loc[_team_round(frame, pick), "leader"] = "acting"
    return frame


def county_level_in_a_city_plan(frame, pick):
    frame.loc[_team_round(frame, pick), "level"] = "county"
    return frame


def draft_beyond_the_pool(frame, pick):  # 抽调不超过人才库 and the working size
    rows = _team_round(frame, pick)
    size, drafted = (int(frame.loc[rows, column].iloc[0]) for column in ("team_size", "drafted"))
    frame.loc[rows, "drafted"] = "7"  # the tiny scenario's city pool is 6
    frame.loc[rows, "team_size"] = str(size + 7 - drafted)
    return frame


BREAKS = [drop_a_target, inspect_a_target_twice, oversize_a_team, go_on_site_at_spring_festival, leave_the_horizon,
          unknown_team, unknown_kind, unknown_leader, county_level_in_a_city_plan, draft_beyond_the_pool]


def check(plan: Path):
    result = runner.invoke(app, ["check", str(plan)])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed and "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), result.output
    return result


def test_the_unmutated_plan_passes(drafted):
    assert check(drafted).exit_code == 0


@given(breaks=st.lists(st.sampled_from(BREAKS), min_size=1, max_size=3), picks=st.lists(st.integers(0, 10**6), min_size=3,
                                                                                      max_size=3))
def test_a_plan_that_breaks_a_known_rule_never_passes(drafted, breaks, picks):
    with copy_of(drafted) as plan:
        frame = read(plan)
        for mutate, pick in zip(breaks, picks):
            frame = mutate(frame, pick)
        write(plan, frame)
        result = check(plan)
    assert result.exit_code == 1, result.output
    assert "检查未通过" in result.stdout


@dataclass(frozen=True)
class PlanCell:
    row: int
    column: int
    text: str

    def __call__(self, plan: Path) -> None:
        try:
            frame = read(plan)
        except ValueError:
            return  # an earlier edit left no table to edit
        if len(frame) and len(frame.columns):
            frame.iat[self.row % len(frame), self.column % len(frame.columns)] = self.text
            write(plan, frame)


@dataclass(frozen=True)
class PlanMeta:
    """plan.json with one field set to an arbitrary value (or replaced whole)."""

    key: str
    value: object

    def __call__(self, plan: Path) -> None:
        try:
            meta = json.loads((plan / "plan.json").read_text(encoding="utf-8"))
        except ValueError:
            meta = {}  # an earlier edit broke the file
        meta = self.value if not self.key or not isinstance(meta, dict) else meta | {self.key: self.value}
        (plan / "plan.json").write_text(json.dumps(meta, default=str), encoding="utf-8")


@dataclass(frozen=True)
class Truncated:
    file: str
    keep: int

    def __call__(self, plan: Path) -> None:
        raw = (plan / self.file).read_bytes()
        (plan / self.file).write_bytes(raw[: self.keep % (len(raw) + 1)])


PLAN_FILES = ["assignments.csv", "plan.json", "assignments.xlsx", "scenario.json"]
plan_edits = st.one_of(
    st.builds(PlanCell, st.integers(0, 100), st.integers(0, 30), cells),
    st.builds(PlanMeta, st.sampled_from(["", "level", "overrides", "scenario_source", "scenario_sha256", "county"]), shapes),
    st.builds(Truncated, st.sampled_from(PLAN_FILES), st.integers(0, 5000)),
    st.builds(RawBytes, st.sampled_from(PLAN_FILES), st.integers(0, 5000),
              st.one_of(st.binary(max_size=6), st.sampled_from([b'"', b",", b"\n", b"\xff", b"\x00"]))),
)


@given(edits=st.lists(plan_edits, min_size=1, max_size=3))
def test_any_damage_to_a_plan_ends_in_a_verdict_or_a_located_refusal(drafted, edits):
    note(repr(edits))
    with copy_of(drafted) as plan:
        for edit in edits:
            edit(plan)
        result = check(plan)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert lines and all(CHINESE.search(line) for line in lines), result.stderr
        assert re.search(r"assignments\.(csv|xlsx)|plan\.json|scenario\.(yaml|json)|场景|方案", result.stderr), result.stderr


def test_dates_and_counts_a_plan_cannot_hold_are_refused_by_row_and_field(drafted):
    edits: list[Callable[[Path], None]] = [PlanCell(0, 9, "0001-01-01"), PlanCell(1, 13, "-3"), PlanCell(2, 14, "9" * 20)]
    for edit, field in zip(edits, ("onsite_start", "team_size", "drafted")):
        with copy_of(drafted) as plan:
            edit(plan)
            result = check(plan)
        assert result.exit_code == 2
        assert f"字段 {field}" in result.stderr, result.stderr
