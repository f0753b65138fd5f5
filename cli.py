"""xuncha command line: thin commands that call into the planner package."""

from __future__ import annotations

import os
import signal


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
from pathlib import Path
from typing import NoReturn

import typer

from planner.app import (PlanRequest, check_run, check_whatif_outputs, draft, draw_gantt, plan_scope, template_source,
                         write)
from planner.cli_chinese import ChineseCommand, ChineseGroup, use_chinese_panels
from planner.cli_options import (AllowUncovered, AnnualFormats, AsOf, CheckPaths, CountyOption, DateOption,
                                 DeterministicOption, DocumentFormats, FreeOption, GanttBy, GanttChart, GanttCounty,
                                 GanttFormat, GanttLevel, GanttYear, LangOption, LevelOption, ListKeys, OutOption,
                                 PlanBaseline, PlanCounty, PlanDirArg, PlanJobs, PlanLevel, PlanOut, PlanTimeLimit,
                                 ReplanOut, ReplanPlan, RoundNumber, ScenarioArg, ScenarioOption, SeedOption,
                                 SetOption, SweepJobs, SweepOut, SweepParam, SweepValues, TemplateFill, TemplateFolder,
                                 TemplateLevel, TemplateScenario, TimeLimit, VersionOption, ViewCompare, WhatifBaseline, WhatifOut,
                                 WhyTarget, WhyTimeLimit, WorkersOption, Year)
from planner.describe import scenario_summary
from planner.display import (busy, console, err_console, print_board, print_check, print_failure, print_interrupted,
                             print_keys, print_no_plan, print_no_plan_advice, print_plan_run, print_report,
                             print_table, say_lines, solving)
from planner.explain import Explanation, describe, explain
from planner.export import STATUS_LABELS
from planner.io import OutputError, check_output_dir, check_output_files, recorded_outputs
from planner.loading import load_scenario
from planner.overrides import apply_overrides
from planner.plan import PLAN_MARKERS, PlanDir, PlanReadError
from planner.printouts.files import write_annual, write_report, write_round
from planner.progress_ui import LiveBoard, committee_progress, sweep_progress
from planner.provenance import scenario_of_plan
from planner.replan import drafted_scenario, replan
from planner.scenario import Scenario
from planner.scope import check_something_to_plan, committee_of, one_of, scope_of
from planner.solve import SolveSettings
from planner.solver import MIN_WORKERS
from planner.status import SolveStatus
from planner.sweep import CSV_FILE, PNG_FILE, sweep, sweep_table
from planner.template import write_template
from planner.vocabulary import Committee
from planner.view import VIEW_FILE, write_view
from planner.whatif import figures_of, run_whatif
from planner.why import describe_why, why
from planner.workbook import WORKBOOK_FILE, read_plan_table


class _Guarded(ChineseGroup):
    """The error boundary: whatever a command raises ends in one line for a person and an exit code."""

    def invoke(self, ctx):
        with recorded_outputs() as written:
            try:
                return super().invoke(ctx)
            except Exception as exc:
                if any(c.__module__.split(".")[0] in ("typer", "click") for c in type(exc).__mro__):
                    raise  # usage errors and exits: the framework reports them
                raise typer.Exit(print_failure(exc, written)) from None
            except KeyboardInterrupt as exc:
                print_interrupted(exc, written)
                raise typer.Exit(130) from None


use_chinese_panels()
app = typer.Typer(help="巡察工作规划优化工具 (xuncha)", no_args_is_help=True, add_completion=False, cls=_Guarded)


def command(name: str | None = None):
    """A subcommand whose usage, help and errors are in Chinese."""
    return app.command(name, cls=ChineseCommand)


@app.callback()
def _root(version: VersionOption = False) -> None:
    """巡察工作规划优化工具: 编制五年规划和年度计划, 校验、解释、推演。"""


def _settings(time_limit: float, seed: int, workers: int, deterministic: bool) -> SolveSettings:
    return SolveSettings(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic)


def _load(path: Path | None, overrides: list[str] | None = None) -> Scenario:
    """The scenario with its ``--set`` overrides (a bad one ends at the error boundary, exit 2)."""
    return apply_overrides(load_scenario(path), overrides or [])


def _load_for_plan(scenario: Path | None, plan_dir: Path) -> Scenario:
    """The scenario a plan was drafted from (with its --set overrides), or the one named."""
    found = scenario_of_plan(plan_dir, scenario)
    if found.changed:
        err_console.print(f"[yellow]注意: 场景数据 ({found.scenario.source}) 与编制该方案时不同。[/]", highlight=False)
    return found.scenario


def _exit(text: str, code: int = 2) -> NoReturn:
    err_console.print(text, highlight=False)
    raise typer.Exit(code)


def _read_baseline(path: Path, scenario: Scenario) -> PlanDir:
    """The plan ``plan --baseline`` starts from (with the office's edit of its workbook), or exit 2."""
    try:
        table = read_plan_table(path, scenario)
    except PlanReadError as exc:
        _exit(f"[bold red]基准方案无法读取:[/] {exc}")
    if table.edited:
        console.print(f"从修改过的 {path / WORKBOOK_FILE} 出发。", highlight=False)
    say_lines(f"注意: {note}" for note in table.notes)
    return table.plan


@command()
def validate(scenario: ScenarioArg = None) -> None:
    """校验场景数据并打印摘要; 数据有误时逐条列出并以代码 2 退出。"""
    for table in scenario_summary(_load(scenario)):
        print_table(table)
    console.print("[green]场景数据校验通过。[/]")


@command()
def plan(scenario: ScenarioArg = None, level: PlanLevel = "", county: PlanCounty = "", out: PlanOut = Path("out"),
         time_limit: PlanTimeLimit = 60.0, seed: SeedOption = 0, workers: WorkersOption = MIN_WORKERS,
         gantt_chart: GanttChart = True, deterministic: DeterministicOption = False, set_: SetOption = None,
         allow_uncovered: AllowUncovered = False, jobs: PlanJobs = 2, list_keys: ListKeys = False,
         baseline: PlanBaseline = None, free: FreeOption = False) -> None:
    """编制五年巡察规划: 每个对象排入轮次和巡察组, 确定各轮日期, 写出 assignments.csv、plan.json、summary.md。"""
    loaded = _load(scenario, set_)
    if list_keys:
        return print_keys(loaded)
    scope = plan_scope(loaded, level, county, out, baseline is not None)
    settings = _settings(time_limit, seed, workers, deterministic)
    request = PlanRequest(loaded, scope, settings, out, jobs, allow_uncovered, tuple(set_ or []),
                          _read_baseline(baseline, loaded) if baseline else None, baseline, free, gantt_chart)
    board = None if scope.single is not None else LiveBoard(loaded, list(scope.committees), request.title)
    with committee_progress(console, err_console, board) as report:
        run = draft(request, report)
    if board is not None:
        print_board(board, run)
    if run.out_of_step:  # a county with a plan once sync is soft fails for the city's calendar: not explain's rules
        say_lines(run.out_of_step_reasons(), err_console)
    elif run.failed:  # proven infeasible (with the conflict), or not found in time (can the hard rules hold?)
        print_no_plan(loaded, run.failed[0])
        print_no_plan_advice(run.failed[0], _print_explanation(loaded, run.failed[0].committee, settings, "zh"))
    if run.failed or not run.solutions:
        raise typer.Exit(1)
    run = write(run)
    print_plan_run(run)
    if run.violations:
        raise typer.Exit(1)


def _print_explanation(scenario: Scenario, committee: Committee, settings: SolveSettings, lang: str) -> Explanation:
    with busy("正在查找冲突的规则组和最小的放宽 ..." if lang == "zh" else "Looking for the conflict ..."):
        found = explain(scenario, committee, settings)
    say_lines(describe(found, scenario, lang, committee), err_console)
    return found


@command()
def check(paths: CheckPaths) -> None:
    """逐条复核方案是否满足全部硬性规则 (方案目录中的 assignments.xlsx 改过时, 检查改过的方案); 通过以代码 0 退出, 有违反时逐条列出并以代码 1 退出。"""
    if len(paths) > 2:
        _exit("用法: xuncha check [场景目录] 方案目录 (最多两个目录)")
    scenario_path, plan_path = paths if len(paths) == 2 else (None, paths[0])
    loaded = _load_for_plan(scenario_path, plan_path)
    try:
        found = check_run(loaded, plan_path)
    except PlanReadError as exc:
        _exit(f"[bold red]方案无法读取:[/] {exc}")
    print_check(found)
    if found.violations:
        raise typer.Exit(1)


@command()
def gantt(plan_dir: PlanDirArg, by: GanttBy = "team", year: GanttYear = None, level: GanttLevel = "",
          county: GanttCounty = "", format: GanttFormat = "png", lang: LangOption = "zh",
          scenario: ScenarioOption = None, out: OutOption = None) -> None:
    """画甘特图: 各巡察组 (或各轮) 的进驻时间、准备及报告时间、禁止进驻时段; 全市方案画市委和各县区委的轮次。"""
    one_of(lang, ("zh", "en"), "--lang")
    one_of(by, ("team", "round"), "--by")
    loaded = _load_for_plan(scenario, plan_dir)
    check_output_files(out or plan_dir, [])
    try:
        path = draw_gantt(plan_dir, loaded, out, by=by, year=year, level=level, county=county, lang=lang,
                          suffix=format)
    except (PlanReadError, ValueError) as exc:
        _exit(f"[bold red]无法画图:[/] {exc}")
    console.print(f"已写入 {path}", highlight=False)


@command()
def view(plan_dir: PlanDirArg, compare: ViewCompare = None, scenario: ScenarioOption = None,
         out: OutOption = None) -> None:
    """在浏览器中查看方案: 写出 plan.html (单个文件, 离线可用, 不访问网络), 含可缩放的甘特图、筛选、软性规则代价。"""
    loaded = _load_for_plan(scenario, plan_dir)
    check_output_files(out or plan_dir, [VIEW_FILE])
    try:
        path = write_view(plan_dir, loaded, (out or plan_dir) / VIEW_FILE, compare)
    except PlanReadError as exc:
        _exit(f"[bold red]无法读取方案:[/] {exc}")
    console.print(f"已写入 {path}", highlight=False)


def _printout(plan_dir: Path, scenario: Path | None, out: Path | None, county: str, format: str, write, *args,
              date: dt.datetime | None) -> None:
    """A printout of ``county``'s committee in the comma-separated formats; exit 2 with the reason if it fails."""
    loaded = _load_for_plan(scenario, plan_dir)
    committee = committee_of(loaded, county)
    check_output_files(out or plan_dir, [])
    try:
        paths = write(plan_dir, loaded, *args, [f.strip() for f in format.split(",") if f.strip()], out,
                      date=date.date() if date else None, level=committee.level.value, county=committee.county)
    except (PlanReadError, ValueError) as exc:
        _exit(f"[bold red]无法输出:[/] {exc}")
    for path in paths:
        console.print(f"已写入 {path}", highlight=False)


@command()
def annual(plan_dir: PlanDirArg, year: Year, format: AnnualFormats = "docx,pdf,xlsx", scenario: ScenarioOption = None,
           out: OutOption = None, date: DateOption = None, county: CountyOption = "") -> None:
    """输出年度巡察工作计划: 各轮进驻时间、巡察组、组长、人数和被巡察单位, 以及全覆盖进度。"""
    _printout(plan_dir, scenario, out, county, format, write_annual, year, date=date)


@command()
def roundplan(plan_dir: PlanDirArg, round_: RoundNumber, format: DocumentFormats = "docx,pdf",
              scenario: ScenarioOption = None, out: OutOption = None, date: DateOption = None,
              county: CountyOption = "") -> None:
    """输出每轮巡察工作方案: 巡察任务、时间安排和人员配备表 (留空填写姓名)。"""
    _printout(plan_dir, scenario, out, county, format, write_round, round_, date=date)


@command()
def report(plan_dir: PlanDirArg, format: DocumentFormats = "docx,pdf", scenario: ScenarioOption = None,
           out: OutOption = None, date: DateOption = None, county: CountyOption = "") -> None:
    """输出巡察工作五年规划概览: 各年度轮次、巡察单位、累计覆盖率和甘特图。"""
    _printout(plan_dir, scenario, out, county, format, write_report, date=date)


@command("explain")
def explain_command(scenario: ScenarioArg = None, set_: SetOption = None, county: CountyOption = "",
                    lang: LangOption = "zh", time_limit: TimeLimit = 60.0, seed: SeedOption = 0,
                    workers: WorkersOption = MIN_WORKERS, deterministic: DeterministicOption = False) -> None:
    """解释为何排不出方案: 哪些硬性规则组互相冲突 (指明年度、单位), 以及最小的放宽。"""
    if lang not in ("zh", "en"):
        _exit(f"--lang {lang}: 应为 zh 或 en")
    loaded = _load(scenario, set_)
    committee = committee_of(loaded, county)
    check_something_to_plan(loaded, committee)
    _print_explanation(loaded, committee, _settings(time_limit, seed, workers, deterministic), lang)


@command()
def whatif(scenario: ScenarioArg = None, set_: SetOption = None, baseline: WhatifBaseline = None,
           out: WhatifOut = Path("whatif"), level: LevelOption = "", county: CountyOption = "",
           time_limit: TimeLimit = 60.0, seed: SeedOption = 0, workers: WorkersOption = MIN_WORKERS,
           deterministic: DeterministicOption = False, list_keys: ListKeys = False) -> None:
    """推演: 按 --set 改动场景后重新编制方案 (允许部分单位不覆盖, 以显示哪些单位排不下), 与基准方案逐项对比, 写出 compare.md。"""
    loaded = load_scenario(scenario)
    variant = apply_overrides(loaded, set_ or [])  # a bad key or value exits 2 before anything is written
    if list_keys:
        return print_keys(variant)
    scope = scope_of(loaded, level, county)
    check_whatif_outputs(out, baseline, loaded)
    settings = _settings(time_limit, seed, workers, deterministic)
    with busy("正在求证全覆盖、最早完成日期和最少的抽调人数 (只含硬性规则) ..."):
        facts = figures_of(loaded, variant, scope, settings)
    say_lines(facts)
    with solving() as report:
        result = run_whatif(loaded, set_ or [], out, settings, baseline, report, scope, facts=facts)
    print_report(result)
    console.print(f"已写入 {result.compare_path}", highlight=False)
    for solution in result.variant_solutions:
        if solution.status == SolveStatus.INFEASIBLE:
            _print_explanation(variant, solution.committee, settings, "zh")


@command("replan")
def replan_command(scenario: ScenarioArg = None, plan_dir: ReplanPlan = Path("out"), as_of: AsOf = "",
                   set_: SetOption = None, out: ReplanOut = Path("replan"), county: CountyOption = "",
                   time_limit: TimeLimit = 60.0, seed: SeedOption = 0, workers: WorkersOption = MIN_WORKERS,
                   deterministic: DeterministicOption = False, free: FreeOption = False) -> None:
    """中期调整: 已进驻或已开始准备的轮次原样保留, 其余尽量不动 (只调整必须调整的单位), 写出新方案和变化清单 changes.md。"""
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        _exit(f"--as-of: 应为日期 YYYY-MM-DD (填写为 '{as_of}')")
    loaded = _load(scenario, set_)
    check_output_dir(out, PLAN_MARKERS, keep=[loaded.source])
    old = _read_baseline(plan_dir, loaded)
    try:
        with solving() as report:
            result = replan(loaded, plan_dir, day, out, _settings(time_limit, seed, workers, deterministic), report,
                            set_ or [], committee_of(loaded, county), drafted_scenario(plan_dir), free, old)
    except (PlanReadError, ValueError) as exc:
        _exit(f"[bold red]无法调整:[/] {exc}")
    if result.diff_path is None:
        _exit(f"[bold red]{STATUS_LABELS[result.solution.status]}[/]: "
              f"保留已进驻或已开始准备的 {result.kept} 条安排后没有得到方案。", 1)
    print_report(result.report)
    console.print(f"已写入 {result.out} 和 {result.diff_path}", highlight=False)


@command("why")
def why_command(plan_dir: PlanDirArg, target: WhyTarget, scenario: ScenarioOption = None, county: CountyOption = "",
                time_limit: WhyTimeLimit = 30.0, seed: SeedOption = 0, workers: WorkersOption = MIN_WORKERS,
                deterministic: DeterministicOption = False) -> None:
    """说明某单位为何排在这一轮: 哪些规则把它留在此轮, 提前一轮要付出什么代价。"""
    loaded = _load_for_plan(scenario, plan_dir)
    try:
        with busy("正在把该单位提前一轮重新求解 ..."):
            found = why(loaded, plan_dir, target, _settings(time_limit, seed, workers, deterministic),
                        committee_of(loaded, county))
    except (PlanReadError, ValueError) as exc:
        _exit(f"[bold red]无法说明:[/] {exc}")
    say_lines(describe_why(found))


@command("sweep")
def sweep_command(scenario: ScenarioArg = None, param: SweepParam = "", values: SweepValues = "",
                  jobs: SweepJobs = 2, out: SweepOut = Path("sweep"), level: LevelOption = "",
                  county: CountyOption = "", time_limit: TimeLimit = 60.0, seed: SeedOption = 0,
                  workers: WorkersOption = MIN_WORKERS, deterministic: DeterministicOption = False,
                  list_keys: ListKeys = False) -> None:
    """参数推演: 逐个取值编制方案 (允许未覆盖), 并行求解, 写出 sweep.csv 和曲线图 sweep.png。"""
    if list_keys:
        return print_keys(load_scenario(scenario))
    chosen = [v.strip() for v in values.split(",") if v.strip()]
    if not param or not chosen:
        _exit("用法: xuncha sweep [场景目录] --param 键 --values 值1,值2,...")
    loaded = load_scenario(scenario)
    for value in chosen:
        apply_overrides(loaded, [f"{param}={value}"])  # a bad value exits 2 before any run
    scope = scope_of(loaded, level, county)
    check_output_files(out, [CSV_FILE, PNG_FILE])
    with sweep_progress(console, param, len(chosen)) as done:
        rows = sweep(loaded, param, chosen, out, _settings(time_limit, seed, workers, deterministic), jobs, done, scope)
    print_table(sweep_table(loaded, param, rows))
    console.print(f"已写入 {out / CSV_FILE} 和 {out / PNG_FILE}", highlight=False)


@command("keys")
def keys_command(scenario: ScenarioArg = None, set_: SetOption = None) -> None:
    """列出 --set 可改动的全部键: 含义 (中文) 和当前取值 (可先用 --set 改动再看)。"""
    print_keys(_load(scenario, set_))


@command("template")
def template_command(folder: TemplateFolder, scenario: TemplateScenario = None, fill: TemplateFill = False,
                     level: TemplateLevel = "") -> None:
    """写出待填写的场景: scenario.xlsx (巡察对象、村(社区)、巡察组三张表, 中文表头和下拉选项) 和带中文说明的 scenario.yaml。"""
    source = template_source(scenario, level)
    try:
        paths = write_template(folder, source, fill)
    except OutputError as exc:
        _exit(f"[bold red]无法写出:[/] {exc}")
    say_lines(f"已写入 {path}" for path in paths)
    console.print(f"填好后运行: xuncha validate {folder}", highlight=False, soft_wrap=True)


def main() -> None:
    app()


# Loaded and defined: from here on Ctrl-C reaches the error boundary.
if _before_loading is not None:
    signal.signal(signal.SIGINT, _before_loading)

if __name__ == "__main__":
    main()
