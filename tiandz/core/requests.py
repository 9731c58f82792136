"""申请: what a unit asks of the office (退回, 延期) and the office's decision, as pure facts and rules.

A unit's clone appends a request; the office decides it by filling 处理 (同意 or 不同意), 处理日期 and
处理意见 into that entry (spec/offices.md). Which requests wait for a decision, whose they are, and the
rules a valid 申请 keeps (`check`) live here, so the steps that write them and the rules that judge them
read them alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from tiandz.core.config import Config
from tiandz.core.deadlines import HolidayCalendar
from tiandz.core.model import Proposal, Request
from tiandz.core.problems import ERROR, WARNING
from tiandz.core.state import longest_due
from tiandz.core.units import unit_hint

RETURN, EXTEND = "退回", "延期"
AGREED, REFUSED = "同意", "不同意"


def pending(item: Proposal, kind: str, unit: str | None = None) -> list[tuple[int, Request]]:
    """(position in 申请, request) for each request of this kind (and unit) the office has not decided."""
    return [
        (index, request)
        for index, request in enumerate(item.requests)
        if request.kind == kind and request.decision is None and unit in (None, request.unit)
    ]


def handling_units(item: Proposal) -> set[str]:
    """Every unit that handles the item or handled it before a 改办 (a 退回申请 granted leaves it there)."""
    units = set()
    if item.assignment:
        units |= set(item.assignment.lead_units) | set(item.assignment.co_units)
    for former in item.reassignments:
        units |= set(former.former_lead_units) | set(former.former_co_units)
    return units


def request_dates(item: Proposal) -> Iterator[tuple[tuple, dt.date]]:
    """Every date of a 申请 entry: its own, and the decision's (both compared with today by `date_order`)."""
    for index, request in enumerate(item.requests):
        yield ("申请", index, "日期"), request.date
        if request.decided is not None:
            yield ("申请", index, "处理日期"), request.decided


Found = tuple[tuple, str, "str | None", str]  # (location, message, hint, severity): core/rules.py's Finding


def _found(location: tuple, message: str, hint: str | None = None, severity: str = ERROR) -> Found:
    return location, message, hint, severity


def request_findings(item: Proposal, config: Config, holidays: HolidayCalendar) -> Iterator[Found]:
    """The rules of spec/offices.md for 申请; dates against today are `date_order`'s (core/rules.py)."""
    if not item.requests:  # most items: no units or longest due date worked out for nothing
        return
    units = handling_units(item)
    longest = longest_due(item, config, holidays) if item.assignment else None
    seen: set[tuple[str, str]] = set()
    for index, request in enumerate(item.requests):
        where = ("申请", index)
        unit = config.full_name(request.unit)
        if config.unit(request.unit) is None:
            yield _found((*where, "单位"), f"“{request.unit}”不是 tiandz.yaml 中的承办单位", unit_hint(config, request.unit))
        elif unit not in units:
            yield _found((*where, "单位"), f"“{request.unit}”不是本件的承办单位", "只有承办本件的单位才能申请退回或延期")
        if request.kind == EXTEND:
            if request.until is None:
                yield _found(where, "延期申请须写明延至哪天（至）")
            elif request.until <= request.date:
                yield _found((*where, "至"), f"申请延至 {request.until} 不晚于申请日期 {request.date}")
            elif longest is not None and request.until > longest:
                yield _found(
                    (*where, "至"), f"申请延至 {request.until} 超过最长时限 {longest}（交办日期加{config.limits.longest}）"
                )
            if request.suggested_units:
                yield _found((*where, "建议单位"), "建议单位只用于退回申请")
        else:
            if request.until is not None:
                yield _found((*where, "至"), "“至”只用于延期申请")
            for position, name in enumerate(request.suggested_units):
                if config.unit(name) is None:
                    yield _found((*where, "建议单位", position), f"“{name}”不是 tiandz.yaml 中的承办单位", unit_hint(config, name))
        if (request.decision is None) != (request.decided is None):
            missing = "处理日期" if request.decided is None else "处理"
            yield _found(where, f"“处理”和“处理日期”须同时写明，缺少{missing}")
        if request.decision_note is not None and request.decision is None:
            yield _found((*where, "处理意见"), "尚未处理的申请不应有处理意见")
        if request.decided is not None and request.decided < request.date:
            yield _found((*where, "处理日期"), f"处理日期 {request.decided} 早于申请日期 {request.date}")
        if request.decision is None:
            if (request.kind, unit) in seen:
                yield _found(where, f"{unit}已有一份待处理的{request.kind}申请", "同一单位同类申请一次只能有一份待处理", WARNING)
            seen.add((request.kind, unit))
