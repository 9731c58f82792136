"""Reply numbers (文号): the unit's prefix, the year, and the next free number, 教体函〔2024〕15号.

The next number is one past the highest the ledger already holds for that prefix and year, in any item
file. Reading 15,000 files for that would make every answer slow, so inside git the search is `git grep`
(C, in parallel, over tracked and untracked files); outside git the files are read.
"""

from __future__ import annotations

import re
from pathlib import Path

from tiandz import gitops
from tiandz.ledger import Ledger

# Clerks type the brackets several ways: 〔2024〕 is the standard (GB/T 9704), [2024] and （2024） occur.
_OPEN, _CLOSE = "〔[［(（", "〕]］)）"


def format_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}〔{year}〕{number}号"


def pattern(prefix: str, year: int) -> re.Pattern:
    return re.compile(rf"{re.escape(prefix)}\s*[{re.escape(_OPEN)}]\s*{year}\s*[{re.escape(_CLOSE)}]\s*(\d+)\s*号")


def next_number(ledger: Ledger, prefix: str, year: int) -> str:
    found = pattern(prefix, year)
    texts = _lines_naming(ledger, prefix) if gitops.is_repository(ledger.root) else _all_texts(ledger)
    numbers = [int(match.group(1)) for text in texts for match in found.finditer(text)]
    return format_number(prefix, year, max(numbers, default=0) + 1)


def _lines_naming(ledger: Ledger, prefix: str) -> list[str]:
    result = gitops.grep(ledger.root, prefix, ["*.yaml"])
    return result.splitlines()


def _all_texts(ledger: Ledger) -> list[str]:
    texts = []
    for path in ledger.item_files():
        try:
            texts.append(Path(path).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return texts
