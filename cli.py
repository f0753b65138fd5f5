"""xuncha command line: thin commands that call into the planner package."""

from __future__ import annotations

import os
import signal
import sys


def _stopped_while_loading(signum, frame) -> None:
    # Nothing is open for writing yet; leave at once: an exception raised inside a library's
    # C initialisation would come back as an ImportError with a traceback.
    os.write(2, "已中断 (Ctrl-C): 程序尚未开始工作, 未读取或写入任何文件。\n".encode())
    os._exit(130)


# Ctrl-C while the libraries load (about a second) must not end in a traceback. A process
# started with Ctrl-C ignored (nohup, a background job) keeps ignoring it.
try:
    _before_loading = (None if signal.getsignal(signal.SIGINT) is signal.SIG_IGN
                       else signal.signal(signal.SIGINT, _stopped_while_loading))
except ValueError:  # imported outside the main thread, where there are no signals to catch
    _before_loading = None

import datetime as dt
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as ProgressBar
from rich.table import Table as RichTable

from planner import __version__
from planner.check import check_plan, plan_counts
from planner.cli_chinese import ChineseCommand, ChineseGroup, use_chinese_panels
from planner.describe import Table, scenario_summary
from planner.empty_level import nothing_to_plan
from planner.explain import Explanation, describe, expected_violations, explain
from planner.export import OBJECTIVE_NOTE, STATUS_LABELS, distance_text, quality_text, rule_labels, write_plan
from planner.gantt import gantt_file_name, write_gantt
from planner.view import VIEW_FILE, write_view
from planner.loading import COUNTY_SCENARIO, ScenarioError, bundled_scenario_path, load_scenario
from planner.io import OutputError, WriteInterrupted, check_output_dir, check_output_files, os_reason, recorded_outputs
from planner.overrides import apply_overrides, setting_keys
from planner.parallel import CommitteeProgress, draft_plans, share_of
from planner.plan import PLAN_MARKERS, PlanDir, PlanReadError, read_plan
from planner.provenance import scenario_of_plan
from planner.baseline import baseline_of
from planner.replan import StabilityReport, drafted_scenario, replan, write_changes
from planner.printouts.files import write_annual, write_report, write_round
from planner.scenario import Scenario
from planner.score import score_plan, score_table
from planner.solve import Progress, SolveSettings, draft_plan
from planner.solver import MIN_WORKERS, SolveStatus, StopReason
from planner.sweep import CSV_FILE, PNG_FILE, SweepRow, key_label, sweep
from planner.template import write_template
from planner.vocabulary import CITY, INT32_MAX, Committee, Level
from planner.whatif import COMPARE_FILE, WhatIf, figures_of, run_whatif
from planner.whole import CITY_SHARE, COUNTY_SHARE, Coupling, coupling_lines, draft_whole, failing_county
from planner.why import describe_why, why
from planner.workbook import WORKBOOK_FILE, read_plan_table

MAX_SECONDS = 7 * 24 * 3600
MAX_WORKERS = 64
MAX_JOBS = 32


class _Guarded(ChineseGroup):
    """The error boundary: whatever a command raises ends in one line for a person and an exit code."""

    def invoke(self, ctx):
        with recorded_outputs() as written:
            try:
                return super().invoke(ctx)
            except Exception as exc:
                if any(c.__module__.split(".")[0] in ("typer", "click") for c in type(exc).__mro__):
                    raise  # usage errors and exits: the framework reports them
                _fail(exc, written)
            except KeyboardInterrupt as exc:
                _interrupted(exc, written)


use_chinese_panels()
app = typer.Typer(help="巡察工作规划优化工具 (xuncha)", no_args_is_help=True, add_completion=False, cls=_Guarded)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # one message, one line, whatever the width
# With output not on a terminal (a log file, a scheduled job), a progress line every so many seconds.
LOG_EVERY = 10.0


def command(name: str | None = None):
    """A subcommand whose usage, help and errors are in Chinese."""
    return app.command(name, cls=ChineseCommand)


ScenarioArg = Annotated[
    Optional[Path], typer.Argument(help="场景目录 (默认: 内置商洛场景)", metavar="场景目录", show_default=False)
]
ScenarioOption = Annotated[
    Optional[Path],
    typer.Option(help="场景目录 (默认: 方案所用的场景, 否则内置商洛场景)", metavar="场景目录", show_default=False),
]
PlanDirArg = Annotated[Path, typer.Argument(help="方案目录 (xuncha plan --out 的输出)", metavar="方案目录",
                                            show_default=False)]
OutOption = Annotated[Optional[Path], typer.Option(help="输出目录 (默认: 方案目录)", metavar="目录", show_default=False)]
SetOption = Annotated[
    Optional[list[str]],
    typer.Option("--set", help="改动场景的一项, 可多次使用, 如 staff.city.drafted_pool=8、teams.C5.leader_filled=1; "
                 "全部的键见 xuncha keys", metavar="键=值", show_default=False),
]
ListKeys = Annotated[bool, typer.Option("--list-keys", help="列出 --set 可改动的全部键、含义和当前取值, 然后退出",
                                        show_default=False)]


def _seconds(value: float) -> float:
    """A time limit a solve can reach: finite (not inf) and at most a week (the option's ``min`` refuses nan)."""
    if not value <= MAX_SECONDS:
        raise typer.BadParameter(f"应为 1 至 {MAX_SECONDS} 之间的秒数 (填写为 {value})")
    return value


def _seed(value: int) -> int:
    """CP-SAT's random seed is a 32-bit integer."""
    if not 0 <= value <= INT32_MAX:
        raise typer.BadParameter(f"应为 0 至 {INT32_MAX} 之间的整数 (填写为 {value})")
    return value


TimeLimit = Annotated[float, typer.Option(help="每次求解的时限 (秒)", metavar="秒", min=1, callback=_seconds)]
SeedOption = Annotated[int, typer.Option(help="随机种子: 相同输入、种子和设置得到相同方案", metavar="整数", callback=_seed)]
WorkersOption = Annotated[int, typer.Option(help="CP-SAT 线程数 (至少 8)", metavar="线程数", min=1, max=MAX_WORKERS)]
DeterministicOption = Annotated[bool, typer.Option(
    help="可复现求解: 按计算量而非墙钟计时, 相同输入和种子必得相同方案 (较慢)", show_default=False)]
LevelOption = Annotated[str, typer.Option(
    help="层级: city (市委)、county (县区委, 不填 --county 则全部县区) 或 all (全市: 市委和各县区委, 市县联动); "
         "不填为场景的本级党委", metavar="city|county|all", show_default=False)]
CountyOption = Annotated[str, typer.Option(help="县区名称: 针对该县区委的方案 (默认: 市委)", metavar="县区",
                                           show_default=False)]
FreeOption = Annotated[bool, typer.Option("--free", help="软性规则优先, 原方案只用于打破平局 (默认: 尽量少改动原方案)",
                                          show_default=False)]
# Tables longer than this go to the output file only; the console shows the sentences and the count.
LONGEST_TABLE = 40


def _show_version(value: bool) -> None:
    if value:
        console.print(f"xuncha 巡察工作规划优化工具 {__version__} (OR-Tools {metadata.version('ortools')})",
                      highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="显示版本号并退出", callback=_show_version,
                                          is_eager=True, show_default=False)] = False,
) -> None:
    """巡察工作规划优化工具: 编制五年规划和年度计划, 校验、解释、推演。"""


def _load(path: Path | None):
    """Load a scenario or exit 2 with one line per problem."""
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        _input_error(exc)


def _variant(scenario, overrides: list[str] | None):
    """Apply ``--set`` overrides or exit 2 naming each bad key."""
    try:
        return apply_overrides(scenario, overrides or [])
    except ScenarioError as exc:
        _input_error(exc)


def _input_error(exc: ScenarioError) -> NoReturn:
    err_console.print(f"[bold red]场景数据有误 ({len(exc.problems)} 处):[/]")
    for problem in exc.problems:
        # soft_wrap: one line per problem whatever the terminal width.
        err_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2) from None


def _load_for_plan(scenario: Path | None, plan_dir: Path):
    """The scenario a plan was drafted from (with its --set overrides), or the one named; exit 2 if it is gone."""
    try:
        found = scenario_of_plan(plan_dir, scenario)
    except ScenarioError as exc:
        _input_error(exc)
    if found.changed:
        err_console.print(f"[yellow]注意: 场景数据 ({found.scenario.source}) 与编制该方案时不同。[/]", highlight=False)
    return found.scenario


def _drafted_objective(meta: dict) -> float | None:
    """The objective plan.json records, without what staying close to a baseline cost (not a soft rule)."""
    objective = meta.get("objective")
    return None if objective is None else objective - meta.get("stability_cost", 0)


def _read_baseline(path: Path, scenario: Scenario) -> PlanDir:
    """The plan ``plan --baseline`` starts from (with the office's edit of its workbook), or exit 2."""
    try:
        table = read_plan_table(path, scenario)
    except PlanReadError as exc:
        err_console.print(f"[bold red]基准方案无法读取:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if table.edited:
        console.print(f"从修改过的 {path / WORKBOOK_FILE} 出发。", highlight=False)
    for note in table.notes:
        console.print(f"注意: {note}", markup=False, highlight=False, soft_wrap=True)
    return table.plan


def _committee(scenario: Scenario, county: str) -> Committee:
    """The committee ``--county`` names (the scenario's own when empty); exit 2 for an unknown county."""
    if county and county not in scenario.counties:
        err_console.print(f"--county {county}: 未知的县区, 应为 {'、'.join(scenario.counties)} 之一", highlight=False)
        raise typer.Exit(2)
    return Committee(county) if county else scenario.home


def _something_to_plan(scenario: Scenario, committee: Committee) -> None:
    """Exit 2 with a plain sentence when the committee has no units, no teams or no room for a round."""
    reason = nothing_to_plan(scenario, committee)
    if reason:
        err_console.print(reason, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)


ALL_LEVELS = "all"


def _committees(scenario: Scenario, level: str, county: str) -> list[Committee]:
    """The committees ``--level``/``--county`` name: the city, one county, every county, or all of them;
    no ``--level``: the scenario's own committee."""
    if scenario.own_county and level in (Level.CITY.value, ALL_LEVELS):
        err_console.print(f"--level {level}: 本场景为{scenario.policy(scenario.home).committee}单独编制 "
                          "(names.level: county), 没有市委方案; 不加 --level 即可", highlight=False)
        raise typer.Exit(2)
    level = level or scenario.names.level.value
    if level not in (Level.CITY.value, Level.COUNTY.value, ALL_LEVELS):
        err_console.print(f"--level {level}: 应为 city (市委)、county (县区委) 或 all (全市)", highlight=False)
        raise typer.Exit(2)
    if level == ALL_LEVELS and county:
        err_console.print("--county 只用于 --level county (全市方案含每个县区)", highlight=False)
        raise typer.Exit(2)
    if level == ALL_LEVELS:
        return scenario.committees
    if county:  # --county alone means that county's committee
        return [_committee(scenario, county)]
    if level == Level.CITY.value:
        return [CITY]
    return [Committee(c) for c in scenario.counties]


def _print_table(table: Table) -> None:
    rich_table = RichTable(title=table.title, title_justify="left")
    for column in table.columns:
        rich_table.add_column(column)
    for row in table.rows:
        rich_table.add_row(*row)
    console.print(rich_table)


@command()
def validate(scenario: ScenarioArg = None) -> None:
    """校验场景数据并打印摘要; 数据有误时逐条列出并以代码 2 退出。"""
    loaded = _load(scenario)
    for table in scenario_summary(loaded):
        _print_table(table)
    console.print("[green]场景数据校验通过。[/]")


def progress_text(best: Progress | None) -> str:
    """The best plan so far, and how far from the best possible it may be (once a bound exists)."""
    if best is None:
        return "尚未找到可行方案"
    return f"已找到可行方案, 目标值 {best.objective:.0f}; {distance_text(best.objective, best.bound)}"


class _LiveLine:
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


class _LiveBoard:
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
                table.add_row(name, STATUS_LABELS.get(s.status, s.status), f"{s.solve_seconds:.0f} 秒", best, gap)
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
                out.print(f"{name}: {STATUS_LABELS.get(s.status, s.status)}, 用时 {s.solve_seconds:.0f} 秒",
                          markup=False, highlight=False)
            elif new:
                out.print(f"{name}: 开始求解", markup=False, highlight=False)

        return report


class _ProgressLog:
    """Progress as plain lines where output is not a terminal: the start, the first plan, every ``every`` seconds, the end."""

    def __init__(self, out: Console, every: float, prefix: str = "") -> None:
        self.out, self.every = out, every
        self.prefix = f"{prefix}: " if prefix else ""
        self.started = time.monotonic()
        self.best: Progress | None = None
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> _ProgressLog:
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
def _solve_progress(prefix: str = "") -> Iterator[Callable[[Progress], None]]:
    """Show a solve's progress: a live line on a terminal, otherwise a line log on stderr."""
    if console.is_terminal:
        line = _LiveLine(prefix)
        with Live(line, console=console, refresh_per_second=4, transient=True):
            yield line.update
    else:
        with _ProgressLog(err_console, LOG_EVERY, prefix) as log:
            yield log.update


@contextmanager
def _working(text: str) -> Iterator[None]:
    """A spinner on a terminal; elsewhere the same words once, on stderr."""
    if console.is_terminal:
        with console.status(text):
            yield
    else:
        err_console.print(text, markup=False, highlight=False)
        yield


def _print_keys(scenario) -> None:
    """Each key as it is written after --set, with its value now, and its meaning below it."""
    console.print("[bold]--set 可改动的键 (写作 键=值), 当前取值和含义:[/]")
    for key in setting_keys(scenario):
        console.print(f"[bold]{key.key}[/]={key.value}", highlight=False, soft_wrap=True)
        console.print(f"    {key.meaning}", markup=False, highlight=False, soft_wrap=True)
    console.print("表格中的一格写作 teams.<编号>.<字段> 或 targets.<编号>.<字段>, 如 teams.C5.leader_filled=1; "
                  "新编号 (如 teams.C6.leader_filled=1) 表示新设一个市级巡察组。", highlight=False, soft_wrap=True)


@command()
def plan(
    scenario: ScenarioArg = None,
    level: Annotated[str, typer.Option(help="规划层级: city (市委)、county (县区委) 或 all (全市: 市委和各县区委, 市县联动); "
                                            "不填为场景的本级党委 (names.level)",
                                       metavar="city|county|all", show_default=False)] = "",
    county: Annotated[str, typer.Option(help="县区名称, 与 --level county 同用; 不填则编制全部县区", metavar="县区",
                                        show_default=False)] = "",
    out: Annotated[Path, typer.Option(help="方案输出目录", metavar="目录")] = Path("out"),
    time_limit: Annotated[float, typer.Option(help="求解时限 (秒)", metavar="秒", min=1, callback=_seconds)] = 60.0,
    seed: Annotated[int, typer.Option(help="随机种子: 相同输入、种子和设置得到相同方案", metavar="整数",
                                      callback=_seed)] = 0,
    workers: Annotated[int, typer.Option(help="CP-SAT 线程数 (至少 8)", metavar="线程数", min=1,
                                         max=MAX_WORKERS)] = MIN_WORKERS,
    gantt_chart: Annotated[bool, typer.Option("--gantt/--no-gantt", help="同时输出 gantt.png 和 plan.html (默认输出)",
                                              show_default=False)] = True,
    deterministic: Annotated[
        bool, typer.Option(help="可复现求解: 按计算量而非墙钟计时, 相同输入和种子必得相同方案 (较慢)",
                           show_default=False)
    ] = False,
    set_: SetOption = None,
    allow_uncovered: Annotated[
        bool, typer.Option(help="人手不足时允许部分单位不覆盖 (代价最高的软性规则), 并列出未覆盖单位",
                           show_default=False)
    ] = False,
    jobs: Annotated[int, typer.Option(help="编制多个县区时同时求解的进程数; 时限为全部县区合计的墙钟时间",
                                      metavar="进程数", min=1, max=MAX_JOBS)] = 2,
    list_keys: ListKeys = False,
    baseline: Annotated[Optional[Path], typer.Option(
        help="基准方案目录: 从该方案 (含在 assignments.xlsx 中所作的修改) 出发重新编制, 合规之处尽量不动, 写出 changes.md",
        metavar="方案目录", show_default=False)] = None,
    free: FreeOption = False,
) -> None:
    """编制五年巡察规划: 每个对象排入轮次和巡察组, 确定各轮日期, 写出 assignments.csv、plan.json、summary.md。"""
    loaded = _variant(_load(scenario), set_)
    if list_keys:
        _print_keys(loaded)
        return
    committees = _committees(loaded, level, county)
    level = level or loaded.names.level.value
    if len(committees) == 1:  # in a whole-city plan a county without units of its own still takes part
        _something_to_plan(loaded, committees[0])
    check_output_dir(out, PLAN_MARKERS, keep=[loaded.source])
    settings = SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)
    if baseline and level == ALL_LEVELS:
        err_console.print("--baseline 目前只用于市委或县区委的方案, 不能与 --level all 同用", highlight=False)
        raise typer.Exit(2)
    base = _read_baseline(baseline, loaded) if baseline else None
    start = None if base is None else base.assignments
    started = time.monotonic()
    coupling: list[Coupling] = []
    if len(committees) == 1:
        stay = None if start is None else baseline_of(start, loaded, committees[0], free)
        with _solve_progress() as report:
            solutions = [draft_plan(loaded, committees[0], settings, report, allow_uncovered=allow_uncovered,
                                    start=start, baseline=stay)]
        stopped = solutions[0].stopped_by == StopReason.INTERRUPTED
    else:
        whole = level == ALL_LEVELS
        if whole:
            city = max(5.0, time_limit * CITY_SHARE)
            title = (f"先编制市委方案 (约 {city:.0f} 秒), 再按市委轮次同时编制各县区方案 "
                     f"(每个约 {share_of(time_limit * COUNTY_SHARE, jobs, len(committees) - 1):.0f} 秒); "
                     "县区跟不上市委日程时, 市委据各县区进驻时间重排日程, 各县区再编制一次")
        else:
            title = f"各县区分别求解, 每个约 {share_of(time_limit, jobs, len(committees)):.0f} 秒"
        board = _LiveBoard(loaded, committees, title)

        def run(report: Callable[[CommitteeProgress], None]) -> tuple[list, bool]:
            if whole:
                found, halted, how = draft_whole(loaded, settings, jobs, report, allow_uncovered)
                coupling.append(how)
                return found, halted
            return draft_plans(loaded, committees, settings, jobs, report, allow_uncovered, start=start, free=free)

        if console.is_terminal:
            with Live(board, console=console, refresh_per_second=4, transient=True):
                solutions, stopped = run(board.update)
        else:
            solutions, stopped = run(board.log(err_console))
        for solution in solutions:  # the plans kept, where the coupling pass kept a first drafting
            board.update(CommitteeProgress(solution.committee, solution=solution))
        console.print(board.table(final=True))
        for line in coupling_lines(loaded, coupling[0], solutions) if coupling else ():
            console.print(line, highlight=False, soft_wrap=True)
    failed = [s for s in solutions if not s.has_plan]
    # A county with a plan once sync is soft fails for the city's calendar: say so, not explain's rules.
    out_of_step = [s for s in failed if coupling and s.county in (coupling[0].needed or {})]
    if out_of_step:
        for solution in out_of_step:
            err_console.print(failing_county(loaded, solution.county, solutions[0], coupling[0]),
                              highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if failed:
        _no_plan(loaded, failed[0].committee, failed[0], settings)
    if not solutions:
        raise typer.Exit(1)
    missing = [loaded.policy(c).committee for c in committees if c not in {s.committee for s in solutions}]

    changes: list[StabilityReport] = []

    def with_plan(folder: Path) -> None:
        """The chart and the changes from the baseline, staged with the plan files."""
        if gantt_chart:
            # The whole city's chart once every committee is planned; else the first committee's.
            chart_level = ALL_LEVELS if level == ALL_LEVELS and not missing else committees[0].level.value
            write_gantt(folder, loaded, folder / gantt_file_name(), level=chart_level,
                        county=county or (committees[0].county if len(committees) == 1 else ""))
            write_view(folder, loaded, compare=base)
        if base is not None:
            changes.append(write_changes(folder, base, loaded, [s.committee for s in solutions],
                                         drafted_scenario(baseline), set_ or [], free))

    write_plan(out, solutions, loaded, {"time_limit": time_limit, "deterministic": deterministic,
                                        "overrides": set_ or [], "allow_uncovered": allow_uncovered},
               also=with_plan)
    for report in changes:
        _print_report(report)
    left_out = [t for s in solutions for t in s.uncovered]
    gaps, violations = expected_violations(check_plan(loaded, read_plan(out), committees), left_out)
    objective = sum(s.objective for s in solutions)
    bound = sum(s.best_bound for s in solutions)
    interrupted = stopped or any(s.stopped_by == StopReason.INTERRUPTED for s in solutions)
    status = SolveStatus.OPTIMAL if all(s.status == SolveStatus.OPTIMAL for s in solutions) else SolveStatus.FEASIBLE
    summary = RichTable(title="规划结果", title_justify="left", show_header=False)
    for key, value in (
        ("状态", quality_text(status, objective, bound, StopReason.INTERRUPTED if interrupted else StopReason.PROOF,
                              level == ALL_LEVELS)),
        ("目标值", f"{objective:.0f} ({OBJECTIVE_NOTE})"),
        ("轮次", str(sum(len(s.rounds) for s in solutions))),
        ("用时", f"{time.monotonic() - started:.1f} 秒"),
        ("输出", str(out)),
    ):
        summary.add_row(key, value)
    console.print(summary)
    if missing:
        err_console.print(f"[bold yellow]已中断: {'、'.join(missing)} 尚未编制, 方案中只有已完成的党委。[/]",
                          highlight=False)
    if left_out:
        names = {t.id: t.name for t in loaded.targets}
        err_console.print(f"[bold yellow]未覆盖 {len(left_out)} 个单位 (本届内排不下):[/] "
                          + "、".join(f"{names[t]} ({t})" for t in left_out), highlight=False, soft_wrap=True)
    if violations:
        err_console.print(f"[bold red]内部错误: 方案未通过独立检查 ({len(violations)} 处):[/]")
        for v in violations:
            err_console.print(str(v), markup=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print("[green]独立检查通过: " + ("除未覆盖的单位外, " if gaps else "") + "全部硬性规则成立。[/]")


def _no_plan(scenario: Scenario, committee: Committee, solution, settings: SolveSettings) -> NoReturn:
    """Say which of the two it is: proven infeasible (with the conflict), or not found in time
    (and whether the hard rules can hold); exit 1."""
    name = scenario.policy(committee).committee
    proven = solution.status == SolveStatus.INFEASIBLE
    if proven:
        how = ("由组次计数证明, 无需搜索" if solution.stopped_by == StopReason.COUNT
               else f"求解 {solution.solve_seconds:.1f} 秒")
        err_console.print(f"[bold red]{name}: 已证明无可行方案[/]: 任何方案都至少有 {solution.uncovered_bound} 个单位"
                          f"无法覆盖 ({how})。", highlight=False)
    else:
        short = f", 找到的最好方案仍有 {len(solution.uncovered)} 个单位未覆盖" if solution.uncovered else ""
        err_console.print(f"[bold red]{name}: 在 {solution.solve_seconds:.1f} 秒内未找到覆盖全部单位的方案[/]{short}。"
                          "以下判断硬性规则能否同时成立:", highlight=False)
    found = _print_explanation(scenario, committee, settings, "zh")
    if not proven and found.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL):
        err_console.print("方案存在, 但本次时限内未找到: 请加大 --time-limit 后重试; 或加 --allow-uncovered 先得到部分方案。")
    elif found.status == SolveStatus.UNKNOWN and proven:
        err_console.print("冲突出在哪些规则, 时限内未能找出: 可用 xuncha explain 加大 --time-limit 再查; "
                          "或加 --allow-uncovered 得到覆盖尽量多单位的方案。")
    elif found.status == SolveStatus.UNKNOWN:
        err_console.print("可加大 --time-limit 后重试, 或加 --allow-uncovered 得到覆盖尽量多单位的方案。")
    raise typer.Exit(1)


@command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="[场景目录] 方案目录",
            help="场景目录 (可省略, 默认: 方案所用的场景, 否则内置商洛场景) 和方案目录 (xuncha plan --out 的输出)",
            show_default=False,
        ),
    ],
) -> None:
    """逐条复核方案是否满足全部硬性规则 (方案目录中的 assignments.xlsx 改过时, 检查改过的方案); 通过以代码 0 退出, 有违反时逐条列出并以代码 1 退出。"""
    if len(paths) > 2:
        err_console.print("用法: xuncha check [场景目录] 方案目录 (最多两个目录)")
        raise typer.Exit(2)
    scenario_path, plan_path = paths if len(paths) == 2 else (None, paths[0])
    loaded = _load_for_plan(scenario_path, plan_path)
    try:
        table = read_plan_table(plan_path, loaded)
        plan = table.plan
        violations = check_plan(loaded, plan)
        score = score_plan(loaded, plan)
    except PlanReadError as exc:
        err_console.print(f"[bold red]方案无法读取:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if table.edited:
        console.print(f"检查的是修改过的 {WORKBOOK_FILE} (与 assignments.csv 不同)。", highlight=False)
    for note in table.notes:
        console.print(f"注意: {note}", markup=False, highlight=False, soft_wrap=True)
    if not violations:
        console.print(f"[green]检查通过: {plan_counts(plan)}, 未发现违反硬性规则。[/]", highlight=False)
        _print_table(score_table(score, _drafted_objective(plan.meta), rule_labels(loaded)))
        return
    console.print(f"[bold red]检查未通过: 发现 {len(violations)} 处违反硬性规则[/]")
    for violation in violations:
        console.print(violation.message, markup=False, highlight=False, soft_wrap=True)
    _print_table(score_table(score, _drafted_objective(plan.meta), rule_labels(loaded)))
    console.print("[yellow]方案违反硬性规则, 以上得分不能与可行方案相比。[/]")
    raise typer.Exit(1)


@command()
def gantt(
    plan_dir: PlanDirArg,
    by: Annotated[str, typer.Option(help="行: team (巡察组) 或 round (轮次)", metavar="team|round")] = "team",
    year: Annotated[Optional[int], typer.Option(help="只画这一年开始进驻的轮次", metavar="年份",
                                                show_default=False)] = None,
    level: Annotated[str, typer.Option(
        help="city (市委)、county (县区委) 或 all (全市: 每个党委一栏, 各轮一条, 看市县同步); "
             "默认: 全市方案为 all, 否则 city; 给出 --county 时为 county",
        metavar="city|county|all", show_default=False)] = "",
    county: Annotated[str, typer.Option(help="县区名称: 只画这个县区委", metavar="县区",
                                        show_default=False)] = "",
    format: Annotated[str, typer.Option("--format", help="png, svg 或 pdf", metavar="格式")] = "png",
    lang: Annotated[str, typer.Option(help="zh 或 en", metavar="zh|en")] = "zh",
    scenario: ScenarioOption = None,
    out: OutOption = None,
) -> None:
    """画甘特图: 各巡察组 (或各轮) 的进驻时间、准备及报告时间、禁止进驻时段; 全市方案画市委和各县区委的轮次。"""
    _one_of(lang, ("zh", "en"), "--lang")
    _one_of(by, ("team", "round"), "--by")
    loaded = _load_for_plan(scenario, plan_dir)
    check_output_files(out or plan_dir, [])
    try:
        whole_plan = read_plan(plan_dir).meta.get("level") == ALL_LEVELS
        own = loaded.home.county if loaded.own_county else ""  # a county's own plan: its chart by default
        level = level or (Level.COUNTY.value if county or own else ALL_LEVELS if whole_plan else Level.CITY.value)
        if level not in (Level.CITY.value, Level.COUNTY.value, ALL_LEVELS) or (county and level != Level.COUNTY.value):
            raise ValueError(f"--level {level}: 应为 city (市委)、county (县区委, 可加 --county) 或 all (全市, 不加 --county)")
        part = level if whole_plan and level != ALL_LEVELS and not county else ""
        name = gantt_file_name(by=by, year=year, county=county, lang=lang, suffix=format, level=part)
        path = (out or plan_dir) / name
        write_gantt(plan_dir, loaded, path, by=by, year=year, level=level, county=county or own, lang=lang)
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法画图:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"已写入 {path}", highlight=False)


@command()
def view(
    plan_dir: PlanDirArg,
    compare: Annotated[Optional[Path], typer.Option(
        help="对照方案目录 (如 --baseline 的基准方案或 whatif 的另一方案): 图中标出与它相比变动的单位",
        metavar="方案目录", show_default=False)] = None,
    scenario: ScenarioOption = None,
    out: OutOption = None,
) -> None:
    """在浏览器中查看方案: 写出 plan.html (单个文件, 离线可用, 不访问网络), 含可缩放的甘特图、筛选、软性规则代价。"""
    loaded = _load_for_plan(scenario, plan_dir)
    check_output_files(out or plan_dir, [VIEW_FILE])
    try:
        path = write_view(plan_dir, loaded, (out or plan_dir) / VIEW_FILE, compare)
    except PlanReadError as exc:
        err_console.print(f"[bold red]无法读取方案:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"已写入 {path}", highlight=False)


DateOption = Annotated[
    Optional[dt.datetime],
    typer.Option("--date", formats=["%Y-%m-%d"], help="成文日期, 如 2027-12-20 (默认: 场景 document.date, 否则当天)",
                 metavar="日期", show_default=False),
]


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _printout_committee(scenario: Scenario, county: str) -> dict[str, str]:
    """The printout functions' (level, county) for ``--county``; exit 2 for an unknown county."""
    committee = _committee(scenario, county)
    return {"level": committee.level.value, "county": committee.county}


@command()
def annual(
    plan_dir: PlanDirArg,
    year: Annotated[int, typer.Option(help="年度: 该年进驻的轮次 (跨年度的轮次两年都列)", metavar="年份")],
    format: Annotated[str, typer.Option("--format", help="docx, pdf, xlsx, 可用逗号分隔多个",
                                        metavar="格式")] = "docx,pdf,xlsx",
    scenario: ScenarioOption = None,
    out: OutOption = None,
    date: DateOption = None,
    county: CountyOption = "",
) -> None:
    """输出年度巡察工作计划: 各轮进驻时间、巡察组、组长、人数和被巡察单位, 以及全覆盖进度。"""
    loaded = _load_for_plan(scenario, plan_dir)
    who = _printout_committee(loaded, county)
    check_output_files(out or plan_dir, [])
    _report_files(lambda formats: write_annual(plan_dir, loaded, year, formats, out, date=_day(date), **who), format)


@command()
def roundplan(
    plan_dir: PlanDirArg,
    round_: Annotated[int, typer.Option("--round", help="轮次编号 (第N轮)", metavar="轮次", min=1)],
    format: Annotated[str, typer.Option("--format", help="docx, pdf, 可用逗号分隔", metavar="格式")] = "docx,pdf",
    scenario: ScenarioOption = None,
    out: OutOption = None,
    date: DateOption = None,
    county: CountyOption = "",
) -> None:
    """输出每轮巡察工作方案: 巡察任务、时间安排和人员配备表 (留空填写姓名)。"""
    loaded = _load_for_plan(scenario, plan_dir)
    who = _printout_committee(loaded, county)
    check_output_files(out or plan_dir, [])
    _report_files(lambda formats: write_round(plan_dir, loaded, round_, formats, out, date=_day(date), **who), format)


@command()
def report(
    plan_dir: PlanDirArg,
    format: Annotated[str, typer.Option("--format", help="docx, pdf, 可用逗号分隔", metavar="格式")] = "docx,pdf",
    scenario: ScenarioOption = None,
    out: OutOption = None,
    date: DateOption = None,
    county: CountyOption = "",
) -> None:
    """输出巡察工作五年规划概览: 各年度轮次、巡察单位、累计覆盖率和甘特图。"""
    loaded = _load_for_plan(scenario, plan_dir)
    who = _printout_committee(loaded, county)
    check_output_files(out or plan_dir, [])
    _report_files(lambda formats: write_report(plan_dir, loaded, formats, out, date=_day(date), **who), format)


def _report_files(write, format: str) -> None:
    """Run a printout writer on the comma-separated formats; exit 2 with the reason if it fails."""
    try:
        paths = write([f.strip() for f in format.split(",") if f.strip()])
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法输出:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    for path in paths:
        console.print(f"已写入 {path}", highlight=False)


def _print_explanation(scenario: Scenario, committee: Committee, settings: SolveSettings, lang: str) -> Explanation:
    with _working("正在查找冲突的规则组和最小的放宽 ..." if lang == "zh" else "Looking for the conflict ..."):
        found = explain(scenario, committee, settings)
    for line in describe(found, scenario, lang, committee):
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)
    return found


@command("explain")
def explain_command(
    scenario: ScenarioArg = None,
    set_: SetOption = None,
    county: CountyOption = "",
    lang: Annotated[str, typer.Option(help="zh 或 en", metavar="zh|en")] = "zh",
    time_limit: TimeLimit = 60.0,
    seed: SeedOption = 0,
    workers: WorkersOption = MIN_WORKERS,
    deterministic: DeterministicOption = False,
) -> None:
    """解释为何排不出方案: 哪些硬性规则组互相冲突 (指明年度、单位), 以及最小的放宽。"""
    if lang not in ("zh", "en"):
        err_console.print(f"--lang {lang}: 应为 zh 或 en")
        raise typer.Exit(2)
    loaded = _variant(_load(scenario), set_)
    committee = _committee(loaded, county)
    _something_to_plan(loaded, committee)
    settings = SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)
    _print_explanation(loaded, committee, settings, lang)


@command()
def whatif(
    scenario: ScenarioArg = None,
    set_: SetOption = None,
    baseline: Annotated[Optional[Path], typer.Option(help="基准方案目录 (默认: 重新编制未改动场景的方案)",
                                                     metavar="方案目录", show_default=False)] = None,
    out: Annotated[Path, typer.Option(help="输出目录: compare.md, variant/ (及 baseline/)", metavar="目录")] = Path("whatif"),
    level: LevelOption = "",
    county: CountyOption = "",
    time_limit: TimeLimit = 60.0,
    seed: SeedOption = 0,
    workers: WorkersOption = MIN_WORKERS,
    deterministic: DeterministicOption = False,
    list_keys: ListKeys = False,
) -> None:
    """推演: 按 --set 改动场景后重新编制方案 (允许部分单位不覆盖, 以显示哪些单位排不下), 与基准方案逐项对比, 写出 compare.md。"""
    loaded = _load(scenario)
    variant = _variant(loaded, set_)  # a bad key or value exits 2 before anything is written
    if list_keys:
        _print_keys(variant)
        return
    committees = _committees(loaded, level, county)
    check_output_files(out, [COMPARE_FILE])
    for folder in ("variant",) + (() if baseline else ("baseline",)):
        check_output_dir(out / folder, PLAN_MARKERS, keep=[loaded.source])
    settings = SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)
    with _working("正在求证全覆盖、最早完成日期和最少的抽调人数 (只含硬性规则) ..."):
        facts = figures_of(loaded, variant, () if level == ALL_LEVELS else tuple(committees), settings)
    for line in facts:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    with _solve_progress() as report:
        result = run_whatif(loaded, set_ or [], out, settings, baseline, report, tuple(committees),
                            level == ALL_LEVELS, facts=facts)
    _print_report(result)
    console.print(f"已写入 {result.compare_path}", highlight=False)
    for solution in result.variant_solutions:
        if solution.status == SolveStatus.INFEASIBLE:
            _print_explanation(variant, solution.committee, settings, "zh")


@command("replan")
def replan_command(
    scenario: ScenarioArg = None,
    plan_dir: Annotated[Path, typer.Option("--plan", help="原方案目录 (默认: out)", metavar="方案目录",
                                           show_default=False)] = Path("out"),
    as_of: Annotated[str, typer.Option(help="调整日期 YYYY-MM-DD: 此前已进驻或已开始准备的轮次保持不变", metavar="日期",
                                       show_default=False)] = "",
    set_: SetOption = None,
    out: Annotated[Path, typer.Option(help="新方案输出目录 (含 changes.md)", metavar="目录")] = Path("replan"),
    county: CountyOption = "",
    time_limit: TimeLimit = 60.0,
    seed: SeedOption = 0,
    workers: WorkersOption = MIN_WORKERS,
    deterministic: DeterministicOption = False,
    free: FreeOption = False,
) -> None:
    """中期调整: 已进驻或已开始准备的轮次原样保留, 其余尽量不动 (只调整必须调整的单位), 写出新方案和变化清单 changes.md。"""
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        err_console.print(f"--as-of: 应为日期 YYYY-MM-DD (填写为 '{as_of}')", highlight=False)
        raise typer.Exit(2) from None
    loaded = _variant(_load(scenario), set_)
    check_output_dir(out, PLAN_MARKERS, keep=[loaded.source])
    old = _read_baseline(plan_dir, loaded)
    try:
        with _solve_progress() as report:
            settings = SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)
            result = replan(loaded, plan_dir, day, out, settings, report, set_ or [],
                            _committee(loaded, county), drafted_scenario(plan_dir), free, old)
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法调整:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if result.diff_path is None:
        err_console.print(f"[bold red]{STATUS_LABELS.get(result.solution.status, result.solution.status)}[/]: "
                          f"保留已进驻或已开始准备的 {result.kept} 条安排后没有得到方案。")
        raise typer.Exit(1)
    _print_report(result.report)
    console.print(f"已写入 {result.out} 和 {result.diff_path}", highlight=False)


def _print_report(report: StabilityReport | WhatIf) -> None:
    """The headline sentences, then the tables (a long list of units only in the file)."""
    for line in report.headline:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    for table in (t for t in report.tables if t.rows):
        if len(table.rows) <= LONGEST_TABLE:
            _print_table(table)
        else:
            console.print(f"{table.title}: {len(table.rows)} 行, 见输出文件。", highlight=False, soft_wrap=True)


@command("why")
def why_command(
    plan_dir: PlanDirArg,
    target: Annotated[str, typer.Argument(help="巡察对象的编号或单位名称, 如 C-GD08 或 市公安局", metavar="单位",
                                          show_default=False)],
    scenario: ScenarioOption = None,
    county: CountyOption = "",
    time_limit: Annotated[float, typer.Option(help="总时限 (秒): 三分之一用于重排原方案, 其余用于求解提前一轮的方案 "
                                              "(另需数秒读入和准备)", metavar="秒", min=2, callback=_seconds)] = 30.0,
    seed: SeedOption = 0,
    workers: WorkersOption = MIN_WORKERS,
    deterministic: DeterministicOption = False,
) -> None:
    """说明某单位为何排在这一轮: 哪些规则把它留在此轮, 提前一轮要付出什么代价。"""
    loaded = _load_for_plan(scenario, plan_dir)
    try:
        with _working("正在把该单位提前一轮重新求解 ..."):
            settings = SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)
            found = why(loaded, plan_dir, target, settings, _committee(loaded, county))
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法说明:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    for line in describe_why(found):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@command("sweep")
def sweep_command(
    scenario: ScenarioArg = None,
    param: Annotated[str, typer.Option(help="要推演的设置项 (键), 如 staff.city.drafted_pool; 全部的键见 --list-keys",
                                       metavar="键", show_default=False)] = "",
    values: Annotated[str, typer.Option(help="逗号分隔的取值, 如 4,6,8,10,12,15", metavar="值1,值2,...",
                                        show_default=False)] = "",
    jobs: Annotated[int, typer.Option(help="同时求解的进程数", metavar="进程数", min=1, max=MAX_JOBS)] = 2,
    out: Annotated[Path, typer.Option(help="输出目录: sweep.csv, sweep.png", metavar="目录")] = Path("sweep"),
    level: LevelOption = "",
    county: CountyOption = "",
    time_limit: TimeLimit = 60.0,
    seed: SeedOption = 0,
    workers: WorkersOption = MIN_WORKERS,
    deterministic: DeterministicOption = False,
    list_keys: ListKeys = False,
) -> None:
    """参数推演: 逐个取值编制方案 (允许未覆盖), 并行求解, 写出 sweep.csv 和曲线图 sweep.png。"""
    if list_keys:
        _print_keys(_load(scenario))
        return
    chosen = [v.strip() for v in values.split(",") if v.strip()]
    if not param or not chosen:
        err_console.print("用法: xuncha sweep [场景目录] --param 键 --values 值1,值2,...")
        raise typer.Exit(2)
    loaded = _load(scenario)
    for value in chosen:
        _variant(loaded, [f"{param}={value}"])  # a bad value exits 2 before any run
    committees = _committees(loaded, level, county)
    check_output_files(out, [CSV_FILE, PNG_FILE])
    with ProgressBar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task(f"推演 {param}", total=len(chosen))

        def done(row: SweepRow) -> None:
            bar.advance(task)
            bar.console.print(f"{param}={row.value}: {STATUS_LABELS.get(row.status, row.status)}, "
                              f"完成 {row.finish or '—'}, 未覆盖 {'—' if row.uncovered is None else row.uncovered}, "
                              f"{row.seconds} 秒", highlight=False)

        settings = SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)
        rows = sweep(loaded, param, chosen, out, settings, jobs, done,
                     tuple(committees), level == ALL_LEVELS)
    _print_table(Table(f"参数推演: {key_label(loaded, param)} ({param})",
                       ("取值", "状态", "全覆盖完成", "未覆盖", "轮次", "抽调干部人·周 (含组长)", "软性规则代价", "用时(秒)"),
                       tuple((r.value, STATUS_LABELS.get(r.status, r.status), str(r.finish or "—"),
                              "—" if r.uncovered is None else str(r.uncovered), str(r.rounds or "—"),
                              str(r.drafted_cadre_weeks or "—"), "—" if r.soft_cost is None else str(r.soft_cost),
                              str(r.seconds)) for r in rows)))
    console.print(f"已写入 {out / CSV_FILE} 和 {out / PNG_FILE}", highlight=False)


@command("keys")
def keys_command(
    scenario: ScenarioArg = None,
    set_: SetOption = None,
) -> None:
    """列出 --set 可改动的全部键: 含义 (中文) 和当前取值 (可先用 --set 改动再看)。"""
    _print_keys(_variant(_load(scenario), set_))


@command("template")
def template_command(
    folder: Annotated[Path, typer.Argument(help="新建的场景目录 (须不存在或为空)", metavar="目录", show_default=False)],
    scenario: Annotated[Optional[Path], typer.Option(
        help="以此场景的设置、县区和示例为底 (默认: 内置商洛场景)", metavar="场景目录", show_default=False)] = None,
    fill: Annotated[bool, typer.Option("--fill", help="把该场景的各表数据也填入工作簿 (默认只写表头)",
                                       show_default=False)] = False,
    level: Annotated[str, typer.Option(
        help="city: 市委 (含所辖县区); county: 县委、区委或党工委单独编制 (默认以内置柞水县场景为底)",
        metavar="city|county", show_default=False)] = "",
) -> None:
    """写出待填写的场景: scenario.xlsx (巡察对象、村(社区)、巡察组三张表, 中文表头和下拉选项) 和带中文说明的 scenario.yaml。"""
    if level:
        _one_of(level, (Level.CITY.value, Level.COUNTY.value), "--level")
    if scenario is None and level == Level.COUNTY.value:
        scenario = bundled_scenario_path(COUNTY_SCENARIO)
    source = _load(scenario)
    if level and level != source.names.level.value:
        err_console.print(f"--level {level}: 场景 {source.source} 的本级为 {source.names.level.value} "
                          f"(names.level); 请另选场景, 或不加 --scenario", highlight=False)
        raise typer.Exit(2)
    try:
        paths = write_template(folder, source, fill)
    except OutputError as exc:
        err_console.print(f"[bold red]无法写出:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    for path in paths:
        console.print(f"已写入 {path}", highlight=False, soft_wrap=True)
    console.print(f"填好后运行: xuncha validate {folder}", highlight=False, soft_wrap=True)


def _one_of(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        err_console.print(f"{option} {value}: 应为 {' 或 '.join(allowed)}", markup=False, highlight=False)
        raise typer.Exit(2)


def _say(text: str) -> None:
    err_console.print(text, markup=False, highlight=False)


def _interrupted(exc: KeyboardInterrupt, written: list[Path]) -> NoReturn:
    """Ctrl-C: one line saying what was and was not written."""
    text = "已中断 (Ctrl-C): "
    if isinstance(exc, WriteInterrupted) and not exc.kept:
        text += f"{exc.path} 未写完, 新的内容已放弃, 原有内容保持不变; "
    text += f"已写入 {'、'.join(map(str, written))}。" if written else "未写入任何文件。"
    _say(text)
    raise typer.Exit(130)


def _fail(exc: Exception, written: list[Path]) -> NoReturn:
    """An expected failure as one line with exit 2; anything else to a log file, named in one line, exit 1."""
    if isinstance(exc, ScenarioError):
        _input_error(exc)
    if isinstance(exc, OutputError):
        _say(f"无法输出: {exc}")
        raise typer.Exit(2)
    if isinstance(exc, PlanReadError):
        _say(f"方案无法读取: {exc}")
        raise typer.Exit(2)
    if isinstance(exc, OSError):
        _say(f"{exc.filename or '文件'}: 无法读写 ({os_reason(exc)})")
        raise typer.Exit(2)
    if isinstance(exc, MemoryError):
        _say("内存不足: 输入太大, 已停止" + (f"; 已写入 {'、'.join(map(str, written))}" if written else ""))
        raise typer.Exit(1)
    log = _crash_log(exc)
    where = f"详细记录已写入 {log}, 请交给维护人员" if log else f"{type(exc).__name__}: {exc}"
    _say(f"内部错误, 已停止 ({where})。")
    raise typer.Exit(1)


def _crash_log(exc: Exception) -> Path | None:
    """Write the traceback to a private file in the temp folder; never anywhere else, never sent."""
    path = Path(tempfile.gettempdir()) / f"xuncha-error-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    text = f"xuncha {' '.join(sys.argv[1:])}\n\n" + "".join(traceback.format_exception(exc))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return None
    return path


def main() -> None:
    app()


# Loaded and defined: from here on Ctrl-C reaches the error boundary.
if _before_loading is not None:
    signal.signal(signal.SIGINT, _before_loading)

if __name__ == "__main__":
    main()
