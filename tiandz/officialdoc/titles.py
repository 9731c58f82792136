"""Breaking a document title into lines the way GB/T 9704 7.3.1 asks (spec/gbt9704.md §4).

A 二号 title holds at most 20 characters a line. A longer one is broken between words, never inside a
number, a 文号, a bracketed name or 第…号, never right after 关于 or inside the closing 的答复, and its lines
are kept about equally long. Without a dictionary tiandz cannot see every word boundary, so it prefers the
places where official titles usually break (before 第, 的, 《, after 会议) and otherwise pays a price for
cutting anywhere else.
"""

from __future__ import annotations

import math
import re

LIMIT = 20
_NO_LINE_START = set("，。、；：？！）》」』”’〕】)]}.,;:?!%")
_NO_LINE_END = set("（《「『“‘〔【([{")
_OPEN, _CLOSE = "（《「『“‘〔【([{", "）》」』”’〕】)]}"
_QUOTING = set("《「『“‘")  # a long name in 书名号 may have to break; a number in brackets never
_LATIN = re.compile(r"[0-9A-Za-z.\-/]")
_KEPT_TOGETHER = re.compile(r"第[^第号]{1,12}号|〔\d{4}〕\d*号?|关于|的(?:答复|复函|函|通知|报告|建议|提案|意见|请示|批复)$")
_GOOD_BEFORE = set("第的《关对")
_GOOD_AFTER = ("会议", "》", "、", "和", "及", "代表建议", "委员提案")  # 建议|政协委员提案: the two kinds of item
_ANYWHERE = 6.0


def break_title(text: str, limit: int = LIMIT) -> list[str]:
    """The title's lines, each at most `limit` characters (a line is longer only when nothing else fits)."""
    text = text.strip()
    if len(text) <= limit:
        return [text]
    costs = _break_costs(text)
    fewest = math.ceil(len(text) / limit)
    # One more line is worth it when it spares cutting a word.
    candidates = [
        (cost + _ANYWHERE * (count - fewest), breaks)
        for count in (fewest, fewest + 1)
        for cost, breaks in [_best_breaks(text, costs, count, limit)]
        if breaks is not None
    ]
    if not candidates:
        return [text[start:start + limit] for start in range(0, len(text), limit)]
    edges = [0, *min(candidates)[1], len(text)]
    return [text[start:end] for start, end in zip(edges, edges[1:])]


def _break_costs(text: str) -> list[float]:
    """The price of a break before each position (index 0 and len are not breaks)."""
    costs = [_ANYWHERE] * (len(text) + 1)
    opened: list[str] = []
    for position, character in enumerate(text):
        if position and opened:
            costs[position] = 2 * _ANYWHERE if all(mark in _QUOTING for mark in opened) else math.inf
        if character in _OPEN:
            opened.append(character)
        elif character in _CLOSE and opened:
            opened.pop()
    for position in range(1, len(text)):
        before, after = text[position - 1], text[position]
        if after in _NO_LINE_START or before in _NO_LINE_END:
            costs[position] = math.inf
        elif _LATIN.match(before) and _LATIN.match(after):
            costs[position] = math.inf
        elif costs[position] == _ANYWHERE and (after in _GOOD_BEFORE or text[:position].endswith(_GOOD_AFTER)):
            costs[position] = 0.0
    for match in _KEPT_TOGETHER.finditer(text):
        for position in range(match.start() + 1, match.end()):
            costs[position] = math.inf
        if match.group().startswith("关于"):
            costs[match.end()] = math.inf  # 关于 stays with what follows
    return costs


def _best_breaks(text: str, costs: list[float], count: int, limit: int) -> tuple[float, list[int] | None]:
    """Cheapest `count - 1` breaks with every line within the limit; lines near equal length cost less."""
    length = len(text)
    average = length / count
    # best[lines][end] = (cost, breaks) for the first `end` characters laid in `lines` lines
    best: list[dict[int, tuple[float, list[int]]]] = [{0: (0.0, [])}]
    for line in range(1, count + 1):
        layer: dict[int, tuple[float, list[int]]] = {}
        for start, (cost, breaks) in best[line - 1].items():
            ends = [length] if line == count else range(start + 1, min(length, start + limit) + 1)
            for end in ends:
                if end - start > limit or (line < count and (end >= length or costs[end] == math.inf)):
                    continue
                total = cost + (costs[end] if line < count else 0.0) + 0.5 * (end - start - average) ** 2
                if end not in layer or total < layer[end][0]:
                    layer[end] = (total, breaks + ([end] if line < count else []))
        best.append(layer)
    found = best[count].get(length)
    return found if found and found[0] < math.inf else (math.inf, None)
