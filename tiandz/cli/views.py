"""How items look at a terminal: the list table and the one-item view."""

from __future__ import annotations

import datetime as dt

from tiandz.core.names import IN_PROGRESS, REDO


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def items_lines(rows, today: dt.date, color: bool) -> list[str]:
    """The list as aligned text: a rich Table takes seconds for 15,000 rows, this takes milliseconds.

    Widths are display cells (a Chinese character is two), so columns line up in any terminal.
    """
    from rich.cells import cell_len

    headings = ("编号", "标题", "主办", "状态", "时限", "剩余天数")
    table = []
    for row in rows:
        days = row.days_left(today) if row.state in (IN_PROGRESS, REDO) else None
        late = row.overdue(today)
        table.append((
            (row.id, _short(row.title), "、".join(row.lead_units), row.state,
             row.due.isoformat() if row.due else "", "" if days is None else (f"逾期{-days}天" if late else str(days))),
            late,
        ))
    widths = [max([cell_len(heading)] + [cell_len(cells[index]) for cells, _ in table]) for index, heading in enumerate(headings)]

    def line(cells) -> str:
        return "  ".join(cell + " " * (width - cell_len(cell)) for cell, width in zip(cells, widths)).rstrip()

    red, bold, reset = ("\x1b[31m", "\x1b[1m", "\x1b[0m") if color else ("", "", "")
    lines = [bold + line(headings) + reset]
    lines += [(red + line(cells) + reset) if late else line(cells) for cells, late in table]
    return lines


def item_panel(view):
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    status = view.state
    if view.due:
        late = view.days_left < 0
        status += f"，时限 {view.due}，" + (f"[red]已逾期 {-view.days_left} 天[/red]" if late else f"剩余 {view.days_left} 天")
    table.add_row("状态", status)
    promises = _promise_lines(view.promises)
    if promises:
        table.add_row("承诺事项", promises)
    for key, value in view.fields:
        table.add_row(key, _render(value))
    return table


def _promise_lines(promises) -> str:
    """Every promise with the number `tiandz promise --done N` takes, across all answers."""
    from rich.markup import escape

    lines = []
    for number, promise in enumerate(promises, start=1):
        deadline = f"期限 {promise.deadline}，" if promise.deadline else ""
        done = f"已完成 {promise.done}" if promise.done else "未完成"
        lines.append(escape(f"{number}. {promise.matter}（{deadline}{done}）"))
    return "\n".join(lines)


def _render(value, depth: int = 0) -> str:
    from rich.markup import escape

    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        if all(not isinstance(element, (dict, list)) for element in value):
            return escape("、".join(str(element) for element in value))
        return "\n".join(f"{number}. " + _render(element, depth + 1) for number, element in enumerate(value, start=1))
    if isinstance(value, dict):
        indent = "   " * (1 if depth else 0)
        lines = [f"{key}：{_render(inner, depth + 1)}" for key, inner in value.items()]
        return ("\n" + indent).join(lines)
    return escape(str(value).rstrip("\n"))
