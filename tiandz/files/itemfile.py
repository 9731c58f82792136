"""Writing item files the way a clerk would write them by hand.

Key order follows the model (the order of spec/ledger.md), lists of names stay on one line
(`联名: [李四, 王五]`), long texts are block scalars (`|`), and phone numbers are quoted so that a leading
zero survives.
"""

from __future__ import annotations

import re
from typing import Any

from tiandz.core.model import ITEM_KEYS
from tiandz.files.yamlio import dump_roundtrip

FLOW_KEYS = {"联名", "并案", "主办", "协办", "原主办", "原协办"}
BLOCK_TEXT_KEYS = {"内容", "正文"}
QUOTED_KEYS = {"联系方式", "电话", "案号"}


def to_yaml_node(data: dict[str, Any]) -> Any:
    """Plain dicts and lists (Chinese keys, dates as ISO text) to ruamel nodes with the house style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    def convert(key: str | None, value: Any) -> Any:
        if isinstance(value, dict):
            node = CommentedMap()
            for inner_key, inner_value in value.items():
                node[inner_key] = convert(inner_key, inner_value)
            return node
        if isinstance(value, list):
            node = CommentedSeq(convert(None, element) for element in value)
            if key in FLOW_KEYS:
                node.fa.set_flow_style()
            return node
        if isinstance(value, str):
            if key in BLOCK_TEXT_KEYS or "\n" in value:
                return LiteralScalarString(value if value.endswith("\n") else value + "\n")
            if key == "案号" and value.isdigit() and not value.startswith("0"):
                return int(value)  # 案号: 15 reads as the number it is
            if key in QUOTED_KEYS and value.isdigit():
                return DoubleQuotedScalarString(value)  # a leading zero must survive
        return value

    return convert(None, data)


def ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys in the model's order; keys it does not know keep their place at the end."""
    known = [key for key in ITEM_KEYS if key in data]
    return {key: data[key] for key in known + [key for key in data if key not in ITEM_KEYS]}


def render_item(data: dict[str, Any]) -> str:
    data = ordered(data)
    text = _plain_render(data)
    return text if text is not None else dump_roundtrip(to_yaml_node(data))


# An import writes thousands of new files; ruamel.yaml takes milliseconds for each. The common item, whose
# every text is one that YAML writes as it is (Chinese first, nothing YAML reads as syntax), is written here
# directly, exactly as ruamel.yaml would write it (tests/test_import_lists.py compares the two); anything
# else goes to ruamel.yaml.
_OURS = re.compile(r"^(?:\d{4}-[JT]-\d{3,4}|\d{4}-\d{2}-\d{2})$")  # 编号 and dates, as tiandz writes them
_CHINESE_FIRST = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]")
_SAFE = re.compile(r"^[\x21-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd ]*$")
_SYNTAX = re.compile(r": |:$| #|[\t\n\r]|\s$")
_FLOW_SYNTAX = re.compile(r"[,\[\]{}]")


def _plain(value: str, flow: bool = False) -> bool:
    if _OURS.match(value):
        return True
    return bool(_CHINESE_FIRST.match(value) and _SAFE.match(value) and not _SYNTAX.search(value)
                and not (flow and _FLOW_SYNTAX.search(value)))


def _scalar(key: str, value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return None
    if key in QUOTED_KEYS and value.isdigit():
        return value if key == "案号" and not value.startswith("0") else f'"{value}"'
    return value if _plain(value) else None


def _block(value: str, indent: str) -> list[str] | None:
    lines = value.removesuffix("\n").split("\n")
    if not lines[0] or any(line != line.strip() or not _SAFE.match(line) for line in lines) or not lines[-1]:
        return None
    return [indent + line if line else "" for line in lines]


def _plain_render(data: dict[str, Any]) -> str | None:
    lines = _plain_lines(data, "")
    return None if lines is None else "".join(line + "\n" for line in lines)


def _plain_lines(data: dict[str, Any], indent: str) -> list[str] | None:
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            inner = None if indent or not value else _plain_lines(value, indent + "  ")
            if inner is None:
                return None
            lines += [f"{key}:", *inner]
        elif isinstance(value, list):
            if key not in FLOW_KEYS or not value or not all(isinstance(name, str) and _plain(name, True) for name in value):
                return None
            lines.append(f"{indent}{key}: [{', '.join(value)}]")
        elif isinstance(value, str) and (key in BLOCK_TEXT_KEYS or "\n" in value):
            block = _block(value, indent + "  ")
            if block is None:
                return None
            lines += [f"{indent}{key}: |", *block]
        else:
            text = _scalar(key, value)
            if text is None:
                return None
            lines.append(f"{indent}{key}: {text}")
    return lines


def insert_dated(sequence: Any, node: Any, key: str = "日期") -> int:
    """Put a dated entry into a list of dated entries at its place: after every entry dated on or before it.

    A back-dated step (`--date` earlier than the last event) so lands where the clerk reads it in order, not
    at the end. A comment line above the entry that now follows the new one was the comment of that entry:
    ruamel.yaml holds it as the trailing comment of the entry before, so it is moved below the new entry.
    Returns the position the entry took.
    """
    day = _iso_text(node.get(key))
    position = len(sequence)
    if day is not None:
        for index in range(len(sequence) - 1, -1, -1):
            other = sequence[index].get(key) if hasattr(sequence[index], "get") else None
            other_day = _iso_text(other)
            if other_day is None or other_day <= day:
                break
            position = index
    insert_at(sequence, position, node)
    return position


def insert_at(sequence: Any, position: int, node: Any) -> None:
    """Put an entry into a list at a position; a comment line above the entry that now follows it stays there."""
    if position == len(sequence):
        sequence.append(node)
        return
    sequence.insert(position, node)
    if position > 0:
        _move_comment_lines(sequence[position - 1], node)


def _iso_text(value: Any) -> str | None:
    text = str(value) if value is not None else ""
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else None


def _trailing_slot(node: Any) -> tuple[Any, Any, int, bool] | None:
    """Where ruamel.yaml keeps the comment lines after a mapping or list: (comment items, key, slot, whether
    the last value is a block scalar, whose own line break ends it: its comment has no end-of-line part)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    while True:
        if isinstance(node, CommentedMap) and node:
            last = list(node.keys())[-1]
            inner, slot = node[last], 2
        elif isinstance(node, CommentedSeq) and node:
            last = len(node) - 1
            inner, slot = node[last], 0
        else:
            return None
        if isinstance(inner, (CommentedMap, CommentedSeq)) and inner:
            node = inner
            continue
        return node.ca.items, last, slot, isinstance(inner, (LiteralScalarString, FoldedScalarString))


def _move_comment_lines(before: Any, new: Any) -> None:
    """The full comment lines after `before` (its own end-of-line comment stays) go after `new`."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    source, target = _trailing_slot(before), _trailing_slot(new)
    if source is None or target is None:
        return
    items, last, slot, after_block = source
    entry = items.get(last)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or not isinstance(token.value, str):
        return
    if after_block:  # the first comment line's indentation is kept as the token's column, not in its text
        own, newline, lines = "", "", " " * token.column + token.value
    else:
        own, newline, lines = token.value.partition("\n")
    if not lines.strip():
        return
    if own.strip():
        token.value = own + newline
    else:
        entry[slot] = None
    target_items, target_last, target_slot, target_block = target
    moved = target_items.setdefault(target_last, [None, None, None, None])
    moved[target_slot] = CommentToken(lines if target_block else "\n" + lines, CommentMark(0), None)
