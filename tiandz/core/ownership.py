"""What a unit may change in an item (spec/offices.md, "The guard on the server"), as data.

The server's guard judges every commit a unit pushes, file by file: given the item before and after the
commit, it asks here what the unit did (the kinds of step the change is) and what it was not allowed to do
(the breaches). A unit only ever appends its own events to an item it handles (沟通 where it is 主办 or 协办,
协办意见 where it is 协办, 答复 where it is 主办, 申请 without the office's 处理) and marks a 承诺 of its own
latest 答复 done; everything else in an item is the office's. Pure: raw item data in (as parsed from the
file), breaches out; no git, no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiandz.core.config import Config
from tiandz.core.names import CO, LEAD
from tiandz.core.permissions import UNIT_STEPS

# The office's decision on a request: never in a unit's 申请.
DECISION_KEYS = ("处理", "处理日期", "处理意见")
# The step each kind of unit change is (the commit's Tiandz-Step must say it).
STEP_OF_EVENT = {"沟通": "contact", "协办意见": "opinion", "答复": "reply"}
STEP_OF_REQUEST = {"退回": "return-request", "延期": "extend-request"}
# The event lists a unit appends to, and the roles on the item that may append each: those the clone allows
# for the step (core/permissions.py), so the server's guard and the clerk's clone never disagree.
UNIT_EVENTS: dict[str, tuple[str, ...]] = {event: UNIT_STEPS[step] for event, step in STEP_OF_EVENT.items()}
UNIT_EVENTS["申请"] = tuple(dict.fromkeys(role for step in STEP_OF_REQUEST.values() for role in UNIT_STEPS[step]))
PROMISE_DONE = "promise"

_ABSENT = object()


@dataclass(frozen=True)
class Breach:
    """One thing the unit may not do: the rule's short Chinese name and what was done, in Chinese."""

    rule: str
    text: str


@dataclass
class UnitChange:
    """What a unit's change of one item is: the steps it amounts to, and its breaches (none: allowed)."""

    steps: set[str] = field(default_factory=set)
    breaches: list[Breach] = field(default_factory=list)


def roles_of(data: dict, unit: str, config: Config) -> set[str]:
    """The unit's roles on the item as its 交办 stands: {"主办"}, {"协办"} or none."""
    assignment = data.get("交办")
    if not isinstance(assignment, dict):
        return set()
    return {role for role in (LEAD, CO) if unit in _units(assignment.get(role), config)}


def judge_unit_change(before: dict | None, after: dict | None, unit: str, config: Config) -> UnitChange:
    """The change of one item file by a unit (its full name); `before`/`after` None: the file created/deleted."""
    change = UnitChange()
    if before is None:
        change.breaches.append(Breach("新建件", "只有交办机关可以登记新的件"))
        return change
    if after is None:
        change.breaches.append(Breach("删除件", "单位不得删除件的文件"))
        return change
    roles = roles_of(before, unit, config)
    if not roles:
        change.breaches.append(Breach("非本单位承办", f"{unit}不是这一件的主办或协办单位，不得改动它"))
        return change
    for key in _keys(before, after):
        old, new = before.get(key, _ABSENT), after.get(key, _ABSENT)
        if key in UNIT_EVENTS:
            _judge_events(key, _as_list(old), _as_list(new), unit, roles, config, change)
        elif old != new:
            change.breaches.append(Breach("机关字段", f"“{key}”由交办机关填写，单位不得改动"))
    return change


def _judge_events(key: str, old: list, new: list, unit: str, roles: set[str], config: Config, change: UnitChange) -> None:
    """Every old event still there unchanged (a 承诺 marked done aside); the new ones the unit's own."""
    unused = list(range(len(new)))
    for position, event in enumerate(old):
        match = next((index for index in unused if new[index] == event), None)
        if match is None and key == "答复":
            match = next((index for index in unused if _promise_done(event, new[index])), None)
            if match is not None:
                _judge_promise_done(old, position, unit, config, change)
        if match is None:
            change.breaches.append(Breach("改动旧记录", f"“{key}”第 {position + 1} 条已有的记录被改动或删除：记录只能追加"))
            continue
        unused.remove(match)
    for index in unused:
        _judge_new_event(key, new[index], unit, roles, config, change)


def _judge_new_event(key: str, event: Any, unit: str, roles: set[str], config: Config, change: UnitChange) -> None:
    if not isinstance(event, dict):
        change.breaches.append(Breach("记录格式", f"“{key}”新增的记录不是“键: 值”的一组"))
        return
    named = event.get("单位")
    if not isinstance(named, str) or config.full_name(named) != unit:
        change.breaches.append(Breach("冒名", f"“{key}”新增记录的单位是“{named or '（未写）'}”，推送者是{unit}：只能记录本单位的办理"))
        return
    if not roles & set(UNIT_EVENTS[key]):
        allowed = "或".join(UNIT_EVENTS[key])
        change.breaches.append(Breach("角色不符", f"{unit}不是这一件的{allowed}单位，不得新增“{key}”"))
        return
    if key == "申请":
        if any(event.get(decision) is not None for decision in DECISION_KEYS):
            change.breaches.append(Breach("机关字段", "申请的处理、处理日期、处理意见由交办机关填写，单位不得填写"))
            return
        step = STEP_OF_REQUEST.get(str(event.get("类型")))
        if step:
            change.steps.add(step)
        return
    change.steps.add(STEP_OF_EVENT[key])


def _promise_done(old: Any, new: Any) -> bool:
    """The same 答复 with one or more of its 承诺 marked done (完成: empty → a date), nothing else changed."""
    if not (isinstance(old, dict) and isinstance(new, dict)) or old == new:
        return False
    old_promises, new_promises = _as_list(old.get("承诺", _ABSENT)), _as_list(new.get("承诺", _ABSENT))
    if {**old, "承诺": None} != {**new, "承诺": None} or len(old_promises) != len(new_promises):
        return False
    for before, after in zip(old_promises, new_promises):
        if before == after:
            continue
        if not (isinstance(before, dict) and isinstance(after, dict)):
            return False
        if before.get("完成") is not None or after.get("完成") is None:
            return False
        if {**before, "完成": None} != {**after, "完成": None}:
            return False
    return True


def _judge_promise_done(old_replies: list, position: int, unit: str, config: Config, change: UnitChange) -> None:
    reply = old_replies[position]
    own = [index for index, other in enumerate(old_replies)
           if isinstance(other, dict) and isinstance(other.get("单位"), str) and config.full_name(other["单位"]) == unit]
    if not own or own[-1] != position:
        named = reply.get("单位") if isinstance(reply, dict) else None
        change.breaches.append(Breach("改动旧记录", f"只能在本单位最近一次答复的承诺上填完成日期（这是{named or '其他单位'}的答复）"))
        return
    change.steps.add(PROMISE_DONE)


def _units(value: Any, config: Config) -> list[str]:
    names = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [config.full_name(name) for name in names if isinstance(name, str)]


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _keys(before: dict, after: dict) -> list[str]:
    return list(before) + [key for key in after if key not in before]
