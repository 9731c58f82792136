"""Cells for the spreadsheets tiandz writes (the 台账 export, the report's sheets), written so they are safe
and readable in Excel and WPS.

Text from an item file is the clerk's or the proposer's; a title that begins with "=" must never run as a
formula when the sheet is opened (nor "+", "-", "@", which a spreadsheet program may read as one when the
cell is edited). Such text is written as a string cell with a quote prefix, and reads back as the same text.
openpyxl is imported inside the functions: it costs a tenth of a second to import.
"""

from __future__ import annotations

import copy
import datetime as dt

from tiandz.core import display

FORMULA_STARTS = ("=", "+", "-", "@")
MARK_FILL = "FFC7CE"  # Excel's own light red for "bad", with its dark red text
MARK_FONT = "9C0006"


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def display_width(value) -> int:
    """Width in character cells: a Chinese character takes two."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return display.display_width(str(value))


class CellMaker:
    """Write-only cells for one sheet, with the few styles tiandz uses made once.

    Setting a style on a cell makes openpyxl hash the style objects; for thousands of red rows that is most
    of the time of an export. So each style is set once on a template cell, and copied from there.
    """

    def __init__(self, sheet):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        self.sheet = sheet
        self.make = WriteOnlyCell
        fill = PatternFill("solid", start_color=MARK_FILL, end_color=MARK_FILL)
        self.styles = {}
        for marked in (False, True):
            for bold in (False, True):
                for quoted in (False, True):
                    template = WriteOnlyCell(sheet)
                    if marked:
                        template.fill = fill
                    if marked or bold:
                        template.font = Font(bold=bold, color=MARK_FONT if marked else None)
                    template.quotePrefix = quoted
                    self.styles[marked, bold, quoted] = template._style

    def cell(self, value, *, marked: bool = False, bold: bool = False):
        """A cell when it needs one (a style, quoted text); else the plain value, which is much faster."""
        quoted = looks_like_formula(value)
        if not (marked or bold or quoted):
            return value  # a date alone gets openpyxl's yyyy-mm-dd
        cell = self.make(self.sheet, value=value)
        number_format = cell.number_format if isinstance(value, dt.date) else None
        cell._style = copy.copy(self.styles[marked, bold, quoted])
        if number_format:
            cell.number_format = number_format
        if quoted:
            cell.data_type = "s"
        return cell

    def row(self, values, *, marked: bool = False, bold: bool = False) -> list:
        return [self.cell(value, marked=marked, bold=bold) for value in values]


def set_widths(sheet, widths: list[int], most: int = 60) -> None:
    """Columns sized to their content (in character cells), within reason."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 4) + 2, most)
