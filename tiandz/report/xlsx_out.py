"""The report's tables as sheets of one workbook, each headed by the title and what it was made from; a
sheet of charts (native Excel charts: 办复进度 by unit, stacked, and the classes' shares) unless left out; the
as-of date and the commit in the workbook's properties too."""

from __future__ import annotations

import io

from tiandz.files.xlsxcells import CellMaker, display_width, set_widths
from tiandz.report.build import Report
from tiandz.report.charts import ANSWERED, COLOURS, IN_PROGRESS, OVERDUE, class_shares, unit_progress
from tiandz.report.layout import sections

HEADER_ROW = 3


def workbook_bytes(report: Report, *, charts: bool = True) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _properties(book, report)
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
    if charts:
        _chart_sheet(book, report)
    if report.warnings:
        sheet = book.create_sheet("提示")
        sheet.append(CellMaker(sheet).row(["提示"], bold=True))
        for warning in report.warnings:
            sheet.append([warning])
        set_widths(sheet, [100], most=100)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CHART_SHEET = "图表"


def _properties(book, report: Report) -> None:
    from openpyxl.packaging.custom import StringProperty

    properties = book.properties
    properties.title = report.title
    properties.creator = report.organization
    properties.subject = f"数据截至{report.as_of.isoformat()}"
    properties.description = report.basis
    properties.identifier = report.source.commit or ""
    for name, value in (("截至日期", report.as_of.isoformat()), ("台账提交", report.source.commit or ""),
                        ("未提交文件数", str(report.source.uncommitted)), ("生成日期", report.made_on.isoformat())):
        book.custom_doc_props.append(StringProperty(name=name, value=value))


def _chart_sheet(book, report: Report) -> None:
    """The charts' figures as two small tables, each with its native chart beside it (Excel and WPS draw them
    in their own fonts: no Chinese font is needed here)."""
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.chart.label import DataLabelList

    progress, shares = unit_progress(report), class_shares(report)
    if not progress and not shares:
        return
    sheet = book.create_sheet(CHART_SHEET)
    cells = CellMaker(sheet)
    sheet.append(cells.row([f"{report.title}：图表"], bold=True))
    sheet.append([report.basis])
    top = 3
    if progress:
        sheet.append(cells.row(["承办单位", ANSWERED, IN_PROGRESS, OVERDUE], bold=True))
        for row in progress:
            sheet.append(cells.row(list(row)))
        last = top + len(progress)
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = "各承办单位办复进度（主办件）"
        chart.add_data(Reference(sheet, min_col=2, max_col=4, min_row=top, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
        chart.y_axis.title = "件数"
        chart.x_axis.scaling.orientation = "maxMin"  # the table's order, top down
        for series, colour in zip(chart.series, COLOURS.values()):
            series.graphicalProperties.solidFill = colour.lstrip("#")
        chart.width, chart.height = 18, max(7.5, 0.6 * len(progress) + 3)
        sheet.add_chart(chart, "G3")
        sheet.append([])
        top = last + 2
    if shares:
        sheet.append(cells.row(["类别", "件数", "占比（占已答复件）"], bold=True))
        for name, count, percent in shares:
            sheet.append(cells.row([f"{name}类", count, percent]))
        last = top + len(shares)
        pie = PieChart()
        pie.title = "答复类别占比（占已答复件的比例）"
        pie.add_data(Reference(sheet, min_col=2, min_row=top, max_row=last), titles_from_data=True)
        pie.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
        pie.dataLabels = DataLabelList()
        pie.dataLabels.showPercent = True
        pie.dataLabels.showCatName = True
        pie.width, pie.height = 12, 7.5
        below = 3 + (int(2 * chart.height) + 2 if progress else 0)  # rows are about half a centimetre
        sheet.add_chart(pie, f"G{below}")
    widths = [max([8] + [display_width(row[0]) for row in progress]), 8, 8, 10]
    set_widths(sheet, widths)
