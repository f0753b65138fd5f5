"""xuncha command line: thin commands that call into the planner package."""

from __future__ import annotations

import signal
import sys


def _stopped_while_loading(signum, frame) -> None:
    sys.stderr.write("已中断 (Ctrl-C): 程序尚未开始工作, 未读取或写入任何文件。\n")
    raise SystemExit(130)


# Ctrl-C while the libraries load (about a second) must not end in a traceback.
try:
    _before_loading = signal.signal(signal.SIGINT, _stopped_while_loading)
except ValueError:  # imported outside the main thread, where there are no signals to catch
    _before_loading = None

import datetime as dt
import os
import tempfile
import time
import traceback
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from typer.core import TyperGroup
from rich.console import Console
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as ProgressBar
from rich.table import Table as RichTable

from planner.check import check_plan, plan_counts, plan_level
from planner.describe import Table, scenario_summary
from planner.explain import describe, expected_violations, explain, uncovered
from planner.export import STATUS_LABELS, write_plan
from planner.gantt import gantt_file_name, write_gantt
from planner.io import OutputError, WriteInterrupted, check_output_dir, check_output_files, os_reason, recorded_outputs
from planner.loading import ScenarioError, load_scenario
from planner.overrides import apply_overrides
from planner.plan import PLAN_MARKERS, PlanReadError, read_plan
from planner.provenance import scenario_of_plan
from planner.replan import replan
from planner.printouts.files import write_annual, write_report
from planner.scenario import INT32_MAX, Level
from planner.solve import MIN_WORKERS, Progress, SolveSettings, draft_plan
from planner.sweep import CSV_FILE, PNG_FILE, SweepRow, sweep
from planner.whatif import COMPARE_FILE, run_whatif
from planner.why import describe_why, why

if _before_loading is not None:
    signal.signal(signal.SIGINT, _before_loading)

MAX_SECONDS = 7 * 24 * 3600
MAX_WORKERS = 64
MAX_JOBS = 32


class _Guarded(TyperGroup):
    """The error boundary: whatever a command raises ends in one line for a person and an exit code."""

    def invoke(self, ctx):
        with recorded_outputs() as written:
            try:
                return super().invoke(ctx)
            except Exception as exc:
                if type(exc).__module__.split(".")[0] in ("typer", "click"):
                    raise  # usage errors and exits: the framework reports them
                _fail(exc, written)
            except KeyboardInterrupt as exc:
                _interrupted(exc, written)


app = typer.Typer(help="巡察工作规划优化工具 (xuncha)", no_args_is_help=True, add_completion=False, cls=_Guarded)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # one message, one line, whatever the width

ScenarioArg = Annotated[
    Optional[Path], typer.Argument(help="场景目录 (默认: 内置商洛场景)", show_default=False)
]
SetOption = Annotated[
    Optional[list[str]],
    typer.Option("--set", help="改动场景的一项, 键=值, 可多次使用: staff.city.drafted_pool=8, teams.C5.leader_filled=1",
                 show_default=False),
]


def _seconds(value: float) -> float:
    """A time limit a solve can reach: finite (not inf, not nan) and at most a week."""
    if not 1 <= value <= MAX_SECONDS:
        raise typer.BadParameter(f"应为 1 至 {MAX_SECONDS} 之间的秒数 (填写为 {value})")
    return value


def _seed(value: int) -> int:
    """CP-SAT's random seed is a 32-bit integer."""
    if not 0 <= value <= INT32_MAX:
        raise typer.BadParameter(f"应为 0 至 {INT32_MAX} 之间的整数 (填写为 {value})")
    return value


TimeLimit = Annotated[float, typer.Option(help="每次求解的时限 (秒)", callback=_seconds)]


@app.callback()
def _root() -> None:
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


def _print_table(table: Table) -> None:
    rich_table = RichTable(title=table.title, title_justify="left")
    for column in table.columns:
        rich_table.add_column(column)
    for row in table.rows:
        rich_table.add_row(*row)
    console.print(rich_table)


@app.command()
def validate(scenario: ScenarioArg = None) -> None:
    """校验场景数据并打印摘要; 数据有误时逐条列出并以代码 2 退出。"""
    loaded = _load(scenario)
    for table in scenario_summary(loaded):
        _print_table(table)
    console.print("[green]场景数据校验通过。[/]")


class _LiveLine:
    """The live solve line: elapsed time, best objective, bound and gap."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.best: Progress | None = None

    def update(self, progress: Progress) -> None:
        self.best = progress

    def __rich__(self) -> str:
        elapsed = time.monotonic() - self.started
        if self.best is None:
            return f"求解中 {elapsed:5.1f} 秒, 尚未找到方案 (Ctrl-C 停止)"
        b = self.best
        return (f"求解中 {elapsed:5.1f} 秒 | 当前最好 {b.objective:.0f} | 下界 {b.bound:.0f} | "
                f"差距 {b.gap:.2%} (Ctrl-C 停止并保留当前方案)")


@app.command()
def plan(
    scenario: ScenarioArg = None,
    level: Annotated[str, typer.Option(help="规划层级: city (市委)")] = "city",
    out: Annotated[Path, typer.Option(help="方案输出目录")] = Path("out"),
    time_limit: Annotated[float, typer.Option(help="求解时限 (秒)", callback=_seconds)] = 60.0,
    seed: Annotated[int, typer.Option(help="随机种子: 相同输入、种子和设置得到相同方案", callback=_seed)] = 0,
    workers: Annotated[int, typer.Option(help="CP-SAT 线程数 (至少 8)", min=1, max=MAX_WORKERS)] = MIN_WORKERS,
    gantt_chart: Annotated[bool, typer.Option("--gantt/--no-gantt", help="同时输出 gantt.png")] = True,
    deterministic: Annotated[
        bool, typer.Option(help="可复现求解: 按计算量而非墙钟计时, 相同输入和种子必得相同方案 (较慢)")
    ] = False,
    set_: SetOption = None,
    allow_uncovered: Annotated[
        bool, typer.Option(help="人手不足时允许部分单位不覆盖 (代价最高的软性规则), 并列出未覆盖单位")
    ] = False,
) -> None:
    """编制五年巡察规划: 每个对象排入轮次和巡察组, 确定各轮日期, 写出 assignments.csv、plan.json、summary.md。"""
    if level != "city":
        err_console.print(f"--level {level}: 目前只支持市委层级 (city)")
        raise typer.Exit(2)
    loaded = _variant(_load(scenario), set_)
    check_output_dir(out, PLAN_MARKERS, keep=[loaded.source])
    settings = SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)
    line = _LiveLine()
    with Live(line, console=console, refresh_per_second=4, transient=True):
        solution = draft_plan(loaded, Level(level), "", settings, line.update, allow_uncovered=allow_uncovered)
    if not solution.has_plan:
        err_console.print(f"[bold red]{STATUS_LABELS.get(solution.status, solution.status)}[/]: "
                          f"{solution.solve_seconds:.1f} 秒内没有得到方案。")
        if solution.status == "UNKNOWN":
            err_console.print("可加大 --time-limit 后重试。")
        if solution.status == "INFEASIBLE":
            _print_explanation(loaded, time_limit, "zh")
        raise typer.Exit(1)
    chart = (lambda folder: write_gantt(folder, loaded, folder / gantt_file_name())) if gantt_chart else None
    write_plan(out, solution, loaded, {"time_limit": time_limit, "deterministic": deterministic,
                                       "overrides": set_ or [], "allow_uncovered": allow_uncovered}, also=chart)
    left_out = uncovered(solution)
    gaps, violations = expected_violations(check_plan(loaded, read_plan(out), Level(level)), left_out)
    summary = RichTable(title="规划结果", title_justify="left", show_header=False)
    for key, value in (
        ("状态", "已中断, 保留当前最好方案 (未证明最优)" if solution.stopped_by == "interrupted"
         else STATUS_LABELS[solution.status]),
        ("目标值 / 下界 / 差距", f"{solution.objective:.0f} / {solution.best_bound:.0f} / {solution.gap:.2%}"),
        ("轮次", str(len(solution.rounds))),
        ("用时", f"{solution.solve_seconds:.1f} 秒"),
        ("输出", str(out)),
    ):
        summary.add_row(key, value)
    console.print(summary)
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


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="[SCENARIO] PLAN_DIR",
            help="场景目录 (可省略, 默认: 方案所用的场景, 否则内置商洛场景) 和方案目录 (xuncha plan --out 的输出)",
            show_default=False,
        ),
    ],
) -> None:
    """逐条复核方案是否满足全部硬性规则; 通过以代码 0 退出, 有违反时逐条列出并以代码 1 退出。"""
    if len(paths) > 2:
        err_console.print("用法: xuncha check [SCENARIO] PLAN_DIR (最多两个目录)")
        raise typer.Exit(2)
    scenario_path, plan_path = paths if len(paths) == 2 else (None, paths[0])
    loaded = _load_for_plan(scenario_path, plan_path)
    try:
        plan = read_plan(plan_path)
        violations = check_plan(loaded, plan, plan_level(plan))
    except PlanReadError as exc:
        err_console.print(f"[bold red]方案无法读取:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if not violations:
        console.print(f"[green]检查通过: {plan_counts(plan)}, 未发现违反硬性规则。[/]", highlight=False)
        return
    console.print(f"[bold red]检查未通过: 发现 {len(violations)} 处违反硬性规则[/]")
    for violation in violations:
        console.print(violation.message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command()
def gantt(
    plan_dir: Annotated[Path, typer.Argument(help="方案目录", show_default=False)],
    by: Annotated[str, typer.Option(help="行: team (巡察组) 或 round (轮次)")] = "team",
    year: Annotated[Optional[int], typer.Option(help="只画这一年开始进驻的轮次")] = None,
    level: Annotated[str, typer.Option(help="city (市委) 或 county (县区委)")] = "city",
    county: Annotated[str, typer.Option(help="县区名称, 与 --level county 同用")] = "",
    format: Annotated[str, typer.Option("--format", help="png, svg 或 pdf")] = "png",
    lang: Annotated[str, typer.Option(help="zh 或 en")] = "zh",
    scenario: Annotated[Optional[Path], typer.Option(help="场景目录 (默认: 方案所用的场景, 否则内置商洛场景)")] = None,
    out: Annotated[Optional[Path], typer.Option(help="输出目录 (默认: 方案目录)")] = None,
) -> None:
    """画甘特图: 各巡察组 (或各轮) 的进驻时间、准备及报告时间、禁止进驻时段。"""
    _one_of(lang, ("zh", "en"), "--lang")
    _one_of(by, ("team", "round"), "--by")
    loaded = _load_for_plan(scenario, plan_dir)
    check_output_files(out or plan_dir, [])
    try:
        path = (out or plan_dir) / gantt_file_name(by=by, year=year, county=county, suffix=format)
        write_gantt(plan_dir, loaded, path, by=by, year=year, level=level, county=county, lang=lang)
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法画图:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"已写入 {path}", highlight=False)


@app.command()
def annual(
    plan_dir: Annotated[Path, typer.Argument(help="方案目录", show_default=False)],
    year: Annotated[int, typer.Option(help="年度: 该年开始进驻的轮次")],
    format: Annotated[str, typer.Option("--format", help="docx, pdf, xlsx, 可用逗号分隔多个")] = "docx,pdf,xlsx",
    scenario: Annotated[Optional[Path], typer.Option(help="场景目录 (默认: 方案所用的场景, 否则内置商洛场景)")] = None,
    out: Annotated[Optional[Path], typer.Option(help="输出目录 (默认: 方案目录)")] = None,
) -> None:
    """输出年度巡察工作计划: 各轮进驻时间、巡察组、组长、人数和被巡察单位, 以及全覆盖进度。"""
    loaded = _load_for_plan(scenario, plan_dir)
    check_output_files(out or plan_dir, [])
    _report_files(lambda formats: write_annual(plan_dir, loaded, year, formats, out), format)


@app.command()
def report(
    plan_dir: Annotated[Path, typer.Argument(help="方案目录", show_default=False)],
    format: Annotated[str, typer.Option("--format", help="docx, pdf, 可用逗号分隔")] = "docx,pdf",
    scenario: Annotated[Optional[Path], typer.Option(help="场景目录 (默认: 方案所用的场景, 否则内置商洛场景)")] = None,
    out: Annotated[Optional[Path], typer.Option(help="输出目录 (默认: 方案目录)")] = None,
) -> None:
    """输出巡察工作五年规划概览: 各年度轮次、巡察单位、累计覆盖率和甘特图。"""
    loaded = _load_for_plan(scenario, plan_dir)
    check_output_files(out or plan_dir, [])
    _report_files(lambda formats: write_report(plan_dir, loaded, formats, out), format)


def _report_files(write, format: str) -> None:
    """Run a printout writer on the comma-separated formats; exit 2 with the reason if it fails."""
    try:
        paths = write([f.strip() for f in format.split(",") if f.strip()])
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法输出:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    for path in paths:
        console.print(f"已写入 {path}", highlight=False)


def _print_explanation(scenario, time_limit: float, lang: str) -> None:
    with console.status("正在查找冲突的规则组和最小的放宽 ..." if lang == "zh" else "Looking for the conflict ..."):
        found = explain(scenario, Level.CITY, "", time_limit)
    for line in describe(found, scenario, lang):
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command("explain")
def explain_command(
    scenario: ScenarioArg = None,
    set_: SetOption = None,
    lang: Annotated[str, typer.Option(help="zh 或 en")] = "zh",
    time_limit: TimeLimit = 60.0,
) -> None:
    """解释为何排不出方案: 哪些硬性规则组互相冲突 (指明年度、单位), 以及最小的放宽。"""
    if lang not in ("zh", "en"):
        err_console.print(f"--lang {lang}: 应为 zh 或 en")
        raise typer.Exit(2)
    loaded = _variant(_load(scenario), set_)
    _print_explanation(loaded, time_limit, lang)


@app.command()
def whatif(
    scenario: ScenarioArg = None,
    set_: SetOption = None,
    baseline: Annotated[Optional[Path], typer.Option(help="基准方案目录 (默认: 重新编制未改动场景的方案)")] = None,
    out: Annotated[Path, typer.Option(help="输出目录: compare.md, variant/ (及 baseline/)")] = Path("whatif"),
    time_limit: TimeLimit = 60.0,
) -> None:
    """推演: 按 --set 改动场景后重新编制方案 (允许部分单位不覆盖, 以显示哪些单位排不下), 与基准方案逐项对比, 写出 compare.md。"""
    loaded = _load(scenario)
    _variant(loaded, set_)  # a bad key or value exits 2 before anything is written
    check_output_files(out, [COMPARE_FILE])
    for folder in ("variant",) + (() if baseline else ("baseline",)):
        check_output_dir(out / folder, PLAN_MARKERS, keep=[loaded.source])
    line = _LiveLine()
    with Live(line, console=console, refresh_per_second=4, transient=True):
        result = run_whatif(loaded, set_ or [], out, SolveSettings(time_limit=time_limit), baseline, line.update)
    for table in result.tables:
        _print_table(table)
    console.print(f"已写入 {result.compare_path}", highlight=False)
    if result.variant_solution.status == "INFEASIBLE":
        _print_explanation(_variant(loaded, set_), time_limit, "zh")


@app.command("replan")
def replan_command(
    scenario: ScenarioArg = None,
    plan_dir: Annotated[Path, typer.Option("--plan", help="原方案目录", show_default=False)] = Path("out"),
    as_of: Annotated[str, typer.Option(help="调整日期 YYYY-MM-DD: 此前已进驻的轮次保持不变", show_default=False)] = "",
    set_: SetOption = None,
    out: Annotated[Path, typer.Option(help="新方案输出目录 (含 changes.md)")] = Path("replan"),
    time_limit: TimeLimit = 60.0,
) -> None:
    """中期调整: 已进驻的轮次原样保留, 其余重新安排, 写出新方案和变化清单 changes.md。"""
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        err_console.print(f"--as-of: 应为日期 YYYY-MM-DD (填写为 '{as_of}')", highlight=False)
        raise typer.Exit(2) from None
    loaded = _variant(_load(scenario), set_)
    check_output_dir(out, PLAN_MARKERS, keep=[loaded.source])
    line = _LiveLine()
    try:
        with Live(line, console=console, refresh_per_second=4, transient=True):
            result = replan(loaded, plan_dir, day, out, SolveSettings(time_limit=time_limit), line.update, set_ or [])
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法调整:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if result.diff_path is None:
        err_console.print(f"[bold red]{STATUS_LABELS.get(result.solution.status, result.solution.status)}[/]: "
                          f"保留已进驻的 {result.kept} 条安排后没有得到方案。")
        raise typer.Exit(1)
    for table in result.tables:
        _print_table(table)
    console.print(f"保留已进驻的 {result.kept} 条安排; 已写入 {result.out} 和 {result.diff_path}", highlight=False)


@app.command("why")
def why_command(
    plan_dir: Annotated[Path, typer.Argument(help="方案目录", show_default=False)],
    target: Annotated[str, typer.Argument(help="巡察对象编号", show_default=False)],
    scenario: Annotated[Optional[Path], typer.Option(help="场景目录 (默认: 方案所用的场景, 否则内置商洛场景)")] = None,
    time_limit: TimeLimit = 30.0,
) -> None:
    """说明某单位为何排在这一轮: 哪些规则把它留在此轮, 提前一轮要付出什么代价。"""
    loaded = _load_for_plan(scenario, plan_dir)
    try:
        with console.status("正在把该单位提前一轮重新求解 ..."):
            found = why(loaded, plan_dir, target, SolveSettings(time_limit=time_limit))
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法说明:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    for line in describe_why(found):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command("sweep")
def sweep_command(
    scenario: ScenarioArg = None,
    param: Annotated[str, typer.Option(help="要推演的设置项 (键), 如 staff.city.drafted_pool", show_default=False)] = "",
    values: Annotated[str, typer.Option(help="逗号分隔的取值, 如 4,6,8,10,12,15", show_default=False)] = "",
    jobs: Annotated[int, typer.Option(help="同时求解的进程数", min=1, max=MAX_JOBS)] = 2,
    out: Annotated[Path, typer.Option(help="输出目录: sweep.csv, sweep.png")] = Path("sweep"),
    time_limit: TimeLimit = 60.0,
) -> None:
    """参数推演: 逐个取值编制方案 (允许未覆盖), 并行求解, 写出 sweep.csv 和曲线图 sweep.png。"""
    chosen = [v.strip() for v in values.split(",") if v.strip()]
    if not param or not chosen:
        err_console.print("用法: xuncha sweep [SCENARIO] --param 键 --values 值1,值2,...")
        raise typer.Exit(2)
    loaded = _load(scenario)
    for value in chosen:
        _variant(loaded, [f"{param}={value}"])  # a bad value exits 2 before any run
    check_output_files(out, [CSV_FILE, PNG_FILE])
    with ProgressBar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task(f"推演 {param}", total=len(chosen))

        def done(row: SweepRow) -> None:
            bar.advance(task)
            bar.console.print(f"{param}={row.value}: {STATUS_LABELS.get(row.status, row.status)}, "
                              f"完成 {row.finish or '—'}, 未覆盖 {'—' if row.uncovered is None else row.uncovered}, "
                              f"{row.seconds} 秒", highlight=False)

        rows = sweep(loaded, param, chosen, out, SolveSettings(time_limit=time_limit), jobs, done)
    _print_table(Table(f"参数推演: {param}", ("取值", "状态", "全覆盖完成", "未覆盖", "轮次", "抽调人·周", "目标值", "用时(秒)"),
                       tuple((r.value, STATUS_LABELS.get(r.status, r.status), str(r.finish or "—"),
                              "—" if r.uncovered is None else str(r.uncovered), str(r.rounds or "—"),
                              str(r.drafted_cadre_weeks or "—"), "—" if r.objective is None else f"{r.objective:.0f}",
                              str(r.seconds)) for r in rows)))
    console.print(f"已写入 {out / CSV_FILE} 和 {out / PNG_FILE}", highlight=False)


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


if __name__ == "__main__":
    main()
