"""Errors as values.

Every check, load and refusal speaks in `Problem`s: where (file, line, field), what, and a hint. Loading
collects them all instead of stopping at the first, so a clerk fixes a whole ledger in one pass.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "错误"
WARNING = "警告"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str
    hint: str | None = None
    severity: str = ERROR

    def format(self) -> str:
        place = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [place] if place else []
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts + [self.message])
        if self.hint:
            text += f"（{self.hint}）"
        if self.severity == WARNING:
            text += "［警告］"
        return text

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": "warning" if self.severity == WARNING else "error",
        }


@dataclass
class TiandzError(Exception):
    """A refusal: the command stops, nothing is written, the problems say why."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(problem.format() for problem in self.problems)


def refuse(message: str, *, path: str = "", field: str = "", hint: str | None = None, line: int | None = None):
    """Raise a one-problem refusal."""
    raise TiandzError([Problem(path, line, field, message, hint)])


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.severity == ERROR for problem in problems)


def closest(word: str, choices: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The nearest choice to `word`, for a did-you-mean; None when nothing is close.

    Chinese names are short, so besides difflib's ratio a choice that contains every character of the
    word in order (县教体 in 县教育和体育局) counts as close.
    """
    choices = list(choices)
    best, best_score = None, cutoff
    for choice in choices:
        score = difflib.SequenceMatcher(None, word, choice).ratio()
        if len(word) >= 2 and _is_subsequence(word, choice):
            score = max(score, 0.8)
        if score > best_score:
            best, best_score = choice, score
    if best is None:
        # One character wrong in a two-character word (标提 for 标题) scores only 0.5: close when it is the
        # only choice that near; 合办 is as near to 单办 as to 会办 and 分办, so it gets no guess.
        near = [choice for choice in choices if len(choice) == len(word) and _differences(word, choice) == 1]
        if len(near) == 1:
            return near[0]
    return best


def _differences(word: str, choice: str) -> int:
    return sum(1 for left, right in zip(word, choice) if left != right)


def _is_subsequence(word: str, text: str) -> bool:
    characters = iter(text)
    return all(character in characters for character in word)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    guess = closest(word, choices)
    return f"是否为“{guess}”？" if guess else None
