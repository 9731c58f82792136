"""协办意见: a co-unit's written opinion to the lead unit (协办 units do not answer the proposer)."""

from __future__ import annotations

import datetime as dt

from tiandz.core.deadlines import add_limit
from tiandz.core.names import ANSWERED, IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import (
    append_entry,
    iso,
    not_before,
    require_state,
    step_date,
)
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.permissions import acting_unit, allow


def opinion(
    ledger: Ledger,
    typed_id: str,
    *,
    unit: str | None,
    text: str,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz opinion`: a 协办 unit's written opinion to the lead unit.

    >>> opinion(ledger, "J-15", unit="公安局", text="建议在校门口增设信号灯。", date="2024-04-10")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    role = allow(ledger, "opinion")
    unit = acting_unit(config, role, unit)  # a unit's clone: its own unit
    if unit is None:
        refuse("请用 --unit 指明是哪个协办单位的意见", field="--unit")
    day = step_date(date, today)
    if not text.strip():
        refuse("协办意见内容为空", field="--text-file")

    def plan(target: Target) -> Change:
        item = target.item
        require_state(item, config, today, (IN_PROGRESS, REDO, ANSWERED), "登记协办意见")
        assignment = item.assignment
        if unit in assignment.lead_units:
            refuse(f"{unit}是 {item.id} 的主办单位，主办单位应答复（tiandz reply），不写协办意见", field="--unit")
        if unit not in assignment.co_units:
            co_units = "、".join(assignment.co_units) or "无"
            refuse(f"{unit}不是 {item.id} 的协办单位", field="--unit", hint=f"本件协办：{co_units}")
        not_before(day, assignment.date, "交办日期")
        append_entry(target.data, "协办意见", {"单位": unit, "日期": iso(day), "内容": text})
        limit = add_limit(assignment.date, config.limits.opinion, ledger.holidays)
        notes = [f"晚于协办意见时限 {limit}（交办日期加{config.limits.opinion}）"] if day > limit else []
        return Change("协办意见", unit, f"已登记协办意见 {item.id}：{unit}，{day}", None, notes, unit=unit)

    return perform(ledger, "opinion", [typed_id], plan, commit=commit, today=today, day=day, role=role)
