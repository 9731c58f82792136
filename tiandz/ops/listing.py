"""`tiandz list`: the items that match a filter, from the cached summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from tiandz.core.names import STATES, require_kind
from tiandz.core.problems import did_you_mean, refuse
from tiandz.core.summary import Summary
from tiandz.core.units import unit_hint
from tiandz.ledger.folder import Ledger
from tiandz.ledger.scan import scan_ledger


@dataclass
class Filter:
    kind: str | None = None
    state: str | None = None
    unit: str | None = None
    topic: str | None = None
    key: bool = False
    overdue: bool = False
    due_within: int | None = None

    def matches(self, summary: Summary, today: dt.date) -> bool:
        if self.kind and summary.kind != self.kind:
            return False
        if self.state and summary.state != self.state:
            return False
        if self.unit and self.unit not in summary.lead_units and self.unit not in summary.co_units:
            return False
        if self.topic and summary.topic != self.topic:
            return False
        if self.key and not summary.key:
            return False
        if self.overdue and not summary.overdue(today):
            return False
        if self.due_within is not None:
            days = summary.days_left(today)
            if summary.due is None or days is None or days < 0 or days > self.due_within:
                return False
        return True


@dataclass
class Listing:
    rows: list[Summary]
    problem_count: int
    unit: str | None = None  # the --unit, as its full name

    def roles(self) -> list[str] | None:
        """With --unit: whether the unit is each row's 主办 or 协办 (its work differs: an answer or an opinion)."""
        return None if self.unit is None else [role_of(row, self.unit) for row in self.rows]


def role_of(summary: Summary, unit: str) -> str:
    return "主办" if unit in summary.lead_units else "协办" if unit in summary.co_units else ""


def list_items(ledger: Ledger, where: Filter, today: dt.date | None = None) -> Listing:
    """`tiandz list`: the items that match the filter, from the cached summaries; a filter word that is not
    in tiandz.yaml is refused with a did-you-mean rather than giving an empty list.

    >>> [row.id for row in list_items(ledger, Filter(unit="教体局", overdue=True)).rows]  # doctest: +SKIP
    """
    today = today or dt.date.today()
    where = _resolve(ledger, where)
    scan = scan_ledger(ledger, today)
    rows = [summary for summary in scan.summaries if where.matches(summary, today)]
    return Listing(rows, len(scan.problems), where.unit)


def _resolve(ledger: Ledger, where: Filter) -> Filter:
    """Check the filter's words against the ledger, so a typo is an error and not an empty list."""
    config = ledger.config
    require_kind(where.kind or None)
    if where.state and where.state not in STATES:
        refuse(f"状态“{where.state}”应为{'、'.join(STATES)}之一", field="--state", hint=did_you_mean(where.state, STATES))
    if where.unit:
        unit = config.unit(where.unit)
        if unit is None:
            refuse(f"“{where.unit}”不是承办单位", field="--unit", hint=unit_hint(config, where.unit))
        where = replace(where, unit=unit.name)  # the caller's filter stays as given
    if where.topic and where.topic not in config.topics:
        refuse(f"领域“{where.topic}”不在 tiandz.yaml 中", field="--topic", hint=did_you_mean(where.topic, config.topics))
    return where
