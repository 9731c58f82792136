"""`tiandz show`: one item, its state and its due date, read from its one file (never a scan)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiandz.core.model import Proposal
from tiandz.core.problems import Problem, TiandzError
from tiandz.core.summary import summarize
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import load_item


@dataclass
class ItemView:
    item: Proposal
    shown: str
    state: str
    due: dt.date | None
    days_left: int | None
    problems: list[Problem]


def show_item(ledger: Ledger, typed_id: str, today: dt.date | None = None) -> ItemView:
    today = today or dt.date.today()
    item_id = ledger.resolve_id(typed_id)
    loaded = load_item(ledger, ledger.item_path(item_id), today)
    if loaded.item is None:
        raise TiandzError(loaded.problems)
    summary = summarize(loaded.item, ledger.config, today, ledger.holidays)
    return ItemView(loaded.item, loaded.shown, summary.state, summary.due, summary.days_left(today), loaded.problems)
