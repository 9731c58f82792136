"""Text from a ledger or from git made safe to print: control characters shown, never obeyed.

A title, a unit name, a commit subject or an author may come from another office's machine. Printed as
they are, an escape sequence could recolour, erase or move the cursor, and a line break or carriage return
could forge a line of `tiandz log` or hide a problem; right-to-left and zero-width marks could reorder or
hide characters. Every such character is shown as a visible stand-in instead: the Unicode control pictures
for C0 characters (␛ for ESC, ␍ for a carriage return), and <U+XXXX> for the rest.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls and DEL; line and paragraph separators; zero-width, direction and byte-order marks.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")


def _shown(match: re.Match) -> str:
    character = match.group(0)
    code = ord(character)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str, *, lines: bool = False, tabs: bool = True) -> str:
    """The text with every control or invisible formatting character shown, not obeyed.

    `lines=True` keeps line breaks (a multi-line answer printed as lines); a tab is kept unless tabs=False.

    >>> visible("标题\\x1b[2J")
    '标题␛[2J'
    >>> visible("第一行\\n第二行")
    '第一行␊第二行'
    """
    kept = ("\n" if lines else "") + ("\t" if tabs else "")
    return _INVISIBLE.sub(lambda match: match.group(0) if match.group(0) in kept else _shown(match), text)


def display_width(text: str) -> int:
    """Terminal and spreadsheet cells: wide and full-width characters (Chinese, full-width punctuation) take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)
