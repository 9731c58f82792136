"""Where one item stood on the as-of date: what the report counts it as, from its dated facts alone.

Only what is dated on or before the as-of date counts, so a report for 2024-08-10 made again in 2026 gives
the same figures. The state and the due date are tiandz/state.py's; this adds what only the report asks:
answered on time, the classes, publicity, and who is behind for the per-unit table.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.config import Config
from tiandz.core.deadlines import HolidayCalendar, add_limit
from tiandz.core.facts import ItemFacts, ReplyFacts
from tiandz.core.model import RATINGS
from tiandz.core.names import IN_PROGRESS, REDO, UNASSIGNED
from tiandz.core.state import current_replies, due_date, evaluation_of, redo_evaluations, state_of

PUBLISHED = ("主动公开", "摘要公开")
RATING_ORDER = {rating: index for index, rating in enumerate(RATINGS)}  # best first


class Basis:
    """What judging an item needs from the ledger besides its facts, looked up once per report."""

    def __init__(self, config: Config, holidays: HolidayCalendar | None):
        self.config = config
        self.holidays = holidays
        self.order = {str(name): index for index, name in enumerate(config.classes)}  # best class first
        self.solved = frozenset(str(name) for name in config.solved_classes)
        self.face_methods = frozenset(name for name in config.contact_methods if config.face_to_face(name))


class Standing:
    """One item as of a date. Unset attributes keep the class defaults (an item not assigned, not answered):
    15,000 of these are made per report, so only what differs from the defaults is set."""

    assigned = contacted = met = answered = on_time = public = False
    rating: str | None = None  # the latest 评价's 结果, for an answered item (分办: the worst, once all are rated)
    unit_ratings: dict[str, str] = {}  # 分办 only: each rated 主办's own latest 结果 (never mutated: replaced)
    revisited = False  # a contact after 办结 (办后回访), by the as-of date
    first_class: str | None = None  # of the first answers (分办: the best among the units)
    class_now: str | None = None  # after 转化
    due: dt.date | None = None
    days_overdue: int | None = None  # only when overdue
    leads: tuple[str, ...] = ()
    co_units: tuple[str, ...] = ()
    answered_units: tuple[str, ...] = ()
    on_time_units: tuple[str, ...] = ()
    met_units: tuple[str, ...] = ()
    late_units: tuple[str, ...] = ()  # the 主办 an overdue item waits for

    def __init__(self, facts: ItemFacts, as_of: dt.date, state: str):
        self.facts = facts
        self.as_of = as_of
        self.state = state

    @property
    def evaluated(self) -> bool:
        return self.rating is not None


def stand(facts: ItemFacts, basis: Basis, as_of: dt.date) -> Standing | None:
    """The item as of `as_of`; None when it was not yet submitted.

    Written for speed (a report judges every item of the ledger): most items have one 主办, and nothing is
    computed twice; the due date of an item no longer in handling is left to `due_of`.
    """
    if facts.submitted > as_of:
        return None
    config = basis.config
    state = state_of(facts, config, as_of)
    standing = Standing(facts, as_of, state)
    assignment = facts.assignment
    if state == UNASSIGNED or assignment is None or assignment.date > as_of:
        return standing
    standing.assigned = True
    leads = standing.leads = assignment.lead_units
    standing.co_units = assignment.co_units
    if facts.contacts:
        # 沟通 and 见面 are of the handling: a contact after 办结 is a 办后回访, counted apart.
        until = as_of if facts.closed is None or facts.closed > as_of else facts.closed
        faces = [contact.unit for contact in facts.contacts if contact.date <= until and contact.method in basis.face_methods]
        if faces:
            standing.contacted = standing.met = True
            # A contact that names no unit is the item's, so it counts for each 主办.
            standing.met_units = leads if None in faces else _among(leads, faces)
        elif any([contact.date <= until for contact in facts.contacts]):
            standing.contacted = True
        if until < as_of:
            standing.revisited = any([until < contact.date <= as_of for contact in facts.contacts])

    first: dict[str, ReplyFacts] = {}
    latest: dict[str, ReplyFacts] = {}
    for reply in current_replies(facts, as_of):
        if reply.unit not in first:
            first[reply.unit] = reply
        latest[reply.unit] = reply
    answered_units = standing.answered_units = _among(leads, first)
    answered = standing.answered = len(answered_units) == len(leads)
    if answered_units:
        firsts = [first[unit].date for unit in answered_units]
        round_due = first_round_due(facts, basis, as_of, firsts, answered)
        on_time = [unit for unit, day in zip(answered_units, firsts) if day <= round_due]
        standing.on_time_units = answered_units if len(on_time) == len(answered_units) else tuple(on_time)

    if state in (IN_PROGRESS, REDO):
        due = standing.due = due_date(facts, config, as_of, basis.holidays)
        if due is not None and as_of > due:
            standing.days_overdue = (as_of - due).days
            # 重新办理 waits for the 主办 whose answer was sent back (分办: not the others) and any not yet answered.
            behind = redo_evaluations(facts, config, as_of) if state == REDO else {}
            standing.late_units = tuple([unit for unit in leads if unit in behind or unit not in first])

    if answered:
        standing.on_time = standing.on_time_units is answered_units
        if facts.evaluations:
            rate(standing, facts, leads, as_of)
        if len(leads) == 1:
            standing.first_class = first[leads[0]].category
            last = latest[leads[0]]
            standing.public = last.publicity in PUBLISHED
            standing.class_now = last.category
        else:
            standing.first_class = best_class([first[unit].category for unit in leads], basis.order)
            standing.public = all([latest[unit].publicity in PUBLISHED for unit in leads])
            standing.class_now = best_class([latest[unit].category for unit in leads], basis.order)
        if facts.conversions:
            # Only a move from unsolved to solved is a 转化; any other (a file from before tiandz refused them)
            # is not counted.
            solved = basis.solved
            conversions = [
                conversion
                for conversion in facts.conversions
                if conversion.date <= as_of and conversion.from_category not in solved and conversion.to_category in solved
            ]
            if conversions:
                standing.class_now = conversions[-1].to_category
    return standing


def rate(standing: Standing, facts: ItemFacts, leads: tuple[str, ...], as_of: dt.date) -> None:
    """The ratings of the item's answers. 分办: each 主办's answer is rated on its own 征询意见表; the unit
    table counts each unit's rating, and the item counts as evaluated once every 主办's answer is, with the
    worst of their ratings (满意 only when every 主办's answer is rated 满意)."""
    if len(leads) == 1:
        evaluation = evaluation_of(facts, leads[0], as_of)
        if evaluation is not None:
            standing.rating = evaluation.result
        return
    ratings = {}
    for unit in leads:
        evaluation = evaluation_of(facts, unit, as_of)
        if evaluation is not None:
            ratings[unit] = evaluation.result
    standing.unit_ratings = ratings
    if len(ratings) == len(leads):
        standing.rating = max(ratings.values(), key=lambda rating: RATING_ORDER.get(rating, len(RATING_ORDER)))


def _among(leads: tuple[str, ...], found) -> tuple[str, ...]:
    """The 主办 that are in `found`, in their order; the leads themselves when all are."""
    if len(leads) == 1:
        return leads if leads[0] in found else ()
    chosen = tuple([unit for unit in leads if unit in found])
    return leads if len(chosen) == len(leads) else chosen


def due_of(standing: Standing, basis: Basis) -> dt.date | None:
    """The due date as of the standing's date, for an item in any state (tables show it for every key item)."""
    if standing.due is None and standing.assigned:
        standing.due = due_date(standing.facts, basis.config, standing.as_of, basis.holidays)
    return standing.due


def first_round_due(facts: ItemFacts, basis: Basis, as_of: dt.date, first_answers: list[dt.date], answered: bool) -> dt.date:
    """The due date the first answers were given against: 时限, or a 延期 granted before the last of them.

    A 延期 after every 主办 had answered belongs to a 重新办理 and does not make a late first answer timely.
    """
    assignment = facts.assignment
    end = max(first_answers) if answered else as_of
    extensions = [extension for extension in facts.extensions if assignment.date <= extension.date <= end]
    if extensions:
        return extensions[-1].until
    return assignment.due or add_limit(assignment.date, basis.config.limits.reply, basis.holidays)


def best_class(classes: list[str], order: dict[str, int]) -> str | None:
    """分办: the item is classed by its best answer (A before B); classes unknown to tiandz.yaml rank last."""
    if len(classes) < 2:
        return classes[0] if classes else None
    return min(classes, key=lambda name: order.get(name, len(order)))


def most_overdue_first(standings: list[Standing]) -> list[Standing]:
    late = [standing for standing in standings if standing.days_overdue is not None]
    return sorted(late, key=lambda standing: (-standing.days_overdue, standing.facts.id))
