"""Turns pydantic's validation errors into Chinese problems a clerk can act on.

pydantic names the place of each error by the file's own keys (the aliases); this module says in Chinese
what is wrong there, and for an unknown key or a value outside a list, which one was probably meant.
"""

from __future__ import annotations

from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from tiandz.core.model import keys_of, submodel_at
from tiandz.core.problems import did_you_mean


def field_name(location: Iterable[Any]) -> str:
    """("答复", 0, "类别") → 答复[1].类别: list positions are counted from 1, as a clerk counts."""
    text = ""
    for step in location:
        if isinstance(step, int):
            text += f"[{step + 1}]"
        else:
            text += ("." if text else "") + str(step)
    return text


def translate(error: ValidationError, model: type[BaseModel] | None = None) -> list[tuple[tuple, str, str | None]]:
    """(location, message, hint) for each error, in the order pydantic found them."""
    found = []
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        message, hint = _message(detail, location, model)
        found.append((location, message, hint))
    return found


def _describe(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "一组内容" if isinstance(value, dict) else "一个列表"
    text = str(value)
    return f"“{text[:30]}…”" if len(text) > 30 else f"“{text}”"


def _message(detail: dict, location: tuple, model: type[BaseModel] | None) -> tuple[str, str | None]:
    kind = detail["type"]
    value = detail.get("input")
    context = detail.get("ctx") or {}
    if kind == "missing":
        return "缺少必填字段", None
    if kind == "extra_forbidden":
        key = str(location[-1]) if location else ""
        parent = submodel_at(location, model)
        return f"未知字段“{key}”", did_you_mean(key, keys_of(parent))
    if kind == "literal_error":
        expected = context.get("expected", "")
        choices = [choice.strip(" '") for choice in expected.replace(" or ", ",").split(",") if choice.strip(" '")]
        return f"{_describe(value)}不是允许的值，应为{'、'.join(choices)}之一", did_you_mean(str(value), choices)
    if kind.startswith("date") or kind.startswith("datetime"):
        if kind == "date_from_datetime_inexact":
            return f"{_describe(value)}带有时间，只写日期", "如 2024-03-20"
        return f"{_describe(value)}不是有效日期", "日期写作 2024-03-20"
    if kind in ("bool_type", "bool_parsing"):
        return f"{_describe(value)}应为 true 或 false", None
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{_describe(value)}应为整数", None
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{_describe(value)}超出范围", None
    if kind in ("list_type",):
        return f"应为列表，写作 [甲, 乙] 或逐行“- 甲”，而不是{_describe(value)}", None
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"应为一组“键: 值”，而不是{_describe(value)}", None
    if kind in ("string_type",):
        return f"应为文字，而不是{_describe(value)}", None
    if kind == "string_too_short":
        return "不能为空", None
    if kind == "value_error":
        return str(context.get("error", detail["msg"])), None
    return f"{_describe(value)}无效：{detail['msg']}", None
