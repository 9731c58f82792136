"""What a 答复函 says, as plain data: made by compose.py, laid out by document.py and form.py.

Keeping the composed letter apart from its making and from its layout lets the layout modules depend on
nothing but this, and each be tested alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedbackForm:
    """征询意见表: what the proposer ticks and signs after reading the answer."""

    title: str
    rows: list[tuple[str, str]]
    contacts: list[str]
    signature_label: str
    note: str


@dataclass(frozen=True)
class Letter:
    item_id: str
    unit: str
    category: str
    letterhead: str
    number: str | None
    title: str
    salutation: str
    opening: str
    body: str
    closing: str
    date: dt.date
    notes: list[str]
    carbon_copy: str
    form: FeedbackForm | None = None
