"""交办 and 改办: which units handle an item, how, and by when.

On an item not yet assigned this writes 交办 with its 时限 (computed from tiandz.yaml's 答复 limit unless
given; written into the file, since the 交办 notice states it and a later change of tiandz.yaml must not
move it). On an item already assigned it is a 改办: the reason is required, the old assignment is kept
under 改办 with the 改办's date, and the 交办 keeps its original date and 时限 (the item was assigned from
that day on, and a report as of a day before the 改办 must count it so; a new 时限 only with --due).

`assign --from` (steps/assignplan.py) gives each row of a plan to `assign_one`, so an item assigned from
the 交办会's plan gets exactly what a plain `assign` writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiandz.core.dates import parse_date
from tiandz.core.deadlines import add_limit
from tiandz.core.model import MODES
from tiandz.core.names import ANSWERED, CLOSED, REDO, UNASSIGNED
from tiandz.core.problems import refuse
from tiandz.core.requests import RETURN
from tiandz.core.state import redo_start, state_of
from tiandz.core.units import unit_name
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import (
    add_key,
    append_entry,
    choice,
    iso,
    not_before,
    set_key,
    step_date,
)
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.requests import grant_pending


@dataclass(frozen=True)
class Order:
    """One 交办 as decided: full unit names, the mode, the day, and the 时限 if given (else computed)."""

    leads: list[str]
    co_units: list[str]
    mode: str
    day: dt.date
    due: dt.date | None = None
    reason: str | None = None


def make_order(
    ledger: Ledger,
    leads: list[str],
    co_units: list[str],
    mode: str | None,
    day: dt.date,
    due: dt.date | None,
    reason: str | None = None,
    options: tuple[str, str, str, str] = ("--lead", "--co", "--mode", "--due"),
) -> Order:
    """The units resolved (full name or 简称, did-you-mean), the mode checked or inferred, the 时限 after the day.

    `options` names the fields a refusal points at: the command's options, or a plan sheet's columns.
    """
    lead_option, co_option, mode_option, due_option = options
    config = ledger.config
    if not leads:
        refuse("至少要有一个主办单位", field=lead_option)
    lead_names = [unit_name(config, name, lead_option) for name in leads]
    co_names = [unit_name(config, name, co_option) for name in co_units]
    mode = choice(mode, MODES, mode_option, "交办方式") if mode else _default_mode(lead_names, co_names)
    if due is not None and due <= day:
        refuse(f"时限 {due} 不晚于交办日期 {day}", field=due_option)
    return Order(lead_names, co_names, mode, day, due, (reason or "").strip() or None)


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
    day = step_date(date, today)
    due_day = parse_date(due, "--due") if due else None
    order = make_order(ledger, list(leads), list(co_units), mode, day, due_day, reason)
    return perform(ledger, "assign", typed_ids, lambda target: assign_one(ledger, target, order, today), commit=commit, today=today,
                   day=day, parallel=True)


def assign_one(ledger: Ledger, target: Target, order: Order, today: dt.date, *, reassign: bool = True) -> Change:
    """The 交办 (or, on an assigned item and when `reassign`, the 改办) of one item, edited into its data."""
    config = ledger.config
    item = target.item
    day, lead_names, co_names = order.day, order.leads, order.co_units
    state = state_of(item, config, today)
    if state in (ANSWERED, CLOSED):
        refuse(f"{item.id} 当前状态为{state}，不能再交办或改办", path=target.shown)
    if state != UNASSIGNED and not reassign:
        refuse(
            f"{item.id} 已交办给{'、'.join(item.assignment.lead_units)}（{item.assignment.date}），再交办就是改办",
            hint=f"改办须写明理由：tiandz assign {item.id} --lead 单位 --reason 理由",
        )
    units = f"主办 {'、'.join(lead_names)}" + (f"，协办 {'、'.join(co_names)}" if co_names else "")
    if item.reassignments:
        not_before(day, item.reassignments[-1].date, "上一次改办或退回的日期")
    if state == UNASSIGNED:
        not_before(day, item.submitted, "提出日期")
        until = order.due or add_limit(day, config.limits.reply, ledger.holidays)
        add_key(target, "交办", _assignment(day, order, until))  # a plain file: appended, no round trip
        detail = f"{units}，时限 {until}"
        return Change("交办", detail, f"已交办 {item.id}：{units}", "承办单位与提出人沟通（tiandz contact），再答复（tiandz reply）")
    old = item.assignment
    if not order.reason:
        refuse(f"{item.id} 已交办给{'、'.join(old.lead_units)}，改办须写明理由", field="--reason", path=target.shown)
    if (old.lead_units, old.co_units, old.mode) == (lead_names, co_names, order.mode) and order.due is None:
        refuse(f"{item.id} 的交办单位和方式没有变化", path=target.shown, hint="延长时限用 tiandz extend")
    not_before(day, old.date, "原交办日期")
    if state == REDO:  # the new round of handling starts with the 评价 that reopened the item
        not_before(day, redo_start(item, config), "要求重新办理的评价日期")
    # The item was assigned on the original day, by its original 时限: the 改办 moves the units, not the dates.
    extended = [extension for extension in item.extensions if extension.date >= old.date]
    if order.due is not None and extended:  # a 延期 since the 交办 would go on overriding the new 时限
        refuse(f"{item.id} 已延期至 {extended[-1].until}，改办时不另定时限", field="--due", hint="再延长用 tiandz extend")
    until = order.due or old.due or add_limit(old.date, config.limits.reply, ledger.holidays)
    former = {"日期": iso(day), "原主办": list(old.lead_units)}
    if old.co_units:
        former["原协办"] = list(old.co_units)
    former["理由"] = order.reason
    append_entry(target.data, "改办", former)
    set_key(target.data, "交办", _assignment(old.date, order, until))
    # A unit that asked to give the item back and is no longer given it: its 退回申请 is granted by this 改办.
    left = [unit for unit in old.lead_units + old.co_units if unit not in lead_names + co_names]
    granted = grant_pending(target, RETURN, left, day, order.reason) if left else []
    was = "、".join(old.lead_units)
    said = f"已改办 {item.id}：{units}（原主办 {was}）" + (f"，同意{'、'.join(granted)}的退回申请" if granted else "")
    return Change("改办", f"{units}，时限 {until}（原主办 {was}）", said)


def _assignment(day: dt.date, order: Order, until: dt.date) -> dict:
    assignment = {"日期": iso(day), "方式": order.mode, "主办": list(order.leads)}
    if order.co_units:
        assignment["协办"] = list(order.co_units)
    assignment["时限"] = iso(until)
    return assignment


def _default_mode(leads: list[str], co_units: list[str]) -> str:
    if len(leads) > 1:
        return "分办"
    return "会办" if co_units else "单办"
