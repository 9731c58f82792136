"""The year's 答复函 in one Word document (答复汇编): a cover, a contents page, each letter from a new page.

Each letter is laid out by document.py's `add_letter` into a section of its own, so the volume shows the
letters exactly as they are sent (letterhead, signature, 附注, 抄送), without their 征询意见表. The
contents lists every letter with the page it starts on: a PAGEREF field to a bookmark at the letter,
which LibreOffice lays out live and Word refreshes when the file is opened (w:updateFields asks it to),
so no page number has to be guessed here. Pages are numbered on from the first letter; the cover and the
contents are not numbered.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt

from tiandz.core.dates import chinese_date
from tiandz.letter.document import add_letter
from tiandz.letter.model import Letter
from tiandz.officialdoc.measures import BODY_WIDTH, CHARACTER, FANGSONG, HEITI, SIZE
from tiandz.officialdoc.page import new_document
from tiandz.officialdoc.text import add_run, blank_lines, line_paragraph, title_paragraph

CONTENTS_SIZE = SIZE["四号"]
CONTENTS_LINE = Pt(24)


@dataclass(frozen=True)
class Entry:
    """One letter of the volume and the line the contents gives it."""

    letter: Letter
    heading: str  # 建议第15号　关于……的建议（县教育和体育局）


@dataclass(frozen=True)
class Cover:
    organization: str
    title: str  # 2024年度代表建议和政协提案答复汇编
    note: str  # （公开稿） or ""
    day: dt.date


def volume_bytes(cover: Cover, entries: list[Entry], progress=None) -> bytes:
    document = volume_document(cover, entries, progress)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def volume_document(cover: Cover, entries: list[Entry], progress=None):
    document = new_document()
    _count_part_names(document.part.package)
    _cover(document, cover, len(entries))
    _contents(document, entries)
    body = document.element.body
    # The finished pages wait outside the body: python-docx finds the place of every new paragraph by
    # searching the body from its start, which made a thousand letters take minutes.
    done = OxmlElement("w:body")
    for number, entry in enumerate(entries, start=1):
        section = _new_section(document)
        if number == 1:
            _number_from_one(section)
        for element in list(body)[:-1]:  # all but the sectPr of the section being written
            done.append(element)
        # Every letter has its own letterhead; the numbered footers of the first serve all that follow.
        add_letter(document, section, entry.letter, numbered=number == 1)
        _bookmark(body[0], number)
        if progress:
            progress(number, len(entries))
    for element in reversed(list(done)):
        body.insert(0, element)
    # Word lays the PAGEREF numbers out when it opens the file; LibreOffice does it anyway.
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
    return document


def _count_part_names(package) -> None:
    """python-docx names each new header part by walking every part of the package (a walk that itself
    grows with the square of the parts): a thousand letterheads took minutes. Count instead."""
    used = {str(part.partname) for part in package.iter_parts()}
    counters: dict[str, int] = {}

    def next_partname(template: str) -> PackURI:
        number = counters.get(template, 1)
        while template % number in used:
            number += 1
        counters[template] = number + 1
        used.add(template % number)
        return PackURI(template % number)

    package.next_partname = next_partname


def _cover(document, cover: Cover, count: int) -> None:
    blank_lines(document, 4)
    if cover.organization:
        line_paragraph(document, cover.organization, east=HEITI, size=SIZE["二号"], align=WD_ALIGN_PARAGRAPH.CENTER,
                       height=Pt(40), snap=False)
    blank_lines(document, 1)
    title = title_paragraph(document, cover.title)
    for run in title.runs:
        run.font.size = Pt(SIZE["一号"])
    title.paragraph_format.line_spacing = Pt(40)
    if cover.note:
        line_paragraph(document, cover.note, size=SIZE["三号"], align=WD_ALIGN_PARAGRAPH.CENTER)
    blank_lines(document, 6)
    line_paragraph(document, f"共{count}件答复", align=WD_ALIGN_PARAGRAPH.CENTER)
    line_paragraph(document, chinese_date(cover.day), align=WD_ALIGN_PARAGRAPH.CENTER)


def _contents(document, entries: list[Entry]) -> None:
    """目录 on a page of its own: each letter's line, dots, and the page its bookmark falls on."""
    paragraph = line_paragraph(document)
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    title_paragraph(document, "目　录")
    blank_lines(document, 1)
    for number, entry in enumerate(entries, start=1):
        line = line_paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT, height=CONTENTS_LINE, snap=False,
                              left_indent=CHARACTER, first_line_indent=-CHARACTER, right_indent=CHARACTER * 2)
        line.paragraph_format.tab_stops.add_tab_stop(BODY_WIDTH, alignment=2, leader=1)  # right, dots
        add_run(line, entry.heading + "\t", FANGSONG, CONTENTS_SIZE)
        _page_reference(line, number)


def _new_section(document) -> Section:
    """A section break on the last paragraph, not on an empty one after it.

    python-docx's add_section puts the break into a new empty paragraph, a whole line that can push a
    letter's last line or its 抄送 onto a page of its own. The letter before keeps its headers in the break; the new
    last section starts without any and add_letter gives it its own.
    """
    body = document.element.body
    sentinel = body.sectPr
    last = sentinel.getprevious()
    if last is None or last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/{qn('w:framePr')}") is not None:
        # A frame (the 抄送 pinned to the foot) cannot carry the break: LibreOffice would anchor it in the next
        # section. The break goes into a paragraph 1 pt high after it, which takes no line.
        last = line_paragraph(document, height=Pt(1), snap=False)._p
    last.set_sectPr(sentinel.clone())
    for reference in sentinel.xpath("w:headerReference|w:footerReference|w:pgNumType"):
        sentinel.remove(reference)
    return Section(sentinel, document.part)


def _number_from_one(section) -> None:
    """The first letter is page 1: the cover and contents before it count for nothing."""
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    properties = section._sectPr
    later = [child for child in properties if child.tag in {qn(tag) for tag in _AFTER_PAGE_NUMBERING}]
    if later:
        later[0].addprevious(numbering)
    else:
        properties.append(numbering)


_AFTER_PAGE_NUMBERING = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                         "w:rtlGutter", "w:docGrid", "w:printerSettings")


def _bookmark(paragraph, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _name(number))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    properties = paragraph.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph.insert(0, start)
    start.addnext(end)


def _name(number: int) -> str:
    return f"_tiandz_letter_{number}"


def _page_reference(paragraph, number: int) -> None:
    """PAGEREF to the letter's bookmark, as a complex field with its own fonts."""
    instruction = f" PAGEREF {_name(number)} \\h "
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, ""), ("end", None)):
        run = add_run(paragraph, "", FANGSONG, CONTENTS_SIZE)
        run.remove(run.find(qn("w:t")))
        if kind:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), kind)
            run.append(character)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run.append(instr)
        else:
            cached = OxmlElement("w:t")
            cached.text = "1"
            run.append(cached)
