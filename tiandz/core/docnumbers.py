"""文号 as clerks type them and as GB/T 9704 writes them: the year in 〔〕.

Clerks type `教体函[2025]3号`, `教体函(2025)3号` or `教体函（2025）3号`; the standard bracket is 〔〕, so a 文号
is recorded in that form, and two spellings of one number are one number when replies are compared.
"""

from __future__ import annotations

import re

# The year between any bracket clerks use for it, half- or full-width.
_YEAR = re.compile(r"[\[［(（〔]\s*(\d{4})\s*[\]］)）〕]")


def normalize_number(text: str) -> str:
    """`教体函[2025]3号` → `教体函〔2025〕3号`; the rest of the number as typed, trimmed."""
    return _YEAR.sub(lambda found: f"〔{found.group(1)}〕", text.strip())


def reply_numbers(item) -> tuple[str, ...]:
    """The 文号 of the item's replies, normalised: what the scan cache keeps for the ledger-wide check."""
    return tuple(normalize_number(reply.number) for reply in item.replies if reply.number and reply.number.strip())


def number_of_line(line: str) -> str | None:
    """The 文号 a YAML line `文号: 教体函〔2024〕15号` writes (quotes and a comment off), normalised."""
    key, separator, value = line.strip().lstrip("- ").partition(":")
    if not separator or key.strip().strip("'\"") != "文号":
        return None
    value = value.split(" #", 1)[0].strip().strip("'\"").strip()
    return normalize_number(value) if value and value not in ("null", "~") else None


def repeated_numbers(found: list[tuple[str, int, str]]) -> dict[str, list[tuple[str, int]]]:
    """(file, line, 文号) found anywhere → each 文号 given more than once, with where it is given."""
    places: dict[str, list[tuple[str, int]]] = {}
    for shown, line, number in found:
        places.setdefault(number, []).append((shown, line))
    return {number: where for number, where in places.items() if len(where) > 1}
