"""The hostile catalogue of issue 13: what a new user or a careless script does, and how it must end.

Each row is one case: a setup in a work folder (a copy of the tiny scenario, a
plan drafted from it, a user's file and a user's folder), a command, and the
clean end it must have: the exit code, a Chinese line saying what is wrong, no
traceback, no error log, and nothing written where nothing should be. Cases
that must refuse before solving fail if a solve starts. Run with
``-rf`` to see every case that is not clean and why ("traceback", "exit ...",
"unclear", "written", "lost").
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from typer.testing import CliRunner

import cli
import planner.export
import planner.gantt
import planner.io
import planner.printouts.files as files
import planner.solve
from cli import app
from planner.calendar import spring_festival
from planner.plan import ASSIGNMENT_COLUMNS, assignments_to_csv_bytes, read_assignments, read_plan
from planner.vocabulary import FIRST_YEAR, LAST_YEAR
from scenario_edits import TINY, replace_in

ROOT = Path(__file__).parent.parent
CLI = ROOT / "cli.py"
YEAR = "2027"  # the tiny scenario's one year
CHINESE = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


class SolveStarted(BaseException):
    """Raised by a solve in a case that must be refused before any solve starts."""


@dataclass
class Outcome:
    code: int
    text: str
    traceback: bool


@dataclass(frozen=True)
class Case:
    row: str  # the row, as a person says it
    args: tuple[str, ...] = ()
    code: int = 2
    says: str = ""  # a piece of the line that explains the end
    setup: Callable[[Path], None] | None = None
    solves: bool = True  # False: the command must stop before any solve starts
    writes: bool = False  # the command is meant to write; nothing may be lost all the same
    fault: Callable[[pytest.MonkeyPatch, Path], None] | None = None
    run: Callable[[Path], Outcome] | None = None  # instead of args: a run in a separate process
    after: Callable[[Path], None] | None = None  # further checks on the work folder


# --- setups ------------------------------------------------------------------------------------


def yaml_edit(old: str, new: str) -> Callable[[Path], None]:
    return lambda work: replace_in(work / "scen" / "scenario.yaml", old, new)


def extra_targets(n: int) -> Callable[[Path], None]:
    def edit(work: Path) -> None:
        with (work / "scen" / "targets.csv").open("a", encoding="utf-8") as handle:
            handle.writelines(f"X{i},测试单位{i},city,,gov_subordinate,,1,3,,,,,\n" for i in range(n))
    return edit


def plan_cell(column: str, value: str) -> Callable[[Path], None]:
    """Set ``column`` of the plan's first target row."""
    def edit(work: Path) -> None:
        path = work / "plan" / "assignments.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.loc[frame.index[frame["target"] != ""][0], column] = value
        path.write_bytes(frame.to_csv(index=False).encode("utf-8-sig"))
    return edit


def empty_file(relative: str) -> Callable[[Path], None]:
    return lambda work: (work / relative).write_bytes(b"")


def zip_without_workbook(work: Path) -> None:
    (work / "scen" / "targets.csv").unlink()
    with zipfile.ZipFile(work / "scen" / "targets.xlsx", "w") as archive:
        archive.writestr("readme.txt", "not a workbook")


def stray_quote(work: Path) -> None:
    replace_in(work / "scen" / "targets.csv", "G2,市水利局", 'G2,"市水利局')


def formula_names(work: Path) -> None:
    for old, new in (("市委办公室", "=1+1"), ("市总工会", "+市总工会"), ("市教育局", "-市教育局"), ("市水利局", "@市水利局")):
        replace_in(work / "scen" / "targets.csv", old, new)


def scenario_moved(work: Path) -> None:
    """plan.json names the scenario folder it was drafted from; that folder is no longer there."""
    path = work / "plan" / "plan.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["scenario_source"] = str(work / "scen-moved-away")
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


# --- faults --------------------------------------------------------------------------------------


def no_space_while_writing(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(planner.io.os, "fsync", full)


def nearly_full_disk(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    monkeypatch.setattr(planner.io.shutil, "disk_usage", lambda path: SimpleNamespace(total=10**9, used=10**9, free=2**20))


def read_only_mount(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    real = os.access
    monkeypatch.setattr(planner.io.os, "access", lambda path, mode: False if Path(path).resolve() == work.resolve()
                        else real(path, mode))


def chart_fails_for_want_of_space(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(planner.gantt, "gantt_bytes", full)


def ctrl_c_while_writing(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    write = planner.export.write_plan_files

    def interrupted(folder, *args):
        write(folder, *args)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the signal arrives first
    monkeypatch.setattr(planner.export, "write_plan_files", interrupted)


def ctrl_c_during_the_swap(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    swap = planner.io._swap

    def interrupted(*args):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)
        swap(*args)
    monkeypatch.setattr(planner.io, "_swap", interrupted)


def ctrl_c_while_printing(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    def interrupted(document):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    monkeypatch.setitem(files.DOCUMENT_WRITERS, "pdf", interrupted)


def unexpected_error(monkeypatch: pytest.MonkeyPatch, work: Path) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a slip in the code")
    monkeypatch.setattr(cli, "scenario_summary", broken)


# --- runs in a separate process -------------------------------------------------------------------


def _env(work: Path) -> dict[str, str]:
    return os.environ | {"TMPDIR": str(work.parent / "tmp"), "COLUMNS": "200"}


def ctrl_c_while_loading(work: Path, ignored: bool = False) -> Outcome:
    """SIGINT once the numeric libraries are being loaded, well inside the first second;
    ``ignored``: the process starts with SIGINT ignored (nohup, a background job)."""
    process = subprocess.Popen([sys.executable, str(CLI), "validate", "scen"], cwd=work, env=_env(work),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignored else None)
    maps = Path(f"/proc/{process.pid}/maps")
    while process.poll() is None and "numpy" not in maps.read_text(errors="replace"):
        time.sleep(0.002)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return Outcome(process.returncode, out + err, "Traceback" in out + err)


KILLED_WRITER = """
import sys, time
from pathlib import Path
from planner.io import atomic_directory
with atomic_directory(Path("plan"), markers=("assignments.csv", "plan.json")) as staging:
    (staging / "assignments.csv").write_text("round,kind\\n1,regu")
    print("writing", flush=True)
    time.sleep(60)
"""


def killed_mid_write_then_run_again(work: Path) -> Outcome:
    """SIGKILL a writer with a staging folder and a temporary file open; the next plan clears both."""
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER], cwd=work, env=_env(work),
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "writing\n"
    hidden = [p.name for p in work.iterdir() if p.name.startswith(".plan.")]
    assert hidden, "the killed writer left no staging folder to clean"
    process.kill()
    process.wait()
    # A temporary file of a printout, left by a killed run in the plan folder.
    (work / "plan" / f".annual-{YEAR}.pdf.tmp.{process.pid}.x1y2").write_bytes(b"%PDF-partial")
    result = runner.invoke(app, ["annual", "plan", "--year", YEAR, "--format", "pdf"])
    first = Outcome(result.exit_code, result.output, _traceback(result))
    if first.code != 0:
        return first
    result = runner.invoke(app, ["plan", "scen", "--out", "plan", "--time-limit", "10"])
    return Outcome(result.exit_code, result.output, _traceback(result))


def no_leftovers(work: Path) -> None:
    hidden = sorted(str(p.relative_to(work)) for p in work.rglob(".*"))
    assert hidden == [], f"left behind: {hidden}"


def formulas_neutral_and_read_back(work: Path) -> None:
    with (work / "out" / "assignments.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert {"'=1+1", "'+市总工会", "'-市教育局", "'@市水利局"} <= set(cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    names = set(read_plan(work / "out").assignments["target_name"])
    assert {"=1+1", "+市总工会", "-市教育局", "@市水利局"} <= names
    result = runner.invoke(app, ["check", "out"])
    assert result.exit_code == 0, result.output


def crash_logged(work: Path) -> None:
    logs = list((work.parent / "tmp").glob("xuncha-error-*.log"))
    assert len(logs) == 1
    assert "RuntimeError: a slip in the code" in logs[0].read_text(encoding="utf-8")


def no_annual_files(work: Path) -> None:
    assert not list(work.rglob("annual-*"))


# --- the catalogue -------------------------------------------------------------------------------

PLAN = ("plan", "scen", "--time-limit", "10")
SWEEP = ("sweep", "scen", "--param", "staff.city.drafted_pool", "--values", "2,3", "--time-limit", "5")

CASES = [
    # Outputs that cannot be used are refused before any solve starts.
    Case("plan --out a folder that is not a plan", (*PLAN, "--out", "notes"), 2, "不是方案目录", solves=False),
    Case("plan --out a file", (*PLAN, "--out", "file.txt"), 2, "不是目录", solves=False),
    Case("plan --out .", (*PLAN, "--out", "."), 2, "当前目录", solves=False),
    Case("plan --out the scenario folder", (*PLAN, "--out", "scen"), 2, "场景目录", solves=False),
    Case("whatif --out a file", ("whatif", "scen", "--set", "staff.city.drafted_pool=3", "--out", "file.txt"),
         2, "不是目录", solves=False),
    Case("whatif --out a folder whose variant/ is not a plan",
         ("whatif", "scen", "--set", "staff.city.drafted_pool=3", "--out", "notes-parent"), 2, "不是方案目录",
         setup=lambda work: shutil.copytree(work / "notes", work / "notes-parent" / "variant"), solves=False),
    Case("plan --out inside a file", (*PLAN, "--out", "file.txt/out"), 2, "是文件", solves=False),
    Case("annual --out a file", ("annual", "plan", "--year", YEAR, "--out", "file.txt"), 2, "不是目录"),
    Case("report --out a file", ("report", "plan", "--out", "file.txt"), 2, "不是目录"),
    Case("gantt --out a file", ("gantt", "plan", "--out", "file.txt"), 2, "不是目录"),
    Case("sweep --out a file", (*SWEEP, "--out", "file.txt"), 2, "不是目录", solves=False),
    Case("replan --out a file", ("replan", "scen", "--plan", "plan", "--as-of", f"{YEAR}-06-01", "--out", "file.txt"),
         2, "不是目录", solves=False),
    Case("--out on a read-only mount", (*PLAN, "--out", "out"), 2, "无法写入", fault=read_only_mount, solves=False),
    Case("--out on a nearly full disk", (*PLAN, "--out", "out"), 2, "磁盘空间不足", fault=nearly_full_disk, solves=False),
    Case("the disk fills while the plan is written", (*PLAN, "--out", "plan"), 2, "磁盘空间不足",
         fault=no_space_while_writing),
    Case("gantt.png cannot be written: the plan is not swapped in", (*PLAN, "--out", "plan"), 2, "磁盘空间不足",
         fault=chart_fails_for_want_of_space),
    # Bounds the calendar and the solver can hold.
    Case("a horizon in 2098-2099", ("validate", "scen"), 2, "2098",
         setup=yaml_edit("{start: 2027-01-01, end: 2027-12-31}", "{start: 2098-01-01, end: 2099-12-31}")),
    Case("a horizon ending 9999-12-31", ("validate", "scen"), 2, "2098",
         setup=yaml_edit("end: 2027-12-31", "end: 9999-12-31")),
    Case("an 8-day horizon", (*PLAN, "--out", "out"), 2, "容不下一轮", solves=False,
         setup=yaml_edit("{start: 2027-01-01, end: 2027-12-31}", "{start: 2027-01-01, end: 2027-01-08}")),
    Case("drafted_pool: 99999999999999999999999", (*PLAN, "--out", "out"), 2, "drafted_pool", solves=False,
         setup=yaml_edit("drafted_pool: 6", "drafted_pool: 99999999999999999999999")),
    Case("--seed 99999999999", (*PLAN, "--out", "out", "--seed", "99999999999"), 2, "2147483647", solves=False),
    Case("--time-limit inf", ("plan", "scen", "--out", "out", "--time-limit", "inf"), 2, "秒", solves=False),
    Case("--time-limit nan", ("plan", "scen", "--out", "out", "--time-limit", "nan"), 2, "--time-limit", solves=False),
    # Input that is not what it claims to be.
    Case("targets.xlsx a zip with no workbook in it", ("validate", "scen"), 2, "targets.xlsx", setup=zip_without_workbook),
    Case("an empty assignments.csv in check", ("check", "plan"), 2, "assignments.csv",
         setup=empty_file("plan/assignments.csv")),
    Case("gantt --lang fr", ("gantt", "plan", "--lang", "fr"), 2, "--lang"),
    Case("gantt --by foo", ("gantt", "plan", "--by", "foo"), 2, "--by"),
    Case("whatif --baseline a folder that is not a plan",
         ("whatif", "scen", "--set", "staff.city.drafted_pool=3", "--baseline", "notes", "--out", "w"), 2, "不是方案目录",
         solves=False),
    Case("a key given twice in scenario.yaml", ("validate", "scen"), 2, "重复",
         setup=yaml_edit("  city: {drafted_pool: 6, leader_pool: 1}",
                         "  city: {drafted_pool: 6, leader_pool: 1}\n  city: {drafted_pool: 3, leader_pool: 1}")),
    Case("a stray quote in targets.csv", ("validate", "scen"), 2, "引号不成对", setup=stray_quote),
    Case("100,000 extra target rows", (*PLAN, "--out", "out"), 2, "超过一次规划", setup=extra_targets(100_000),
         solves=False),
    Case("a 10,000-character unit name in targets.csv", ("validate", "scen"), 2, "字段 name",
         setup=lambda work: replace_in(work / "scen" / "targets.csv", "市城投公司", "长" * 10_000)),
    Case("a 10,000-character unit name in annual", ("annual", "plan", "--year", YEAR), 2, "target_name",
         setup=plan_cell("target_name", "长" * 10_000), after=no_annual_files),
    Case("check after the scenario folder was moved", ("check", "plan"), 2, "已不存在", setup=scenario_moved),
    # Interruptions and faults.
    Case("Ctrl-C in the first second", run=ctrl_c_while_loading, code=130, says="已中断"),
    Case("Ctrl-C in the first second of a run started with Ctrl-C ignored",
         run=lambda work: ctrl_c_while_loading(work, ignored=True), code=0, says="校验通过"),
    Case("Ctrl-C while the plan is written", (*PLAN, "--out", "plan"), 130, "原有内容保持不变",
         fault=ctrl_c_while_writing),
    Case("Ctrl-C during the swap keeps the new plan", (*PLAN, "--out", "plan"), 130, "已写入 plan",
         fault=ctrl_c_during_the_swap, writes=True),
    Case("Ctrl-C while the printouts are made", ("annual", "plan", "--year", YEAR), 130, "未写入任何文件",
         fault=ctrl_c_while_printing),
    Case("SIGKILL mid-write, then the next run", run=killed_mid_write_then_run_again, code=0, says="独立检查通过",
         writes=True, after=no_leftovers),
    Case("assignments.csv cells starting with =, +, -, @", (*PLAN, "--out", "out"), 0, "独立检查通过",
         setup=formula_names, writes=True, after=formulas_neutral_and_read_back),
    Case("an unexpected error", ("validate", "scen"), 1, "xuncha-error-", fault=unexpected_error, after=crash_logged),
]


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> Path:
    """A work folder: the tiny scenario, a plan drafted from it, a user's file and folder."""
    work = tmp_path_factory.mktemp("drafted") / "work"
    shutil.copytree(TINY, work / "scen")
    (work / "file.txt").write_text("a user's file", encoding="utf-8")
    (work / "notes").mkdir()
    (work / "notes" / "thesis.docx").write_text("precious", encoding="utf-8")
    cwd = Path.cwd()
    os.chdir(work)
    try:
        result = runner.invoke(app, [*PLAN, "--out", "plan"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return work


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _traceback(result) -> bool:
    return "Traceback" in result.output or (result.exception is not None and not isinstance(result.exception, SystemExit))


def run_case(case: Case, work: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    if case.run:
        return case.run(work)
    if not case.solves:
        def started(*args, **kwargs):
            raise SolveStarted
        monkeypatch.setattr(planner.solve, "solve", started)
    if case.fault:
        case.fault(monkeypatch, work)
    result = runner.invoke(app, list(case.args))
    if isinstance(result.exception, SolveStarted):
        return Outcome(-1, "a solve started", False)
    return Outcome(result.exit_code, result.output, _traceback(result))


def problems_of(case: Case, outcome: Outcome, before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """What is not clean about the outcome, in the catalogue's words."""
    problems = []
    if outcome.traceback:
        problems.append("traceback")
    if outcome.code != case.code:
        problems.append(f"exit {outcome.code} (expected {case.code})")
    lines = [line for line in outcome.text.splitlines() if case.says in line]
    if not lines or not any(CHINESE.search(line) for line in lines):
        problems.append(f"unclear (no Chinese line with '{case.says}')")
    lost = [name for name, data in before.items() if after.get(name) != data and not case.writes]
    if lost:
        problems.append(f"lost: {lost[:3]}")
    written = [name for name in after if name not in before and not case.writes]
    if written:
        problems.append(f"written: {written[:3]}")
    return problems


@pytest.mark.parametrize("case", [pytest.param(c, id=c.row) for c in CASES])
def test_hostile_case_ends_cleanly(case: Case, drafted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   ctrl_c_reaches_python):
    work = tmp_path / "work"
    shutil.copytree(drafted, work)
    logs = tmp_path / "tmp"
    logs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(logs))
    monkeypatch.chdir(work)
    if case.setup:
        case.setup(work)
    before = snapshot(work)

    outcome = run_case(case, work, monkeypatch)

    assert problems_of(case, outcome, before, snapshot(work)) == [], outcome.text
    if case.after:
        case.after(work)
    if case.after is not crash_logged:
        assert list(logs.iterdir()) == [], "an error log was written: the failure was not expected"


def test_the_lunar_calendar_holds_every_year_a_horizon_may_take():
    assert spring_festival(FIRST_YEAR).year == FIRST_YEAR
    assert spring_festival(LAST_YEAR + 1).year == LAST_YEAR + 1  # blackouts look one year past the end
    with pytest.raises(ValueError):
        spring_festival(LAST_YEAR + 2)


def test_validate_shows_the_staff_pools_it_read(tmp_path):
    folder = shutil.copytree(TINY, tmp_path / "scen")
    replace_in(folder / "scenario.yaml", "city: {drafted_pool: 6, leader_pool: 1}", "city: {drafted_pool: 9, leader_pool: 2}")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.strip("│").split("│")] for line in result.stdout.splitlines() if line.startswith("│")]
    assert ["市级", "9", "2"] in rows
    assert ["县级 甲县", "4", "1"] in rows and ["县级 乙县", "4", "1"] in rows


def test_the_time_limit_covers_building_the_model(monkeypatch, tiny):
    clock = iter(range(0, 1000, 7))  # every reading of the clock is 7 s after the one before
    given = []
    monkeypatch.setattr(planner.solve.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(planner.solve, "build_model", lambda *args, **kwargs: "model")

    def solve(model, settings, *rest, **options):
        given.append(settings)
        return SimpleNamespace(uncovered=())
    monkeypatch.setattr(planner.solve, "solve", solve)

    planner.solve.draft_plan(tiny, settings=planner.solve.SolveSettings(time_limit=30))
    planner.solve.draft_plan(tiny, settings=planner.solve.SolveSettings(time_limit=5))
    planner.solve.draft_plan(tiny, settings=planner.solve.SolveSettings(time_limit=30, deterministic=True))

    assert [s.time_limit for s in given] == [23, planner.solve.MIN_SEARCH_SECONDS, 30]


def test_printouts_are_all_written_or_none(tmp_path, monkeypatch, drafted):
    plan = shutil.copytree(drafted / "plan", tmp_path / "plan")
    before = snapshot(plan)

    def broken(document):
        raise ValueError("排版失败")
    monkeypatch.setitem(files.DOCUMENT_WRITERS, "pdf", broken)
    result = runner.invoke(app, ["annual", str(plan), "--year", YEAR, "--scenario", str(drafted / "scen")])
    assert result.exit_code == 2
    assert snapshot(plan) == before


def test_csv_text_marks_round_trip(tmp_path):
    names = ["=SUM(A1)", "+1", "-x", "@y", "'quoted", "''twice", "plain", "\t=tab"]
    row = {c: "" for c in ASSIGNMENT_COLUMNS} | {"round": 1, "team_size": 3, "drafted": 0,
                                                 "onsite_start": "2027-03-01", "onsite_end": "2027-04-09",
                                                 "busy_start": "2027-02-15", "busy_end": "2027-05-07"}
    frame = pd.DataFrame([row | {"target_name": name} for name in names])
    raw = assignments_to_csv_bytes(frame).decode("utf-8-sig")
    cells = [r[list(ASSIGNMENT_COLUMNS).index("target_name")] for r in csv.reader(io.StringIO(raw))][1:]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)
    path = tmp_path / "assignments.csv"
    path.write_text(raw, encoding="utf-8-sig")
    assert list(read_assignments(path)["target_name"]) == names
