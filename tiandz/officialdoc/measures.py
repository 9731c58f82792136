"""The numbers of GB/T 9704-2012 (spec/gbt9704.md): 字号, typefaces, the line grid, the 版心's width, the red.

Every other module of the folder lays something out in these units, so they live apart from any layout:
a document that needs only a typeface or a size (the letter's own measurements) imports them from here.
"""

from __future__ import annotations

import math

from docx.shared import Mm, Pt

# 字号 in points (spec §1).
SIZE = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
        "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}
FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"
RED = "FF0000"
LINE_PITCH = 579  # twips: 22 lines of 28.95 pt fill the 225 mm 版心
BODY_WIDTH = Mm(156)
CHARACTER = Pt(16)  # one 字 of 3号 text, the unit of every indent


def width_in_characters(text: str) -> float:
    """A half-width digit or letter is half a 字."""
    return sum(0.5 if ord(character) < 0x2E80 else 1 for character in text)
BODY_HEIGHT = Mm(225)
LINE_CHARACTERS = 28  # 字 of 3号 on a line of the 版心 (5.2.3)


def lines_of(text: str, *, indent: float = 2, per_line: float = LINE_CHARACTERS) -> int:
    """How many lines a paragraph takes, `indent` 字 in on its first line: an estimate to ±1 line."""
    return max(1, math.ceil((indent + width_in_characters(text)) / per_line))
