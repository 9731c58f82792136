"""What several steps need: the item's state, units and dates as typed, and edits in the house style.

Edits go into the file's round-trip data: a new key lands where the model (and spec/ledger.md) puts it,
whatever order the rest of the file is in, and new entries are styled as `tiandz new` writes them (unit
lists on one line, long texts as `|` blocks), so a hand-written file and a generated one read alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any, Iterable

from tiandz.core.config import Config
from tiandz.core.dates import parse_date
from tiandz.core.deadlines import HolidayCalendar, add_limit
from tiandz.core.model import ITEM_KEYS, Proposal
from tiandz.core.names import ANSWERED, CLOSED, IN_PROGRESS, REDO, UNASSIGNED
from tiandz.core.problems import did_you_mean, refuse
from tiandz.core.state import due_date, longest_due, redo_start, state_of
from tiandz.files.itemfile import insert_dated, to_yaml_node
from tiandz.files.yamlio import dump_roundtrip

# What the clerk may do next, by state: printed when a step is refused for the state the item is in.
NEXT_BY_STATE = {
    UNASSIGNED: "先交办：tiandz assign {id} --lead 单位",
    IN_PROGRESS: "先沟通再答复：tiandz contact {id} …，tiandz reply {id} …",
    REDO: "重新答复：tiandz reply {id} …",
    ANSWERED: "下一步是评价和办结：tiandz feedback {id} …，tiandz close {id}",
    CLOSED: "已办结的件只能登记承诺完成、类别转化和办后回访：tiandz promise、tiandz convert、tiandz contact",
}


def require_state(item: Proposal, config: Config, today: dt.date, allowed: Iterable[str], action: str) -> str:
    """The item's state, or a refusal naming the state and what can be done instead."""
    state = state_of(item, config, today)
    if state not in allowed:
        refuse(f"{item.id} 当前状态为{state}，不能{action}", hint=NEXT_BY_STATE[state].format(id=item.id))
    return state


def choice(value: str, choices: Iterable[str], option: str, what: str) -> str:
    choices = [str(choice) for choice in choices]
    same_letters = [choice for choice in choices if choice.casefold() == value.strip().casefold()]
    if value not in choices and len(same_letters) == 1:
        return same_letters[0]  # "a" for class A: what the clerk meant
    if value not in choices:
        refuse(f"{what}“{value}”无效，应为{'、'.join(choices)}之一", field=option, hint=did_you_mean(value, choices))
    return value


def step_date(text: str | None, today: dt.date, option: str = "--date") -> dt.date:
    """--date as typed (default today); a date after today is refused: steps record what happened."""
    day = parse_date(text, option) if text else today
    if day > today:
        refuse(f"日期 {day} 晚于今天（{today}）", field=option, hint="不能预先登记尚未发生的事")
    return day


def not_before(day: dt.date, floor: dt.date | None, what: str, option: str = "--date") -> None:
    if floor is not None and day < floor:
        refuse(f"日期 {day} 早于{what}（{floor}）", field=option)


def set_key(data: Any, key: str, value: Any) -> None:
    """Set a top-level key; a new one is placed in the model's order."""
    node = to_yaml_node({key: value})[key]
    if key in data:
        data[key] = node
        return
    data.insert(_position(data, key), key, node)


def add_key(target: Any, key: str, value: Any) -> None:
    """Set a top-level key the file does not have yet, as `set_key` does.

    When the key goes at the end of a plain file (every key the file has comes before it in the model's
    order; nothing the round trip would touch: no comment, tab, CR, BOM, document marker or character
    ruamel.yaml cannot keep), the new text is the file followed by the key as the round trip writes it,
    made without reading the file into round-trip data: what `set_key` writes, at a fraction of the cost.
    """
    original = target.original
    if target.untouched and _appendable(original, key):
        target.edited = original + _rendered(key, json.dumps(value, ensure_ascii=False))
        return
    set_key(target.data, key, value)


# What the round trip would touch: a character, or a line starting as a document marker or directive does
# (two searches, not one alternation with ^: a 交办会 asks this of 15,000 files).
_PLAIN = re.compile(r"[#\t\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_MARKERS = ("---", "...", "%")


def _appendable(text: str, key: str) -> bool:
    if not text.endswith("\n") or text.endswith("\n\n") or text.endswith(" \n") or _PLAIN.search(text):
        return False
    if text.startswith(_MARKERS) or any("\n" + marker in text for marker in _MARKERS):
        return False
    if key not in ITEM_KEYS or key in text and re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE):
        return False
    if _KEEP_CHOMPING.search(text) or _has_null(text):
        return False  # the round trip writes `|+` before a key as `|`, and an empty value as `null`
    later = ITEM_KEYS[ITEM_KEYS.index(key) + 1 :]
    top_level = _TOP_LEVEL.findall("\n" + text)
    return all(name in ITEM_KEYS and name not in later for name in top_level)


# A top-level key: at a line's start, as `^` with re.MULTILINE finds it, but searched for after a line break
# (a pattern that starts with one character is searched for that character; `^` is tried at every one).
_TOP_LEVEL = re.compile(r"\n([^\s:][^:]*?)\s*:")


_ENDS_IN_COLON = re.compile(r":[^\S\n]*$", re.MULTILINE)  # a line whose rstrip() ends in ":"
_KEEP_CHOMPING = re.compile(r":\s*[|>][1-9]?\+|:\s*~\s*$", re.MULTILINE)


def _has_null(text: str) -> bool:
    """A `key:` with nothing under it (not a nested mapping or list) is a null the round trip spells out."""
    if not _ENDS_IN_COLON.search(text):
        return False  # no line ends in a colon: most files, found without splitting them into lines
    lines = text.split("\n")
    for number, line in enumerate(lines):
        stripped = line.rstrip()
        if not stripped.endswith(":"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        following = lines[number + 1] if number + 1 < len(lines) else ""
        inner = len(following) - len(following.lstrip(" "))
        if not following.strip() or not (inner > indent or following[indent:].startswith("- ")):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _rendered(key: str, value_json: str) -> str:
    return dump_roundtrip(to_yaml_node({key: json.loads(value_json)}))


def append_entry(data: Any, key: str, entry: dict) -> None:
    """Add a dated entry to a top-level list (改办, 沟通, 答复 …), making the list where it belongs.

    The list stays in date order: a back-dated entry goes before the entries dated after it, not at the end.
    """
    node = to_yaml_node({key: [entry]})[key]
    if data.get(key) is None:
        if key in data:
            data[key] = node
        else:
            data.insert(_position(data, key), key, node)
        return
    insert_dated(data[key], node[0])


def _position(data: Any, key: str) -> int:
    order = ITEM_KEYS.index(key) if key in ITEM_KEYS else len(ITEM_KEYS)
    keys = list(data.keys())
    position = 0
    for index, existing in enumerate(keys):
        if existing in ITEM_KEYS and ITEM_KEYS.index(existing) < order:
            position = index + 1
    return position


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def refuse_outside_return_window(item: Proposal, config: Config, holidays: HolidayCalendar, day: dt.date) -> None:
    """A 退回 (or a unit's 退回申请) is made inside the window tiandz.yaml's 时限.退回 gives from the 交办."""
    old = item.assignment
    not_before(day, old.date, "交办日期")
    if item.reassignments:
        not_before(day, item.reassignments[-1].date, "上一次改办或退回的日期")
    # A 改办 keeps the 交办 date; the units it gave the item have their window from the 改办 on.
    start, named = (item.reassignments[-1].date, "改办日期") if item.reassignments else (old.date, "交办日期")
    start = max(start, old.date)
    window = add_limit(start, config.limits.return_window, holidays)
    if day > window:
        refuse(
            f"已过退回期限：{named} {start} 加{config.limits.return_window}为 {window}",
            field="--date",
            hint="过了退回期限，只能由交办机关改办：tiandz assign … --reason 理由",
        )


def refuse_new_due(item: Proposal, config: Config, holidays: HolidayCalendar, today: dt.date, state: str, day: dt.date,
                   new_due: dt.date, wording: str) -> dt.date | None:
    """A 延期 (or a unit's 延期申请, `wording` 延期至 or 申请延至) belongs to the current round of handling, moves
    the 时限 later and never past 最长; refused otherwise. Returns the current 时限."""
    not_before(day, redo_start(item, config) if state == REDO else item.assignment.date,
               "要求重新办理的评价日期" if state == REDO else "交办日期")
    current = due_date(item, config, today, holidays)
    if current is not None and new_due <= current:
        refuse(f"{wording} {new_due} 不晚于当前时限 {current}", field="--to")
    longest = longest_due(item, config, holidays)
    if new_due > longest:
        refuse(f"{wording} {new_due} 超过最长时限 {longest}（交办日期 {item.assignment.date} 加{config.limits.longest}）",
               field="--to", hint="最长时限见 tiandz.yaml 时限.最长")
    return current
