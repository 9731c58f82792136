"""Item numbers (编号) and their short forms.

An 编号 goes into paths, commit messages and shell commands, so it is parsed strictly before any path is
built: `../../x`, `2024-J-001;rm` or an absolute path never reaches the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tiandz.core.names import KIND_BY_LETTER, KIND_LETTERS

FULL_PATTERN = re.compile(r"^([0-9]{4})-([JT])-([0-9]{3,4})\Z")  # ASCII digits only: \d matches ２ and ٠
_SHORT_PATTERN = re.compile(r"^(?:([0-9]{4})-)?([JTjt])-?([0-9]{1,4})\Z")


@dataclass(frozen=True, order=True)
class ItemId:
    year: int
    letter: str
    digits: str

    @property
    def number(self) -> int:
        return int(self.digits)

    @property
    def kind(self) -> str:
        return KIND_BY_LETTER[self.letter]

    def __str__(self) -> str:
        return f"{self.year}-{self.letter}-{self.digits}"

    @property
    def file_name(self) -> str:
        return f"{self}.yaml"


def parse_full(text: str) -> ItemId | None:
    """The 编号 exactly as the ledger writes it, or None."""
    match = FULL_PATTERN.match(text)
    if not match:
        return None
    return ItemId(int(match.group(1)), match.group(2), match.group(3))


def format_id(year: int, kind: str, number: int) -> ItemId:
    return ItemId(year, KIND_LETTERS[kind], f"{number:03d}")


def candidates(text: str, default_year: int) -> list[ItemId] | None:
    """The 编号 a typed ID may stand for; None when it is not an ID at all.

    `2024-J-015` stands for itself; `J-15`, `j15` and `2023-J-15` may be written with three digits or four
    (a ledger past 999 items), so both are candidates and the caller keeps the ones that exist.
    """
    text = text.strip()
    full = parse_full(text)
    if full:
        return [full]
    match = _SHORT_PATTERN.match(text)
    if not match:
        return None
    year = int(match.group(1)) if match.group(1) else default_year
    letter = match.group(2).upper()
    number = int(match.group(3))
    if number == 0:
        return None
    forms = {f"{number:03d}", f"{number:04d}"}
    return [ItemId(year, letter, digits) for digits in sorted(forms)]
