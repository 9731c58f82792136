"""Three-way merge of one item (base, ours, theirs) as data: the decisions, with no text and no git.

Two clones of a ledger record work on the same item at the same time; git's line merge would either
conflict on two contacts appended at the same place or, worse, splice them wrongly. Here the item is merged
as what it is: its lists of dated events are sets that only grow (every event added on either side kept,
an event added identically on both sides kept once), and its other fields are values that one side may
change. The text (comments, key order) is kept by files/itemmerge_text.py, which applies these decisions
to ours's own document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tiandz.core.model import Proposal

# Every list of dated events of an item: the fields whose value is a list of models with a 日期.
EVENT_LISTS: tuple[str, ...] = tuple(
    info.alias for info in Proposal.model_fields.values()
    if info.alias and str(info.annotation).startswith("list[") and info.alias not in ("联名", "并案")
)

_ABSENT = object()  # a key the side's file does not have (not the same as `null`)


@dataclass(frozen=True)
class Conflict:
    """A field changed differently on both sides: the field and the two values (None when removed)."""

    item: str
    field: str
    ours: Any
    theirs: Any


@dataclass
class Merged:
    """The merged item, or the conflicts; `plans` says, per changed event list, how ours's list becomes the
    merged one: each entry an index into ours's list (kept) or a new event (from theirs)."""

    data: dict[str, Any] | None
    conflicts: list[Conflict] = field(default_factory=list)
    plans: dict[str, list[int | dict]] = field(default_factory=dict)


def merge_item(base: dict | None, ours: dict, theirs: dict) -> Merged:
    """The three-way merge of one item's data; `base` None (or {}) when both sides created the item."""
    base = base or {}
    item = str(ours.get("编号") or theirs.get("编号") or base.get("编号") or "?")
    merged: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    plans: dict[str, list[int | dict]] = {}
    keys = list(ours) + [key for key in theirs if key not in ours] + [key for key in base if key not in ours and key not in theirs]
    for key in keys:
        b, o, t = base.get(key, _ABSENT), ours.get(key, _ABSENT), theirs.get(key, _ABSENT)
        if key in EVENT_LISTS and all(_is_event_list(value) for value in (b, o, t)):
            events, plan, clashes = _merge_events(_as_list(b), _as_list(o), _as_list(t))
            conflicts += [Conflict(item, key, o, t)] if clashes else []
            if plan != list(range(len(_as_list(o)))):
                plans[key] = plan
            if events:
                merged[key] = events
                continue
            empty = _merge_value(b, o, t)  # no event left: whether the key stays (as [] or null) or goes
            if empty is _CONFLICT:  # the sides disagree only on how to write no events: the list's own way
                empty = []
            if empty is not _ABSENT:
                merged[key] = empty
            continue
        value = _merge_value(b, o, t)
        if value is _CONFLICT:
            conflicts.append(Conflict(item, key, None if o is _ABSENT else o, None if t is _ABSENT else t))
        elif value is not _ABSENT:
            merged[key] = value
    if conflicts:
        return Merged(None, conflicts)
    return Merged(merged, [], plans)


_CONFLICT = object()


def _merge_value(base: Any, ours: Any, theirs: Any) -> Any:
    if _same(ours, theirs):
        return ours
    if _same(ours, base):
        return theirs
    if _same(theirs, base):
        return ours
    return _CONFLICT


def _same(one: Any, other: Any) -> bool:
    return one is other or (one is not _ABSENT and other is not _ABSENT and one == other)


def _is_event_list(value: Any) -> bool:
    return value is _ABSENT or value is None or (isinstance(value, list) and all(isinstance(event, dict) for event in value))


def _as_list(value: Any) -> list[dict]:
    return value if isinstance(value, list) else []


def _key(event: dict) -> tuple:
    """An event as a hashable value: equal events (the same fields, the same values) are one event."""
    return _frozen(event)


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return ("map", tuple(sorted((str(key), _frozen(inner)) for key, inner in value.items())))
    if isinstance(value, list):
        return ("seq", tuple(_frozen(inner) for inner in value))
    return ("val", type(value).__name__, str(value))


def _day(event: dict) -> str:
    return str(event.get("日期") or "")


def _merge_events(base: list[dict], ours: list[dict], theirs: list[dict]) -> tuple[list[dict], list[int | dict], bool]:
    """(the merged events, the plan from ours's list, whether one event was edited differently on both sides).

    Counted as multisets: each event's count moves as either side moved it; moved the same way on both sides
    it moves once (an event both sides added is kept once; one both deleted is gone).
    """
    base_keys, ours_keys, theirs_keys = ([_key(event) for event in side] for side in (base, ours, theirs))
    if ours_keys == base_keys or theirs_keys == base_keys or ours_keys == theirs_keys:  # one side's list, as it is
        taken = theirs if ours_keys == base_keys else ours
        return taken, _plan(ours, taken), False
    counts_b = Counter(_key(event) for event in base)
    counts_o = Counter(_key(event) for event in ours)
    counts_t = Counter(_key(event) for event in theirs)
    wanted: dict[tuple, int] = {}
    for key in set(counts_b) | set(counts_o) | set(counts_t):
        b, o, t = counts_b[key], counts_o[key], counts_t[key]
        d_o, d_t = o - b, t - b
        if d_o * d_t > 0:  # the same way on both sides: once
            change = max(d_o, d_t) if d_o > 0 else min(d_o, d_t)
        else:
            change = d_o + d_t
        wanted[key] = max(b + change, 0)
    # An event of base both sides took away, each putting a different event of that date in: edited twice.
    edited_twice = False
    for key, b in counts_b.items():
        if counts_o[key] < b and counts_t[key] < b:
            day = dict(key[1]).get("日期", ("val", "", ""))[2]
            added_o = {_key(e) for e in ours if _day(e) == day and counts_o[_key(e)] > counts_b[_key(e)]}
            added_t = {_key(e) for e in theirs if _day(e) == day and counts_t[_key(e)] > counts_b[_key(e)]}
            if added_o and added_t and added_o != added_t:
                edited_twice = True
    # Ours's events kept in their order; theirs's new ones each put after every event dated on or before it.
    left = dict(wanted)
    plan: list[int | dict] = []
    events: list[dict] = []
    for index, event in enumerate(ours):
        key = _key(event)
        if left.get(key, 0) > 0:
            left[key] -= 1
            plan.append(index)
            events.append(event)
    for event in theirs:
        key = _key(event)
        if left.get(key, 0) > 0:
            left[key] -= 1
            position = len(events)
            while position > 0 and _day(events[position - 1]) > _day(event):
                position -= 1
            plan.insert(position, event)
            events.insert(position, event)
    return events, plan, edited_twice


def _plan(ours: list[dict], events: list[dict]) -> list[int | dict]:
    """How ours's list becomes `events`: each of ours's events used once, in its order where it can be."""
    unused: dict[tuple, list[int]] = {}
    for index, event in enumerate(ours):
        unused.setdefault(_key(event), []).append(index)
    plan: list[int | dict] = []
    for event in events:
        indexes = unused.get(_key(event))
        plan.append(indexes.pop(0) if indexes else event)
    return plan
