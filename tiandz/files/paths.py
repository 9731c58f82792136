"""File names made from data: a unit's name, an item's 编号, a report's type.

Everything in a ledger may come from someone else's machine, so a name from it never becomes a path as it
is: `../../../tmp/x` in tiandz.yaml must not put a letter outside out/. A name is reduced to one that every
system a clerk uses (Windows above all) takes as one plain file name; Chinese stays as it is.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tiandz.core.problems import refuse

FORBIDDEN = set('<>:"/\\|?*')  # Windows refuses these in a name; / and \ would make it a path
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MOST_BYTES = 240  # of the 255 bytes a name may have, room for the temporary name write_atomic makes beside it


def safe_file_name(text: str) -> str:
    """One plain file name from `text`: no separators, no `..`, no control characters, none Windows forbids,
    no trailing dot or space, not a reserved device name (CON, NUL…), not hidden, not empty, not too long.

    >>> safe_file_name("2024-J-016-../../县局.docx")
    '2024-J-016-_县局.docx'
    """
    name = "".join("_" if _unsafe(character) else character for character in str(text))
    name = re.sub(r"\.{2,}", "_", name)  # `..` and every longer run of dots
    name = name.strip().rstrip(". ")  # Windows drops trailing dots and spaces: two names would be one
    name = re.sub(r"_{2,}", "_", name)
    if name.startswith("."):
        name = "_" + name[1:]
    if name.split(".")[0].strip().upper() in RESERVED:  # CON.docx is the console on Windows, too
        name = "_" + name
    return _shortened(name) or "_"


def file_in(folder: Path, name: str) -> Path:
    """`folder / safe_file_name(name)`, and a refusal if the file would all the same be outside the folder
    (a symlink already standing at that name, pointing elsewhere)."""
    path = folder / safe_file_name(name)
    if path.resolve().parent != folder.resolve():
        refuse(f"{path} 指向 {folder} 以外的位置，不写入", hint="该位置是指向别处的链接，可能来自他人的台账；删除它再试")
    return path


def _unsafe(character: str) -> bool:
    return character in FORBIDDEN or unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")


def _shortened(name: str) -> str:
    if len(name.encode("utf-8")) <= MOST_BYTES:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 8 else ""
    stem = name[: len(name) - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > MOST_BYTES:
        stem = stem[:-1]
    return stem.rstrip(". ") + suffix
