"""The report's tables as sheets of one workbook, each headed by the title and what it was made from."""

from __future__ import annotations

import io

from tiandz.files.xlsxcells import CellMaker, display_width, set_widths
from tiandz.report.build import Report
from tiandz.report.layout import sections

HEADER_ROW = 3


def workbook_bytes(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for section in sections(report):
        sheet = book.create_sheet(section.sheet)
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        cells = CellMaker(sheet)
        sheet.append(cells.row([f"{report.title}：{section.title}"], bold=True))
        sheet.append([report.basis])
        sheet.append(cells.row(section.headers, bold=True))
        for index, row in enumerate(section.rows):
            sheet.append(cells.row(row, marked=index in section.marked))
        if not section.rows:
            sheet.append([section.empty])
        if section.note:
            sheet.append([])
            sheet.append([f"注：{section.note}"])
        widths = [max([display_width(header)] + [display_width(row[i]) for row in section.rows]) for i, header in enumerate(section.headers)]
        set_widths(sheet, widths)
    if report.warnings:
        sheet = book.create_sheet("提示")
        sheet.append(CellMaker(sheet).row(["提示"], bold=True))
        for warning in report.warnings:
            sheet.append([warning])
        set_widths(sheet, [100], most=100)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
