"""The progress report at a terminal: the report's sections as rich tables, overdue rows in red."""

from __future__ import annotations

from tiandz import api
from tiandz.core.display import visible


def report_view(report):
    """The report's sections as rich renderables (rich is imported here: a report to a file never pays it)."""
    from rich.text import Text

    parts = [Text(visible(report.title), style="bold"), Text(visible(f"{report.organization}。{report.basis}。")), Text("")]
    for section in api.report_sections(report):
        parts += section_view(section)
    if report.warnings:
        parts.append(Text("提示", style="bold yellow"))
        parts += [Text(f"· {visible(warning)}", style="yellow") for warning in report.warnings]
    from rich.console import Group

    return Group(*parts)


SHOWN_ROWS = 40  # a terminal is for a look; the md and xlsx outputs list everything


def section_view(section) -> list:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    if not section.rows:
        return [Text(section.title, style="bold"), Text(f"  {section.empty}"), Text("")]
    shown = section.rows[:SHOWN_ROWS]
    table = Table(title=escape(section.title), title_justify="left", title_style="bold", show_lines=False)
    numeric = section.numeric
    for index, header in enumerate(section.headers):
        table.add_column(header, justify="right" if index in numeric else "left", overflow="fold")
    for index, row in enumerate(shown):
        table.add_row(*(escape(visible(api.cell_text(value))) for value in row), style="red" if index in section.marked else None)
    parts = [table]
    if len(section.rows) > len(shown):
        parts.append(Text(f"共 {len(section.rows)} 行，这里只列前 {len(shown)} 行；全部见 tiandz report --format md 或 --format xlsx"))
    if section.marked and section.marked_means:
        parts.append(Text(f"红色的行{section.marked_means}。"))
    if section.note:
        parts.append(Text(f"注：{section.note}。", style="dim"))
    return parts + [Text("")]
