"""The 文号 every reply of the ledger gives: one number is one letter, so no two replies may share it.

A whole-ledger check takes the numbers from the scan (the scan cache keeps each item's, so an unchanged
ledger is not read again); `check FILE…` and `reply --number` find them with one `git grep` over the year
folders, or by reading the files of a ledger outside git.
"""

from __future__ import annotations

from typing import Iterable

from tiandz.core.docnumbers import number_of_line, repeated_numbers
from tiandz.core.problems import Problem
from tiandz.files.reading import ITEM_LIMIT, read_bytes
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger


def numbers_given(ledger: Ledger) -> list[tuple[str, int, str]]:
    """(file, line, 文号) of every `文号:` line in the item files."""
    if not gitops.is_repository(ledger.root):
        return [found for path in ledger.item_files() for found in _numbers_in(ledger, ledger.relative(path))]
    pathspecs = [f"{folder.name}/*.yaml" for folder in ledger.year_folders()]
    if not pathspecs:
        return []
    found = []
    for shown, line, text in gitops.grep_lines(ledger.root, "文号", pathspecs):
        number = number_of_line(text)
        if number:
            found.append((shown, line, number))
    return found


def _numbers_in(ledger: Ledger, shown: str) -> list[tuple[str, int, str]]:
    try:
        text = read_bytes(ledger.root / shown, ITEM_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return []  # check reports the file itself
    found = []
    for line, content in enumerate(text.splitlines(), 1):
        number = number_of_line(content) if "文号" in content else None
        if number:
            found.append((shown, line, number))
    return found


def repeated_number_problems(
    ledger: Ledger, scanned: Iterable[tuple[str, Iterable[str]]] | None = None, only: set[str] | None = None
) -> list[Problem]:
    """A 文号 on two replies, said at each of them with the other places.

    `scanned`: (file, its replies' 文号) of every item of a whole-ledger scan; the lines are then looked up
    in the few files that share a number. Without it the ledger is searched. `only`: the files of interest.
    """
    if scanned is None:
        places = repeated_numbers(numbers_given(ledger))
    else:
        shared = repeated_numbers([(shown, 0, number) for shown, numbers in scanned for number in numbers])
        files = {shown for where in shared.values() for shown, _ in where}
        places = repeated_numbers([found for shown in sorted(files) for found in _numbers_in(ledger, shown)])
    problems = []
    for number, where in places.items():
        for shown, line in where:
            if only is not None and shown not in only:
                continue
            others = "、".join(f"{other}:{other_line}" for other, other_line in where if (other, other_line) != (shown, line))
            problems.append(Problem(shown, line, "文号", f"文号“{number}”重复，{others} 也用了它", "一个文号只对应一份答复，改正其中一处"))
    return problems


def replies_numbered(ledger: Ledger, number: str) -> list[str]:
    """The files whose replies already give this 文号 (in any bracket)."""
    return sorted({shown for shown, _, given in numbers_given(ledger) if given == number})
