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
