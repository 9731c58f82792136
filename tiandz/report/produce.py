"""`tiandz report` as one call: check the format asked for, build the report as of a date, write or render it.

The Word report is the same call through report/docx_out.py's `produce_report_docx`, which passes its
writer in: python-docx costs a tenth of a second to import, which a JSON report for a program must not pay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tiandz.core.dates import parse_date
from tiandz.core.problems import refuse
from tiandz.ledger.folder import Ledger
from tiandz.ledger.targets import check_output
from tiandz.report.build import Report, build_report
from tiandz.report.outputs import check_format, default_path, format_of, render_text, write_report


@dataclass(frozen=True)
class Rendering:
    """How a document is drawn, beyond its figures: `draft` prints the as-of date and commit in the Word
    report's body (a formal one keeps them in its properties only); `charts` false leaves the charts out."""

    draft: bool = False
    charts: bool = True


Writer = Callable[..., Path]  # (report, format, path, ledger root, rendering) -> the path written


@dataclass
class Produced:
    """The report and where it went: a file (`path`), standard output (`text`), or neither (the terminal table)."""

    report: Report
    format: str
    path: Path | None = None
    text: str | None = None


def report_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for (--format, else the -o file's extension, else the terminal table), checked."""
    fmt = check_format(fmt or format_of(output))
    if fmt == "table" and output is not None:
        refuse("table 格式打印在终端，不写文件", field="-o", hint="写文件请用 --format md、json 或 xlsx")
    if fmt in ("xlsx", "docx") and str(output) == "-":
        refuse(f"{fmt} 不能写到标准输出", field="-o", hint=f"请给出文件名，如 -o 进展.{fmt}")
    return fmt


def produce_report(
    ledger: Ledger,
    *,
    fmt: str | None = None,
    output: Path | None = None,
    as_of: str | dt.date | None = None,
    kind: str | None = None,
    year: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    writer: Writer = write_report,
    draft: bool = False,
    charts: bool = True,
) -> Produced:
    """The 办理进展情况 as of a date (default today): written under out/ (or `output`; "-" is standard output).

    >>> produce_report(find_ledger("台账"), fmt="json", as_of="2024-08-10").path  # doctest: +SKIP
    PosixPath('台账/out/办理进展情况-2024-08-10.json')
    """
    fmt = report_format(fmt, output)
    if output is not None and str(output) != "-":
        check_output(ledger, output)
    day = parse_date(as_of, "--as-of") if isinstance(as_of, str) else as_of
    report = build_report(ledger, day, kind, year, today=today, progress=progress)
    if fmt == "table":
        return Produced(report, fmt)
    if str(output) == "-":
        return Produced(report, fmt, text=render_text(report, fmt))
    path = writer(report, fmt, output or default_path(ledger, report, fmt), ledger.root, Rendering(draft, charts))
    return Produced(report, fmt, path=path)
