"""What a ledger's YAML may not hold, refused before either reader builds anything from it.

A ledger arrives by git from other offices' machines, so a file may be made to hurt the reader: anchors
and aliases nested nine deep ("billion laughs") expand to a billion values in yaml-rs, which copies every
alias; a value nested ten thousand levels (`[[[[…]]]]`) overflows ruamel.yaml's recursion; a plain number
of thousands of digits takes the reader seconds and Python refuses to turn it into text. No item file,
tiandz.yaml or calendar.yaml needs any of them, so each is refused with its line, in Chinese.

Most files are looked at with three C-speed searches only; the few that could hold one of these (an `&`
or `*` that might be an anchor or alias, many brackets or a deep indentation, a long run of digits) are
read once more as a stream of YAML events, which is linear and keeps no tree, and the first offending
event names its line. A file the events cannot read is left to the readers, which say what is wrong.
"""

from __future__ import annotations

import functools
import re

from tiandz.files.faithful import Unswappable, protect

MAX_DEPTH = 50  # an item is at most five levels deep (答复 → 承诺 → 事项)
MAX_DIGITS = 1000  # Python turns at most 4,300 digits into text; an honest number has a few dozen

ANCHORS_REFUSED = "台账文件中不能使用 YAML 锚点和别名（& 和 *）"

# Where an anchor or alias could start a node: the start of the text, after a space or a flow indicator.
_MAYBE_ANCHOR = re.compile(r"(?:\A|[\s\[{,])[&*][^\s\[\]{},]")
_LONG_NUMBER = re.compile(r"\d{%d}" % (MAX_DIGITS + 1))
_PLAIN_INTEGER = re.compile(r"[-+]?[0-9]+")


class Refused(Exception):
    """(line, message, hint): the first thing in the text a ledger file may not hold."""

    def __init__(self, line: int, message: str, hint: str):
        super().__init__(line, message, hint)
        self.line, self.message, self.hint = line, message, hint


def refuse_hostile(text: str) -> None:
    """Raise `Refused` for an anchor or alias, nesting deeper than MAX_DEPTH, or a plain number too long."""
    if not _worth_a_look(text):
        return
    try:
        text = protect(text)
    except Unswappable:
        pass  # the readers say so
    _look(text)


def _worth_a_look(text: str) -> bool:
    if ("&" in text or "*" in text) and _MAYBE_ANCHOR.search(text):  # the search alone costs 10 µs a file
        return True
    if len(text) > MAX_DIGITS and _LONG_NUMBER.search(text):
        return True
    flow = text.count("[") + text.count("{")
    if flow >= MAX_DEPTH:
        return True
    # A block collection nested in another starts to the right of it, or (a sequence under a key) in the same
    # column; so block depth is at most twice the widest run of indentation and indicators at a line's start.
    # Too deep when flow + 2 * (widest + 1) + 1 > MAX_DEPTH: is there a line start at least this wide? (One
    # search, not a list of every line's start: a first check looks at 15,000 files.)
    width = max((MAX_DEPTH - flow - 3) // 2 + 1, 0)
    return (
        _line_start_of(width).match(text) is not None
        or _line_after_break(width, "\n").search(text) is not None
        or "\r" in text and _line_after_break(width, "\r").search(text) is not None
    )


@functools.cache
def _line_start_of(width: int) -> re.Pattern:
    """A run of indentation and indicators, at least `width` long (matched at the text's start)."""
    return re.compile(r"[ \t?:-]{%d}" % width)


@functools.cache
def _line_after_break(width: int, line_break: str) -> re.Pattern:
    """The same run after a line break: five times quicker to search for than with re.MULTILINE's `^`,
    which is tried at every character, where a pattern that begins with one character is searched for it."""
    return re.compile(re.escape(line_break) + r"[ \t?:-]{%d}" % width)


def _look(text: str) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

    yaml = YAML(typ="rt")
    yaml.version = None
    depth = 0
    try:
        for event in yaml.parse(text):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                raise Refused(line, ANCHORS_REFUSED, "把别名处的内容照写出来；& 或 * 是文字的一部分时，给这个值加上引号")
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Refused(line, f"嵌套太深（超过 {MAX_DEPTH} 层）", "条目文件只有几层“键: 值”和列表，多半是括号多了或缩进错了")
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, ScalarEvent) and event.style is None and len(event.value) > MAX_DIGITS:
                if _PLAIN_INTEGER.fullmatch(event.value):
                    digits = len(event.value.lstrip("+-"))
                    raise Refused(line, f"数字太长（{digits:,} 位）", "如果这是编号或文字，给它加上引号")
    except Refused:
        raise
    except Exception:  # not YAML the events can read: the readers say what is wrong with it
        return
