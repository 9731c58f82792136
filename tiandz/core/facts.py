"""The dated facts of an item, without its long texts, small enough to cache for every file.

The progress report and the 台账 spreadsheet need more than a `Summary` (which is the state as of today):
every date, unit, class and rating, so that any as-of date can be answered from the cache alone, without
reading 15,000 files again. The attribute names are those of the pydantic model, so the functions of
tiandz/state.py work on these tuples as they do on a `Proposal`.

A scan keeps them as plain nested tuples (`record_of`), and `expand` names them for the report. The scan
cache stores a record as JSON (`record_to_json`) and reads it back only through `record_from_json`, which
checks every field: the cache is data from disk, never trusted to have the shape it should.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from tiandz.core.model import Proposal


class AssignmentFacts(NamedTuple):
    date: dt.date
    mode: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    due: dt.date | None


class ExtensionFacts(NamedTuple):
    date: dt.date
    until: dt.date


class ContactFacts(NamedTuple):
    date: dt.date
    method: str
    unit: str | None


class PromiseFacts(NamedTuple):
    matter: str
    deadline: dt.date | None
    done: dt.date | None


class ReplyFacts(NamedTuple):
    unit: str
    date: dt.date
    category: str
    number: str | None
    publicity: str
    promises: tuple[PromiseFacts, ...]


class EvaluationFacts(NamedTuple):
    date: dt.date
    result: str
    unit: str | None  # 分办: the 主办 whose answer is rated; None rates the item


class ConversionFacts(NamedTuple):
    date: dt.date
    from_category: str
    to_category: str


class OpinionFacts(NamedTuple):
    unit: str
    date: dt.date


class RequestFacts(NamedTuple):
    """申请 (spec/offices.md): what `tiandz todo` lists as waiting for the office; 理由 is a long text, left out."""

    kind: str
    unit: str
    date: dt.date
    until: dt.date | None
    suggested_units: tuple[str, ...]
    decision: str | None


class ItemFacts(NamedTuple):
    id: str
    kind: str
    case_number: str | None
    title: str
    proposer: str
    cosigners: tuple[str, ...]
    source: str | None
    submitted: dt.date
    topic: str | None
    key: bool
    assignment: AssignmentFacts | None
    reassignment_dates: tuple[dt.date, ...]
    extensions: tuple[ExtensionFacts, ...]
    contacts: tuple[ContactFacts, ...]
    replies: tuple[ReplyFacts, ...]
    evaluations: tuple[EvaluationFacts, ...]
    conversions: tuple[ConversionFacts, ...]
    closed: dt.date | None
    opinions: tuple[OpinionFacts, ...] = ()  # `tiandz todo`: which 协办 still owe their opinion
    requests: tuple[RequestFacts, ...] = ()  # `tiandz todo`: the 申请 the office has still to decide


_shared: dict = {}


def _same(value):
    """One object for equal values: the dates, units and ratings of 15,000 items are few, and the cache
    stores an object used many times once, which halves its size and its loading time."""
    return _shared.setdefault(value, value)


def _names(names) -> tuple[str, ...]:
    return _same(tuple([_same(name) for name in names]))


def record_of(item: Proposal) -> tuple:
    """The facts as plain tuples, in the order of the fields of `ItemFacts` and its parts.

    Not shared (`_same`): a scan of many files turns a record into JSON straight away, and of a few it keeps
    too few for sharing to matter; records read back from the cache are shared (`record_from_json`)."""
    assignment = item.assignment
    if assignment is not None:
        assignment = (
            assignment.date, assignment.mode, tuple(assignment.lead_units), tuple(assignment.co_units), assignment.due
        )
    return (
        item.id,
        item.kind,
        item.case_number,
        item.title,
        item.proposer,
        tuple(item.cosigners),
        item.source,
        item.submitted,
        item.topic,
        item.key,
        assignment,
        tuple([entry.date for entry in item.reassignments]),
        tuple([(entry.date, entry.until) for entry in item.extensions]),
        tuple([(entry.date, entry.method, entry.unit) for entry in item.contacts]),
        tuple([
            (
                reply.unit, reply.date, str(reply.category), reply.number, reply.publicity,
                tuple([(promise.matter, promise.deadline, promise.done) for promise in reply.promises]),
            )
            for reply in item.replies
        ]),
        tuple([(entry.date, entry.result, entry.unit) for entry in item.evaluations]),
        tuple([(entry.date, str(entry.from_category), str(entry.to_category)) for entry in item.conversions]),
        item.closed,
        tuple([(entry.unit, entry.date) for entry in item.opinions]),
        tuple([
            (entry.kind, entry.unit, entry.date, entry.until, tuple(entry.suggested_units), entry.decision)
            for entry in item.requests
        ]),
    )


def expand(record: tuple) -> ItemFacts:
    """The named facts of a cached record (a record's tuples are in field order, so they are only named)."""
    (
        item_id, kind, case_number, title, proposer, cosigners, source, submitted, topic, key, assignment,
        reassignment_dates, extensions, contacts, replies, evaluations, conversions, closed, opinions, requests,
    ) = record
    return _named(ItemFacts, (
        item_id, kind, case_number, title, proposer, cosigners, source, submitted, topic, key,
        _named(AssignmentFacts, assignment) if assignment else None,
        reassignment_dates,
        tuple([_named(ExtensionFacts, entry) for entry in extensions]) if extensions else (),
        tuple([_named(ContactFacts, entry) for entry in contacts]) if contacts else (),
        tuple([_reply(entry) for entry in replies]) if replies else (),
        tuple([_named(EvaluationFacts, entry) for entry in evaluations]) if evaluations else (),
        tuple([_named(ConversionFacts, entry) for entry in conversions]) if conversions else (),
        closed,
        tuple([_named(OpinionFacts, entry) for entry in opinions]) if opinions else (),
        tuple([_named(RequestFacts, entry) for entry in requests]) if requests else (),
    ))


_named = tuple.__new__  # a named tuple from a plain one, without the Python-level __new__ of each class


def _reply(entry: tuple) -> ReplyFacts:
    promises = entry[5]
    if promises:
        entry = entry[:5] + (tuple([_named(PromiseFacts, promise) for promise in promises]),)
    return _named(ReplyFacts, entry)


def record_to_json(record: tuple) -> list:
    """The record as JSON values: dates as ISO text, tuples as lists (json writes tuples as lists itself)."""
    (
        item_id, kind, case_number, title, proposer, cosigners, source, submitted, topic, key, assignment,
        reassignment_dates, extensions, contacts, replies, evaluations, conversions, closed, opinions, requests,
    ) = record
    if assignment is not None:
        date, mode, leads, co_units, due = assignment
        assignment = (date.isoformat(), mode, leads, co_units, _iso(due))
    return [
        item_id, kind, case_number, title, proposer, cosigners, source, submitted.isoformat(), topic, key, assignment,
        [day.isoformat() for day in reassignment_dates],
        [(date.isoformat(), until.isoformat()) for date, until in extensions],
        [(date.isoformat(), method, unit) for date, method, unit in contacts],
        [
            (unit, date.isoformat(), category, number, publicity,
             [(matter, _iso(deadline), _iso(done)) for matter, deadline, done in promises])
            for unit, date, category, number, publicity, promises in replies
        ],
        [(date.isoformat(), result, unit) for date, result, unit in evaluations],
        [(date.isoformat(), before, after) for date, before, after in conversions],
        _iso(closed),
        [(unit, date.isoformat()) for unit, date in opinions],
        [(kind, unit, date.isoformat(), _iso(until), suggested, decision)
         for kind, unit, date, until, suggested, decision in requests],
    ]


def record_from_json(value: list) -> tuple:
    """The record `record_to_json` wrote, from a cache whose digest was checked (a shape it did not write
    raises ValueError or TypeError, and the caller reads the file again)."""
    (
        item_id, kind, case_number, title, proposer, cosigners, source, submitted, topic, key, assignment,
        reassignment_dates, extensions, contacts, replies, evaluations, conversions, closed, opinions, requests,
    ) = value
    day = checked_date
    if assignment is not None:
        date, mode, leads, co_units, due = assignment
        assignment = _same((day(date), _same(mode), _names(leads), _names(co_units), None if due is None else day(due)))
    return (
        item_id, kind, case_number, title, proposer, _names(cosigners), source, day(submitted), topic, key, assignment,
        tuple([day(date) for date in reassignment_dates]),
        tuple([(day(date), day(until)) for date, until in extensions]),
        tuple([(day(date), _same(method), _same(unit)) for date, method, unit in contacts]),
        tuple([_reply_from_json(reply) for reply in replies]),
        tuple([(day(date), _same(result), _same(unit)) for date, result, unit in evaluations]),
        tuple([(day(date), _same(before), _same(after)) for date, before, after in conversions]),
        None if closed is None else day(closed),
        tuple([(_same(unit), day(date)) for unit, date in opinions]),
        tuple([
            (_same(kind), _same(unit), day(date), None if until is None else day(until), _names(suggested), _same(decision))
            for kind, unit, date, until, suggested, decision in requests
        ]),
    )


def _reply_from_json(value: list) -> tuple:
    unit, date, category, number, publicity, promises = value
    return (
        _same(unit), checked_date(date), _same(category), number, _same(publicity),
        tuple([(matter, None if deadline is None else checked_date(deadline), None if done is None else checked_date(done))
               for matter, deadline, done in promises]),
    )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


_dates: dict[str, dt.date] = {}


def checked_date(value) -> dt.date:
    """A date from its ISO text (ValueError or TypeError for anything else); the few dates of a ledger are
    parsed once each."""
    day = _dates.get(value)
    if day is None:
        day = _dates[value] = dt.date.fromisoformat(value)
    return day
