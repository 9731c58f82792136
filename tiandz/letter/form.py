"""The 征询意见表: the page the proposer ticks, signs and sends back, which becomes the 评价 in the file.

It rates the handling (办理工作: contact, attitude) and the outcome (办理结果) on the ledger's three
grades, and lists the contacts the file records, so that the proposer can say whether they happened. It is
a section of its own after the letter: no letterhead, no page number, a grid table a pen can fill in.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tiandz.core.model import RATINGS
from tiandz.letter.model import FeedbackForm
from tiandz.officialdoc.measures import FANGSONG, HEITI, LATIN, SIZE
from tiandz.officialdoc.ooxml import exact
from tiandz.officialdoc.page import new_section
from tiandz.officialdoc.text import (
    add_run,
    blank_lines,
    line_paragraph,
    title_paragraph,
)

LABEL_WIDTH, VALUE_WIDTH = Mm(36), Mm(120)
CELL_LINE = Pt(20)
TICKS = "　".join(f"□{rating}" for rating in RATINGS)


def form_section(document, form: FeedbackForm, *, after=None) -> None:
    """The form on a page of its own; `after` is the letter's last paragraph, which then ends the section."""
    section = new_section(document, after)
    # The new section copies the letter's settings: no letterhead, no numbers here.
    section.different_first_page_header_footer = False
    for part in (section.header, section.even_page_header, section.footer, section.even_page_footer):
        part.is_linked_to_previous = False
        exact(part.paragraphs[0], Pt(1), snap=False)
    section.header_distance = Mm(15)

    title_paragraph(document, form.title)
    blank_lines(document, 1)
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.columns[0].width, table.columns[1].width = LABEL_WIDTH, VALUE_WIDTH
    for label, value in form.rows:
        _row(table, label, [value])
    _row(table, "沟通情况", form.contacts or ["（台账中未登记沟通）"])
    _row(table, "对办理工作\n的评价", [TICKS])
    _row(table, "对办理结果\n的评价", [TICKS])
    # Room to write, less when many contacts are listed: the form stays on one page.
    _row(table, "意见和建议", [""] * max(3, 8 - len(form.contacts) - len(form.title) // 20))
    signature = table.add_row().cells
    merged = signature[0].merge(signature[1])
    merged.width = LABEL_WIDTH + VALUE_WIDTH
    _fill(merged, [f"{form.signature_label}：　　　　　　　　日期：　　　年　　月　　日"], FANGSONG, WD_ALIGN_PARAGRAPH.RIGHT)
    line_paragraph(document, form.note, size=SIZE["四号"], first_line_indent=Pt(28), height=CELL_LINE, before=Pt(8))


def _row(table, label: str, lines: list[str]) -> None:
    cells = table.add_row().cells
    cells[0].width, cells[1].width = LABEL_WIDTH, VALUE_WIDTH
    _fill(cells[0], [label], HEITI, WD_ALIGN_PARAGRAPH.CENTER)
    _fill(cells[1], lines, FANGSONG, WD_ALIGN_PARAGRAPH.LEFT)


def _fill(cell, lines: list[str], east: str, align) -> None:
    """The cell's text, a paragraph a line; a line holding “\n” breaks inside its paragraph."""
    for empty in cell._tc.findall(qn("w:p")):
        cell._tc.remove(empty)
    for line in lines:
        paragraph = line_paragraph(cell, align=align, height=CELL_LINE, snap=False, before=Pt(2), after=Pt(2))
        for index, part in enumerate(line.split("\n")):
            if part or index:
                # □ in the East Asian font, like the words around it: in the Latin font the first box came
                # out smaller than the others.
                add_run(paragraph, part, east, SIZE["四号"], line_break=index > 0, latin=east if "□" in part else LATIN)
