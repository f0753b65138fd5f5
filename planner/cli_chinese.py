"""The command line's own words in Chinese: usage, help panels, framework errors.

Typer (0.29) carries its own copy of click whose messages are plain English
strings, not gettext calls, so they cannot be translated by a catalogue.
They are replaced at the three places they come from: the help panels'
titles are module constants of ``typer.rich_utils``; the usage line and
the help option belong to the command classes below; the errors are click
exceptions, which :class:`ChineseGroup` catches and raises again in Chinese
(keeping their exit code 2). Type names (``<int>``, ``<path>``) never
show: an option without a metavar gets a Chinese one, and an argument's
type column (which typer always fills) is left empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import typer.rich_utils as rich_utils
from pydantic import ValidationError
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from planner.loading import error_message

PANEL_TEXT = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "DEFAULT_STRING": "[默认: {}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ENVVAR_STRING": "[环境变量: {}]",
    "DEPRECATED_STRING": "(已停用) ",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    # Typer writes a range as 'x>=1'; the help text and the error message say the bound in words.
    "RANGE_STRING": "",
}
USAGE = "用法: "
OPTIONS_METAVAR = "[选项]"
HELP_TEXT = "显示本帮助并退出"
# Metavars by the value's type, for options that name none; a flag shows none.
TYPE_METAVARS = {int: "整数", float: "数值", str: "文字", Path: "路径"}


def use_chinese_panels() -> None:
    """Put the Chinese titles and markers into typer's help and error panels."""
    for name, text in PANEL_TEXT.items():
        setattr(rich_utils, name, text)


class _ChineseText:
    """Usage line, help option and value hints in Chinese, for a command or a group."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = OPTIONS_METAVAR

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            _chinese_metavar(param)
        return params


class ChineseCommand(_ChineseText, TyperCommand):
    """A command of ``xuncha``."""


class ChineseGroup(_ChineseText, TyperGroup):
    """The ``xuncha`` group: Chinese usage and help, and every framework error raised again in Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommand_metavar = "命令 [参数]..."

    def make_context(self, *args: Any, **kwargs: Any):
        with chinese_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with chinese_errors():
            return super().invoke(ctx)

    def resolve_command(self, ctx, args):
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            close = get_close_matches(args[0], list(self.commands))
            hint = f"; 是否要找: {'、'.join(close)}" if close else ""
            raise _Chinese(f"没有命令 '{args[0]}'{hint}。全部命令见 {ctx.command_path} --help", ctx)
        return super().resolve_command(ctx, args)


class _Chinese(UsageError):
    """A usage error already worded in Chinese."""


def _no_type(ctx) -> None:
    return None


def _chinese_metavar(param) -> None:
    if isinstance(param, TyperArgument):
        param.display_type_rich = _no_type
    if not isinstance(param, (TyperOption, TyperArgument)) or param.metavar is not None:
        return
    if isinstance(param, TyperOption) and param.is_flag:
        param.metavar = ""
        return
    if isinstance(param, TyperOption):
        param.metavar = TYPE_METAVARS.get(param.type_descriptor.annotation, "值")


@contextmanager
def chinese_errors() -> Iterator[None]:
    """Raise click's usage errors again with a Chinese message (help pages pass through)."""
    try:
        yield
    except _Chinese:
        raise
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise
        raise _Chinese(chinese_message(exc), exc.ctx) from None
    except ClickException as exc:
        raise ClickException(chinese_message(exc)) from None


def _hint(exc: BadParameter) -> str:
    if exc.param_hint is not None:
        return exc.param_hint if isinstance(exc.param_hint, str) else " / ".join(exc.param_hint)
    return exc.param.get_error_hint() if exc.param is not None else ""


def chinese_message(exc: ClickException) -> str:
    """The message of a click exception, in Chinese."""
    if isinstance(exc, NoSuchOption):
        close = f"; 是否要找: {'、'.join(sorted(exc.possibilities))}" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}{close}"
    if isinstance(exc, MissingParameter):
        kind = "参数" if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument" else "选项"
        return f"缺少{kind} {_hint(exc)}"
    if isinstance(exc, BadParameter):
        cause = exc.__cause__
        why = error_message(cause.errors()[0]) if isinstance(cause, ValidationError) else exc.message
        return f"{_hint(exc)} 的值无效: {why}"
    if isinstance(exc, BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"选项 {exc.option_name} 不带值"
        return f"选项 {exc.option_name} 后面缺少取值"
    if exc.message == "Missing command.":
        return "缺少命令"
    extra = re.match(r"Got unexpected extra argument\S* \((.*)\)", exc.message)
    if extra:
        return f"多余的参数: {extra.group(1)}"
    return f"命令行有误: {exc.message}"
