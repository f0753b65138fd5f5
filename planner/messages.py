"""The Chinese wording of a bad value: pydantic's error types in the office's words, and a
value as typed, on one line. The scenario's own cross-table checks and the loader both word
their problems this way, so it sits below both."""

from __future__ import annotations

from typing import Any


def one_line(text: str) -> str:
    """Line breaks and other control characters typed into a cell, shown escaped: one problem, one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def shown_value(value: object, width: int = 40) -> str:
    """A value as typed, for a message: on one line and cut short."""
    text = one_line(str(value))
    return text if len(text) <= width else text[:width] + "…"


_MESSAGES = {
    "missing": "必填项为空",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 1/0 或 true/false",
    "bool_type": "应为 1/0 或 true/false",
    "date_from_datetime_parsing": "应为日期 (YYYY-MM-DD)",
    "date_parsing": "应为日期 (YYYY-MM-DD)",
    "date_type": "应为日期 (YYYY-MM-DD)",
    "string_type": "应为文字",
    "model_type": "应为一组设置 (名称: 值)",
    "dict_type": "应为一组设置 (名称: 值)",
    "list_type": "应为列表, 如 [甲, 乙]",
    "tuple_type": "应为列表, 如 [甲, 乙]",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "不能为空",
    "string_too_long": "过长, 不能超过 {max_length} 个字",
    "string_pattern_mismatch": "不能含换行",
    "too_long": "过多, 不能超过 {max_length} 项",
    "enum": "应为 {expected}",
    "extra_forbidden": "未知的字段, 请检查拼写",
    "value_error": "{error}",
}


def error_message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(error["type"])
    text = error["msg"] if template is None else template.format(**(error.get("ctx") or {}))
    value = error.get("input")
    if isinstance(value, (str, int, float)) and str(value) not in text:
        text += f" (填写为 '{shown_value(value)}')"
    return text
