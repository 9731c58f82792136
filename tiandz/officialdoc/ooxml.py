"""OOXML written by hand: what python-docx has no API for, or does too slowly.

East Asian fonts, character spacing, paragraph borders, grid snapping, frames: these are elements python-docx
does not set, so they are written here, each in the element order Word requires (Word rejects a document
whose w:pPr or w:rPr children are out of order). The paragraph and run properties of line_paragraph,
add_run and grid_table are built as text and parsed once, because python-docx's setters search the
element's children on every call. The order lists (_AFTER_BORDER and the rest) are kept here, next to the
helpers that insert by them.
"""

from __future__ import annotations

import copy
import functools
import re

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from tiandz.core.fields import clean_text
from tiandz.officialdoc.measures import FANGSONG, LATIN, RED

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
