"""承诺完成: a promise made in an answer is done (the 回头看 that follows B-class answers).

Promises are numbered from 1 across the item's answers, in file order, as `tiandz show` lists them: after a
不满意 and a second answer, what the first answer promised is still owed, so "the latest answer's promises"
would hide it. Marking one done is allowed after 办结 too: promises usually come due after closing.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.problems import refuse
from tiandz.core.state import numbered_promises
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import iso, not_before, step_date
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.permissions import acting_unit, allow, is_unit, refuse_place


def promise_done(
    ledger: Ledger,
    typed_id: str,
    *,
    number: int,
    unit: str | None = None,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz promise --done N`: the N-th promise (numbered across all answers, as `show` lists them) is kept.

    >>> promise_done(ledger, "J-15", number=1, date="2025-10-01")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    role = allow(ledger, "promise")
    named = acting_unit(ledger.config, role, unit)  # a unit's clone: its own unit, its own answers' promises
    day = step_date(date, today)

    def plan(target: Target) -> Change:
        item = target.item
        refuse_place(role, "promise", item)
        promises = numbered_promises(item, named)
        if not promises:
            refuse(f"{item.id} 的{named or ''}答复中没有承诺事项")
        if not 1 <= number <= len(promises):
            listed = "；".join(f"{position}. {promise.matter}" for position, (_, _, promise) in enumerate(promises, 1))
            refuse(f"没有第 {number} 项承诺", field="--done", hint=f"承诺事项：{listed}")
        reply_index, promise_index, promise = promises[number - 1]
        if promise.done:
            refuse(f"第 {number} 项承诺已于 {promise.done} 完成", field="--done")
        latest = max(index for index, reply in enumerate(item.replies) if reply.unit == item.replies[reply_index].unit)
        if is_unit(role) and reply_index != latest:  # what the server lets a unit change: its latest answer
            refuse(f"第 {number} 项承诺出自{named}此前的答复，由交办机关登记完成", field="--done")
        not_before(day, item.replies[reply_index].date, "作出承诺的答复日期")
        target.data["答复"][reply_index]["承诺"][promise_index]["完成"] = iso(day)
        left = sum(1 for _, _, other in promises if not other.done) - 1
        tail = f"；尚有 {left} 项未完成" if left else "；承诺事项已全部完成"
        done = f"已登记承诺完成 {item.id}：{promise.matter}（{day}）{tail}"
        return Change("承诺完成", f"第 {number} 项", done, unit=item.replies[reply_index].unit)

    return perform(ledger, "promise", [typed_id], plan, commit=commit, today=today, day=day, role=role)
