"""Writing a report to a file: JSON for programs, Markdown for a quick look or a web page, xlsx sheets.

The file goes under the ledger's out/ unless a path is given; "-" writes JSON or Markdown to standard
output. The docx a leader reads is laid out in report/docx_out.py, from the same `Report`.
"""

from __future__ import annotations

from pathlib import Path

from tiandz.core.oserrors import hint, reason, shown_path
from tiandz.core.problems import refuse
from tiandz.files.paths import file_in
from tiandz.files.yamlio import write_atomic
from tiandz.ledger.folder import Ledger
from tiandz.ledger.targets import check_default
from tiandz.report.build import Report
from tiandz.report.markdown import markdown
from tiandz.report.memo import json_text
from tiandz.report.xlsx_out import workbook_bytes

FORMATS = ("table", "docx", "md", "json", "xlsx")


def check_format(name: str) -> str:
    if name not in FORMATS:
        refuse(f"格式“{name}”应为 {'、'.join(FORMATS)} 之一", field="--format")
    return name


def format_of(path: Path | None) -> str:
    """The format a file name asks for (进展.xlsx); the terminal table without a file."""
    if path is None or str(path) == "-":
        return "table" if path is None else "json"
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS or suffix == "table":
        refuse(f"从文件名 {path.name} 看不出要哪种格式", field="-o", hint="文件名以 .docx、.md、.json 或 .xlsx 结尾，或用 --format 指定")
    return suffix


def default_path(ledger: Ledger, report: Report, name: str) -> Path:
    kind = report.kind or ""
    return check_default(ledger, file_in(ledger.root / "out", f"{kind}办理进展情况-{report.as_of.isoformat()}.{name}"))


def render_text(report: Report, name: str) -> str:
    if name == "json":
        return json_text(report.to_json())
    return markdown(report)


def write_report(report: Report, name: str, path: Path, ledger_root: Path | None = None, rendering=None) -> Path:
    """Write the report in format `name` (md, json or xlsx) to `path`, atomically; returns the path.

    The docx is report/docx_out.py's `write_report_docx`, kept apart so that these formats never import
    python-docx.
    """
    if name == "docx":
        raise ValueError("docx is written by tiandz.report.docx_out.write_report_docx")
    charts = rendering is None or rendering.charts
    data = workbook_bytes(report, charts=charts) if name == "xlsx" else render_text(report, name).encode("utf-8")
    return write_file(path, data)


def write_file(path: Path, data: bytes) -> Path:
    """Atomically; a file another program holds open is a refusal naming it, not a traceback."""
    try:
        write_atomic(path, data)
    except OSError as error:
        refuse(f"无法写入 {shown_path(path)}：{reason(error)}", hint=hint(error) or "文件可能正在 Excel、WPS 或其他程序中打开，关闭后再试")
    return path
