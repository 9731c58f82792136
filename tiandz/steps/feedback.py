"""评价: the proposer's 征询意见表. 不满意 (and 基本满意 where tiandz.yaml says so) means handling it again.

A 分办 item has one answer, one letter and one 征询意见表 per 主办, so it is rated per unit (`--unit`), the
评价 names the unit, and a 不满意 sends back that unit's answer only; the other units' stand.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.deadlines import add_limit
from tiandz.core.model import RATINGS, Proposal
from tiandz.core.names import ANSWERED, IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.core.state import asks_for_redo, current_replies, evaluation_of, redo_evaluations
from tiandz.core.units import unit_name
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


def feedback(
    ledger: Ledger,
    typed_id: str,
    *,
    result: str,
    unit: str | None = None,
    work: str | None = None,
    by: str | None = None,
    note: str | None = None,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz feedback`: the proposer's 评价 of the answer (of one 主办's answer, for 分办); 不满意 reopens the
    item (or that unit's answer) with a new due date.

    >>> feedback(ledger, "J-15", result="满意", work="满意", date="2024-06-20")  # doctest: +SKIP
    >>> feedback(ledger, "J-10", unit="交通局", result="不满意", date="2024-06-20")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    result = choice(result, RATINGS, "--result", "评价结果")
    work = choice(work, RATINGS, "--work", "办理工作评价") if work else None
    named = unit_name(config, unit, "--unit") if unit else None
    day = step_date(date, today)

    def plan(target: Target) -> Change:
        item = target.item
        state = require_state(item, config, today, (IN_PROGRESS, ANSWERED, REDO), "登记评价")
        rated = _rated_unit(item, named)
        whose = f"{rated}的答复" if rated else ""
        if (rated is None and state == REDO) or rated in redo_evaluations(item, config):
            refuse(f"{item.id} {whose}上次评价要求重新办理，须先重新答复（tiandz reply）再评价")
        replies = [reply for reply in current_replies(item) if rated in (None, reply.unit)]
        if not replies:
            refuse(f"{item.id} {rated or ''}尚未答复，不能评价", hint="先答复：tiandz reply")
        not_before(day, max(reply.date for reply in replies), f"{whose}最近一次答复的日期")
        entry: dict = {"日期": iso(day)}
        if rated:
            entry["单位"] = rated
        entry["评价人"] = by or item.proposer
        if work:
            entry["工作"] = work
        entry["结果"] = result
        if note:
            entry["意见"] = note
        append_entry(target.data, "评价", entry)
        detail = (f"{rated}，" if rated else "") + f"结果 {result}" + (f"，工作 {work}" if work else "")
        done = f"已登记评价 {item.id}：{detail}"
        # Dated on or after the answer it rates, this rating decides the state as state.redo_evaluations does.
        if asks_for_redo(result, config):
            due = add_limit(day, config.limits.redo, ledger.holidays)
            again = f"{rated}的答复转入重新办理（其他主办单位的答复不受影响）" if rated else "转入重新办理"
            done += f"；{again}，须于 {due} 前重新答复（评价日期加{config.limits.redo}）"
            return Change("评价", detail, done, f"重新答复：tiandz reply {item.id}" + (f" --unit {rated}" if rated else ""))
        waiting = [lead for lead in item.assignment.lead_units if lead != rated and evaluation_of(item, lead) is None]
        if rated and waiting:
            return Change("评价", detail, done, f"尚待评价{'、'.join(waiting)}的答复：tiandz feedback {item.id} --unit {waiting[0]} …")
        return Change("评价", detail, done, f"可办结：tiandz close {item.id}")

    return perform(ledger, "feedback", [typed_id], plan, commit=commit, today=today, day=day)


def _rated_unit(item: Proposal, named: str | None) -> str | None:
    """The 主办 whose answer is rated: required for 分办, None (the item) when there is one 主办."""
    leads = item.assignment.lead_units
    if named is not None and named not in leads:
        refuse(f"{named}不是 {item.id} 的主办单位", field="--unit", hint=f"本件主办：{'、'.join(leads)}")
    if len(leads) < 2:
        return None
    if named is None:
        refuse(
            f"{item.id} 是分办件，{len(leads)} 个主办单位各自答复，评价也分别登记（每个单位一份征询意见表）："
            f"请用 --unit 指明评价的是哪个单位的答复",
            field="--unit",
            hint=f"主办单位：{'、'.join(leads)}；如 tiandz feedback {item.id} --unit {leads[0]} --result 满意",
        )
    return named
