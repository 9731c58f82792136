"""How items look at a terminal: the list table and the one-item view."""

from __future__ import annotations

import datetime as dt
import re

from tiandz.core.display import display_width, visible
from tiandz.core.names import IN_PROGRESS, REDO


def short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def aligned_lines(headings: tuple[str, ...], table: list[tuple[tuple[str, ...], bool]], color: bool, *, bold: bool = False,
                  indent: str = "") -> list[str]:
    """Rows of cells as aligned text, a late row red at a terminal. Widths are display cells (a Chinese
    character is two), so columns line up in any terminal."""
    widths = [max([display_width(heading)] + [display_width(cells[index]) for cells, _ in table]) for index, heading in enumerate(headings)]

    def line(cells) -> str:
        return indent + "  ".join(cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths)).rstrip()

    red, strong, reset = ("\x1b[31m", "\x1b[1m" if bold else "", "\x1b[0m") if color else ("", "", "")
    lines = [(strong + line(headings) + reset) if strong else line(headings)]
    return lines + [(red + line(cells) + reset) if late else line(cells) for cells, late in table]


def items_lines(rows, today: dt.date, color: bool, roles: list[str] | None = None) -> list[str]:
    """The list as aligned text: a rich Table takes seconds for 15,000 rows, this takes milliseconds.

    Widths are display cells (a Chinese character is two), so columns line up in any terminal. `roles` (with
    `--unit`) adds a column saying whether that unit is each item's 主办 or 协办.
    """
    headings = ("编号", "标题", "主办", *(("本单位",) if roles is not None else ()), "状态", "时限", "剩余天数")
    table = []
    for number, row in enumerate(rows):
        days = row.days_left(today) if row.state in (IN_PROGRESS, REDO) else None
        late = row.overdue(today)
        role = (roles[number],) if roles is not None else ()
        table.append((
            (row.id, short(visible(row.title)), visible("、".join(row.lead_units)), *role, row.state,
             row.due.isoformat() if row.due else "", "" if days is None else (f"逾期{-days}天" if late else str(days))),
            late,
        ))
    return aligned_lines(headings, table, color, bold=True)


def item_lines(view, width: int | None, color: bool) -> list[str]:
    """One item as `tiandz show` prints it: a column of keys, each value beside its key, nested entries
    numbered and indented, long answers in full (wrapped to the terminal, never cut off).

    Plain text with colour codes only at a terminal: rich's table costs `show` a tenth of its time, and it
    cut long lines short with "…" where a clerk wants to read the answer.
    """
    red, reset = ("\x1b[31m", "\x1b[0m") if color else ("", "")
    status = view.state
    if view.due:
        late = view.days_left < 0
        status += f"，时限 {view.due}，" + (f"{red}已逾期 {-view.days_left} 天{reset}" if late else f"剩余 {view.days_left} 天")
    rows = [("状态", [status])]
    if view.promises:
        rows.append(("承诺事项", [_promise_line(number, promise) for number, promise in enumerate(view.promises, 1)]))
    rows += [(key, _value_lines(_marked(key, value))) for key, value in view.fields]
    key_width = max(display_width(key) for key, _ in rows)
    lines = []
    for key, values in rows:
        for index, value in enumerate(values):
            head = key + " " * (key_width - display_width(key)) if index == 0 else " " * key_width
            lines += _wrapped(head + "  ", value, width)
    return lines


def _marked(key: str, value):
    """申请 the office has not decided yet are marked 待处理: the file says so by having no 处理."""
    if key != "申请" or not isinstance(value, list):
        return value
    return [entry if not isinstance(entry, dict) or entry.get("处理") else {**entry, "处理": "待处理"} for entry in value]


def _promise_line(number: int, promise) -> str:
    """Numbered as `tiandz promise --done N` takes them, across all answers."""
    deadline = f"期限 {promise.deadline}，" if promise.deadline else ""
    done = f"已完成 {promise.done}" if promise.done else "未完成"
    return f"{number}. {visible(promise.matter)}（{deadline}{done}）"


def _value_lines(value) -> list[str]:
    """A value of the file as lines: lists numbered, mappings as 键：值, continuation lines aligned."""
    if isinstance(value, bool):
        return ["是" if value else "否"]
    if isinstance(value, list):
        if all(not isinstance(element, (dict, list)) for element in value):
            return [visible("、".join(str(element) for element in value))]
        lines = []
        for number, element in enumerate(value, start=1):
            lines += _hanging(f"{number}. ", _value_lines(element))
        return lines
    if isinstance(value, dict):
        lines = []
        for key, inner in value.items():
            lines += _hanging(f"{visible(str(key))}：", _value_lines(inner))
        return lines
    return [visible(line) for line in str(value).rstrip("\n").split("\n")]


def _hanging(label: str, lines: list[str]) -> list[str]:
    indent = " " * display_width(label)
    return [label + lines[0], *(indent + line for line in lines[1:])] if lines else [label]


def _wrapped(head: str, text: str, width: int | None) -> list[str]:
    """head + text, broken into lines of at most `width` cells; continuations keep the text's indent."""
    if not width or display_width(head + text) <= width:
        return [head + text]
    label = _LABEL.match(text)  # continue under the value, after "  1. 内容："
    indent = " " * (display_width(head) + display_width(label.group(0)) if label else display_width(head))
    lines, line, used = [], head, display_width(head)
    for character in text:
        cells = display_width(character)
        if used + cells > width and line.strip():
            lines.append(line)
            line, used = indent, len(indent)
        line += character
        used += cells
    return lines + [line]


_LABEL = re.compile(r" *(?:\d+\. )?(?:[^\s：]{1,8}：)?")


