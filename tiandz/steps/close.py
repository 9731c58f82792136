"""办结: the item is done. Refused, with the reason, until every 主办 answered and (unless tiandz.yaml waives
it) the proposer's latest 评价 is not 不满意. Several items at once make one commit, all or none."""

from __future__ import annotations

import datetime as dt

from tiandz.core.names import ANSWERED, CLOSED, IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.core.rules import dated_events
from tiandz.core.state import evaluation_of, redo_evaluations, state_of, unanswered_leads
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import NEXT_BY_STATE, iso, not_before, set_key, step_date
from tiandz.steps.engine import Change, Outcome, Target, perform


def close(
    ledger: Ledger,
    typed_ids: list[str],
    *,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz close`: 办结, refused with the reason unless every 主办 answered and the latest 评价 allows it.

    >>> close(ledger, ["J-15"], date="2024-07-01")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    day = step_date(date, today)

    def plan(target: Target) -> Change:
        item = target.item
        state = state_of(item, config, today)
        if state == CLOSED:
            refuse(f"{item.id} 已于 {item.closed} 办结", path=target.shown)
        if state == IN_PROGRESS:
            refuse(f"{item.id} 尚待{'、'.join(unanswered_leads(item))}答复，不能办结", path=target.shown)
        if state == REDO:
            sent_back = list(redo_evaluations(item, config))
            whose = f"{'、'.join(sent_back)}的答复" if len(item.assignment.lead_units) > 1 else ""
            refuse(f"{item.id} {whose}最近一次评价要求重新办理，须重新答复后再办结", path=target.shown)
        if state != ANSWERED:
            refuse(f"{item.id} 当前状态为{state}，不能办结", path=target.shown, hint=NEXT_BY_STATE[state].format(id=item.id))
        if config.rules.close_needs_evaluation:
            leads = item.assignment.lead_units
            for unit in leads:  # 分办: every 主办's answer has its own 征询意见表
                evaluation = evaluation_of(item, unit)
                whose = f"{unit}的答复" if len(leads) > 1 else ""
                if evaluation is None:
                    option = f" --unit {unit}" if len(leads) > 1 else ""
                    refuse(
                        f"{item.id} {whose}尚无评价（征询意见表），不能办结",
                        path=target.shown,
                        hint=f"先登记评价：tiandz feedback {item.id}{option} --result 满意；此规则见 tiandz.yaml 规则.办结须评价",
                    )
                if evaluation.result == "不满意":
                    refuse(f"{item.id} {whose}最近一次评价结果为不满意，须重新办理后才能办结", path=target.shown)
        latest = max([item.submitted, item.assignment.date] + [day for _, day in dated_events(item)])
        not_before(day, latest, "本件最近一次办理的日期")
        set_key(target.data, "办结", iso(day))
        return Change("办结", "", f"已办结 {item.id}（{day}）")

    return perform(ledger, "close", typed_ids, plan, commit=commit, today=today, day=day)
