"""The progress report as the Word document a leader reads: GB/T 9704's 报告 profile, 情况汇报 without 版头.

Title, then 一、办理工作的基本情况 written as sentences from the figures (the words from templates/进展报告.j2),
then the sections the office wrote itself in notes/ (主要做法, 下一步工作打算), the office's name and the
as-of date, a 附注 saying what the report was made from, and on a new page the tables every other output
shows (tiandz/report/layout.py). Every page is numbered.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
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
from tiandz.report.figures import RATE_NAMES, SOURCES
from tiandz.report.layout import Section, cell_text, sections
from tiandz.report.outputs import write_file
from tiandz.report.produce import Produced, produce_report

TEMPLATE = "进展报告.j2"
BLOCKS = ("基本情况标题", "基本情况", "主要做法标题", "下一步标题", "附表标题")
NOTES = (("主要做法.md", "主要做法标题"), ("下一步工作打算.md", "下一步标题"))
NUMERALS = "一二三四五六七八九十"
TABLE_LINE = Pt(18)


def report_bytes(report: Report, ledger_root: Path | None) -> bytes:
    document = report_document(report, ledger_root)
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
    classes = [f"{name}类{count}件" for name, count in figures.category.items() if count]
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


def report_document(report: Report, ledger_root: Path | None):
    words = render_blocks(TEMPLATE, template_values(report), ledger_root, BLOCKS)
    document = new_document()
    page_numbers(document, document.sections[0])
    title_paragraph(document, report.title)
    blank_lines(document, 1)
    body_paragraphs(document, words["基本情况标题"])
    body_paragraphs(document, words["基本情况"])
    number = 1
    for name, heading in NOTES:
        text = _note_text(ledger_root, name)
        if text:
            number += 1
            body_paragraphs(document, f"{NUMERALS[number - 1]}、{words[heading]}")
            body_paragraphs(document, text)
    last_text = document.paragraphs[-1]
    blank_lines(document, 2)
    sealed_signature(document, report.organization, report.as_of)
    notes = [note_paragraph(document, f"本报告数据截至{chinese_date(report.as_of)}，{report.source.describe()}，{chinese_date(report.made_on)}生成")]
    notes += [note_paragraph(document, f"说明：{warning}") for warning in report.warnings]
    keep_together(document, last_text, notes[-1])
    _tables(document, words["附表标题"], sections(report))
    return document


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


def _tables(document, heading: str, found: list[Section]) -> None:
    paragraph = line_paragraph(document)
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    add_run(paragraph, heading, HEITI, 16)
    for index, section in enumerate(found, start=1):
        line_paragraph(document, f"{index}. {section.title}", east=HEITI, before=Pt(12))
        _table(document, section)
        if section.note:
            line_paragraph(document, f"注：{section.note}", size=SIZE["小四"], height=TABLE_LINE)
        if section.marked and section.marked_means:
            line_paragraph(document, f"加粗的行：{section.marked_means}", size=SIZE["小四"], height=TABLE_LINE)


def _table(document, section: Section) -> None:
    if not section.rows:
        line_paragraph(document, section.empty, size=SIZE["小四"], height=TABLE_LINE, first_line_indent=Pt(24))
        return
    numeric = section.numeric
    alignments = [WD_ALIGN_PARAGRAPH.RIGHT if column in numeric else WD_ALIGN_PARAGRAPH.LEFT for column in range(len(section.headers))]
    rows = [section.headers, *([cell_text(value) for value in row] for row in section.rows)]
    # Marked rows (overdue) in bold: GB/T 9704 keeps red for the 版头.
    grid_table(document, _column_widths(section), rows, alignments=alignments,
               bold_rows={index + 1 for index in section.marked}, height=TABLE_LINE)


def _column_widths(section: Section) -> list:
    """Numbers, 编号 and dates never wrap; long texts (titles, matters) share what is left of the 156 mm."""
    character, padding, page = 12 * 25.4 / 72, 4.0, 156.0  # 小四 in mm; cell margins
    natural, wrapping = [], []
    for column, header in enumerate(section.headers):
        longest = max((width_in_characters(cell_text(row[column])) for row in section.rows), default=0)
        heading = min(width_in_characters(header), max(2, longest))  # a header may wrap onto two lines
        natural.append(max(longest, heading, 2) * character + padding)
        wrapping.append(longest > 8)
    fixed = sum(width for width, wraps in zip(natural, wrapping) if not wraps)
    if sum(natural) <= page or not any(wrapping) or fixed > page - 30:
        scale = page / sum(natural)
        return [Mm(width * scale) for width in natural]
    room = page - fixed
    wide = sum(width for width, wraps in zip(natural, wrapping) if wraps)
    return [Mm(width * room / wide if wraps else width) for width, wraps in zip(natural, wrapping)]


def write_report_docx(report: Report, name: str, path: Path, ledger_root: Path | None = None) -> Path:
    """Write the Word report to `path`, atomically; its words from the ledger's own templates/进展报告.j2
    when there is one, its narrative sections from the ledger's notes/."""
    return write_file(path, report_bytes(report, ledger_root))


def produce_report_docx(ledger: Ledger, **options) -> Produced:
    """`tiandz report --format docx`: as report/produce.py's `produce_report`, written as Word."""
    return produce_report(ledger, **options, writer=write_report_docx)
