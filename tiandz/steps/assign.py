"""交办 and 改办: which units handle an item, how, and by when.

On an item not yet assigned this writes 交办 with its 时限 (computed from tiandz.yaml's 答复 limit unless
given; written into the file, since the 交办 notice states it and a later change of tiandz.yaml must not
move it). On an item already assigned it is a 改办: the reason is required and the old assignment is kept
under 改办.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.dates import parse_date
from tiandz.core.deadlines import add_limit
from tiandz.core.model import MODES
from tiandz.core.names import ANSWERED, CLOSED, REDO, UNASSIGNED
from tiandz.core.problems import refuse
from tiandz.core.state import redo_start, state_of
from tiandz.core.units import unit_name
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import (
    append_entry,
    choice,
    iso,
    not_before,
    set_key,
    step_date,
)
from tiandz.steps.engine import Change, Outcome, Target, perform


def assign(
    ledger: Ledger,
    typed_ids: list[str],
    *,
    leads: list[str],
    co_units: list[str] = (),
    mode: str | None = None,
    due: str | None = None,
    date: str | None = None,
    reason: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz assign`: 交办 to lead units (several for 分办) and co-units, with the due date written into the
    file; an item already assigned is 改办 and needs a reason. Several items are one commit, or none.

    >>> assign(ledger, ["J-15", "J-16"], leads=["教体局"], co_units=["公安局"], date="2024-03-20")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    if not leads:
        refuse("至少要有一个主办单位", field="--lead")
    lead_names = [unit_name(config, name, "--lead") for name in leads]
    co_names = [unit_name(config, name, "--co") for name in co_units]
    mode = choice(mode, MODES, "--mode", "交办方式") if mode else _default_mode(lead_names, co_names)
    day = step_date(date, today)
    due_day = parse_date(due, "--due") if due else None
    if due_day is not None and due_day <= day:
        refuse(f"时限 {due_day} 不晚于交办日期 {day}", field="--due")
    reason = (reason or "").strip() or None

    def plan(target: Target) -> Change:
        item = target.item
        state = state_of(item, config, today)
        if state in (ANSWERED, CLOSED):
            refuse(f"{item.id} 当前状态为{state}，不能再交办或改办", path=target.shown)
        until = due_day or add_limit(day, config.limits.reply, ledger.holidays)
        assignment = {"日期": iso(day), "方式": mode, "主办": lead_names}
        if co_names:
            assignment["协办"] = co_names
        assignment["时限"] = iso(until)
        units = f"主办 {'、'.join(lead_names)}" + (f"，协办 {'、'.join(co_names)}" if co_names else "")
        detail = f"{units}，时限 {until}"
        if item.reassignments:
            not_before(day, item.reassignments[-1].date, "上一次改办或退回的日期")
        if state == UNASSIGNED:
            not_before(day, item.submitted, "提出日期")
            set_key(target.data, "交办", assignment)
            return Change("交办", detail, f"已交办 {item.id}：{units}", "承办单位与提出人沟通（tiandz contact），再答复（tiandz reply）")
        old = item.assignment
        if not reason:
            refuse(f"{item.id} 已交办给{'、'.join(old.lead_units)}，改办须写明理由", field="--reason", path=target.shown)
        if (old.lead_units, old.co_units, old.mode) == (lead_names, co_names, mode) and due_day is None:
            refuse(f"{item.id} 的交办单位和方式没有变化", path=target.shown, hint="延长时限用 tiandz extend")
        not_before(day, old.date, "原交办日期")
        if state == REDO:  # the new round of handling starts with the 评价 that reopened the item
            not_before(day, redo_start(item, config), "要求重新办理的评价日期")
        former = {"日期": iso(day), "原主办": list(old.lead_units)}
        if old.co_units:
            former["原协办"] = list(old.co_units)
        former["理由"] = reason
        append_entry(target.data, "改办", former)
        set_key(target.data, "交办", assignment)
        was = "、".join(old.lead_units)
        return Change("改办", f"{detail}（原主办 {was}）", f"已改办 {item.id}：{units}（原主办 {was}）")

    return perform(ledger, "assign", typed_ids, plan, commit=commit, today=today, day=day)


def _default_mode(leads: list[str], co_units: list[str]) -> str:
    if len(leads) > 1:
        return "分办"
    return "会办" if co_units else "单办"
