"""The figures of the progress report (spec/report.md, "Figures, as of a date"), counted from standings.

Every count has one base, and the counts add up: the classes sum to the answered items, the ratings to the
evaluated ones. The rates are built from the same counts, so each states its numerator and denominator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tiandz.core.config import Config
from tiandz.core.model import RATINGS
from tiandz.core.names import CLOSED, KINDS
from tiandz.report.rates import Rate
from tiandz.report.standing import Standing, most_overdue_first

SOURCES = ("大会期间", "闭会期间")
UNSTATED = "未注明"

# (JSON key, 中文) in the order of spec/report.md.
RATE_NAMES = (
    ("assigned", "交办率"),
    ("contacted", "沟通率"),
    ("met", "见面率"),
    ("answered", "办复率"),
    ("on_time", "按期办复率"),
    ("evaluated", "评价率"),
    ("satisfied", "满意率（含基本满意）"),
    ("fully_satisfied", "满意率（不含基本满意）"),
    ("public", "公开率"),
    ("converted", "转化率"),
)


@dataclass
class Promises:
    total: int = 0
    done: int = 0
    overdue: int = 0

    def to_json(self) -> dict:
        return {"total": self.total, "done": self.done, "overdue": self.overdue}


@dataclass
class Figures:
    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    key: int = 0
    assigned: int = 0
    contacted: int = 0
    met: int = 0
    answered: int = 0
    answered_on_time: int = 0
    evaluated: int = 0
    satisfaction: dict[str, int] = field(default_factory=dict)
    public: int = 0
    category: dict[str, int] = field(default_factory=dict)
    category_now: dict[str, int] = field(default_factory=dict)
    first_unsolved: int = 0  # answered items first classed unsolved: the base of 转化率
    converted: int = 0
    promises: Promises = field(default_factory=Promises)
    overdue: list[str] = field(default_factory=list)
    closed: int = 0
    revisited: int = 0  # closed items contacted again after 办结 (办后回访); not in 沟通/见面

    @property
    def rates(self) -> dict[str, Rate]:
        satisfied = self.satisfaction.get("满意", 0)
        return {
            "assigned": Rate(self.assigned, self.total),
            "contacted": Rate(self.contacted, self.assigned),
            "met": Rate(self.met, self.assigned),
            "answered": Rate(self.answered, self.assigned),
            "on_time": Rate(self.answered_on_time, self.answered),
            "evaluated": Rate(self.evaluated, self.answered),
            "satisfied": Rate(satisfied + self.satisfaction.get("基本满意", 0), self.evaluated),
            "fully_satisfied": Rate(satisfied, self.evaluated),
            "public": Rate(self.public, self.answered),
            "converted": Rate(self.converted, self.first_unsolved),
        }

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "by_type": self.by_type,
            "by_source": self.by_source,
            "key": self.key,
            "assigned": self.assigned,
            "contacted": self.contacted,
            "met": self.met,
            "answered": self.answered,
            "answered_on_time": self.answered_on_time,
            "evaluated": self.evaluated,
            "satisfaction": self.satisfaction,
            "public": self.public,
            "category": self.category,
            "category_now": self.category_now,
            "converted": self.converted,
            "promises": self.promises.to_json(),
            "overdue": self.overdue,
            "closed": self.closed,
            "revisited": self.revisited,
            "rates": {name: rate.to_json() for name, rate in self.rates.items()},
            # Each class's share of the answered items, as real reports state it (A类54件，占58.06%).
            "category_share": {name: share.share_json() for name, share in self.category_shares().items()},
            "category_now_share": {name: share.share_json() for name, share in self.category_shares(now=True).items()},
            "category_share_base": "answered",
        }

    def category_shares(self, *, now: bool = False) -> dict[str, Rate]:
        """Each class's count over the answered items (the base the sentences and every 占比 column name)."""
        counts = self.category_now if now else self.category
        return {name: Rate(count, self.answered) for name, count in counts.items()}


def count_figures(standings: list[Standing], config: Config, kinds: tuple[str, ...] = KINDS) -> Figures:
    classes = [str(name) for name in config.classes]
    solved = {str(name) for name in config.solved_classes}
    figures = Figures(
        by_type={kind: 0 for kind in kinds},
        by_source={source: 0 for source in SOURCES},
        satisfaction={rating: 0 for rating in RATINGS},
        category={name: 0 for name in classes},
        category_now={name: 0 for name in classes},
    )
    for standing in standings:
        facts = standing.facts
        figures.total += 1
        _add(figures.by_type, facts.kind)
        _add(figures.by_source, facts.source or UNSTATED)
        figures.key += facts.key
        figures.assigned += standing.assigned
        figures.contacted += standing.contacted
        figures.met += standing.met
        figures.closed += standing.state == CLOSED
        figures.revisited += standing.revisited
        if standing.answered:
            figures.answered += 1
            figures.answered_on_time += standing.on_time
            figures.public += standing.public
            _add(figures.category, standing.first_class)
            _add(figures.category_now, standing.class_now)
            if standing.first_class not in solved:
                figures.first_unsolved += 1
                figures.converted += standing.class_now in solved
            if standing.rating is not None:
                figures.evaluated += 1
                _add(figures.satisfaction, standing.rating)
    figures.promises = count_promises(standings)
    figures.overdue = [standing.facts.id for standing in most_overdue_first(standings)]
    return figures


def count_promises(standings: list[Standing]) -> Promises:
    """Over every answer given by the as-of date; done and overdue as they stood on that date."""
    promises = Promises()
    for standing in standings:
        as_of = standing.as_of
        for reply in standing.facts.replies:
            if reply.date > as_of:
                continue
            for promise in reply.promises:
                promises.total += 1
                if promise.done is not None and promise.done <= as_of:
                    promises.done += 1
                elif promise.deadline is not None and promise.deadline < as_of:
                    promises.overdue += 1
    return promises


def _add(counts: dict[str, int], key: str) -> None:
    """A value outside the expected keys (a class tiandz.yaml does not know) gets its own key: the sum holds."""
    counts[key] = counts.get(key, 0) + 1
