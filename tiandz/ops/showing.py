"""`tiandz show`: one item, its state and its due date, read from its one file (never a scan).

The view is plain data (the fields in the file's order, the promises numbered as `promise --done` takes
them), so the terminal only lays it out and a script gets the same facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tiandz.core.model import ITEM_KEYS, Promise, Proposal
from tiandz.core.problems import Problem, TiandzError
from tiandz.core.state import numbered_promises
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
    promises: list[Promise] = field(default_factory=list)  # numbered from 1 across all answers
    fields: list[tuple[str, Any]] = field(default_factory=list)  # (key, JSON value) in the model's order


def show_item(ledger: Ledger, typed_id: str, today: dt.date | None = None) -> ItemView:
    """One item as `tiandz show` prints it: state, due date, days left, numbered promises and every field.

    >>> view = show_item(find_ledger("台账"), "J-15")  # doctest: +SKIP
    >>> view.state, view.due, [promise.matter for promise in view.promises]  # doctest: +SKIP
    """
    today = today or dt.date.today()
    item_id = ledger.resolve_id(typed_id)
    loaded = load_item(ledger, ledger.item_path(item_id), today)
    if loaded.item is None:
        raise TiandzError(loaded.problems)
    item = loaded.item
    summary = summarize(item, ledger.config, today, ledger.holidays)
    data = item.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    return ItemView(
        item, loaded.shown, summary.state, summary.due, summary.days_left(today), loaded.problems,
        promises=[promise for _, _, promise in numbered_promises(item)],
        fields=[(key, data[key]) for key in ITEM_KEYS if key in data],
    )
