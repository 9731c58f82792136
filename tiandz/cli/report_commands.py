"""Commands that read the whole ledger into one document: report (办理进展情况) and export (办理台账)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, console, open_ledger
from tiandz.cli.progress import progress_bar
from tiandz.cli.report_view import report_view
from tiandz.core.display import visible


@command("report")
def report_command(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="截至日期（默认今天）：只统计这一天及以前的办理情况"),
    kind: Optional[str] = typer.Option(None, "--type", help="只统计 建议 或 提案"),
    year: Optional[int] = typer.Option(None, "--year", help="只统计这一年度编号的件（台账有多个年度时）"),
    fmt: Optional[str] = typer.Option(
        None, "--format", help="table（打印在终端，默认）、docx（Word 报告）、md、json、xlsx。给了 -o 文件名时按扩展名"
    ),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件（默认在 out/ 下；- 为标准输出）"),
    draft: bool = typer.Option(False, "--draft", help="草稿：Word 报告正文末尾注明数据截至日期和台账的 git 提交"),
    no_charts: bool = typer.Option(False, "--no-charts", help="Word 报告和 xlsx 不附图表"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """办理进展情况：件数、交办率、办复率、满意率等各项比率（注明分子分母），按单位、领域的统计，
    重点督办件、逾期清单和未完成的承诺事项。

    只计截至日期及以前的办理情况，过后重做同一日期的报告，数字不变；报告注明截至日期和台账的 git 提交。

    Word 报告的措辞来自模板 templates/进展报告.j2，“主要做法”“下一步工作打算”来自台账的 notes/。
    Word 报告正文不印 git 提交（写在文档属性里）；--draft 或 tiandz.yaml 的 报告.显示依据 为 true 时印出，
    有未提交的修改时总印出。tiandz.yaml 写了 报告.主送 时按“报告”行文（主送机关、“关于……的报告”）。

    示例：tiandz report --as-of 2024-08-10；tiandz report --format docx；tiandz report --format json -o -
    """
    fmt = api.report_format(fmt, output)
    produce = api.produce_report_docx if fmt == "docx" else api.produce_report  # docx alone needs python-docx
    book = open_ledger(ledger)
    with progress_bar("统计") as progress:
        produced = produce(book, fmt=fmt, output=output, as_of=as_of, kind=kind, year=year, progress=progress,
                           draft=draft, charts=not no_charts)
    report = produced.report
    if produced.format == "table":
        console().print(report_view(report))
        return
    # Plain prints: rich costs a report in a file a twentieth of a second to import, for one line.
    if produced.text is not None:
        sys.stdout.write(visible(produced.text, lines=True) if sys.stdout.isatty() else produced.text)
    else:
        print(f"已生成 {book.relative(produced.path)}（{report.basis}）")
    for warning in report.warnings:
        print(f"提示：{visible(warning)}", file=sys.stderr)


@command("export")
def export_command(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件（默认 out/办理台账-今天.xlsx）"),
    kind: Optional[str] = typer.Option(None, "--type", help="只导出 建议 或 提案"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """把整个办理台账导出为 Excel 表：一件一行，首行冻结，逾期件标红。

    列：编号、类型、案号、标题、提出人、联名、领域、重点督办、主办、协办、交办日期、时限、状态、沟通次数、
    见面、答复日期、类别、文号、公开、评价、办结。以“=”等开头的文字按文字写入，不会被当作公式。

    示例：tiandz export；tiandz export -o 台账.xlsx
    """
    book = open_ledger(ledger)
    with progress_bar("导出") as progress:
        result = api.export_ledger(book, output, kind, progress=progress)
    late = f"，其中逾期 {result.overdue} 件（标红）" if result.overdue else ""
    print(f"已导出 {result.count} 件{late}：{book.relative(result.path)}")
    for warning in result.warnings:
        print(f"提示：{visible(warning)}", file=sys.stderr)
