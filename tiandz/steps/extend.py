"""延期: a later due date for the current round of handling, never past tiandz.yaml's 最长 limit."""

from __future__ import annotations

import datetime as dt

from tiandz.core.dates import parse_date
from tiandz.core.names import IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.core.requests import EXTEND
from tiandz.ledger.folder import Ledger
from tiandz.ledger.role import read_role
from tiandz.steps.common import append_entry, iso, refuse_new_due, require_state, step_date
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.permissions import acting_unit, is_unit
from tiandz.steps.requests import decline, grant_pending, request_extension


def extend(
    ledger: Ledger,
    typed_id: str,
    *,
    until: str | None = None,
    reason: str,
    refuse_request: bool = False,
    unit: str | None = None,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz extend`: a later due date for this round, never past the 交办 date plus tiandz.yaml's 最长.

    A pending 延期申请 is granted by it. `refuse_request`: the pending 延期申请 (of `unit`, when several units
    asked) is not granted. In a unit's clone: a 延期申请 (steps/requests.py).

    >>> extend(ledger, "J-15", until="2024-08-20", reason="涉及跨部门协调", date="2024-06-01")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    role = read_role(ledger.root)
    if refuse_request:
        return decline(ledger, typed_id, EXTEND, role, unit=unit, reason=reason, date=date, commit=commit, today=today)
    if until is None:
        refuse("请用 --to 写明延至哪天", field="--to")
    if is_unit(role):
        acting_unit(ledger.config, role, unit)  # its own unit only
        return request_extension(ledger, typed_id, role, until=until, reason=reason, date=date, commit=commit, today=today)
    config = ledger.config
    day = step_date(date, today)
    new_due = parse_date(until, "--to")
    if not reason.strip():
        refuse("延期须写明理由", field="--reason")

    def plan(target: Target) -> Change:
        item = target.item
        state = require_state(item, config, today, (IN_PROGRESS, REDO), "延期")
        # A 延期 belongs to the current round of handling: after the 交办, or after the 不满意 that reopened it.
        current = refuse_new_due(item, config, ledger.holidays, today, state, day, new_due, "延期至")
        append_entry(target.data, "延期", {"日期": iso(day), "至": iso(new_due), "理由": reason.strip()})
        granted = grant_pending(target, EXTEND, None, day, f"延至 {new_due}：{reason.strip()}")
        said = f"已延期 {item.id}：时限由 {current} 延至 {new_due}" + (f"（同意{'、'.join(granted)}的延期申请）" if granted else "")
        return Change("延期", f"至 {new_due}", said)

    return perform(ledger, "extend", [typed_id], plan, commit=commit, today=today, day=day, role=role)
