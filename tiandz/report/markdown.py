"""The report as Markdown: a quick look, a web page, or a draft to paste from."""

from __future__ import annotations

from tiandz.report.build import Report
from tiandz.report.layout import Section, cell_text, sections


def markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"{report.organization}。{report.basis}。", ""]
    for section in sections(report):
        lines += section_lines(section)
    if report.warnings:
        lines += ["## 提示", ""] + [f"- {_escape(warning)}" for warning in report.warnings] + [""]
    return "\n".join(lines)


def section_lines(section: Section) -> list[str]:
    lines = [f"## {section.title}", ""]
    if not section.rows:
        return lines + [section.empty, ""]
    numeric = section.numeric
    lines.append("| " + " | ".join(section.headers) + " |")
    lines.append("|" + "|".join("---:" if index in numeric else "---" for index in range(len(section.headers))) + "|")
    for index, row in enumerate(section.rows):
        cells = [_escape(cell_text(value)) for value in row]
        if index in section.marked:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if section.marked and section.marked_means:
        lines += [f"加粗的行{section.marked_means}。", ""]
    if section.note:
        lines += [f"注：{section.note}。", ""]
    return lines


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("*", "\\*")
