"""An edit changes what the step changes and no other byte: characters and line endings kept through ruamel.yaml.

ruamel.yaml, which keeps comments and order through an edit, refuses or rewrites characters that the fast
reader (and so `check`) accepts in a value: a tab inside a line, a bell or a soft break pasted from Word, the
line separators U+2028/U+2029 and NEL (which it reads as line breaks and re-quotes), a byte-order mark
inside the text, the noncharacters U+FFFE/U+FFFF. Before ruamel.yaml reads a file each such character is
swapped for a private-use stand-in it leaves alone, and swapped back in what it writes, so the checker and
the writer agree on every file and a field the step did not touch keeps its bytes.

ruamel.yaml also writes every line ending as LF. A file saved with CR LF (Windows), CR (old Mac editors) or
a mix keeps each unchanged line's own ending; a new or changed line takes the ending most of the file uses.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

# What ruamel.yaml mangles or refuses inside a line: C0 controls but tab, LF and CR; DEL and C1 (NEL among
# them); the line and paragraph separators; a byte-order mark; the two noncharacters of the BMP. Tabs are
# swapped only after a line's indentation: a tab that indents is an error on both paths, as it should be.
_SWAPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_STAND_INS = re.compile("[\U000f0000-\U000fffff\U00100000\U00100001]")
_NONCHARACTERS = {"\ufffe": "\U00100000", "\uffff": "\U00100001"}
_BACK = {stand_in: character for character, stand_in in _NONCHARACTERS.items()}
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
# A tab that separates, as YAML allows (`标题:\t关于…`, `- \t甲`, `[甲,\t乙]`): ruamel.yaml reads it only as a
# space, and writes a space back; `restore_lines` puts the tab back in a line the edit did not change.
_SEPARATING_TAB = re.compile(r"(?<=[:,\[{-])\t|(?<=[:,\[{-] )\t")


class Unswappable(ValueError):
    """The text already holds private-use characters of the planes the stand-ins come from."""


def _stand_in(character: str) -> str:
    return _NONCHARACTERS.get(character) or chr(0xF0000 + ord(character))


def protect(text: str) -> str:
    """The text with every character ruamel.yaml cannot keep replaced by its private-use stand-in."""
    if not _SWAPPED.search(text) and "\t" not in text:
        return text
    if _STAND_INS.search(text):
        raise Unswappable("文件中已有补充私用区字符（U+F0000 以上），无法安全修改")
    text = _SWAPPED.sub(lambda match: _stand_in(match.group(0)), text)
    lines = []
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" \t"))
        lines.append(line[:indent] + _SEPARATING_TAB.sub(" ", line[indent:]).replace("\t", _stand_in("\t")))
    return "\n".join(lines)


def _separated(line: str) -> str:
    """The line as ruamel.yaml writes it back when a tab separated `key:` (or `-`, `,`) from what follows."""
    indent = len(line) - len(line.lstrip(" \t"))
    return line[:indent] + _SEPARATING_TAB.sub(" ", line[indent:])


def unprotect(text: str) -> str:
    """The stand-ins of `protect` swapped back for the characters they stood for."""
    if not _STAND_INS.search(text):
        return text
    return _STAND_INS.sub(lambda match: _BACK.get(match.group(0)) or chr(ord(match.group(0)) - 0xF0000), text)


def _lines(text: str) -> list[tuple[str, str]]:
    """(content, ending) for each line; the last one's ending is "" when the text does not end a line."""
    found = [(match.group(1), match.group(2)) for match in _LINE.finditer(text)]
    if found and found[-1] == ("", ""):
        found.pop()
    return found


def restore_lines(original: str, new: str) -> str:
    """`new` (as ruamel.yaml wrote it, with LF) with every line the edit did not change exactly as in
    `original` (its separating tabs, its own line ending); new lines take the ending most of it uses."""
    if "\r" not in original and "\t" not in original:
        return new
    old_lines, new_lines = _lines(original), _lines(new)
    usual = Counter(ending for _, ending in old_lines if ending).most_common(1)[0][0] if old_lines else "\n"
    lines = [[content, usual if ending else ""] for content, ending in new_lines]
    matcher = difflib.SequenceMatcher(
        None, [_separated(content) for content, _ in old_lines], [content for content, _ in new_lines], autojunk=False
    )
    for tag, old_start, old_end, new_start, _ in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(old_end - old_start):
                content, ending = old_lines[old_start + offset]
                line = lines[new_start + offset]
                line[0] = content
                if line[1]:  # the text's last line keeps having no ending
                    line[1] = ending or usual
    return "".join(content + ending for content, ending in lines)
