"""Turns pydantic's validation errors into Chinese problems a clerk can act on.

pydantic names the place of each error by the file's own keys (the aliases); this module says in Chinese
what is wrong there, and for an unknown key or a value outside a list, which one was probably meant.
"""

from __future__ import annotations

from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from tiandz.core.model import keys_of, submodel_at
from tiandz.core.problems import did_you_mean


class BadKey:
    """A key that is not text (empty, a number, a list) as a step of a location: it finds the key's line, as
    the key itself would, but is not shown as a field (an int step would read as a list position)."""

    def __init__(self, key: Any):
        self.key = key

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return (other.key if isinstance(other, BadKey) else other) == self.key

    def __repr__(self) -> str:
        return f"BadKey({self.key!r})"


def field_name(location: Iterable[Any]) -> str:
    """("答复", 0, "类别") → 答复[1].类别: list positions are counted from 1, as a clerk counts."""
    text = ""
    for step in location:
        if isinstance(step, BadKey):
            continue
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
        if detail["type"] == "invalid_key" and location:  # pydantic names the key as text: find it as it is
            location = location[:-1] + (BadKey(detail.get("input")),)
        message, hint = _message(detail, location, model)
        found.append((location, message, hint))
    return found


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
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
    if kind == "invalid_key":
        return _bad_key(value)
    if value is None and kind != "extra_forbidden":  # `标题: null`, or nothing after the colon
        if kind == "literal_error":
            return f"不能为空，应为{'、'.join(_choices(context))}之一", None
        if kind.startswith("date"):
            return "不能为空", "日期写作 2024-03-20"
        return "不能为空", "在冒号后写上内容"
    if kind == "extra_forbidden":
        key = str(location[-1]) if location else ""
        parent = submodel_at(location, model)
        return f"未知字段“{key}”", did_you_mean(key, keys_of(parent))
    if kind == "literal_error":
        choices = _choices(context)
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
    return f"{_describe(value)}无效", None  # pydantic's own words are English


def _choices(context: dict) -> list[str]:
    expected = context.get("expected", "")
    return [choice.strip(" '") for choice in expected.replace(" or ", ",").split(",") if choice.strip(" '")]


def _bad_key(key: Any) -> tuple[str, str | None]:
    hint = "字段名是文字，如“标题”；多半是缩进或冒号写错了"
    if key is None:
        return "冒号前没有字段名", "在冒号前写上字段名，或删去这一行"
    if isinstance(key, (tuple, list, frozenset, dict)):
        return "字段名不能是列表或一组“键: 值”", hint
    return f"字段名{_describe(key)}不是文字", hint
