"""The command line's arguments and options: their Chinese help, metavars, bounds and checks.

Each command of ``cli.py`` names its parameters with these types; a parameter's name gives the
option's (``time_limit`` is ``--time-limit``) unless the type names it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

from importlib import metadata

import typer

from planner import __version__
from planner.display import console
from planner.vocabulary import INT32_MAX

MAX_SECONDS = 7 * 24 * 3600
MAX_WORKERS = 64
MAX_JOBS = 32


def seconds(value: float) -> float:
    """A time limit a solve can reach: finite (not inf) and at most a week (the option's ``min`` refuses nan)."""
    if not value <= MAX_SECONDS:
        raise typer.BadParameter(f"应为 1 至 {MAX_SECONDS} 之间的秒数 (填写为 {value})")
    return value


def seed(value: int) -> int:
    """CP-SAT's random seed is a 32-bit integer."""
    if not 0 <= value <= INT32_MAX:
        raise typer.BadParameter(f"应为 0 至 {INT32_MAX} 之间的整数 (填写为 {value})")
    return value


def show_version(value: bool) -> None:
    if value:
        console.print(f"xuncha 巡察工作规划优化工具 {__version__} (OR-Tools {metadata.version('ortools')})",
                      highlight=False)
        raise typer.Exit()


def _option(kind, *names, **options):
    return Annotated[kind, typer.Option(*names, **options)]


def _argument(kind, **options):
    return Annotated[kind, typer.Argument(**options)]


ScenarioArg = _argument(Optional[Path], help="场景目录 (默认: 内置商洛场景)", metavar="场景目录", show_default=False)
ScenarioOption = _option(Optional[Path], help="场景目录 (默认: 方案所用的场景, 否则内置商洛场景)", metavar="场景目录",
                         show_default=False)
PlanDirArg = _argument(Path, help="方案目录 (xuncha plan --out 的输出)", metavar="方案目录", show_default=False)
OutOption = _option(Optional[Path], help="输出目录 (默认: 方案目录)", metavar="目录", show_default=False)
SetOption = _option(Optional[list[str]], "--set", help="改动场景的一项, 可多次使用, 如 staff.city.drafted_pool=8、"
                    "teams.C5.leader_filled=1; 全部的键见 xuncha keys", metavar="键=值", show_default=False)
ListKeys = _option(bool, "--list-keys", help="列出 --set 可改动的全部键、含义和当前取值, 然后退出", show_default=False)
TimeLimit = _option(float, help="每次求解的时限 (秒)", metavar="秒", min=1, callback=seconds)
SeedOption = _option(int, help="随机种子: 相同输入、种子和设置得到相同方案", metavar="整数", callback=seed)
WorkersOption = _option(int, help="CP-SAT 线程数 (至少 8)", metavar="线程数", min=1, max=MAX_WORKERS)
DeterministicOption = _option(bool, help="可复现求解: 按计算量而非墙钟计时, 相同输入和种子必得相同方案 (较慢)",
                              show_default=False)
LevelOption = _option(str, help="层级: city (市委)、county (县区委, 不填 --county 则全部县区) 或 all (全市: 市委和各县区委, "
                      "市县联动); 不填为场景的本级党委", metavar="city|county|all", show_default=False)
CountyOption = _option(str, help="县区名称: 针对该县区委的方案 (默认: 市委)", metavar="县区", show_default=False)
FreeOption = _option(bool, "--free", help="软性规则优先, 原方案只用于打破平局 (默认: 尽量少改动原方案)", show_default=False)
LangOption = _option(str, help="zh 或 en", metavar="zh|en")
DateOption = _option(Optional[dt.datetime], "--date", formats=["%Y-%m-%d"], metavar="日期", show_default=False,
                     help="成文日期, 如 2027-12-20 (默认: 场景 document.date, 否则当天)")
DocumentFormats = _option(str, "--format", help="docx, pdf, 可用逗号分隔", metavar="格式")
AnnualFormats = _option(str, "--format", help="docx, pdf, xlsx, 可用逗号分隔多个", metavar="格式")
Year = _option(int, help="年度: 该年进驻的轮次 (跨年度的轮次两年都列)", metavar="年份")
RoundNumber = _option(int, "--round", help="轮次编号 (第N轮)", metavar="轮次", min=1)
VersionOption = _option(bool, "--version", help="显示版本号并退出", callback=show_version, is_eager=True,
                        show_default=False)
CheckPaths = _argument(list[Path], metavar="[场景目录] 方案目录", show_default=False,
                       help="场景目录 (可省略, 默认: 方案所用的场景, 否则内置商洛场景) 和方案目录 (xuncha plan --out 的输出)")

# xuncha plan
PlanLevel = _option(str, help="规划层级: city (市委)、county (县区委) 或 all (全市: 市委和各县区委, 市县联动); "
                    "不填为场景的本级党委 (names.level)", metavar="city|county|all", show_default=False)
PlanCounty = _option(str, help="县区名称, 与 --level county 同用; 不填则编制全部县区", metavar="县区", show_default=False)
PlanOut = _option(Path, help="方案输出目录", metavar="目录")
PlanTimeLimit = _option(float, help="求解时限 (秒)", metavar="秒", min=1, callback=seconds)
GanttChart = _option(bool, "--gantt/--no-gantt", help="同时输出 gantt.png 和 plan.html (默认输出)", show_default=False)
AllowUncovered = _option(bool, help="人手不足时允许部分单位不覆盖 (代价最高的软性规则), 并列出未覆盖单位",
                         show_default=False)
PlanJobs = _option(int, help="编制多个县区时同时求解的进程数; 时限为全部县区合计的墙钟时间", metavar="进程数", min=1,
                   max=MAX_JOBS)
PlanBaseline = _option(Optional[Path], help="基准方案目录: 从该方案 (含在 assignments.xlsx 中所作的修改) 出发重新编制, "
                       "合规之处尽量不动, 写出 changes.md", metavar="方案目录", show_default=False)

# xuncha gantt and view
GanttBy = _option(str, help="行: team (巡察组) 或 round (轮次)", metavar="team|round")
GanttYear = _option(Optional[int], help="只画这一年开始进驻的轮次", metavar="年份", show_default=False)
GanttLevel = _option(str, help="city (市委)、county (县区委) 或 all (全市: 每个党委一栏, 各轮一条, 看市县同步); "
                     "默认: 全市方案为 all, 否则 city; 给出 --county 时为 county", metavar="city|county|all",
                     show_default=False)
GanttCounty = _option(str, help="县区名称: 只画这个县区委", metavar="县区", show_default=False)
GanttFormat = _option(str, "--format", help="png, svg 或 pdf", metavar="格式")
ViewCompare = _option(Optional[Path], help="对照方案目录 (如 --baseline 的基准方案或 whatif 的另一方案): "
                      "图中标出与它相比变动的单位", metavar="方案目录", show_default=False)

# xuncha whatif, replan, why, sweep
WhatifBaseline = _option(Optional[Path], help="基准方案目录 (默认: 重新编制未改动场景的方案)", metavar="方案目录",
                         show_default=False)
WhatifOut = _option(Path, help="输出目录: compare.md, variant/ (及 baseline/)", metavar="目录")
ReplanPlan = _option(Path, "--plan", help="原方案目录 (默认: out)", metavar="方案目录", show_default=False)
AsOf = _option(str, help="调整日期 YYYY-MM-DD: 此前已进驻或已开始准备的轮次保持不变", metavar="日期", show_default=False)
ReplanOut = _option(Path, help="新方案输出目录 (含 changes.md)", metavar="目录")
WhyTarget = _argument(str, help="巡察对象的编号或单位名称, 如 C-GD08 或 市公安局", metavar="单位", show_default=False)
WhyTimeLimit = _option(float, help="总时限 (秒): 三分之一用于重排原方案, 其余用于求解提前一轮的方案 (另需数秒读入和准备)",
                       metavar="秒", min=2, callback=seconds)
SweepParam = _option(str, help="要推演的设置项 (键), 如 staff.city.drafted_pool; 全部的键见 --list-keys", metavar="键",
                     show_default=False)
SweepValues = _option(str, help="逗号分隔的取值, 如 4,6,8,10,12,15", metavar="值1,值2,...", show_default=False)
SweepJobs = _option(int, help="同时求解的进程数", metavar="进程数", min=1, max=MAX_JOBS)
SweepOut = _option(Path, help="输出目录: sweep.csv, sweep.png", metavar="目录")

# xuncha template
TemplateFolder = _argument(Path, help="新建的场景目录 (须不存在或为空)", metavar="目录", show_default=False)
TemplateScenario = _option(Optional[Path], help="以此场景的设置、县区和示例为底 (默认: 内置商洛场景)", metavar="场景目录",
                           show_default=False)
TemplateFill = _option(bool, "--fill", help="把该场景的各表数据也填入工作簿 (默认只写表头)", show_default=False)
TemplateLevel = _option(str, help="city: 市委 (含所辖县区); county: 县委、区委或党工委单独编制 (默认以内置柞水县场景为底)",
                        metavar="city|county", show_default=False)
