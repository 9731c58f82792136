"""The tables of the progress report (spec/report.md, "Tables"): by unit, by topic, the key items, the
overdue list and the promises still open (回头看).

The unit table counts answers per answering unit: an item handled by several 主办 (分办) counts once for
each of them, so its columns do not add up to the item counts, and its heading says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiandz.core.config import Config
from tiandz.core.model import RATINGS
from tiandz.report.figures import UNSTATED
from tiandz.report.rates import Rate
from tiandz.report.standing import Basis, Standing, due_of, most_overdue_first


@dataclass
class UnitRow:
    unit: str
    lead: int = 0
    co: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    met: int = 0
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0

    def to_json(self) -> dict:
        return {
            "unit": self.unit, "lead": self.lead, "co": self.co, "answered": self.answered,
            "on_time": self.on_time, "overdue": self.overdue, "met": self.met,
            "满意": self.satisfied, "基本满意": self.basically, "不满意": self.unsatisfied,
        }


@dataclass
class ItemRow:
    """A row of the key-item or overdue list."""

    id: str
    title: str
    leads: tuple[str, ...]
    state: str
    due: dt.date | None
    days_overdue: int | None

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "lead": list(self.leads), "state": self.state,
            "due": self.due.isoformat() if self.due else None, "days_overdue": self.days_overdue,
        }


@dataclass
class PromiseRow:
    id: str
    unit: str
    matter: str
    deadline: dt.date | None
    overdue: bool

    def to_json(self) -> dict:
        deadline = self.deadline.isoformat() if self.deadline else None
        return {"id": self.id, "unit": self.unit, "matter": self.matter, "deadline": deadline, "overdue": self.overdue}


@dataclass
class Tables:
    units: list[UnitRow]
    topics: dict[str, Rate]  # 领域 → count over all items (the rate is its share)
    key_items: list[ItemRow]
    overdue: list[ItemRow]
    promises: list[PromiseRow]

    @property
    def notify(self) -> list[str]:
        """通报: the units with items overdue, to be named."""
        return [row.unit for row in self.units if row.overdue]

    def to_json(self) -> dict:
        return {
            "units": [row.to_json() for row in self.units],
            "notify": self.notify,
            "topics": {topic: rate.numerator for topic, rate in self.topics.items()},
            "key_items": [row.to_json() for row in self.key_items],
            "overdue_items": [row.to_json() for row in self.overdue],
            "open_promises": [row.to_json() for row in self.promises],
        }


def make_tables(standings: list[Standing], basis: Basis) -> Tables:
    config = basis.config
    return Tables(
        units=unit_rows(standings, config),
        topics=topic_counts(standings, config),
        key_items=[item_row(standing, basis) for standing in standings if standing.facts.key],
        overdue=[item_row(standing, basis) for standing in most_overdue_first(standings)],
        promises=open_promises(standings),
    )


def unit_rows(standings: list[Standing], config: Config) -> list[UnitRow]:
    rows: dict[str, UnitRow] = {unit.name: UnitRow(unit.name) for unit in config.units}

    def row_of(unit: str) -> UnitRow:
        row = rows.get(unit)
        if row is None:  # a unit tiandz.yaml no longer names (check reports it): listed all the same
            row = rows[unit] = UnitRow(unit)
        return row

    for standing in standings:
        if not standing.assigned:
            continue
        for unit in standing.co_units:
            row_of(unit).co += 1
        ratings = standing.unit_ratings  # 分办: each 主办's own rating
        for unit in standing.leads:
            rating = ratings.get(unit) if ratings else standing.rating
            row = row_of(unit)
            row.lead += 1
            if unit in standing.answered_units:
                row.answered += 1
                row.on_time += unit in standing.on_time_units
            row.overdue += unit in standing.late_units
            row.met += unit in standing.met_units
            if rating is not None:
                row.satisfied += rating == RATINGS[0]
                row.basically += rating == RATINGS[1]
                row.unsatisfied += rating == RATINGS[2]
    position = {name: index for index, name in enumerate(rows)}
    listed = [row for row in rows.values() if row.lead or row.co]
    return sorted(listed, key=lambda row: (-row.overdue, -row.lead, position[row.unit]))


def topic_counts(standings: list[Standing], config: Config) -> dict[str, Rate]:
    counts: dict[str, int] = {topic: 0 for topic in config.topics}
    for standing in standings:
        topic = standing.facts.topic or UNSTATED
        counts[topic] = counts.get(topic, 0) + 1
    total = len(standings)
    return {topic: Rate(count, total) for topic, count in counts.items() if count}


def item_row(standing: Standing, basis: Basis) -> ItemRow:
    facts = standing.facts
    return ItemRow(facts.id, facts.title, standing.leads, standing.state, due_of(standing, basis), standing.days_overdue)


def open_promises(standings: list[Standing]) -> list[PromiseRow]:
    """Promises given by the as-of date and not done by then, the earliest deadline first."""
    rows = []
    for standing in standings:
        as_of = standing.as_of
        for reply in standing.facts.replies:
            if reply.date > as_of:
                continue
            for promise in reply.promises:
                if promise.done is not None and promise.done <= as_of:
                    continue
                late = promise.deadline is not None and promise.deadline < as_of
                rows.append(PromiseRow(standing.facts.id, reply.unit, promise.matter, promise.deadline, late))
    return sorted(rows, key=lambda row: (row.deadline or dt.date.max, row.id))
