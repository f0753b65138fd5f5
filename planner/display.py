"""What the command line prints: the consoles, tables, the keys, reports and a plan run's result.

Display only: what to print comes from the application layer (:mod:`planner.app`) and the
planner's modules; here it is laid out for a terminal or a log.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.table import Table as RichTable

from planner.app import CheckRun, PlanRun
from planner.describe import Table
from planner.explain import Explanation
from planner.export import OBJECTIVE_NOTE
from planner.io import OutputError, WriteInterrupted, crash_log, os_reason
from planner.loading import ScenarioError
from planner.overrides import setting_keys
from planner.parallel import CommitteeProgress
from planner.plan import PlanReadError
from planner.progress_ui import LiveBoard, solve_progress, working
from planner.replan import StabilityReport
from planner.scenario import Scenario
from planner.scope import OptionError
from planner.solution import Solution
from planner.status import SolveStatus, StopReason
from planner.whatif import WhatIf
from planner.workbook import WORKBOOK_FILE

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # one message, one line, whatever the width
# Tables longer than this go to the output file only; the console shows the sentences and the count.
LONGEST_TABLE = 40


def say_lines(lines: Iterable[str], out: Console = console) -> None:
    """Each line as it is, one line whatever the width."""
    for line in lines:
        out.print(line, markup=False, highlight=False, soft_wrap=True)


def solving():
    """A solve's progress: a live line on a terminal, otherwise a line log on stderr."""
    return solve_progress(console, err_console)


def busy(text: str):
    """A spinner on a terminal; elsewhere the same words once, on stderr."""
    return working(console, err_console, text)


def print_table(table: Table) -> None:
    rich_table = RichTable(title=table.title, title_justify="left")
    for column in table.columns:
        rich_table.add_column(column)
    for row in table.rows:
        rich_table.add_row(*row)
    console.print(rich_table)


def print_keys(scenario: Scenario) -> None:
    """Each key as it is written after --set, with its value now, and its meaning below it."""
    console.print("[bold]--set 可改动的键 (写作 键=值), 当前取值和含义:[/]")
    for key in setting_keys(scenario):
        console.print(f"[bold]{key.key}[/]={key.value}", highlight=False, soft_wrap=True)
        console.print(f"    {key.meaning}", markup=False, highlight=False, soft_wrap=True)
    console.print("表格中的一格写作 teams.<编号>.<字段> 或 targets.<编号>.<字段>, 如 teams.C5.leader_filled=1; "
                  "新编号 (如 teams.C6.leader_filled=1) 表示新设一个市级巡察组。", highlight=False, soft_wrap=True)


def print_report(report: StabilityReport | WhatIf) -> None:
    """The headline sentences, then the tables (a long list of units only in the file)."""
    say_lines(report.headline)
    for table in (t for t in report.tables if t.rows):
        if len(table.rows) <= LONGEST_TABLE:
            print_table(table)
        else:
            console.print(f"{table.title}: {len(table.rows)} 行, 见输出文件。", highlight=False, soft_wrap=True)


def print_check(found: CheckRun) -> None:
    """What ``xuncha check`` found: passed with the plan's counts, or each violation; the score either way."""
    if found.table.edited:
        console.print(f"检查的是修改过的 {WORKBOOK_FILE} (与 assignments.csv 不同)。", highlight=False)
    say_lines(f"注意: {note}" for note in found.table.notes)
    if not found.violations:
        console.print(f"[green]检查通过: {found.counts}, 未发现违反硬性规则。[/]", highlight=False)
        print_table(found.score)
        return
    console.print(f"[bold red]检查未通过: 发现 {len(found.violations)} 处违反硬性规则[/]")
    say_lines(violation.message for violation in found.violations)
    print_table(found.score)
    console.print("[yellow]方案违反硬性规则, 以上得分不能与可行方案相比。[/]")


def print_board(board: LiveBoard, run: PlanRun) -> None:
    """The committees' final board (with the plans kept, where the coupling pass kept a first
    drafting) and what the coupling pass did."""
    for solution in run.solutions:
        board.update(CommitteeProgress(solution.committee, solution=solution))
    console.print(board.table(final=True))
    for line in run.coupling_lines():
        console.print(line, highlight=False, soft_wrap=True)


def print_no_plan(scenario: Scenario, solution: Solution) -> None:
    """Which of the two it is: proven infeasible, or not found in time (explain follows)."""
    name = scenario.policy(solution.committee).committee
    if solution.status == SolveStatus.INFEASIBLE:
        how = ("由组次计数证明, 无需搜索" if solution.stopped_by == StopReason.COUNT
               else f"求解 {solution.solve_seconds:.1f} 秒")
        err_console.print(f"[bold red]{name}: 已证明无可行方案[/]: 任何方案都至少有 {solution.uncovered_bound} 个单位"
                          f"无法覆盖 ({how})。", highlight=False)
    else:
        short = f", 找到的最好方案仍有 {len(solution.uncovered)} 个单位未覆盖" if solution.uncovered else ""
        err_console.print(f"[bold red]{name}: 在 {solution.solve_seconds:.1f} 秒内未找到覆盖全部单位的方案[/]{short}。"
                          "以下判断硬性规则能否同时成立:", highlight=False)


def print_no_plan_advice(solution: Solution, found: Explanation) -> None:
    """After explain: whether the hard rules can hold, and what to try."""
    proven = solution.status == SolveStatus.INFEASIBLE
    if not proven and found.status.has_plan:
        err_console.print("方案存在, 但本次时限内未找到: 请加大 --time-limit 后重试; 或加 --allow-uncovered 先得到部分方案。")
    elif found.status == SolveStatus.UNKNOWN and proven:
        err_console.print("冲突出在哪些规则, 时限内未能找出: 可用 xuncha explain 加大 --time-limit 再查; "
                          "或加 --allow-uncovered 得到覆盖尽量多单位的方案。")
    elif found.status == SolveStatus.UNKNOWN:
        err_console.print("可加大 --time-limit 后重试, 或加 --allow-uncovered 得到覆盖尽量多单位的方案。")


def print_plan_run(run: PlanRun) -> None:
    """A written plan: the changes from the baseline, the result, what is missing or left out,
    and what the independent check found."""
    for changes in run.changes:
        print_report(changes)
    summary = RichTable(title="规划结果", title_justify="left", show_header=False)
    for key, value in (("状态", run.quality), ("目标值", f"{run.objective:.0f} ({OBJECTIVE_NOTE})"),
                       ("轮次", str(run.rounds)), ("用时", f"{run.seconds:.1f} 秒"), ("输出", str(run.request.out))):
        summary.add_row(key, value)
    console.print(summary)
    if run.missing:
        err_console.print(f"[bold yellow]已中断: {'、'.join(run.missing)} 尚未编制, 方案中只有已完成的党委。[/]",
                          highlight=False)
    if run.left_out:
        err_console.print(f"[bold yellow]未覆盖 {len(run.left_out)} 个单位 (本届内排不下):[/] "
                          + "、".join(run.left_out_names()), highlight=False, soft_wrap=True)
    if run.violations:
        err_console.print(f"[bold red]内部错误: 方案未通过独立检查 ({len(run.violations)} 处):[/]")
        for v in run.violations:
            err_console.print(str(v), markup=False, soft_wrap=True)
    else:
        console.print("[green]独立检查通过: " + ("除未覆盖的单位外, " if run.gaps else "") + "全部硬性规则成立。[/]")


def _say(text: str) -> None:
    err_console.print(text, markup=False, highlight=False)


def print_input_error(exc: ScenarioError) -> None:
    err_console.print(f"[bold red]场景数据有误 ({len(exc.problems)} 处):[/]")
    for problem in exc.problems:
        # soft_wrap: one line per problem whatever the terminal width.
        err_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)


def print_interrupted(exc: KeyboardInterrupt, written: list[Path]) -> None:
    """Ctrl-C: one line saying what was and was not written."""
    text = "已中断 (Ctrl-C): "
    if isinstance(exc, WriteInterrupted) and not exc.kept:
        text += f"{exc.path} 未写完, 新的内容已放弃, 原有内容保持不变; "
    text += f"已写入 {'、'.join(map(str, written))}。" if written else "未写入任何文件。"
    _say(text)


def print_failure(exc: Exception, written: list[Path]) -> int:
    """An expected failure as one line, exit code 2; anything else to a log file, named in one line, exit code 1."""
    if isinstance(exc, ScenarioError):
        print_input_error(exc)
        return 2
    expected = {OptionError: "{}", OutputError: "无法输出: {}", PlanReadError: "方案无法读取: {}"}
    for kind, text in expected.items():
        if isinstance(exc, kind):
            _say(text.format(exc))
            return 2
    if isinstance(exc, OSError):
        _say(f"{exc.filename or '文件'}: 无法读写 ({os_reason(exc)})")
        return 2
    if isinstance(exc, MemoryError):
        _say("内存不足: 输入太大, 已停止" + (f"; 已写入 {'、'.join(map(str, written))}" if written else ""))
        return 1
    log = crash_log(exc, sys.argv[1:])
    where = f"详细记录已写入 {log}, 请交给维护人员" if log else f"{type(exc).__name__}: {exc}"
    _say(f"内部错误, 已停止 ({where})。")
    return 1
