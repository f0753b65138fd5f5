"""How a solve's progress is shown: a live line or board on a terminal, plain lines in a log.

Display only: the commands hand these the consoles and the reports the planner sends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as ProgressBar
from rich.table import Table as RichTable

from planner.export import STATUS_LABELS, distance_text
from planner.parallel import CommitteeProgress
from planner.scenario import Scenario
from planner.solve import Progress
from planner.sweep import SweepRow, row_line
from planner.vocabulary import Committee

# With output not on a terminal (a log file, a scheduled job), a progress line every so many seconds.
LOG_EVERY = 10.0


def progress_text(best: Progress | None) -> str:
    """The best plan so far, and how far from the best possible it may be (once a bound exists)."""
    if best is None:
        return "尚未找到可行方案"
    return f"已找到可行方案, 目标值 {best.objective:.0f}; {distance_text(best.objective, best.bound)}"


class LiveLine:
    """The live solve line on a terminal; ``prefix`` names the committee when several are planned."""

    def __init__(self, prefix: str = "") -> None:
        self.started = time.monotonic()
        self.best: Progress | None = None
        self.prefix = f"{prefix}: " if prefix else ""

    def update(self, progress: Progress) -> None:
        self.best = progress

    def __rich__(self) -> str:
        elapsed = time.monotonic() - self.started
        return f"{self.prefix}求解中 {elapsed:5.1f} 秒 | {progress_text(self.best)} (Ctrl-C 停止并保存当前最好方案)"


class LiveBoard:
    """One live line per committee while several are solved at once."""

    def __init__(self, scenario: Scenario, committees: list[Committee], title: str) -> None:
        self.names = {c: scenario.policy(c).committee for c in committees}
        self.title = title
        self.state: dict[Committee, CommitteeProgress] = {}
        self.started: dict[Committee, float] = {}

    def update(self, report: CommitteeProgress) -> None:
        self.started.setdefault(report.committee, time.monotonic())
        if report.progress is None and report.solution is None and report.committee in self.state:
            return
        self.state[report.committee] = report

    def table(self, final: bool = False) -> RichTable:
        table = RichTable(title=None if final else f"{self.title} (Ctrl-C 停止并保留当前方案)", title_justify="left")
        for column in ("党委", "状态", "用时", "当前最好", "差距"):
            table.add_column(column)
        for committee, name in self.names.items():
            report = self.state.get(committee)
            if report is None:
                table.add_row(name, "等待", "", "", "")
            elif report.solution is not None:
                s = report.solution
                gap = "" if s.gap is None else f"{s.gap:.1%}"
                best = "" if s.objective is None else f"{s.objective:.0f}"
                table.add_row(name, STATUS_LABELS[s.status], f"{s.solve_seconds:.0f} 秒", best, gap)
            else:
                elapsed = f"{time.monotonic() - self.started[committee]:.0f} 秒"
                p = report.progress
                table.add_row(name, "求解中", elapsed, "" if p is None else f"{p.objective:.0f}",
                              "" if p is None else f"{p.gap:.1%}")
        return table

    def __rich__(self) -> RichTable:
        return self.table()

    def log(self, out: Console) -> Callable[[CommitteeProgress], None]:
        """Where output is not a terminal: a line when a committee starts and when it ends."""

        def report(update: CommitteeProgress) -> None:
            new = update.committee not in self.state
            self.update(update)
            name = self.names[update.committee]
            if update.solution is not None:
                s = update.solution
                out.print(f"{name}: {STATUS_LABELS[s.status]}, 用时 {s.solve_seconds:.0f} 秒",
                          markup=False, highlight=False)
            elif new:
                out.print(f"{name}: 开始求解", markup=False, highlight=False)

        return report


class ProgressLog:
    """Progress as plain lines where output is not a terminal: the start, the first plan, every ``every`` seconds, the end."""

    def __init__(self, out: Console, every: float, prefix: str = "") -> None:
        self.out, self.every = out, every
        self.prefix = f"{prefix}: " if prefix else ""
        self.started = time.monotonic()
        self.best: Progress | None = None
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> ProgressLog:
        self._line("开始求解")
        self.ticker.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.ticker.join()
        self._line("求解结束")

    def update(self, progress: Progress) -> None:
        first = self.best is None
        self.best = progress
        if first:
            self._line(f"已找到第一个可行方案, 目标值 {progress.objective:.0f}")

    def _tick(self) -> None:
        while not self.stop.wait(self.every):
            self._line(f"求解中: {progress_text(self.best)}")

    def _line(self, text: str) -> None:
        with self.lock:
            elapsed = time.monotonic() - self.started
            self.out.print(f"[{elapsed:6.1f} 秒] {self.prefix}{text}", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def solve_progress(out: Console, log: Console, prefix: str = "") -> Iterator[Callable[[Progress], None]]:
    """Show a solve's progress: a live line on a terminal (``out``), otherwise a line log on ``log``."""
    if out.is_terminal:
        line = LiveLine(prefix)
        with Live(line, console=out, refresh_per_second=4, transient=True):
            yield line.update
    else:
        with ProgressLog(log, LOG_EVERY, prefix) as lines:
            yield lines.update


@contextmanager
def board_progress(out: Console, log: Console, board: LiveBoard) -> Iterator[Callable[[CommitteeProgress], None]]:
    """Show several committees' solves: the live board on a terminal, otherwise a line per start and end."""
    if out.is_terminal:
        with Live(board, console=out, refresh_per_second=4, transient=True):
            yield board.update
    else:
        yield board.log(log)


@contextmanager
def committee_progress(out: Console, log: Console, board: LiveBoard | None
                       ) -> Iterator[Callable[[CommitteeProgress], None]]:
    """The progress of one committee's solve as a line (no ``board``), of several as the board."""
    if board is not None:
        with board_progress(out, log, board) as report:
            yield report
        return
    with solve_progress(out, log) as line:
        yield lambda update: line(update.progress) if update.progress is not None else None


@contextmanager
def working(out: Console, log: Console, text: str) -> Iterator[None]:
    """A spinner on a terminal; elsewhere the same words once, on ``log``."""
    if out.is_terminal:
        with out.status(text):
            yield
    else:
        log.print(text, markup=False, highlight=False)
        yield


@contextmanager
def sweep_progress(out: Console, key: str, values: int) -> Iterator[Callable[[SweepRow], None]]:
    """A bar of the values run so far, and a line for each as it finishes."""
    with ProgressBar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                     console=out) as bar:
        task = bar.add_task(f"推演 {key}", total=values)

        def done(row: SweepRow) -> None:
            bar.advance(task)
            bar.console.print(row_line(key, row), highlight=False)

        yield done
