"""The 文号 every reply of the ledger gives: one number is one letter, so no two replies may share it.

Found with one `git grep` over the year folders (fast on 15,000 files, and the scan cache knows nothing of
it), or by reading the files of a ledger outside git.
"""

from __future__ import annotations

from tiandz.core.docnumbers import number_of_line, repeated_numbers
from tiandz.core.problems import Problem
from tiandz.files.reading import ITEM_LIMIT, read_bytes
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger


def numbers_given(ledger: Ledger) -> list[tuple[str, int, str]]:
    """(file, line, 文号) of every `文号:` line in the item files."""
    found: list[tuple[str, int, str]] = []
    if gitops.is_repository(ledger.root):
        pathspecs = [f"{folder.name}/*.yaml" for folder in ledger.year_folders()]
        if not pathspecs:
            return found
        for row in gitops.grep_lines(ledger.root, "文号", pathspecs):
            shown, line, text = row
            number = number_of_line(text)
            if number:
                found.append((shown, line, number))
        return found
    for path in ledger.item_files():
        try:
            text = read_bytes(path, ITEM_LIMIT).decode("utf-8", errors="replace")
        except OSError:
            continue  # check reports the file itself
        for line, content in enumerate(text.splitlines(), 1):
            number = number_of_line(content) if "文号" in content else None
            if number:
                found.append((ledger.relative(path), line, number))
    return found


def repeated_number_problems(ledger: Ledger, only: set[str] | None = None) -> list[Problem]:
    """A 文号 on two replies, said at each of them with the other places; `only`: files of interest."""
    problems = []
    for number, places in repeated_numbers(numbers_given(ledger)).items():
        for shown, line in places:
            if only is not None and shown not in only:
                continue
            others = "、".join(f"{other}:{other_line}" for other, other_line in places if (other, other_line) != (shown, line))
            problems.append(Problem(shown, line, "文号", f"文号“{number}”重复，{others} 也用了它", "一个文号只对应一份答复，改正其中一处"))
    return problems


def replies_numbered(ledger: Ledger, number: str) -> list[str]:
    """The files whose replies already give this 文号 (in any bracket)."""
    return sorted({shown for shown, _, given in numbers_given(ledger) if given == number})
