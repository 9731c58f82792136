"""The page of a Chinese official document (GB/T 9704-2012, spec/gbt9704.md) in python-docx terms.

Reply letters (信函格式) and the progress report (报告) share the A4 page with its 37/28/35/26 mm margins, the
22-line grid of 28.95 pt, 3号仿宋 as the Normal style and the page numbers; only what sits on top differs.
This module makes that page and places things on it as a whole: the numbers in the footers, a paragraph
pinned to the foot of the 版心, a run of paragraphs kept on one page. What goes in the text is text.py's.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from tiandz.officialdoc.measures import BODY_HEIGHT, BODY_WIDTH, FANGSONG, LATIN, LINE_PITCH, SONGTI
from tiandz.officialdoc.ooxml import (
    _AFTER_FRAME,
    _character_spacing,
    _fonts,
    exact,
    set_font,
)


def new_document():
    """An empty A4 document with the GB/T 9704 page, grid and 3号仿宋 as the Normal style."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(30), Mm(25.5)
    grid = section._sectPr.find(qn("w:docGrid"))  # the default template has one: edit it, never add a second
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    _plain_defaults(document)
    normal = document.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), FANGSONG)
    normal.font.size = Pt(16)
    _character_spacing(normal.element.get_or_add_rPr())
    layout = normal.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Twips(LINE_PITCH)
    layout.space_before = layout.space_after = Pt(0)
    layout.widow_control = False
    return document


def _plain_defaults(document) -> None:
    """The default template's theme fonts would win over ours in some renderers: name the fonts outright."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    for fonts in defaults.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:ascii"), LATIN)
        fonts.set(qn("w:hAnsi"), LATIN)
        fonts.set(qn("w:eastAsia"), FANGSONG)

def at_foot_of_page(paragraph) -> None:
    """Pin the paragraph to the bottom of the 版心 (the 抄送 of a 信函), as a frame anchored to the margin.

    A frame (w:framePr) rather than a floating table: LibreOffice honours a frame's bottom alignment and
    lets a floating table drift up under the text.
    """
    frame = OxmlElement("w:framePr")
    for key, value in (("w", str(int(BODY_WIDTH.twips))), ("wrap", "notBeside"), ("hAnchor", "margin"),
                       ("vAnchor", "margin"), ("x", "0"), ("yAlign", "bottom")):
        frame.set(qn(f"w:{key}"), value)
    paragraph._p.get_or_add_pPr().insert_element_before(frame, *_AFTER_FRAME)


def new_section(document, ending=None):
    """A new section on a new page; the section before it ends with the paragraph `ending` if given.

    python-docx ends a section with an empty paragraph of its own, which takes a line: on a full page that
    line went over, and with it whatever was anchored to it (the 抄送 of a 信函) onto a page of its own.
    """
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if ending is not None:
        holder = document.element.body.findall(qn("w:p"))[-1]
        properties = holder.find(qn("w:pPr"))
        ending._p.set_sectPr(properties.find(qn("w:sectPr")))
        holder.getparent().remove(holder)
    return section


# 7.3.5.5: when the last lines do not fit, closer lines may keep them on the page. 25 pt lines are a seventh
# closer than 28.95 pt and still read as 3号 text with space between lines; no closer (practice).
TIGHTEST_PITCH = 500


def pages_needed(lines: int, pitch: int, first_room) -> int:
    """Pages that `lines` lines of `pitch` twips take, page 1 having `first_room` for text, the others the 版心."""
    first, other = int(first_room.twips) // pitch, int(BODY_HEIGHT.twips) // pitch
    return 1 if lines <= first else 1 + -(-(lines - first) // other)


def spills(lines: int, tail: int, first_room, pitch: int = LINE_PITCH) -> bool:
    """Whether the last `tail` of `lines` lines may stand on a last page of their own.

    `lines` is an estimate, right to a line either way: the text before the tail is taken a line shorter,
    the whole a line longer.
    """
    return pages_needed(lines - tail - 1, pitch, first_room) < pages_needed(lines + 1, pitch, first_room)


def saving_pitch(lines: int, tail: int, first_room) -> int | None:
    """A closer line pitch (twips) that keeps the last `tail` lines from a page of their own, if one does.

    `tail` is what follows the last paragraph of 正文 (the room for the seal, the signature, the 附注, the
    抄送). None when they do not spill, or when no pitch down to TIGHTEST_PITCH saves the page: then the
    last lines of 正文 go over with them (keep-with-next).
    """
    if not spills(lines, tail, first_room):
        return None
    pages = pages_needed(lines + 1, LINE_PITCH, first_room)
    for spare in (1, 0):  # a line to spare for the estimate if the pitch allows, else none
        for pitch in range(LINE_PITCH, TIGHTEST_PITCH - 1, -5):
            if pages_needed(lines + spare, pitch, first_room) < pages:
                return pitch
    return None


def set_line_pitch(document, ending, pitch: int) -> None:
    """The section ending in paragraph `ending` set on lines of `pitch` twips: its grid and every grid line."""
    body = document.element.body
    for element in body.iterchildren(qn("w:p")):
        spacing = element.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None and spacing.get(qn("w:line")) == str(LINE_PITCH):
            spacing.set(qn("w:line"), str(pitch))
            # Off the grid: LibreOffice lays a snapping line over as many grid lines as its glyphs need,
            # and the 二号 title took two lines of the closer grid for each of its own.
            if spacing.getprevious() is None or spacing.getprevious().tag != qn("w:snapToGrid"):
                snap = OxmlElement("w:snapToGrid")
                snap.set(qn("w:val"), "0")
                spacing.addprevious(snap)
        if element is ending._p:
            break
    properties = ending._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    if properties is None:
        properties = body.find(qn("w:sectPr"))
    properties.find(qn("w:docGrid")).set(qn("w:linePitch"), str(pitch))


def keep_together(document, first, last) -> None:
    """The body paragraphs from `first` to `last` go to a new page together (keep with next, but the last).

    Used from the last lines of the text to the 附注: a seal must stand over text (7.3.5.1), never alone on
    a page, and the 附注 belongs under the date.
    """
    inside = False
    for element in document.element.body.iterchildren(qn("w:p")):
        inside = inside or element is first._p
        if element is last._p:
            break
        if inside:
            properties = element.get_or_add_pPr()
            if properties.find(qn("w:keepNext")) is None:
                properties.insert(0 if properties.find(qn("w:pStyle")) is None else 1, OxmlElement("w:keepNext"))

def _page_field(paragraph) -> None:
    """`— 1 —`: 四号宋体 half-width digits between em dashes (7.5)."""
    set_font(paragraph.add_run("— "), SONGTI, 14, latin=SONGTI)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for key in ("ascii", "hAnsi", "eastAsia"):
        fonts.set(qn(f"w:{key}"), SONGTI)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    properties.append(fonts)
    properties.append(size)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(properties)
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    set_font(paragraph.add_run(" —"), SONGTI, 14, latin=SONGTI)


def page_numbers(document, section, *, lift=Pt(0)) -> None:
    """Odd pages right, even pages left, each 1 字 (四号) in from the edge of the 版心.

    `lift` raises the number when the section's footer distance is set for something lower (the 信函's
    second red line sits 20 mm above the page edge, the page number 25.5 mm).
    """
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        exact(paragraph, Pt(16), snap=False, after=lift)
        paragraph.paragraph_format.alignment = align
        setattr(paragraph.paragraph_format, indent, Pt(14))
        _page_field(paragraph)
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        # An empty header at exact 1 pt never reaches below the 37 mm top margin.
        exact(header.paragraphs[0], Pt(1), snap=False)
