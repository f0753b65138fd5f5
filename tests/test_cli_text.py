"""What a person reads from the command line: help, framework errors, version, progress, all in Chinese."""

from __future__ import annotations

import re

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from cli import app
from planner import __version__
from planner.export import quality_text
from planner.progress_ui import ProgressLog as _ProgressLog, progress_text
from planner.solve import Progress

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)
# Words of typer/click's own that must not reach a person, and type names in help.
ENGLISH = ("Usage:", "Options", "Arguments", "Commands", "Show this message", "[default", "[required]", "Error",
           "Try '", "Missing", "No such", "Invalid value", "Got unexpected", "[OPTIONS]", "COMMAND")
TYPE_NAME = re.compile(r"<(int|float|str|bool|path|Path|list\[[^\]]*\]|[a-z]+ range)>|\bINTEGER\b|\bPATH\b|\bTEXT\b")


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text] + TYPE_NAME.findall(text)


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=lambda c: " ".join(c) or "xuncha")
def test_help_is_chinese_with_no_type_names(command):
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("用法: ") and "[选项]" in result.output
    assert "显示本帮助并退出" in result.output
    assert not english_in(result.output), english_in(result.output)


@pytest.mark.parametrize(("args", "message"), [
    (["vaildate"], "没有命令 'vaildate'; 是否要找: validate"),
    (["frobnicate"], "没有命令 'frobnicate'。全部命令见 "),
    (["annual"], "缺少参数 '方案目录'"),
    (["annual", "out"], "缺少选项 '--year'"),
    (["plan", "--bogus"], "没有选项 --bogus"),
    (["plan", "--seed", "x"], "'--seed' 的值无效: 应为整数 (填写为 'x')"),
    (["plan", "--time-limit", "0.5"], "'--time-limit' 的值无效: 不能小于 1.0 (填写为 '0.5')"),
    (["plan", "--out"], "选项 --out 后面缺少取值"),
    (["validate", "a", "b"], "多余的参数: b"),
])
def test_framework_errors_are_chinese_and_exit_2(args, message):
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 2
    assert message in result.output
    assert not english_in(result.output), english_in(result.output)


def test_version_names_the_tool_and_its_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith(f"xuncha 巡察工作规划优化工具 {__version__} (OR-Tools ")


@pytest.mark.parametrize("command", [["keys"], ["whatif", "--list-keys"], ["plan", "--list-keys"],
                                     ["sweep", "--list-keys"]])
def test_the_set_keys_are_listed_with_meaning_and_value(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("staff.city.drafted_pool=15")
    assert lines[at + 1] == "    市委: 每轮可抽调干部数 (人才库)"
    assert not list(tmp_path.iterdir())  # listing plans nothing and writes nothing


def test_keys_show_a_value_changed_by_set():
    result = runner.invoke(app, ["keys", "--set", "staff.city.drafted_pool=8"])
    assert "staff.city.drafted_pool=8" in result.output.splitlines()


@pytest.mark.parametrize(("objective", "bound"), [(551, None), (551, 0), (551, -2325), (0, 0)])
def test_no_gap_is_shown_without_a_bound(objective, bound):
    text = progress_text(Progress(1.0, objective, bound))
    assert "尚无下界" in text and "%" not in text
    assert "%" not in quality_text("FEASIBLE", objective, bound)


def test_the_gap_is_a_bound_on_the_distance_to_the_best_plan():
    assert progress_text(Progress(1.0, 1000, 946)) == "已找到可行方案, 目标值 1000; 与理论最优相差不超过 5.4%"
    assert quality_text("FEASIBLE", 1000, 946) == "已找到可行方案; 与理论最优相差不超过 5.4%"
    assert quality_text("OPTIMAL", 446, 446) == "已证明最优"


def test_an_interrupted_plan_says_it_is_the_best_so_far():
    assert quality_text("FEASIBLE", 1000, 946, "interrupted") == "已保存当前最好方案 (未证明最优); 与理论最优相差不超过 5.4%"
    assert quality_text("FEASIBLE", 1000, 0, "interrupted") == "已保存当前最好方案 (未证明最优); 尚无下界, 与理论最优的差距未知"


class _OneTick:
    """Stands in for the log's stop event: one period passes, then the solve ends."""

    def __init__(self) -> None:
        self.waits = 0

    def wait(self, _seconds: float) -> bool:
        self.waits += 1
        return self.waits > 1

    def set(self) -> None:
        pass


def test_the_progress_log_writes_start_first_plan_each_period_and_end():
    out = Console(record=True, width=200)
    log = _ProgressLog(out, every=10.0)
    log.stop = _OneTick()
    with log:
        log.update(Progress(0.1, 551, 0))
        log.update(Progress(0.5, 500, 473))
    lines = [re.sub(r"^\[\s*[\d.]+ 秒\] ", "", line) for line in out.export_text().splitlines()]
    assert lines[0] == "开始求解" and lines[-1] == "求解结束"
    assert lines.count("已找到第一个可行方案, 目标值 551") == 1
    ticks = [line for line in lines if line.startswith("求解中: ")]
    assert len(ticks) == 1 and ticks[0] in ("求解中: 尚未找到可行方案",
                                           "求解中: 已找到可行方案, 目标值 551; 尚无下界, 与理论最优的差距未知",
                                           "求解中: 已找到可行方案, 目标值 500; 与理论最优相差不超过 5.4%")


def test_a_redirected_plan_logs_its_progress_on_stderr(tiny_path, tmp_path):
    result = runner.invoke(app, ["plan", str(tiny_path), "--out", str(tmp_path / "out"), "--time-limit", "10",
                                 "--no-gantt"])
    assert result.exit_code == 0, result.output
    logged = [re.sub(r"^\[\s*[\d.]+ 秒\] ", "", line) for line in result.stderr.splitlines()]
    assert logged[0] == "开始求解" and "已找到第一个可行方案" in logged[1] and logged[-1] == "求解结束"
    assert "差距 100" not in result.output and "下界 -" not in result.output
