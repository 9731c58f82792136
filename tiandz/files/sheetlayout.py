"""Finding the table in a worksheet as an office lays it out, from its rows of cells (no file here).

Above the header: a title and a subtitle (县十六届人大三次会议代表建议交办清单, 填报单位 and date). The header
may take two rows, a group heading (承办单位) merged over the columns named on the row below it (主办单位,
协办单位). Merged cells hold their value only in the top-left cell: a heading merged down or across is
given to every cell it covers, and in the data a cell merged down (one 主办单位 for several rows) to every
row, but never across (that would copy a unit from the 主办 column into the 协办 column). Below the data:
footer rows (注：…, 制表人：… 审核人：…, 合计) that are not items.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

from tiandz.core.dates import parse_date
from tiandz.core.fields import clean_text
from tiandz.core.problems import TiandzError

HEADER_SEARCH_ROWS = 10
FOOTER = re.compile(
    r"^(?:(?:注|附注|备注|说明|制表人?|制表单位|制表日期|审核人?|审核|填表人?|填报人|填报单位|填报日期|联系人|联系电话|"
    r"经办人|负责人|审批人?|签发人?)\s*[：:]|(?:合\s*计|总\s*计|小\s*计)(?:\s|[：:0-9（(]|$))"
)

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based, inclusive)


@dataclass
class Sheet:
    """One table: its column headings and its data rows, each with its row number as the spreadsheet shows it."""

    headers: list[str]
    rows: list[tuple[int, list]]
    name: str = ""  # the worksheet's name ("" for a CSV file)
    header_row: int = 0
    footer: list[tuple[int, str]] = field(default_factory=list)  # rows skipped as the table's footer


def footer_note(sheet: Sheet) -> str | None:
    """What is said of the rows set apart as the footer: they are not items (said by every reader of a list)."""
    if not sheet.footer:
        return None
    shown = "；".join(f"第 {line} 行“{_short(text)}”" for line, text in sheet.footer)
    return f"表尾 {shown} 不是条目，已跳过"


def _short(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[:most] + "…"


def cell_text(value) -> str:
    """A cell as text: 15.0 is "15", a date cell is ISO, None is empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(str(value)).strip()  # Word's soft breaks and bells never reach a file


def cell_date(value, complain: Callable[[str], None], field: str = "日期") -> dt.date | None:
    """A cell as a date: a date the sheet holds, or text as a clerk writes one (2024-03-20, 2024/3/20,
    2024年3月20日); an empty cell is None, anything else is said to `complain` and is None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(cell_text(value), field)
    except TiandzError as error:
        complain(error.problems[0].message)
        return None


def find_table(raw: list[tuple[int, list]], is_header: Callable[[str], bool], merges: list[Merge] = (),
               name: str = "") -> Sheet | None:
    """The table of a worksheet: None when no row near the top names two known columns."""
    _fill_down(raw, merges)
    for index, (number, cells) in enumerate(raw[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in cells if is_header(cell_text(cell))) < 2:
            continue
        _fill_across(raw, merges, number, number + 1)
        headers = [cell_text(cell) for cell in cells]
        below = raw[index + 1] if index + 1 < len(raw) else None
        start = index + 1
        if below is not None and _is_subheader(headers, [cell_text(cell) for cell in below[1]], is_header):
            sub = [cell_text(cell) for cell in below[1]]
            headers = [
                sub[column] if column < len(sub) and sub[column] and is_header(sub[column]) else heading
                for column, heading in enumerate(headers)
            ] + [text for text in sub[len(headers):]]
            start += 1
        rows, footer = _data_and_footer(raw[start:])
        return Sheet(headers, rows, name, number, footer)
    return None


def _is_subheader(headers: list[str], below: list[str], is_header) -> bool:
    """The second row of a two-row header: it names a column the row above only groups (承办单位 → 主办单位)."""
    above = headers + [""] * max(0, len(below) - len(headers))
    differs = False
    for text, upper in zip(below, above):
        if not text or text == upper:
            continue
        if not is_header(text):
            return False
        differs = True
    return differs


def _data_and_footer(rows: list[tuple[int, list]]) -> tuple[list[tuple[int, list]], list[tuple[int, str]]]:
    data: list[tuple[int, list]] = []
    for position, (number, cells) in enumerate(rows):
        first = next((text for text in map(cell_text, cells) if text), None)  # not every cell of 15,000 rows
        if first is None:
            continue
        if FOOTER.match(first):
            footer = []
            for later, later_cells in rows[position:]:
                shown = " ".join(text for text in map(cell_text, later_cells) if text)
                if shown:
                    footer.append((later, shown))
            return data, footer
        data.append((number, cells))
    return data, []


def _fill_down(raw: list[tuple[int, list]], merges: list[Merge]) -> None:
    """A cell merged down: its value in every row it covers (in its first column only).

    Excel never writes overlapping merges; a workbook that declares them (millions, each over the whole
    sheet, from someone who wants the clerk's machine to hang) has each cell filled once: the work is
    bounded by the sheet, not by merges × rows.
    """
    if not merges:
        return
    position = {number: index for index, (number, _) in enumerate(raw)}
    numbers = [number for number, _ in raw]  # in sheet order, ascending
    filled: set[tuple[int, int]] = set()
    for first_row, first_column, last_row, _ in merges:
        if first_row == last_row or first_row not in position:
            continue
        value = _cell(raw[position[first_row]][1], first_column)
        for index in range(bisect.bisect_right(numbers, first_row), bisect.bisect_right(numbers, last_row)):
            if (numbers[index], first_column) in filled:
                break  # an overlapping merge: this cell, and the rest of it, belong to another
            filled.add((numbers[index], first_column))
            _put(raw[index][1], first_column, value)


def _fill_across(raw: list[tuple[int, list]], merges: list[Merge], first: int, last: int) -> None:
    """In the header rows, a heading merged across: its text in every column it covers (each cell once, as
    `_fill_down`)."""
    position = {number: index for index, (number, _) in enumerate(raw)}
    filled: set[tuple[int, int]] = set()
    for first_row, first_column, last_row, last_column in merges:
        if first_column == last_column or first_row > first:  # a merge that starts in the data is not a heading
            continue
        for number in range(max(first_row, first), min(last_row, last) + 1):
            if number in position and first_row in position:
                value = _cell(raw[position[first_row]][1], first_column)
                for column in range(first_column + 1, last_column + 1):
                    if (number, column) in filled:
                        break
                    filled.add((number, column))
                    _put(raw[position[number]][1], column, value)


def _cell(cells: list, column: int):
    return cells[column - 1] if column - 1 < len(cells) else None


def _put(cells: list, column: int, value) -> None:
    if column - 1 >= len(cells):
        cells.extend([None] * (column - len(cells)))
    cells[column - 1] = value


_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]+)")


def merge_ranges(references: list[str], most_rows: int, most_columns: int) -> list[Merge]:
    """"A3:A5" → (3, 1, 5, 1); references past the sheet's bounds are cut to them."""
    merges = []
    for reference in references:
        corners = [_REFERENCE.fullmatch(part) for part in reference.split(":")]
        if len(corners) != 2 or not all(corners):
            continue
        (first_row, first_column), (last_row, last_column) = (
            (int(match.group(2)), _column_number(match.group(1))) for match in corners
        )
        if first_row > most_rows or first_column > most_columns:
            continue
        merges.append((first_row, first_column, min(last_row, most_rows), min(last_column, most_columns)))
    return merges


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
