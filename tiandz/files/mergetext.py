"""A merged item (core/itemmerge.py) written as ours's own file with theirs's changes applied.

The merged data could be written afresh, but the clerk's comments and key order would be lost: so ours's
round-trip document is edited instead. Only the fields the merge changed are touched; theirs's new events go
into their lists at the merge's places (dated order, comments moved as a step moves them), ours's removed ones are
taken out, and what the edit did not touch keeps its bytes (yamlio.dump_edited).
"""

from __future__ import annotations

from typing import Any

from tiandz.core.itemmerge import Merged
from tiandz.core.model import ITEM_KEYS
from tiandz.files.itemfile import insert_at, to_yaml_node
from tiandz.files.yamlio import BOM, dump_edited, load_roundtrip_text


def merged_text(ours_text: str, ours: dict[str, Any], merged: Merged) -> str:
    """The text of the merged item, made from ours's text; `ours` is that text parsed, `merged` a success."""
    assert merged.data is not None
    document = load_roundtrip_text(ours_text.removeprefix(BOM))
    for key in [key for key in document if key not in merged.data]:
        del document[key]
    for key, value in merged.data.items():
        if key in merged.plans and isinstance(document.get(key), list):
            _apply_plan(document[key], merged.plans[key])
        elif key not in ours or ours[key] != value or type(ours[key]) is not type(value):
            node = to_yaml_node({key: value})[key]
            if key in document:
                document[key] = node
            else:
                document.insert(_place(document, key), key, node)
    return dump_edited(document, ours_text)


def _apply_plan(sequence: Any, plan: list[int | dict]) -> None:
    """Ours's list made the merged one: the events not kept taken out, the new ones put at their dates."""
    kept = [entry for entry in plan if isinstance(entry, int)]
    if kept != sorted(kept):  # ours's own events reordered (theirs's list taken whole): the list rewritten
        sequence[:] = [sequence[entry] if isinstance(entry, int) else to_yaml_node(entry) for entry in plan]
        return
    for index in range(len(sequence) - 1, -1, -1):
        if index not in kept:
            del sequence[index]
    for position, entry in enumerate(plan):
        if isinstance(entry, dict):
            insert_at(sequence, position, to_yaml_node(entry))


def _place(document: Any, key: str) -> int:
    """Where a key the file lacks goes: after the keys the model puts before it (unknown keys at the end)."""
    if key not in ITEM_KEYS:
        return len(document)
    before = set(ITEM_KEYS[: ITEM_KEYS.index(key)])
    position = 0
    for index, present in enumerate(document):
        if present in before:
            position = index + 1
    return position
