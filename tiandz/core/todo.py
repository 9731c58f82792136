"""What each office has still to do (spec/offices.md, "Each office's own view"), from the items' dated facts.

`tiandz todo` and `tiandz remind` ask the same questions of 15,000 items: which unit owes which item an
answer, an opinion or a first contact, and by when; which 申请 wait for the office; which answers wait for a
评价 and which promises are past their date. They are answered here once, from the cached facts (never a
file), so that the unit's list, the office's list and the 催办通知 always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiandz.core.config import Config
from tiandz.core.deadlines import HolidayCalendar, add_limit
from tiandz.core.facts import ItemFacts
from tiandz.core.names import ANSWERED, CO, DUE_SOON_DAYS, IN_PROGRESS, LEAD, REDO
from tiandz.core.state import current_replies, due_date, evaluation_of, redo_evaluations, state_of, unanswered_leads

CONTACT = "沟通"
ANSWER = "答复"
OPINION = "协办意见"
DEFAULT_WITHIN = DUE_SOON_DAYS


@dataclass(frozen=True)
class Task:
    """One thing a unit owes one item: a contact, an answer or an opinion, due on a day."""

    item_id: str
    title: str
    unit: str
    role: str  # 主办 or 协办
    work: str  # 沟通, 答复 or 协办意见
    due: dt.date
    days_left: int  # negative: so many days overdue
    redo: bool = False  # an answer asked again after a 不满意 (重新办理)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def soon(self, within: int) -> bool:
        return 0 <= self.days_left <= within

    def to_json(self, within: int) -> dict:
        return {
            "编号": self.item_id, "标题": self.title, "单位": self.unit, "承办": self.role, "事项": self.work,
            "重新办理": self.redo, "时限": self.due.isoformat(), "剩余天数": self.days_left, "逾期": self.overdue,
            "临期": self.soon(within),
        }


@dataclass(frozen=True)
class PendingRequest:
    """A 申请 no one has decided yet."""

    item_id: str
    title: str
    kind: str  # 退回 or 延期
    unit: str
    date: dt.date
    until: dt.date | None
    suggested_units: tuple[str, ...]
    days_waiting: int

    def to_json(self) -> dict:
        return {
            "编号": self.item_id, "标题": self.title, "类型": self.kind, "单位": self.unit, "日期": self.date.isoformat(),
            "至": self.until.isoformat() if self.until else None, "建议单位": list(self.suggested_units),
            "已等天数": self.days_waiting,
        }


@dataclass(frozen=True)
class LatePromise:
    """A 承诺 of a unit's latest answer, past its 期限 and not marked 完成."""

    item_id: str
    title: str
    unit: str
    matter: str
    deadline: dt.date
    days_over: int

    def to_json(self) -> dict:
        return {
            "编号": self.item_id, "标题": self.title, "单位": self.unit, "事项": self.matter,
            "期限": self.deadline.isoformat(), "逾期天数": self.days_over,
        }


@dataclass(frozen=True)
class AwaitingRating:
    """An answered item whose answer (or some 主办's answer) has no 评价 since it was given."""

    item_id: str
    title: str
    units: tuple[str, ...]
    answered: dt.date  # the latest of those answers
    days_waiting: int

    def to_json(self) -> dict:
        return {
            "编号": self.item_id, "标题": self.title, "单位": list(self.units), "答复日期": self.answered.isoformat(),
            "已等天数": self.days_waiting,
        }


class Judge:
    """The questions asked of every item, with what they need from the ledger looked up once."""

    def __init__(self, config: Config, today: dt.date, holidays: HolidayCalendar | None = None):
        self.config = config
        self.today = today
        self.holidays = holidays
        self._opinion_due: dict[dt.date, dt.date] = {}  # 15,000 items share a few 交办 dates
        self._states: dict[str, str] = {}  # 编号 → state: the office's list asks each item several questions

    def state(self, facts: ItemFacts) -> str:
        found = self._states.get(facts.id)
        if found is None:
            found = self._states[facts.id] = state_of(facts, self.config, self.today)
        return found

    def tasks(self, facts: ItemFacts, unit: str | None = None) -> list[Task]:
        """Everything the item waits for from its units (or from `unit` alone): a 主办's answer, a 协办's
        opinion, and a first contact by each unit that still has either to give. Only while it is handled
        (办理中 or 重新办理): an answered or closed item owes nothing."""
        assignment = facts.assignment
        if assignment is None or assignment.date > self.today:
            return []
        state = self.state(facts)
        if state not in (IN_PROGRESS, REDO):
            return []
        units = [name for name in (*assignment.lead_units, *assignment.co_units) if unit in (None, name)]
        if not units:
            return []
        due = due_date(facts, self.config, self.today, self.holidays)
        reopened = redo_evaluations(facts, self.config, self.today) if state == REDO else {}
        unanswered = set(unanswered_leads(facts, self.today)) | set(reopened)
        found = []
        for name in units:
            lead = name in assignment.lead_units
            owes: Task | None = None
            if lead and name in unanswered:
                owes = self._task(facts, name, LEAD, ANSWER, due, redo=name in reopened)
            elif not lead and not self._gave_opinion(facts, name):
                owes = self._task(facts, name, CO, OPINION, self._opinion_deadline(assignment.date))
            if owes is None:
                continue
            if not self._contacted(facts, name):
                found.append(self._task(facts, name, owes.role, CONTACT, min(due, owes.due)))
            found.append(owes)
        return found

    def _task(self, facts: ItemFacts, unit: str, role: str, work: str, due: dt.date, redo: bool = False) -> Task:
        return Task(facts.id, facts.title, unit, role, work, due, (due - self.today).days, redo)

    def _opinion_deadline(self, assigned: dt.date) -> dt.date:
        due = self._opinion_due.get(assigned)
        if due is None:
            due = self._opinion_due[assigned] = add_limit(assigned, self.config.limits.opinion, self.holidays)
        return due

    def _gave_opinion(self, facts: ItemFacts, unit: str) -> bool:
        since = facts.assignment.date
        return any(opinion.unit == unit and since <= opinion.date <= self.today for opinion in facts.opinions)

    def _contacted(self, facts: ItemFacts, unit: str) -> bool:
        """A contact by the unit since the 交办; one naming no unit counts for the one 主办 of an item that has
        one (a ledger kept by the office alone wrote none)."""
        assignment = facts.assignment
        alone = assignment.lead_units == (unit,)
        return any(
            (contact.unit == unit or (contact.unit is None and alone)) and assignment.date <= contact.date <= self.today
            for contact in facts.contacts
        )

    def pending_requests(self, facts: ItemFacts, unit: str | None = None) -> list[PendingRequest]:
        return [
            PendingRequest(facts.id, facts.title, request.kind, request.unit, request.date, request.until,
                           tuple(request.suggested_units), (self.today - request.date).days)
            for request in facts.requests
            if request.decision is None and unit in (None, request.unit)
        ]

    def late_promises(self, facts: ItemFacts, unit: str | None = None) -> list[LatePromise]:
        """The promises of each unit's latest answer past their 期限 and not done (an earlier answer's were
        answered again)."""
        latest = {}
        for reply in facts.replies:
            if unit in (None, reply.unit) and reply.date <= self.today:
                latest[reply.unit] = reply
        return [
            LatePromise(facts.id, facts.title, reply.unit, promise.matter, promise.deadline,
                        (self.today - promise.deadline).days)
            for reply in latest.values()
            for promise in reply.promises
            if promise.done is None and promise.deadline is not None and promise.deadline < self.today
        ]

    def awaiting_rating(self, facts: ItemFacts) -> AwaitingRating | None:
        """An answered item some of whose 主办's latest answers have no 评价 dated on or after them."""
        if self.state(facts) != ANSWERED:
            return None
        answered: dict[str, dt.date] = {}
        for reply in current_replies(facts, self.today):
            answered[reply.unit] = max(reply.date, answered.get(reply.unit, reply.date))
        waiting = tuple(
            unit for unit, day in answered.items()
            if (rating := evaluation_of(facts, unit, self.today)) is None or rating.date < day
        )
        if not waiting:
            return None
        last = max(answered[unit] for unit in waiting)
        return AwaitingRating(facts.id, facts.title, waiting, last, (self.today - last).days)


def by_due(tasks: list[Task]) -> list[Task]:
    """Overdue first (the most overdue at the top), then by due date, then by 编号."""
    return sorted(tasks, key=lambda task: (task.due, task.item_id, task.unit))


def owed_by_unit(judge: Judge, every: list[ItemFacts], within: int, unit: str | None = None) -> dict[str, list[Task]]:
    """Unit → the answers and opinions it owes that are overdue or due within `within` days, by due date:
    what the office chases (`todo`'s overdue list, `remind`'s notices). A first contact is the unit's own
    affair and is not chased on its own. Units in tiandz.yaml's order, then any other name an item gives."""
    found: dict[str, list[Task]] = {}
    for facts in every:
        for task in judge.tasks(facts, unit):
            if task.work != CONTACT and (task.overdue or task.soon(within)):
                found.setdefault(task.unit, []).append(task)
    order = {name.name: index for index, name in enumerate(judge.config.units)}
    return {name: by_due(found[name]) for name in sorted(found, key=lambda name: (order.get(name, len(order)), name))}
