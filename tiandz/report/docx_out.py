"""The progress report as the Word document a leader reads: GB/T 9704's 报告 profile, 情况汇报 without 版头.

Title (关于…办理工作进展情况的报告 and a 主送 line when tiandz.yaml's 报告.主送 names a body), then
一、办理工作的基本情况 written as sentences from the figures (the words from templates/进展报告.j2), then the
sections the office wrote itself in notes/ (主要做法, 下一步工作打算; a missing one says it is still to be
written), the office's name and the as-of date, a 附注 saying what the report was made from only when asked
(--draft, 报告.显示依据) or when files were uncommitted (the document's properties always carry it,
report/docx_meta.py), and on a new page the charts (report/charts.py) and the tables every other output shows
(tiandz/report/layout.py). Every page is numbered.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.shared import Mm, Pt

from tiandz.core.dates import chinese_date
from tiandz.core.names import KINDS, PROPOSAL, SUGGESTION
from tiandz.core.oserrors import reason
from tiandz.core.problems import refuse
from tiandz.files.reading import TEXT_LIMIT, UnsafeFile, read_bytes
from tiandz.files.wording import render_blocks
from tiandz.ledger.folder import Ledger
from tiandz.officialdoc.measures import HEITI, SIZE, width_in_characters
from tiandz.officialdoc.page import keep_together, new_document, page_numbers
from tiandz.officialdoc.table import grid_table
from tiandz.officialdoc.text import (
    add_run,
    blank_lines,
    body_paragraphs,
    line_paragraph,
    note_paragraph,
    sealed_signature,
    title_paragraph,
)
from tiandz.report.build import Report
from tiandz.report.charts import report_pictures
from tiandz.report.docx_meta import set_properties
from tiandz.report.figures import RATE_NAMES, SOURCES
from tiandz.report.layout import Section, cell_text, sections
from tiandz.report.outputs import write_file
from tiandz.report.produce import Produced, Rendering, produce_report

TEMPLATE = "进展报告.j2"
BLOCKS = ("基本情况标题", "基本情况", "主要做法标题", "下一步标题", "附表标题")
NOTES = (("主要做法.md", "主要做法标题"), ("下一步工作打算.md", "下一步标题"))
NUMERALS = "一二三四五六七八九十"
TABLE_LINE = Pt(18)


def report_bytes(report: Report, ledger_root: Path | None, rendering: Rendering = Rendering()) -> bytes:
    """The Word file; what the reader of the command should be told is added to `report.warnings` (after
    the document is laid out: those are for the clerk, not 说明 on the page)."""
    document, told = report_document(report, ledger_root, rendering)
    report.warnings += told
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_values(report: Report) -> dict:
    """The figures under the names the template uses."""
    figures = report.figures
    by_kind_and_source: dict[tuple[str, str], int] = {}
    for standing in report.standings:
        key = (standing.facts.kind, standing.facts.source or "")
        by_kind_and_source[key] = by_kind_and_source.get(key, 0) + 1
    kinds = [report.kind] if report.kind else list(KINDS)
    sources = [f"{source}{kind}{by_kind_and_source[(kind, source)]}件" for kind in kinds for source in SOURCES if by_kind_and_source.get((kind, source))]
    rates = {
        re.sub(r"[（）()]", "", name): {"百分比": rate.percent(), "分子": rate.numerator, "分母": rate.denominator}
        for (key, name), rate in ((pair, figures.rates[pair[0]]) for pair in RATE_NAMES)
    }
    shares = figures.category_shares()
    classes = [f"{name}类{count}件，占{shares[name].percent()}" for name, count in figures.category.items() if count]
    late_units = [row.unit for row in report.tables.units if row.overdue]
    return {
        "标题": report.title, "机关": report.organization, "年度": report.year, "截至": chinese_date(report.as_of),
        "类型": report.kind or "", "总件数": figures.total,
        SUGGESTION: figures.by_type.get(SUGGESTION, 0), PROPOSAL: figures.by_type.get(PROPOSAL, 0), "来源": sources,
        "重点督办": figures.key, "已交办": figures.assigned, "已沟通": figures.contacted, "已见面": figures.met,
        "已答复": figures.answered, "按期答复": figures.answered_on_time, "已评价": figures.evaluated,
        "已公开": figures.public, "已办结": figures.closed, "办后回访": figures.revisited, "转化": figures.converted, "逾期": len(figures.overdue),
        "通报单位": late_units, "满意": figures.satisfaction.get("满意", 0),
        "基本满意": figures.satisfaction.get("基本满意", 0), "不满意": figures.satisfaction.get("不满意", 0),
        "分类": classes, "承诺": {"总数": figures.promises.total, "完成": figures.promises.done, "逾期": figures.promises.overdue},
        "率": rates,
    }


def report_document(report: Report, ledger_root: Path | None, rendering: Rendering = Rendering()):
    """The document, and what its reader should be told (notes still to write, charts left out)."""
    words = render_blocks(TEMPLATE, template_values(report), ledger_root, BLOCKS)
    told: list[str] = []
    document = new_document()
    set_properties(document, report)
    page_numbers(document, document.sections[0])
    title_paragraph(document, report.document_title)
    blank_lines(document, 1)
    if report.addressee:  # 主送机关: under the title, flush left (GB/T 9704 7.3.2)
        line_paragraph(document, f"{report.addressee}：")
    body_paragraphs(document, words["基本情况标题"])
    body_paragraphs(document, words["基本情况"])
    missing = []
    for number, (name, heading) in enumerate(NOTES, start=2):
        text = _note_text(ledger_root, name)
        body_paragraphs(document, f"{NUMERALS[number - 1]}、{words[heading]}")
        if not text:
            missing.append(f"notes/{name}")
            text = f"（此节待撰写：写在台账的 notes/{name} 里。）"
        body_paragraphs(document, text)
    if missing:
        told.append(f"{'、'.join(missing)} 还没有写，报告中这{'两' if len(missing) == 2 else '一'}节只有“此节待撰写”；写好后重做报告")
    last_text = document.paragraphs[-1]
    blank_lines(document, 2)
    dated = sealed_signature(document, report.organization, report.as_of)[-1]
    # Only the signature keeps with the last lines of the text: a longer chain leaves a page a third empty.
    keep_together(document, last_text, dated)
    if report.show_basis or rendering.draft or report.source.uncommitted:
        note_paragraph(document, f"本报告数据截至{chinese_date(report.as_of)}，{report.source.describe()}，{chinese_date(report.made_on)}生成")
    for warning in report.warnings:
        note_paragraph(document, f"说明：{warning}")
    pictures: list = []
    if rendering.charts:
        pictures, chart_warnings = report_pictures(report)
        told += chart_warnings
    _appendix(document, words["附表标题"], sections(report), pictures)
    return document, told


def _note_text(ledger_root: Path | None, name: str) -> str:
    """An office's narrative, from Markdown: headings' and lists' marks dropped, one paragraph a line."""
    if ledger_root is None:
        return ""
    path = ledger_root / "notes" / name
    if not path.exists() and not path.is_symlink():
        return ""
    try:
        text = read_bytes(path, TEXT_LIMIT).decode("utf-8-sig")
    except UnsafeFile as error:  # from another office's machine: never a file outside the ledger
        refuse(f"不能读取 notes/{name}：{reason(error)}", path=f"notes/{name}")
    except (OSError, UnicodeDecodeError):
        return ""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|>\s*)", "", line).replace("**", "").strip()
        if line and line != Path(name).stem:  # a heading that repeats the section's name
            lines.append(line)
    return "\n".join(lines)


def _appendix(document, heading: str, found: list[Section], pictures: list) -> None:
    paragraph = line_paragraph(document)
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    add_run(paragraph, heading, HEITI, 16)
    for index, picture in enumerate(pictures, start=1):
        line_paragraph(document, f"图{index}　{picture.caption}", east=HEITI, size=SIZE["小四"], height=TABLE_LINE,
                       before=Pt(12), keep_with_next=True)
        _picture(document, picture)
    for index, section in enumerate(found, start=1):
        line_paragraph(document, f"{index}. {section.title}", east=HEITI, before=Pt(12), keep_with_next=True)
        _table(document, section)
        if section.note:
            line_paragraph(document, f"注：{section.note}", size=SIZE["小四"], height=TABLE_LINE)
        if section.marked and section.marked_means:
            line_paragraph(document, f"加粗的行：{section.marked_means}", size=SIZE["小四"], height=TABLE_LINE)


def _picture(document, picture) -> None:
    """A chart the width of the text block, in a paragraph of its own height (not the 28.95 pt grid)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.add_run().add_picture(io.BytesIO(picture.png), width=Mm(TEXT_WIDTH))


def _table(document, section: Section) -> None:
    if not section.rows:
        line_paragraph(document, section.empty, size=SIZE["小四"], height=TABLE_LINE, first_line_indent=Pt(24))
        return
    numeric = section.numeric
    alignments = [WD_ALIGN_PARAGRAPH.RIGHT if column in numeric else WD_ALIGN_PARAGRAPH.LEFT for column in range(len(section.headers))]
    rows = [section.headers, *([cell_text(value) for value in row] for row in section.rows)]
    widths, size = column_widths(section)
    # Marked rows (overdue) in bold: GB/T 9704 keeps red for the 版头.
    grid_table(document, [Mm(width) for width in widths], rows, alignments=alignments,
               bold_rows={index + 1 for index in section.marked}, height=TABLE_LINE, size=size, cell_margin=CELL_MARGIN)


TEXT_WIDTH = 156.0  # mm: the 版心 of GB/T 9704
CELL_MARGIN = Mm(1.2)  # left and right in each cell: Word's 1.9 mm leaves a ten-column table no room
PADDING = 2 * 1.2 + 1.0  # mm: both margins and a little air, so that a header's last character never wraps
WRAP_AT = 8  # characters: a longer text (a title, a matter, a unit's full name) may wrap; shorter never
FLOOR = 5  # characters: the least a wrapping column keeps (a unit's name in two lines)


def column_widths(section: Section) -> tuple[list[float], float]:
    """Widths in mm adding up to the text block, and the font size of the table.

    A header of up to three characters never breaks (已答/复); numbers, 编号 and dates never wrap; long texts
    share what is left. A table too wide for 小四 is set in 五号, and if even that is too wide, headers of four
    characters and more break evenly into two lines (主办/件数), never one character alone.
    """
    tries = ((SIZE["小四"], False), (SIZE["五号"], False), (SIZE["五号"], True))
    for size, halved in tries:
        character = size * 25.4 / 72
        headers = []
        for header in section.headers:
            width = width_in_characters(header)
            headers.append((-(-width // 2) if halved and width >= 4 else width) * character + PADDING + 0.3 * character)
        longest = [max((width_in_characters(cell_text(row[column])) for row in section.rows), default=0) * character + PADDING
                   for column in range(len(section.headers))]
        natural = [max(header, content) for header, content in zip(headers, longest)]
        wrapping = [content > max(header, WRAP_AT * character + PADDING) for header, content in zip(headers, longest)]
        floors = [max(header, FLOOR * character + PADDING) if wraps else width
                  for header, width, wraps in zip(headers, natural, wrapping)]
        if sum(floors) <= TEXT_WIDTH:
            break
    if sum(natural) <= TEXT_WIDTH or not any(wrapping):
        scale = TEXT_WIDTH / sum(natural)
        return [width * scale for width in natural], size
    if sum(floors) >= TEXT_WIDTH:
        scale = TEXT_WIDTH / sum(floors)
        return [width * scale for width in floors], size
    fixed = sum(width for width, wraps in zip(natural, wrapping) if not wraps)
    # What is left goes to the wrapping columns in proportion to their length, none below its floor.
    room = TEXT_WIDTH - fixed
    wide = sum(width for width, wraps in zip(natural, wrapping) if wraps)
    widths = [max(floor, width * room / wide) if wraps else width for width, floor, wraps in zip(natural, floors, wrapping)]
    scale_wrapping = (TEXT_WIDTH - fixed) / sum(width for width, wraps in zip(widths, wrapping) if wraps)
    return [width * scale_wrapping if wraps else width for width, wraps in zip(widths, wrapping)], size


def write_report_docx(report: Report, name: str, path: Path, ledger_root: Path | None = None,
                      rendering: Rendering = Rendering()) -> Path:
    """Write the Word report to `path`, atomically; its words from the ledger's own templates/进展报告.j2
    when there is one, its narrative sections from the ledger's notes/, its charts unless left out."""
    return write_file(path, report_bytes(report, ledger_root, rendering))


def produce_report_docx(ledger: Ledger, **options) -> Produced:
    """`tiandz report --format docx`: as report/produce.py's `produce_report`, written as Word."""
    return produce_report(ledger, **options, writer=write_report_docx)
