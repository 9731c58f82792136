"""`tiandz todo`: what this clone's office has still to do (spec/offices.md, "Each office's own view").

In a unit's clone, the unit's own work: items to contact, to answer and to give an opinion on, each with its
due date and days left, the overdue and the soon due first, and its 申请 waiting for the office. In the
office's clone (or a ledger kept by one office alone): the 申请 to decide, what each unit is late with or
has due soon, the answers waiting for a 评价 and the promises past their date. Everything comes from the
scan's cached facts, so it takes a scan's time, not a read of every file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tiandz.core.problems import ERROR, refuse
from tiandz.core.todo import (
    ANSWER,
    CONTACT,
    DEFAULT_WITHIN,
    OPINION,
    AwaitingRating,
    Judge,
    LatePromise,
    PendingRequest,
    Task,
    by_due,
    owed_by_unit,
)
from tiandz.core.units import unit_hint
from tiandz.ledger.folder import Ledger
from tiandz.ledger.role import ALONE, OFFICE, UNIT, UNKNOWN, read_role
from tiandz.ledger.scan import scan_ledger


@dataclass
class UnitWork:
    """One unit's list, as that unit sees it in its clone."""

    unit: str
    contact: list[Task] = field(default_factory=list)
    answer: list[Task] = field(default_factory=list)
    opinion: list[Task] = field(default_factory=list)
    requests: list[PendingRequest] = field(default_factory=list)  # its own, waiting for the office
    promises: list[LatePromise] = field(default_factory=list)  # of its own latest answers

    @property
    def tasks(self) -> list[Task]:
        return self.contact + self.answer + self.opinion


@dataclass
class OfficeWork:
    """The office's list."""

    requests: list[PendingRequest] = field(default_factory=list)
    overdue: dict[str, list[Task]] = field(default_factory=dict)  # unit → answers and opinions overdue
    soon: dict[str, list[Task]] = field(default_factory=dict)  # unit → those due within `within` days
    awaiting_rating: list[AwaitingRating] = field(default_factory=list)
    promises: list[LatePromise] = field(default_factory=list)


ROLE_WORDS = {OFFICE: "交办机关", ALONE: "交办机关（单机台账）", UNIT: "承办单位", UNKNOWN: "未登记身份"}


@dataclass
class Todo:
    role: str  # the clone's role (ledger/role.py): office, unit, alone, unknown
    today: dt.date
    within: int
    unit_work: UnitWork | None = None  # a unit's list (a unit's clone, or the office's `--unit`)
    office_work: OfficeWork | None = None
    problem_count: int = 0  # files with errors are left out: check lists them

    def to_json(self) -> dict:
        out: dict = {"身份": ROLE_WORDS.get(self.role, self.role), "日期": self.today.isoformat(), "临期天数": self.within}
        if self.unit_work is not None:
            work = self.unit_work
            out["单位"] = work.unit
            out[f"待{CONTACT}"] = [task.to_json(self.within) for task in work.contact]
            out[f"待{ANSWER}"] = [task.to_json(self.within) for task in work.answer]
            out[f"待提{OPINION}"] = [task.to_json(self.within) for task in work.opinion]
            out["待机关处理的申请"] = [request.to_json() for request in work.requests]
            out["逾期未完成的承诺"] = [promise.to_json() for promise in work.promises]
        if self.office_work is not None:
            work = self.office_work
            out["待处理的申请"] = [request.to_json() for request in work.requests]
            out["逾期（按单位）"] = {unit: [task.to_json(self.within) for task in tasks] for unit, tasks in work.overdue.items()}
            out["临期（按单位）"] = {unit: [task.to_json(self.within) for task in tasks] for unit, tasks in work.soon.items()}
            out["待评价的答复"] = [entry.to_json() for entry in work.awaiting_rating]
            out["逾期未完成的承诺"] = [promise.to_json() for promise in work.promises]
        out["问题数"] = self.problem_count
        return out


def todo(ledger: Ledger, unit: str | None = None, within: int = DEFAULT_WITHIN, today: dt.date | None = None) -> Todo:
    """This clone's list: the unit's own in a unit's clone, the office's otherwise, or with `unit` that
    unit's list as it would see it.

    >>> todo(ledger, within=7).office_work.overdue  # doctest: +SKIP
    """
    today = today or dt.date.today()
    if within < 0:
        refuse(f"{within} 不是有效的天数", field="--within", hint="写作 0 或正整数，如 --within 7")
    config = ledger.config
    role = read_role(ledger.root)
    if unit is not None:
        unit = _full_name(config, unit, "--unit")
    elif role.kind == UNIT:
        unit = _full_name(config, role.unit or "", "tiandz.unit")
    scan = scan_ledger(ledger, today)
    every = scan.facts
    judge = Judge(config, today, ledger.holidays)
    result = Todo(role.kind, today, within, problem_count=sum(problem.severity == ERROR for problem in scan.problems))
    if unit is not None:
        result.unit_work = _unit_work(judge, every, unit)
    else:
        result.office_work = _office_work(judge, every, within)
    return result


def _full_name(config, name: str, field_name: str) -> str:
    found = config.unit(name)
    if found is None:
        hint = unit_hint(config, name)
        if field_name == "tiandz.unit":
            hint = "本克隆登记的单位不在 tiandz.yaml 的承办单位中；用 tiandz whoami --unit 单位 改正"
        refuse(f"“{name}”不是承办单位", field=field_name, hint=hint)
    return found.name


def _unit_work(judge: Judge, every, unit: str) -> UnitWork:
    work = UnitWork(unit)
    lists = {CONTACT: work.contact, ANSWER: work.answer, OPINION: work.opinion}
    for facts in every:
        for task in judge.tasks(facts, unit):
            lists[task.work].append(task)
        work.requests += judge.pending_requests(facts, unit)
        work.promises += judge.late_promises(facts, unit)
    work.contact[:], work.answer[:], work.opinion[:] = by_due(work.contact), by_due(work.answer), by_due(work.opinion)
    work.requests.sort(key=lambda request: (request.date, request.item_id))
    work.promises.sort(key=lambda promise: (promise.deadline, promise.item_id))
    return work


def _office_work(judge: Judge, every, within: int) -> OfficeWork:
    work = OfficeWork()
    chased = owed_by_unit(judge, every, within)
    work.overdue = {unit: late for unit, tasks in chased.items() if (late := [task for task in tasks if task.overdue])}
    work.soon = {unit: near for unit, tasks in chased.items() if (near := [task for task in tasks if not task.overdue])}
    for facts in every:
        work.requests += judge.pending_requests(facts)
        work.promises += judge.late_promises(facts)
        waiting = judge.awaiting_rating(facts)
        if waiting is not None:
            work.awaiting_rating.append(waiting)
    work.requests.sort(key=lambda request: (request.date, request.item_id))
    work.promises.sort(key=lambda promise: (promise.deadline, promise.item_id))
    work.awaiting_rating.sort(key=lambda entry: (entry.answered, entry.item_id))
    return work



