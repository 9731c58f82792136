"""Paragraphs of text on the GB/T 9704 page: the title, 正文 with its headings, the signature, the 附注.

Each paragraph sits on the 28.95 pt line grid in 3号仿宋 unless it says otherwise; the headings of 正文 take
the typefaces spec §3 gives their level. The documents say what the text is; this module says how each
kind of paragraph is set.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from tiandz.core.dates import chinese_date
from tiandz.officialdoc.measures import (
    CHARACTER,
    FANGSONG,
    HEITI,
    KAITI,
    LATIN,
    LINE_PITCH,
    SIZE,
    XIAOBIAOSONG,
    width_in_characters,
)
from tiandz.officialdoc.ooxml import (
    _JUSTIFICATION,
    _paragraph_properties,
    _parsed,
    _run_properties_xml,
    _twips,
    xml_text,
)
from tiandz.officialdoc.titles import break_title


def line_paragraph(container, text: str = "", *, east: str = FANGSONG, size: float = 16, align=None,
                   first_line_indent=None, left_indent=None, right_indent=None, bold: bool | None = None,
                   color: str | None = None, height=None, snap: bool = True, before=None, after=None,
                   keep_with_next: bool = False):
    """One paragraph of one run, on the 28.95 pt grid unless another exact height is given.

    Its properties are written as one piece of XML: python-docx's setters search the element's children
    on every call, which made a yearly compilation of letters take seconds longer.
    """
    paragraph = container.add_paragraph()
    paragraph._p.insert(0, _paragraph_properties(
        _twips(height) if height is not None else LINE_PITCH, _twips(before), _twips(after), snap,
        _twips(first_line_indent), _twips(left_indent), _twips(right_indent), _JUSTIFICATION.get(align),
        keep_with_next,
    ))
    if text:
        add_run(paragraph, text, east, size, bold=bold, color=color)
    return paragraph


def add_run(paragraph, text: str, east: str = FANGSONG, size: float = 16, *, bold: bool | None = None,
            color: str | None = None, line_break: bool = False, latin: str = LATIN):
    """A run with its fonts (eastAsia included) and size, appended to the paragraph; returns the w:r.

    `latin=east` draws every character in the East Asian font: a symbol such as □ is not Chinese to Word or
    LibreOffice, which draw it in the Latin font (smaller, another shape) when it opens a run.
    """
    run = copy.deepcopy(_parsed(_run_properties_xml(east, size, bold, color, latin)))
    if line_break:
        run.append(OxmlElement("w:br"))
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = xml_text(text)
    run.append(element)
    paragraph._p.append(run)
    return run

def blank_lines(container, count: int) -> None:
    for _ in range(count):
        line_paragraph(container)


# Heading levels of 正文 (spec §3): 一、 黑体; （一） 楷体; 1. 仿宋 bold (practice); （1） 仿宋. GB/T 9704 names
# only the typefaces; the bold of the third level is local practice, kept for the heading words alone (a
# reader finds the point of each item), and the fourth level stays plain 仿宋 as the standard has it.
_HEADINGS = (
    (re.compile(r"^[一二三四五六七八九十百]+、"), HEITI, None),
    (re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"), KAITI, None),
    (re.compile(r"^\d+(?:[.．](?!\d)|、)"), FANGSONG, True),  # clerks often write 1、 for 1.
    (re.compile(r"^[（(]\d+[）)]"), FANGSONG, None),
)
_RUN_IN_END = re.compile(r"[。：:！？]")
_LINE = 28 - 2  # 字 on the first line of a paragraph indented 2 字
_INSIDE_PUNCTUATION = re.compile(r"[，,；;。！？：:]")


def heading_level(line: str) -> int:
    """1 to 4 for a line that opens with 一、 （一） 1. （1）; 0 for plain text."""
    for level, (pattern, _, _) in enumerate(_HEADINGS, start=1):
        if pattern.match(line):
            return level
    return 0


def heading_words(line: str) -> tuple[str, str]:
    """The heading words of a numbered line and the text after them.

    A heading runs into its paragraph up to its first full stop (“（一）加强巡查。学校周边……”) or stands on
    a line of its own (“1. 设置警示标志”). A numbered paragraph with neither (“1. 我局会同……，……。” over
    several lines) has no heading words: it is 正文 that happens to be numbered.
    """
    stop = _RUN_IN_END.search(line)
    if stop and stop.end() < len(line):
        heading = line[: stop.end()]
        return (heading, line[stop.end():]) if width_in_characters(heading) <= _LINE else ("", line)
    # A line of its own: a heading if it fits the line, or if it reads as one (two lines at most, no
    # comma or stop inside: “一、关于……和……工作的情况”).
    width = width_in_characters(line)
    if width <= _LINE or (width <= _LINE + 28 and not _INSIDE_PUNCTUATION.search(line[:-1])):
        return line, ""
    return "", line


def body_paragraphs(container, text: str) -> list:
    """正文: one paragraph per line, first line indented 2 字; heading words in their level's typeface.

    Blank lines and the full-width spaces clerks type to indent are dropped: the first-line indent does
    that job. Only a heading on a line of its own keeps with the next line: a chain of keep-with-next
    through numbered paragraphs would carry half a page over and leave page 1 a third empty.
    """
    paragraphs = []
    for raw in xml_text(text).splitlines():
        line = raw.strip(" \t\u3000")
        if not line:
            continue
        level = heading_level(line)
        heading, rest = heading_words(line) if level else ("", line)
        paragraph = line_paragraph(container, first_line_indent=CHARACTER * 2, keep_with_next=bool(heading) and not rest)
        if heading:
            _, east, bold = _HEADINGS[level - 1]
            add_run(paragraph, heading, east, 16, bold=bold)
        if rest:
            add_run(paragraph, rest)
        paragraphs.append(paragraph)
    return paragraphs


def title_paragraph(container, text: str):
    """标题: 二号小标宋, centred, broken into lines of at most 20 characters between words (spec §4)."""
    paragraph = line_paragraph(container, align=WD_ALIGN_PARAGRAPH.CENTER)
    for index, line in enumerate(break_title(xml_text(text))):
        add_run(paragraph, line, XIAOBIAOSONG, SIZE["二号"], bold=False, line_break=index > 0)
    return paragraph


def sealed_signature(container, signer: str, day: dt.date) -> list:
    """署名 and 成文日期 for a sealed document (7.3.5.1): the date 4 字 from the right, the name centred on it."""
    date = chinese_date(day)
    offset = (width_in_characters(date) - width_in_characters(signer)) / 2
    name_indent = max(Pt(0), CHARACTER * 4 + int(CHARACTER * offset))
    signature = line_paragraph(container, signer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=name_indent)
    dated = line_paragraph(container, date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=CHARACTER * 4)
    return [signature, dated]

def note_paragraph(container, text: str):
    """附注 (7.3.6): the line after the date, indented 2 字, in full-width parentheses."""
    return line_paragraph(container, f"（{text}）", align=WD_ALIGN_PARAGRAPH.LEFT, first_line_indent=CHARACTER * 2)
