"""退回: a unit says the item is not its business, inside the 退回 window (tiandz.yaml 时限.退回).

The unit leaves the assignment and the assignment as it was is kept under 改办, with the unit's reason and
the unit it suggests. When the only 主办 returns the item, it is 待交办 again and the office assigns it anew
(`tiandz assign`); when one of several 主办 or a 协办 returns it, the others go on.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.names import IN_PROGRESS
from tiandz.core.problems import refuse
from tiandz.core.requests import RETURN
from tiandz.core.state import current_replies
from tiandz.core.units import unit_name
from tiandz.files.itemfile import to_yaml_node
from tiandz.ledger.folder import Ledger
from tiandz.ledger.role import read_role
from tiandz.steps.common import append_entry, iso, refuse_outside_return_window, require_state, step_date
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.permissions import acting_unit, allow, is_unit
from tiandz.steps.requests import decline, grant_pending, request_return


def return_item(
    ledger: Ledger,
    typed_id: str,
    *,
    unit: str | None = None,
    reason: str,
    suggest: str | None = None,
    refuse_request: bool = False,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz return`: a unit gives the item back inside the 退回 window; the only 主办 returning leaves it 待交办.

    In the office's clone the request and the decision at once (a pending 退回申请 of the unit is granted by
    it); `refuse_request`: the unit's pending 退回申请 is not granted. In a unit's clone: a 退回申请
    (steps/requests.py).

    >>> return_item(ledger, "J-15", unit="交通局", reason="不属于本单位职责", suggest="教体局")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    role = read_role(ledger.root)
    if is_unit(role) and not refuse_request:
        acting_unit(ledger.config, role, unit)  # its own unit only
        return request_return(ledger, typed_id, role, reason=reason, suggest=suggest, date=date, commit=commit, today=today)
    if refuse_request:
        return decline(ledger, typed_id, RETURN, role, unit=unit, reason=reason, date=date, commit=commit, today=today)
    allow(ledger, "return", role)
    if unit is None:
        refuse("请用 --unit 指明申请退回的单位", field="--unit")
    config = ledger.config
    unit = unit_name(config, unit, "--unit")
    suggested = unit_name(config, suggest, "--suggest") if suggest else None
    day = step_date(date, today)
    if not reason.strip():
        refuse("退回须写明理由", field="--reason")

    def plan(target: Target) -> Change:
        item = target.item
        require_state(item, config, today, (IN_PROGRESS,), "退回")
        old = item.assignment
        leads, co_units = list(old.lead_units), list(old.co_units)
        if unit not in leads + co_units:
            refuse(f"{unit}不是 {item.id} 的承办单位，不能退回", field="--unit", hint=f"本件主办：{'、'.join(leads)}")
        if unit in {reply.unit for reply in current_replies(item)}:
            refuse(f"{unit}已答复本件，不能再退回", field="--unit")
        refuse_outside_return_window(item, config, ledger.holidays, day)
        why = f"{unit}申请退回：{reason.strip()}" + (f"；建议改由{suggested}办理" if suggested else "")
        former = {"日期": iso(day), "原主办": leads}
        if co_units:
            former["原协办"] = co_units
        former["理由"] = why
        append_entry(target.data, "改办", former)
        grant_pending(target, RETURN, [unit], day, reason.strip())  # the unit's own request, if it made one
        remaining_leads = [name for name in leads if name != unit]
        remaining_co_units = [name for name in co_units if name != unit]
        if not remaining_leads:
            del target.data["交办"]
            assign_hint = f"重新交办：tiandz assign {item.id} --lead {suggested or '单位'}"
            return Change("退回", f"{unit}申请退回", f"已退回 {item.id}：{unit}不再承办，本件待重新交办", assign_hint)
        assignment = target.data["交办"]
        assignment["主办"] = to_yaml_node({"主办": remaining_leads})["主办"]
        if remaining_co_units:
            assignment["协办"] = to_yaml_node({"协办": remaining_co_units})["协办"]
        elif "协办" in assignment:
            del assignment["协办"]
        if len(remaining_leads) == 1:
            assignment["方式"] = "会办" if remaining_co_units else "单办"
        return Change("退回", f"{unit}申请退回", f"已退回 {item.id}：{unit}不再承办，由{'、'.join(remaining_leads)}继续办理")

    return perform(ledger, "return", [typed_id], plan, commit=commit, today=today, day=day, role=role)

