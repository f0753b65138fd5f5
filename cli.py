"""xuncha command line: thin commands that call into the planner package."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable

from planner.check import check_plan, plan_counts, plan_level
from planner.describe import Table, scenario_summary
from planner.gantt import gantt_file_name, write_gantt
from planner.loading import ScenarioError, load_scenario
from planner.plan import PlanReadError, read_plan

app = typer.Typer(help="巡察工作规划优化工具 (xuncha)", no_args_is_help=True, add_completion=False)
console = Console()
err_console = Console(stderr=True)

ScenarioArg = Annotated[
    Optional[Path], typer.Argument(help="场景目录 (默认: 内置商洛场景)", show_default=False)
]


@app.callback()
def _root() -> None:
    """巡察工作规划优化工具: 编制五年规划和年度计划, 校验、解释、推演。"""


def _load(path: Path | None):
    """Load a scenario or exit 2 with one line per problem."""
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        err_console.print(f"[bold red]场景数据有误 ({len(exc.problems)} 处):[/]")
        for problem in exc.problems:
            # soft_wrap: one line per problem whatever the terminal width.
            err_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


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


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="[SCENARIO] PLAN_DIR",
            help="场景目录 (可省略, 默认: 内置商洛场景) 和方案目录 (xuncha plan --out 的输出)",
            show_default=False,
        ),
    ],
) -> None:
    """逐条复核方案是否满足全部硬性规则; 通过以代码 0 退出, 有违反时逐条列出并以代码 1 退出。"""
    if len(paths) > 2:
        err_console.print("用法: xuncha check [SCENARIO] PLAN_DIR (最多两个目录)")
        raise typer.Exit(2)
    scenario_path, plan_path = paths if len(paths) == 2 else (None, paths[0])
    loaded = _load(scenario_path)
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
    scenario: Annotated[Optional[Path], typer.Option(help="场景目录 (默认: 内置商洛场景)")] = None,
    out: Annotated[Optional[Path], typer.Option(help="输出目录 (默认: 方案目录)")] = None,
) -> None:
    """画甘特图: 各巡察组 (或各轮) 的进驻时间、准备及报告时间、禁止进驻时段。"""
    loaded = _load(scenario)
    try:
        path = (out or plan_dir) / gantt_file_name(by=by, year=year, county=county, suffix=format)
        write_gantt(plan_dir, loaded, path, by=by, year=year, level=level, county=county, lang=lang)
    except (PlanReadError, ValueError) as exc:
        err_console.print(f"[bold red]无法画图:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"已写入 {path}", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
