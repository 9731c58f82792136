"""The state of an item, derived from its file and never stored (spec/ledger.md, "State is derived").

Everything here takes an as-of date, so the same file gives the state it had on any past day: a report for
2024-08-10 made again in 2026 counts what was dated by then.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.config import Config
from tiandz.core.deadlines import HolidayCalendar, add_limit
from tiandz.core.model import Promise, Proposal, Reply
from tiandz.core.names import ANSWERED, CLOSED, IN_PROGRESS, REDO, UNASSIGNED


def _on_or_before(day: dt.date | None, as_of: dt.date | None) -> bool:
    return day is not None and (as_of is None or day <= as_of)


def current_replies(item: Proposal, as_of: dt.date | None = None) -> list[Reply]:
    """Answers given since the last 交办, dated by the as-of date."""
    if item.assignment is None:
        return []
    return [
        reply
        for reply in item.replies
        if reply.date >= item.assignment.date and _on_or_before(reply.date, as_of)
    ]


def unanswered_leads(item: Proposal, as_of: dt.date | None = None) -> list[str]:
    if item.assignment is None:
        return []
    answered = {reply.unit for reply in current_replies(item, as_of)}
    return [unit for unit in item.assignment.lead_units if unit not in answered]


def latest_evaluation(item: Proposal, as_of: dt.date | None = None):
    dated = [evaluation for evaluation in item.evaluations if _on_or_before(evaluation.date, as_of)]
    return dated[-1] if dated else None


def evaluation_of(item: Proposal, unit: str, as_of: dt.date | None = None):
    """The latest 评价 of one 主办's answer: one naming the unit (分办: one 征询意见表 per unit), or one naming
    none, which rates the item as a whole."""
    found = None
    for evaluation in item.evaluations:
        if evaluation.unit in (unit, None) and _on_or_before(evaluation.date, as_of):
            found = evaluation
    return found


def asks_for_redo(result: str, config: Config) -> bool:
    return result == "不满意" or (result == "基本满意" and config.rules.basic_needs_redo)


def redo_evaluations(item: Proposal, config: Config, as_of: dt.date | None = None) -> dict:
    """主办 → the 评价 that sends its answer back: dated on or after that answer and rating 结果 不满意 (or
    基本满意 by rule). A 评价 naming no unit follows the latest answer of any unit and reopens every 主办."""
    if not item.evaluations:
        return {}
    replies = current_replies(item, as_of)
    if not replies:
        return {}
    answered: dict[str, dt.date] = {}
    for reply in replies:
        answered[reply.unit] = max(reply.date, answered.get(reply.unit, reply.date))
    last_answer = max(answered.values())
    reopened = {}
    for unit in item.assignment.lead_units:
        evaluation = evaluation_of(item, unit, as_of)
        if evaluation is None or not asks_for_redo(evaluation.result, config):
            continue
        answer = last_answer if evaluation.unit is None else answered.get(unit)
        if answer is not None and evaluation.date >= answer:
            reopened[unit] = evaluation
    return reopened


def needs_redo(item: Proposal, config: Config, as_of: dt.date | None = None) -> bool:
    """Some 主办's answer was rated 不满意 (or 基本满意 by rule) after it was given."""
    return bool(redo_evaluations(item, config, as_of))


def redo_start(item: Proposal, config: Config, as_of: dt.date | None = None) -> dt.date | None:
    """When the current 重新办理 began: the earliest 评价 that sent an answer back (None when none did)."""
    reopened = redo_evaluations(item, config, as_of)
    return min(evaluation.date for evaluation in reopened.values()) if reopened else None


def state_of(item: Proposal, config: Config, as_of: dt.date | None = None) -> str:
    if _on_or_before(item.closed, as_of):
        return CLOSED
    if item.assignment is None or not _on_or_before(item.assignment.date, as_of):
        return UNASSIGNED
    if needs_redo(item, config, as_of):
        return REDO
    if unanswered_leads(item, as_of):
        return IN_PROGRESS
    return ANSWERED


def longest_due(item: Proposal, config: Config, holidays: HolidayCalendar | None = None) -> dt.date:
    """最长时限: the latest any 延期 may reach, counted from the original 交办 date (an assigned item)."""
    return add_limit(item.assignment.date, config.limits.longest, holidays)


def due_date(
    item: Proposal, config: Config, as_of: dt.date | None = None, holidays: HolidayCalendar | None = None
) -> dt.date | None:
    """When the current round of handling is due: 时限, or the last 延期, or the 重新办理 limit."""
    assignment = item.assignment
    if assignment is None or not _on_or_before(assignment.date, as_of):
        return None
    # A 延期 belongs to the round of handling it was granted in: one from before the 交办 (a 改办 tiandz made
    # before 改办 kept the 交办 date moved it), or before the 不满意 that reopened the item, no longer counts.
    # A 改办 keeps the 交办 date, so the 延期 granted before it still holds: the 时限 stays as it stood.
    redo = redo_start(item, config, as_of)
    start = redo or assignment.date
    extensions = [
        extension for extension in item.extensions if extension.date >= start and _on_or_before(extension.date, as_of)
    ]
    if extensions:
        return extensions[-1].until
    if redo:
        return add_limit(start, config.limits.redo, holidays)
    if assignment.due:
        return assignment.due
    return add_limit(assignment.date, config.limits.reply, holidays)


def numbered_promises(item: Proposal, unit: str | None = None) -> list[tuple[int, int, Promise]]:
    """(answer index, promise index, promise) for every promise, optionally of one unit's answers."""
    return [
        (reply_index, promise_index, promise)
        for reply_index, reply in enumerate(item.replies)
        if unit in (None, reply.unit)
        for promise_index, promise in enumerate(reply.promises)
    ]
