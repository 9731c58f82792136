"""The few facts of an item that listing and filtering need, small enough to cache for every file.

`tiandz list` over 15,000 items must not validate 15,000 models on every run: `check` computes a Summary
for each valid file alongside its problems, and the cache keeps both (as JSON: `summary_to_json`, read back
by `summary_from_json` from a cache whose digest was checked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiandz.core.config import Config
from tiandz.core.deadlines import HolidayCalendar
from tiandz.core.facts import checked_date
from tiandz.core.model import Proposal
from tiandz.core.names import IN_PROGRESS, REDO
from tiandz.core.state import due_date, state_of


@dataclass(frozen=True)
class Summary:
    id: str
    kind: str
    title: str
    proposer: str
    topic: str | None
    key: bool
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    state: str
    due: dt.date | None
    submitted: dt.date
    merged_with: tuple[str, ...] = ()
    case_number: str | None = None  # 案号: how import knows a row of a supplementary list is registered

    def days_left(self, today: dt.date) -> int | None:
        return (self.due - today).days if self.due else None

    def overdue(self, today: dt.date) -> bool:
        return self.state in (IN_PROGRESS, REDO) and self.due is not None and today > self.due

    def to_json(self, today: dt.date) -> dict:
        return {
            "编号": self.id,
            "类型": self.kind,
            "标题": self.title,
            "提出人": self.proposer,
            "领域": self.topic,
            "重点督办": self.key,
            "主办": list(self.lead_units),
            "协办": list(self.co_units),
            "状态": self.state,
            "时限": self.due.isoformat() if self.due else None,
            "剩余天数": self.days_left(today) if self.state in (IN_PROGRESS, REDO) else None,
            "逾期": self.overdue(today),
        }


def summarize(item: Proposal, config: Config, today: dt.date, holidays: HolidayCalendar | None = None) -> Summary:
    assignment = item.assignment
    state = state_of(item, config, today)
    return Summary(
        id=item.id,
        kind=item.kind,
        title=item.title,
        proposer=item.proposer,
        topic=item.topic,
        key=item.key,
        lead_units=tuple(assignment.lead_units) if assignment else (),
        co_units=tuple(assignment.co_units) if assignment else (),
        state=state,
        due=due_date(item, config, today, holidays) if state in (IN_PROGRESS, REDO) else None,
        submitted=item.submitted,
        merged_with=tuple(item.merged_with),
        case_number=item.case_number,
    )


def summary_to_json(summary: Summary) -> list:
    return [
        summary.id, summary.kind, summary.title, summary.proposer, summary.topic, summary.key, summary.lead_units,
        summary.co_units, summary.state, summary.due.isoformat() if summary.due else None, summary.submitted.isoformat(),
        summary.merged_with, summary.case_number,
    ]


def summary_from_json(value: list) -> Summary:
    """The summary `summary_to_json` wrote (the cache that held it has checked its digest)."""
    item_id, kind, title, proposer, topic, key, leads, co_units, state, due, submitted, merged_with, case = value
    return Summary(
        item_id, kind, title, proposer, topic, key, tuple(leads), tuple(co_units), state,
        None if due is None else checked_date(due), checked_date(submitted), tuple(merged_with), case,
    )
