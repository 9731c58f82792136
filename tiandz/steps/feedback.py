"""评价: the proposer's 征询意见表. 不满意 (and 基本满意 where tiandz.yaml says so) means handling it again."""

from __future__ import annotations

import datetime as dt

from tiandz.core.deadlines import add_limit
from tiandz.core.model import RATINGS
from tiandz.core.names import ANSWERED, IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.core.state import current_replies
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
    work: str | None = None,
    by: str | None = None,
    note: str | None = None,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz feedback`: the proposer's 评价 of the answer; 不满意 reopens the item with a new due date.

    >>> feedback(ledger, "J-15", result="满意", work="满意", date="2024-06-20")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    result = choice(result, RATINGS, "--result", "评价结果")
    work = choice(work, RATINGS, "--work", "办理工作评价") if work else None
    day = step_date(date, today)

    def plan(target: Target) -> Change:
        item = target.item
        state = require_state(item, config, today, (IN_PROGRESS, ANSWERED, REDO), "登记评价")
        if state == REDO:
            refuse(f"{item.id} 上次评价要求重新办理，须先重新答复（tiandz reply）再评价")
        replies = current_replies(item)
        if not replies:
            refuse(f"{item.id} 尚未答复，不能评价", hint="先答复：tiandz reply")
        not_before(day, max(reply.date for reply in replies), "最近一次答复的日期")
        entry: dict = {"日期": iso(day), "评价人": by or item.proposer}
        if work:
            entry["工作"] = work
        entry["结果"] = result
        if note:
            entry["意见"] = note
        append_entry(target.data, "评价", entry)
        detail = f"结果 {result}" + (f"，工作 {work}" if work else "")
        done = f"已登记评价 {item.id}：{detail}"
        # Dated on or after the latest answer, this rating decides the state as state.needs_redo does.
        if result == "不满意" or (result == "基本满意" and config.rules.basic_needs_redo):
            due = add_limit(day, config.limits.redo, ledger.holidays)
            done += f"；转入重新办理，须于 {due} 前重新答复（评价日期加{config.limits.redo}）"
            return Change("评价", detail, done, f"重新答复：tiandz reply {item.id}")
        return Change("评价", detail, done, f"可办结：tiandz close {item.id}")

    return perform(ledger, "feedback", [typed_id], plan, commit=commit, today=today, day=day)
