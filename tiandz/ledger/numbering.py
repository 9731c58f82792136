"""Reply numbers (文号): the unit's prefix, the year, and the next free number, 教体函〔2024〕15号.

The next number is one past the highest the ledger holds for that prefix and year, in any item file.
Reading 15,000 files for that would make every answer slow, so the highest numbers are kept in
`numbers.json` in the ledger's state folder (inside the git directory, `Ledger.state_folder`, where no
clone can deliver one) together with the git commit they were counted at; the next answer reads only the
files changed since that commit (`git diff --name-only`), plus the files tiandz wrote and did not commit.
The first count, and any count after history was rewritten, is one `git grep` over the ledger. Numbers
only ever go up: a number removed by hand is not given out again. A number an undone reply took (`tiandz
undo`) is kept as taken (`taken` in `numbers.json`, counted again however the rest is recounted): a letter
may already have gone out with it, and two documents with one 文号 are worse than a gap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tiandz.files.reading import ITEM_LIMIT, read_bytes
from tiandz.files.yamlio import write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.handedits import written

INDEX = "numbers.json"
# Clerks type the brackets several ways: 〔2024〕 is the standard (GB/T 9704); [2024] and （2024） occur.
NUMBER = re.compile(r"文号:\s*['\"]?\s*(\S+?)\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d+)\s*号")
MANY_CHANGES = 2000  # past this many changed files one git grep is faster than reading them


def format_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}〔{year}〕{number}号"


def highest(text: str, numbers: dict[str, int] | None = None) -> dict[str, int]:
    """The highest number per "prefix〔year〕" in this text, merged into `numbers`."""
    numbers = {} if numbers is None else numbers
    for prefix, year, number in NUMBER.findall(text):
        key = f"{prefix}〔{year}〕"
        numbers[key] = max(numbers.get(key, 0), int(number))
    return numbers


def numbers_in(text: str) -> list[str]:
    """Every 文号 in this text, written the standard way (教体函〔2024〕15号), in order."""
    return [format_number(prefix, int(year), int(number)) for prefix, year, number in NUMBER.findall(text)]


def withhold(ledger: Ledger, text: str) -> None:
    """The numbers in this text (an item file as an undone step left it) stay taken: never given out again."""
    index = _load(ledger)
    taken = highest(text, dict(index.get("taken", {})))
    numbers = dict(index.get("numbers", {}))
    for key, number in taken.items():
        numbers[key] = max(numbers.get(key, 0), number)
    _save(ledger, index.get("commit"), numbers, taken, quiet=False)


def next_number(ledger: Ledger, prefix: str, year: int) -> str:
    numbers = _counted(ledger)
    return format_number(prefix, year, numbers.get(f"{prefix}〔{year}〕", 0) + 1)


def _counted(ledger: Ledger) -> dict[str, int]:
    if not gitops.is_repository(ledger.root):
        numbers: dict[str, int] = {}
        for path in ledger.item_files():
            highest(_read(path), numbers)
        return numbers
    top, head = gitops.top_and_head(ledger.root)
    index = _load(ledger)
    numbers = dict(index.get("numbers", {}))
    counted_at = index.get("commit")
    changed = gitops.changed_between(ledger.root, counted_at, head) if counted_at and head else None
    if changed is None or len(changed) > MANY_CHANGES:
        numbers = highest(gitops.grep(ledger.root, "文号", ["*.yaml"]))
    else:
        for name in changed:
            highest(_read(top / name), numbers)
    taken = index.get("taken", {})
    for key, number in taken.items():  # no longer in any file (an undone reply's), still never given again
        numbers[key] = max(numbers.get(key, 0), number)
    if head and head != counted_at:
        _save(ledger, head, numbers, taken)
    for name in written(ledger):
        highest(_read(ledger.root / name), numbers)
    return numbers


def _read(path: Path) -> str:
    """An item file's text to look for 文号 in; a link, a device or a file too large (which check reports) has none."""
    try:
        return read_bytes(path, ITEM_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _load(ledger: Ledger) -> dict:
    """The index as saved; one of another shape counts as none (the numbers are counted again)."""
    try:
        index = json.loads((ledger.state_folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(index, dict) or not isinstance(index.get("commit"), str | None):
        return {}
    for key in ("numbers", "taken"):
        numbers = index.get(key, {})
        if not isinstance(numbers, dict) or not all(type(value) is int for value in numbers.values()):
            return {}
    if "numbers" not in index:
        return {}
    return index


def _save(ledger: Ledger, head: str | None, numbers: dict[str, int], taken: dict[str, int], quiet: bool = True) -> None:
    """`quiet`: a count that cannot be saved is only counted again next time; numbers withheld must be saved."""
    index = {"commit": head, "numbers": numbers, "taken": taken}
    try:
        write_atomic(ledger.state_folder / INDEX, json.dumps(index, ensure_ascii=False))
    except OSError:
        if not quiet:
            raise
