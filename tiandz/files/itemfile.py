"""Writing item files the way a clerk would write them by hand.

Key order follows the model (the order of spec/ledger.md), lists of names stay on one line
(`联名: [李四, 王五]`), long texts are block scalars (`|`), and phone numbers are quoted so that a leading
zero survives.
"""

from __future__ import annotations

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
    return dump_roundtrip(to_yaml_node(ordered(data)))
