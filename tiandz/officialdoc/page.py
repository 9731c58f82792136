"""The page of a Chinese official document (GB/T 9704-2012, spec/gbt9704.md) in python-docx terms.

Reply letters (信函格式) and the progress report (报告) share the A4 page with its 37/28/35/26 mm margins, the
22-line grid of 28.95 pt, 3号仿宋 text, the heading typefaces, the sealed signature and the page numbers;
only what sits on top differs. Everything that knows a GB/T 9704 number lives here, so the documents that
use it say what goes on the page and this module says how it is laid.

python-docx has no API for East Asian fonts, paragraph borders or grid snapping: those are written as
OOXML here, in the element order Word requires. The caller imports this module only when it makes a
document, which keeps python-docx out of every other command's start-up.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips

from tiandz.core.dates import chinese_date
from tiandz.core.fields import clean_text
from tiandz.officialdoc.titles import break_title

# 字号 in points (spec §1).
SIZE = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
        "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}
FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"
RED = "FF0000"
LINE_PITCH = 579  # twips: 22 lines of 28.95 pt fill the 225 mm 版心
BODY_WIDTH = Mm(156)
CHARACTER = Pt(16)  # one 字 of 3号 text, the unit of every indent

# CT_PPr children that come after w:pBdr, w:snapToGrid and w:spacing: Word rejects out-of-order children.
_AFTER_BORDER = ("w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap w:overflowPunct w:topLinePunct "
                 "w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid w:spacing w:ind "
                 "w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection w:textAlignment "
                 "w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange").split()
_AFTER_SNAP = _AFTER_BORDER[_AFTER_BORDER.index("w:snapToGrid") + 1:]
_AFTER_FRAME = ["w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", *_AFTER_BORDER]
_AFTER_CHARACTER_SPACING = ("w:w w:kern w:position w:sz w:szCs w:highlight w:u w:effect w:bdr w:shd w:fitText "
                            "w:vertAlign w:rtl w:cs w:em w:lang w:eastAsianLayout w:specVanish w:oMath").split()
# Characters XML 1.0 cannot carry besides the control characters; python-docx raises on them.
_NOT_XML = re.compile(r"[\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text python-docx can write. Items are cleaned when validated; this also covers an office's template."""
    return _NOT_XML.sub("", clean_text(text))


def width_in_characters(text: str) -> float:
    """A half-width digit or letter is half a 字."""
    return sum(0.5 if ord(character) < 0x2E80 else 1 for character in text)


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


def _fonts(run_properties, east: str, latin: str = LATIN) -> None:
    fonts = run_properties.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _character_spacing(run_properties, twentieths: int = -5) -> None:
    """−0.25 pt between characters: 28 characters of 3号 then fit a 156 mm line in Word and LibreOffice."""
    spacing = run_properties.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        run_properties.insert_element_before(spacing, *_AFTER_CHARACTER_SPACING)
    spacing.set(qn("w:val"), str(twentieths))


def set_font(run, east: str = FANGSONG, size: float = 16, *, bold: bool | None = None, color: str | None = None,
             latin: str = LATIN):
    run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    _fonts(run._r.get_or_add_rPr(), east, latin)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def exact(paragraph, height, *, snap: bool = True, before=Pt(0), after=Pt(0)):
    """Exact line height (a Length), no space around unless given; snap=False keeps it off the line grid."""
    layout = paragraph.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = height
    layout.space_before, layout.space_after = before, after
    layout.widow_control = False
    if not snap:
        properties = paragraph._p.get_or_add_pPr()
        if properties.find(qn("w:snapToGrid")) is None:
            element = OxmlElement("w:snapToGrid")
            element.set(qn("w:val"), "0")
            properties.insert_element_before(element, *_AFTER_SNAP)
    return paragraph


def border(paragraph, edge: str, size: int, color: str = RED, space: int = 0) -> None:
    """A paragraph border: the red lines and 版记 rules are borders, not shapes (spec §7)."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *_AFTER_BORDER)
    line = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    order = ("top", "left", "bottom", "right", "between", "bar")
    later = [child for child in borders if child.tag.split("}")[1] in order[order.index(edge) + 1:]]
    if later:
        later[0].addprevious(line)
    else:
        borders.append(line)


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
            color: str | None = None, line_break: bool = False):
    """A run with its fonts (eastAsia included) and size, appended to the paragraph; returns the w:r."""
    run = copy.deepcopy(_parsed(_run_properties_xml(east, size, bold, color)))
    if line_break:
        run.append(OxmlElement("w:br"))
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = xml_text(text)
    run.append(element)
    paragraph._p.append(run)
    return run


_JUSTIFICATION = {WD_ALIGN_PARAGRAPH.LEFT: "left", WD_ALIGN_PARAGRAPH.CENTER: "center",
                  WD_ALIGN_PARAGRAPH.RIGHT: "right", WD_ALIGN_PARAGRAPH.JUSTIFY: "both"}


def _twips(length) -> int | None:
    """Twips of a python-docx Length, or of the plain EMU integer that Length arithmetic returns."""
    return None if length is None else int(round(int(length) / 635))


@functools.lru_cache(maxsize=None)
def _paragraph_properties_xml(line: int, before, after, snap: bool, first, left, right, justification,
                              keep_with_next: bool = False) -> str:
    parts = ['<w:keepNext/>'] if keep_with_next else []
    parts.append('<w:widowControl w:val="0"/>')
    if not snap:
        parts.append('<w:snapToGrid w:val="0"/>')
    parts.append(f'<w:spacing w:before="{before or 0}" w:after="{after or 0}" w:line="{line}" w:lineRule="exact"/>')
    indents = []
    if left is not None:
        indents.append(f'w:left="{left}"')
    if right is not None:
        indents.append(f'w:right="{right}"')
    if first is not None:
        indents.append(f'w:firstLine="{first}"' if first >= 0 else f'w:hanging="{-first}"')
    if indents:
        parts.append(f"<w:ind {' '.join(indents)}/>")
    if justification:
        parts.append(f'<w:jc w:val="{justification}"/>')
    return f"<w:pPr {nsdecls('w')}>{''.join(parts)}</w:pPr>"


def _paragraph_properties(*arguments):
    return copy.deepcopy(_parsed(_paragraph_properties_xml(*arguments)))


@functools.lru_cache(maxsize=None)
def _parsed(xml: str):
    """Parsed once; callers take a deep copy (a tenth of the cost of parsing again)."""
    return parse_xml(xml)


@functools.lru_cache(maxsize=None)
def _run_properties_xml(east: str, size: float, bold: bool | None, color: str | None, latin: str = LATIN) -> str:
    parts = [f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}"/>']
    if bold is not None:
        parts.append("<w:b/>" if bold else '<w:b w:val="0"/>')
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    half_points = int(round(size * 2))
    parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    return f"<w:r {nsdecls('w')}><w:rPr>{''.join(parts)}</w:rPr></w:r>"


def grid_table(document, widths: list, rows: list[list[str]], *, alignments: list | None = None,
               bold_rows: set[int] = frozenset(), size: float = SIZE["小四"], height=Pt(18)):
    """A ruled table, its first row the header (黑体, repeated on every page), written as one piece of XML.

    Long lists (the 逾期清单 of a big ledger runs to thousands of rows) would take python-docx's cell API
    minutes; the XML of the whole table is built as text and parsed once.
    """
    from xml.sax.saxutils import escape

    namespace = f" {nsdecls('w')}"
    widths_twips = [_twips(width) for width in widths]
    alignments = alignments or [None] * len(widths)
    line = _twips(height)

    def cell(text: str, width: int, align, east: str, bold: bool | None) -> str:
        paragraph = _paragraph_properties_xml(line, 0, 0, False, None, None, None, _JUSTIFICATION.get(align)).replace(namespace, "")
        run = _run_properties_xml(east, size, bold, None).replace(namespace, "").removesuffix("</w:r>")
        content = f'{run}<w:t xml:space="preserve">{escape(xml_text(text))}</w:t></w:r>' if text else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{paragraph}{content}</w:p></w:tc>'

    parts = [
        f'<w:tbl{namespace}><w:tblPr><w:tblStyle w:val="{document.styles["Table Grid"].style_id}"/>'
        f'<w:tblW w:w="{sum(widths_twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{width}"/>' for width in widths_twips),
        "</w:tblGrid>",
    ]
    for index, values in enumerate(rows):
        header = index == 0
        parts.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for value, width, align in zip(values, widths_twips, alignments):
            east = HEITI if header else FANGSONG
            parts.append(cell(value, width, WD_ALIGN_PARAGRAPH.CENTER if header else align, east, True if index in bold_rows else None))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    table = parse_xml("".join(parts))
    body = document.element.body
    body.sectPr.addprevious(table) if body.sectPr is not None else body.append(table)
    return table


def blank_lines(container, count: int) -> None:
    for _ in range(count):
        line_paragraph(container)


# Heading levels of 正文 (spec §3): 一、 黑体; （一） 楷体; 1. 仿宋 bold (practice); （1） 仿宋.
_HEADINGS = (
    (re.compile(r"^[一二三四五六七八九十百]+、"), HEITI, None),
    (re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"), KAITI, None),
    (re.compile(r"^\d+(?:[.．](?!\d)|、)"), FANGSONG, True),  # clerks often write 1、 for 1.
    (re.compile(r"^[（(]\d+[）)]"), FANGSONG, None),
)
_RUN_IN_END = re.compile(r"[。：:！？]")


def heading_level(line: str) -> int:
    """1 to 4 for a line that opens with 一、 （一） 1. （1）; 0 for plain text."""
    for level, (pattern, _, _) in enumerate(_HEADINGS, start=1):
        if pattern.match(line):
            return level
    return 0


def body_paragraphs(container, text: str) -> list:
    """正文: one paragraph per line, first line indented 2 字; headings in their typefaces.

    A heading that runs into its paragraph (“（一）加强巡查。学校周边……”) takes the heading typeface up to its
    first full stop and the body typeface after it. Blank lines and the full-width spaces clerks type to
    indent are dropped: the first-line indent does that job.
    """
    paragraphs = []
    for raw in xml_text(text).splitlines():
        line = raw.strip(" \t\u3000")
        if not line:
            continue
        level = heading_level(line)
        stop = _RUN_IN_END.search(line) if level else None
        heading, rest = (line[: stop.end()], line[stop.end():]) if stop and stop.end() < len(line) else (line, "")
        # A heading on a line of its own is never the last line of a page.
        paragraph = line_paragraph(container, first_line_indent=CHARACTER * 2, keep_with_next=bool(level) and not rest)
        if level:
            _, east, bold = _HEADINGS[level - 1]
            add_run(paragraph, heading, east, 16, bold=bold)
            if rest:
                add_run(paragraph, rest)
        else:
            add_run(paragraph, line)
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


def note_paragraph(container, text: str):
    """附注 (7.3.6): the line after the date, indented 2 字, in full-width parentheses."""
    return line_paragraph(container, f"（{text}）", align=WD_ALIGN_PARAGRAPH.LEFT, first_line_indent=CHARACTER * 2)


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
