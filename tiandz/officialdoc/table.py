"""Ruled tables (the 报告's figures, the 逾期清单), written as one piece of OOXML.

A table of thousands of rows would take python-docx's cell API minutes, so the whole table is built as
text from the same cached paragraph and run properties as line_paragraph and parsed once.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from tiandz.officialdoc.measures import FANGSONG, HEITI, SIZE
from tiandz.officialdoc.ooxml import (
    _JUSTIFICATION,
    _paragraph_properties_xml,
    _run_properties_xml,
    _twips,
    xml_text,
)


def grid_table(document, widths: list, rows: list[list[str]], *, alignments: list | None = None,
               bold_rows: set[int] = frozenset(), size: float = SIZE["小四"], height=Pt(18), cell_margin=None):
    """A ruled table, its first row the header (黑体, repeated on every page), written as one piece of XML.

    Long lists (the 逾期清单 of a big ledger runs to thousands of rows) would take python-docx's cell API
    minutes; the XML of the whole table is built as text and parsed once.
    """
    namespace = f" {nsdecls('w')}"
    widths_twips = [_twips(width) for width in widths]
    alignments = alignments or [None] * len(widths)
    line = _twips(height)
    # Narrower cell margins than Word's 1.9 mm, when given: a table of many columns keeps its headers whole.
    margins = (
        f'<w:tblCellMar><w:left w:w="{_twips(cell_margin)}" w:type="dxa"/><w:right w:w="{_twips(cell_margin)}" w:type="dxa"/></w:tblCellMar>'
        if cell_margin is not None else ""
    )

    def cell(text: str, width: int, align, east: str, bold: bool | None) -> str:
        paragraph = _paragraph_properties_xml(line, 0, 0, False, None, None, None, _JUSTIFICATION.get(align)).replace(namespace, "")
        run = _run_properties_xml(east, size, bold, None).replace(namespace, "").removesuffix("</w:r>")
        content = f'{run}<w:t xml:space="preserve">{escape(xml_text(text))}</w:t></w:r>' if text else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{paragraph}{content}</w:p></w:tc>'

    parts = [
        f'<w:tbl{namespace}><w:tblPr><w:tblStyle w:val="{document.styles["Table Grid"].style_id}"/>'
        f'<w:tblW w:w="{sum(widths_twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>{margins}'
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

