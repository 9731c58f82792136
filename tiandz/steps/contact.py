"""沟通: one contact between a unit and the proposer (phone, letter, meeting, visit …), the 五个一.

A contact after 办结 is the 办后回访 offices make: recorded like any other, and counted apart by the report
(not in 沟通率 or 见面率, which measure the handling).
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.model import Proposal
from tiandz.core.names import ANSWERED, CLOSED, IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.core.state import unanswered_leads
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import (
    append_entry,
    choice,
    iso,
    not_before,
    require_state,
    step_date,
)
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.permissions import acting_unit, allow, refuse_place


def contact(
    ledger: Ledger,
    typed_id: str,
    *,
    method: str,
    unit: str | None = None,
    person: str | None = None,
    note: str | None = None,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz contact`: one contact with the proposer, by a method tiandz.yaml lists (电话, 面商, 走访 …).

    >>> contact(ledger, "J-15", method="面商", person="赵六", note="了解建议主旨", date="2024-04-02")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    role = allow(ledger, "contact")
    method = choice(method, config.contact_methods, "--by", "沟通方式")
    named = acting_unit(config, role, unit)  # a unit's clone: its own unit
    day = step_date(date, today)

    def plan(target: Target) -> Change:
        item = target.item
        require_state(item, config, today, (IN_PROGRESS, REDO, ANSWERED, CLOSED), "登记沟通")
        refuse_place(role, "contact", item)
        chosen = named or _only_lead(item)
        units = item.assignment.lead_units + item.assignment.co_units
        if chosen not in units:
            refuse(f"{chosen}不是 {item.id} 的承办单位", field="--unit", hint=f"本件承办单位：{'、'.join(units)}")
        not_before(day, item.assignment.date, "交办日期")
        entry = {"日期": iso(day), "方式": method, "单位": chosen}
        if person:
            entry["人员"] = person
        if note:
            entry["内容"] = note
        append_entry(target.data, "沟通", entry)
        face = "，见面" if config.face_to_face(method) else ""
        if item.closed is not None and day > item.closed:
            done = f"已登记办后回访 {item.id}：{chosen}，{method}{face}，{day}（{item.closed} 办结后）"
            return Change("办后回访", f"{chosen} {method}", done, unit=chosen)
        waiting = unanswered_leads(item)
        next_step = f"答复：tiandz reply {item.id} --unit {waiting[0]} …" if waiting else None
        return Change("沟通", f"{chosen} {method}", f"已登记沟通 {item.id}：{chosen}，{method}{face}，{day}", next_step,
                      unit=chosen)

    return perform(ledger, "contact", [typed_id], plan, commit=commit, today=today, day=day, role=role)


def _only_lead(item: Proposal) -> str:
    leads = item.assignment.lead_units
    if len(leads) != 1:
        refuse(f"{item.id} 有多个主办单位，请用 --unit 指明是哪个单位沟通", field="--unit", hint=f"主办：{'、'.join(leads)}")
    return leads[0]
