"""退回申请 and 延期申请: what a unit's clone asks of the office, and the office's decision (spec/offices.md).

In a unit's clone `tiandz return` and `tiandz extend` do not give the item back or move its 时限: only the
office does that. They append a `申请` entry instead (steps `return-request`, `extend-request`), one pending
request of a kind per unit at a time. The office refuses one with `return --refuse` / `extend --refuse`
(`return-refuse`, `extend-refuse`: 处理 不同意 filled in), or grants it by doing what was asked: a 改办
(`assign --reason`) that takes the item from the unit, a `return` for it, or an `extend` (处理 同意 filled in
by `grant_pending`, inside that step's own commit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tiandz.core.dates import parse_date
from tiandz.core.model import Proposal
from tiandz.core.names import IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.core.requests import AGREED, EXTEND, REFUSED, RETURN, pending
from tiandz.core.state import current_replies
from tiandz.core.units import unit_name
from tiandz.ledger.folder import Ledger
from tiandz.ledger.role import Role
from tiandz.steps.common import (
    append_entry,
    iso,
    not_before,
    refuse_new_due,
    refuse_outside_return_window,
    require_state,
    step_date,
)
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.permissions import allow, refuse_place

REFUSE_STEP = {RETURN: "return-refuse", EXTEND: "extend-refuse"}


def request_return(
    ledger: Ledger, typed_id: str, role: Role, *, reason: str, suggest: str | None = None, date: str | None = None,
    commit: bool = True, today: dt.date | None = None,
) -> Outcome:
    """A unit's 退回申请, inside the 退回 window: the office decides it (改办, or `return --refuse`)."""
    today = today or dt.date.today()
    config = ledger.config
    role = allow(ledger, "return-request", role)
    unit = role.unit or ""
    suggested = unit_name(config, suggest, "--suggest") if suggest else None
    day = step_date(date, today)
    if not reason.strip():
        refuse("申请退回须写明理由", field="--reason")

    def plan(target: Target) -> Change:
        item = target.item
        require_state(item, config, today, (IN_PROGRESS,), "申请退回")
        refuse_place(role, "return-request", item)
        if unit in {reply.unit for reply in current_replies(item)}:
            refuse(f"{unit}已答复本件，不能再申请退回", field="--unit")
        _refuse_second(item, RETURN, unit)
        refuse_outside_return_window(item, config, ledger.holidays, day)
        entry: dict[str, Any] = {"类型": RETURN, "单位": unit, "日期": iso(day), "理由": reason.strip()}
        if suggested:
            entry["建议单位"] = [suggested]
        append_entry(target.data, "申请", entry)
        said = f"已申请退回 {item.id}：{unit}" + (f"，建议改由{suggested}办理" if suggested else "") + "；待交办机关处理"
        return Change("退回申请", unit, said, "交办机关改办（tiandz assign --reason）或不同意（tiandz return --refuse）", unit=unit)

    return perform(ledger, "return-request", [typed_id], plan, commit=commit, today=today, day=day, role=role)


def request_extension(
    ledger: Ledger, typed_id: str, role: Role, *, until: str, reason: str, date: str | None = None,
    commit: bool = True, today: dt.date | None = None,
) -> Outcome:
    """A unit's 延期申请, never past 最长: the office decides it (`extend`, or `extend --refuse`)."""
    today = today or dt.date.today()
    config = ledger.config
    role = allow(ledger, "extend-request", role)
    unit = role.unit or ""
    day = step_date(date, today)
    asked = parse_date(until, "--to")
    if not reason.strip():
        refuse("申请延期须写明理由", field="--reason")

    def plan(target: Target) -> Change:
        item = target.item
        state = require_state(item, config, today, (IN_PROGRESS, REDO), "申请延期")
        refuse_place(role, "extend-request", item)
        _refuse_second(item, EXTEND, unit)
        current = refuse_new_due(item, config, ledger.holidays, today, state, day, asked, "申请延至")
        append_entry(target.data, "申请", {"类型": EXTEND, "单位": unit, "日期": iso(day), "理由": reason.strip(), "至": iso(asked)})
        said = f"已申请延期 {item.id}：{unit}，申请延至 {asked}（当前时限 {current}）；待交办机关处理"
        return Change("延期申请", f"{unit}，至 {asked}", said, "交办机关同意（tiandz extend）或不同意（tiandz extend --refuse）", unit=unit)

    return perform(ledger, "extend-request", [typed_id], plan, commit=commit, today=today, day=day, role=role)


def decline(
    ledger: Ledger, typed_id: str, kind: str, role: Role, *, unit: str | None, reason: str, date: str | None = None,
    commit: bool = True, today: dt.date | None = None,
) -> Outcome:
    """The office does not grant a unit's pending request: 处理 不同意, 处理日期, 处理意见 filled into it."""
    today = today or dt.date.today()
    step = REFUSE_STEP[kind]
    role = allow(ledger, step, role)
    named = unit_name(ledger.config, unit, "--unit") if unit else None
    day = step_date(date, today)
    if not reason.strip():
        refuse(f"不同意{kind}申请须写明理由", field="--reason")

    def plan(target: Target) -> Change:
        item = target.item
        index, request = _the_pending(item, kind, named)
        not_before(day, request.date, f"{request.unit}的{kind}申请日期")
        _decide(target.data, index, REFUSED, day, reason.strip())
        said = f"已不同意 {item.id} {request.unit}的{kind}申请（{request.date}）：{reason.strip()}"
        return Change(f"不同意{kind}", request.unit, said)

    return perform(ledger, step, [typed_id], plan, commit=commit, today=today, day=day, role=role)


def grant_pending(target: Target, kind: str, units: list[str] | None, day: dt.date, note: str) -> list[str]:
    """The office's step grants what these units asked (None: every unit): 处理 同意 in each pending request of
    this kind dated on or before the step. Returns the units whose request was granted."""
    granted = []
    for index, request in pending(target.item, kind):
        if (units is None or request.unit in units) and request.date <= day:
            _decide(target.data, index, AGREED, day, note)
            granted.append(request.unit)
    return granted


def _decide(data: Any, index: int, decision: str, day: dt.date, note: str) -> None:
    entry = data["申请"][index]
    entry["处理"] = decision
    entry["处理日期"] = iso(day)
    entry["处理意见"] = note


def _refuse_second(item: Proposal, kind: str, unit: str) -> None:
    waiting = pending(item, kind, unit)
    if waiting:
        refuse(f"{unit}已于 {waiting[0][1].date} 申请{kind}，尚待交办机关处理", hint="同一单位同类申请一次只能有一份待处理")


def _the_pending(item: Proposal, kind: str, unit: str | None):
    waiting = pending(item, kind, unit)
    if not waiting:
        whose = f"{unit}的" if unit else ""
        refuse(f"{item.id} 没有{whose}待处理的{kind}申请", field="--unit" if unit else "")
    if len(waiting) > 1:
        units = "、".join(request.unit for _, request in waiting)
        refuse(f"{item.id} 有多份待处理的{kind}申请，请用 --unit 指明是哪个单位的", field="--unit", hint=f"申请单位：{units}")
    return waiting[0]
