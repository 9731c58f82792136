"""The 答复函 as a .docx in GB/T 9704's 信函格式 (spec/gbt9704.md §5 and the 答复函 profile).

Page 1 carries the letterhead in its own header: the class mark top right, the unit's name in red, the
red double line (thick over thin) and the 文号 under it; its footer carries the second red double line
(thin over thick). Pages from 2 on are numbered, page 1 is not. Then, in the body: the title two lines
down, the salutation, the opening, the answer with its headings, the thanks, the unit and date placed for
the seal, the 附注, and the 抄送 pinned to the foot of the last page. The 征询意见表 follows as a section
of its own, without letterhead or page number, so it can be printed and posted back on its own.

Where the letter ends on its pages is decided here too, from an estimate of its lines (no renderer is at
hand): a letter whose seal, 附注 and 抄送 would go over by a few lines is set on closer lines (GB/T 9704
7.3.5.5), and where that does not help, the last lines of 正文 go over with them. LibreOffice renders a set
of letters in tests/test_letter_pages.py to hold the estimate to what a reader sees.
"""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, Twips

from tiandz.letter.form import form_section
from tiandz.letter.model import Letter
from tiandz.officialdoc.measures import (
    HEITI,
    LINE_PITCH,
    RED,
    SIZE,
    XIAOBIAOSONG,
    lines_of,
    width_in_characters,
)
from tiandz.officialdoc.ooxml import border, exact, set_font, xml_text
from tiandz.officialdoc.page import (
    at_foot_of_page,
    keep_together,
    new_document,
    page_numbers,
    saving_pitch,
    set_line_pitch,
    spills,
)
from tiandz.officialdoc.text import (
    blank_lines,
    body_paragraphs,
    line_paragraph,
    note_paragraph,
    sealed_signature,
    title_paragraph,
)
from tiandz.officialdoc.titles import break_title

MARK_TOP = Mm(30)  # the red unit name's top edge, from the page's top edge
CLASS_MARK_HEIGHT = Pt(20)
OVERHANG = Twips(397)  # the double lines are 170 mm long: 7 mm past each side of the 156 mm 版心
THICK, THIN = 12, 6  # eighths of a point: 1.5 pt and 0.75 pt (practice)
SECOND_LINE_FROM_BOTTOM = Mm(20)
# Page 1's room for text: from under the letterhead (about 63 mm from the top, as LibreOffice lays the
# header out) to the foot of the 版心, 19 lines of 28.95 pt. Pages from 2 on have the whole 版心.
FIRST_PAGE_ROOM = Pt(564)
CARBON_COPY_CHARACTERS = 29  # 四号 characters on a line of the 抄送, 1 字 in from either side


def letter_bytes(letter: Letter) -> bytes:
    document = letter_document(letter)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_document(letter: Letter):
    document = new_document()
    add_letter(document, document.sections[0], letter)
    return document


def letter_top(document, section, letter: Letter, *, numbered: bool = True) -> None:
    """A letter from its letterhead (its frame: page, 版头, footers) to its opening: title, salutation, opening."""
    letter_frame(document, section, letter, numbered=numbered)
    blank_lines(document, 2)
    title_paragraph(document, letter.title)
    blank_lines(document, 1)
    line_paragraph(document, letter.salutation, align=WD_ALIGN_PARAGRAPH.LEFT)
    body_paragraphs(document, letter.opening)


def letter_seal(document, letter: Letter) -> list:
    """The closing, the room for the seal and the signature; its paragraphs. The seal must stand over text
    (7.3.5.1): the last paragraph of the letter, the room for the seal, the unit and the date go to the next
    page together."""
    closing = body_paragraphs(document, letter.closing) or document.paragraphs[-1:]
    blank_lines(document, 2)  # room for the seal over the signature (practice)
    signature = sealed_signature(document, letter.letterhead, letter.date)
    keep_together(document, closing[-1], signature[-1])
    return signature


def add_letter(document, section, letter: Letter, *, numbered: bool = True) -> None:
    """The letter in `section` of `document`, from its letterhead on: one file, or one letter of a volume.

    `numbered=False` leaves the page-number footers linked to the section before (a volume's later letters).
    """
    letter_top(document, section, letter, numbered=numbered)
    body_paragraphs(document, letter.body)
    signature = letter_seal(document, letter)  # the 附注 may follow on its own
    notes = [note_paragraph(document, note) for note in letter.notes]
    last = notes[-1] if notes else signature[-1]
    if letter.carbon_copy:
        # Anchored to the letter's last paragraph, the 抄送 stands at the foot of the page that paragraph
        # is on: a page never holds the 抄送 alone (7.4.2 and 10.1: the foot of the last page of text).
        last._p.addprevious(_carbon_copy(document, letter.carbon_copy)._p)
    if letter.form is not None:
        form_section(document, letter.form, after=last)
    # GB/T 9704 7.3.5.5: where the end does not fit, closer lines first; where they do not help and the 附注
    # (with the 抄送 under it) would stand on a page of their own, the last lines of 正文 and the seal go
    # over with them.
    lines, tail, loose = _estimated_lines(letter)
    pitch = saving_pitch(lines, tail, FIRST_PAGE_ROOM)
    if pitch is not None:
        set_line_pitch(document, last, pitch)
    if notes and spills(lines, loose, FIRST_PAGE_ROOM, pitch or LINE_PITCH):
        keep_together(document, signature[-1], notes[-1])


def letter_frame(document, section, letter: Letter, *, numbered: bool = True) -> None:
    """What is around a 信函's text: page 1's letterhead and second double line, the page numbers from page 2 on
    (the 答复函 here, the office's 催办通知 in remind.py)."""
    section.different_first_page_header_footer = True
    _letterhead(section, letter)
    _second_double_line(section)
    if numbered:
        page_numbers(document, section, lift=Mm(25.5) - SECOND_LINE_FROM_BOTTOM)
    section.footer_distance = SECOND_LINE_FROM_BOTTOM


def _estimated_lines(letter: Letter) -> tuple[int, int, int]:
    """The letter's lines on the grid, how many come after the last paragraph of 正文, and how many after the date."""
    head = 2 + len(break_title(xml_text(letter.title))) + 1 + lines_of(letter.salutation, indent=0)
    text = sum(
        lines_of(stripped)
        for block in (letter.opening, letter.body, letter.closing)
        for line in xml_text(block).splitlines()
        if (stripped := line.strip(" \t\u3000"))
    )
    loose = sum(lines_of(f"（{note}）") for note in letter.notes)
    if letter.carbon_copy:
        loose += lines_of(letter.carbon_copy, indent=1, per_line=CARBON_COPY_CHARACTERS)
    tail = 2 + 2 + loose
    return head + text + tail, tail, loose


def _letterhead(section, letter: Letter) -> None:
    section.header_distance = MARK_TOP - CLASS_MARK_HEIGHT
    header = section.first_page_header
    header.is_linked_to_previous = False
    mark = header.paragraphs[0]
    exact(mark, CLASS_MARK_HEIGHT, snap=False)
    mark.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(mark.add_run(xml_text(letter.category)), HEITI, 16)

    name = header.add_paragraph()
    size = _letterhead_size(letter.letterhead)
    exact(name, Pt(size), snap=False)
    name.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(name.add_run(xml_text(letter.letterhead)), XIAOBIAOSONG, size, bold=False, color=RED)

    double = header.add_paragraph()
    _double_line(double, upper=THICK, lower=THIN, before=Mm(4))

    number = header.add_paragraph()
    exact(number, Pt(16), snap=False, before=Pt(14))
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if letter.number:
        set_font(number.add_run(xml_text(letter.number)), size=16)


def _letterhead_size(name: str) -> float:
    """小初 (36 pt) at most, smaller when the name would not fit one 156 mm line."""
    width = max(width_in_characters(name), 1)
    return min(SIZE["小初"], int(Mm(154).pt / width))


def _double_line(paragraph, *, upper: int, lower: int, before=Pt(0)) -> None:
    """Two red lines of different weights: an empty paragraph with a top and a bottom border 1 pt apart."""
    exact(paragraph, Pt(1), snap=False, before=before)
    paragraph.paragraph_format.left_indent = -OVERHANG
    paragraph.paragraph_format.right_indent = -OVERHANG
    border(paragraph, "top", upper)
    border(paragraph, "bottom", lower)


def _second_double_line(section) -> None:
    footer = section.first_page_footer  # made after the first-page header: LibreOffice wants that order
    footer.is_linked_to_previous = False
    _double_line(footer.paragraphs[0], upper=THIN, lower=THICK)


def _carbon_copy(document, text: str):
    """抄送 in 四号, 1 字 in from either side, wrapped lines after “抄送：”, at the foot of the last page."""
    character = Pt(SIZE["四号"])
    paragraph = line_paragraph(document, text, size=SIZE["四号"], align=WD_ALIGN_PARAGRAPH.LEFT, snap=False,
                               left_indent=character * 4, first_line_indent=-character * 3, right_indent=character)
    at_foot_of_page(paragraph)
    return paragraph
