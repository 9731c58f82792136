"""Reading the lists the congress and the CPPCC send: .xlsx, or .csv as Excel saves it (UTF-8 with or
without a byte-order mark, or GBK on Chinese Windows).

A workbook may hold several worksheets (建议 and 提案, or a 说明 sheet): every sheet whose top rows name
known columns is a table; how a table is found in a sheet (title rows, a two-row header, merged cells,
footer rows) is sheetlayout.py. `read_sheets` is the reader for any list tiandz takes in; `read_sheet` the
first table alone.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tiandz.core.oserrors import hint, reason, shown_path
from tiandz.core.problems import TiandzError, did_you_mean, refuse
from tiandz.files import xlsxread
from tiandz.files.reading import SHEET_LIMIT, read_bytes
from tiandz.files.sheetlayout import (
    HEADER_SEARCH_ROWS,
    Sheet,
    cell_date,
    cell_text,
    find_table,
    footer_note,
    merge_ranges,
)
from tiandz.files.textfiles import decode_office_text

__all__ = ["HEADER_SEARCH_ROWS", "Book", "Sheet", "cell_date", "cell_text", "footer_note", "read_sheet", "read_sheets"]

# A list has hundreds of rows (a ministry's, thousands) and a few dozen columns. A file claiming far more,
# or a zip that inflates to far more than any list, is refused before it can exhaust memory.
MOST_ROWS = 100_000
MOST_COLUMNS = 200
MOST_UNPACKED = 256 * 1024 * 1024
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z0-9:]+)\"")


@dataclass
class Book:
    """The tables of a file: one per worksheet with a header (a CSV file is one)."""

    sheets: list[Sheet]
    skipped: list[str] = field(default_factory=list)  # worksheets with no header: a 说明 page, an empty sheet
    several: bool = False  # the file has more than one worksheet: rows are named with their sheet


def read_sheet(path: Path, is_header: Callable[[str], bool]) -> Sheet:
    """The first table of the file; `is_header(text)` says whether a cell names a column."""
    return read_sheets(path, is_header).sheets[0]


def read_sheets(path: Path, is_header: Callable[[str], bool], only: str | None = None,
                headers: str = "“标题”“提出人”或“领衔代表”") -> Book:
    """Every table of the file (only the worksheet named `only`, when given); refused when there is none, with
    `headers` the column names a header holds."""
    suffix = path.suffix.lower()
    if not path.exists():
        refuse(f"找不到文件 {path}")
    several = False
    if suffix in (".xlsx", ".xlsm"):
        raw, several = _read_xlsx(path, only)
    elif suffix in (".csv", ".txt"):
        if only is not None:
            refuse(f"{path.name} 是 CSV 文件，没有工作表", field="--sheet", hint="去掉 --sheet")
        raw = [("", _read_csv(path), [])]
    elif suffix == ".xls":
        refuse(f"{path.name} 是旧版 Excel（.xls）格式", hint="请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    else:
        refuse(f"{path.name} 不是 .xlsx 或 .csv 文件")
    book = Book([], several=several)
    for name, rows, merges in raw:
        table = find_table(rows, is_header, merges, name)
        if table is None:
            book.skipped.append(name)
        else:
            book.sheets.append(table)
    if not book.sheets:
        where = f"{path.name} 的工作表“{only}”" if only else (f"{path.name} 各工作表" if book.several else path.name)
        refuse(f"{where}的前 {HEADER_SEARCH_ROWS} 行中找不到表头", hint=f"表头应含{headers}等列名")
    return book


def _read_xlsx(path: Path, only: str | None) -> tuple[list[tuple[str, list[tuple[int, list]], list]], bool]:
    """Each worksheet (only the one named `only`, when given): its name, rows and merged ranges; and whether
    the workbook has more than one worksheet."""
    import zipfile

    data = _bounded(path)
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        refuse(f"无法读取 {path.name}：不是 .xlsx 文件", hint="请确认是 Excel 2007 及以后的 .xlsx 文件")
    if unpacked > MOST_UNPACKED:
        refuse(f"{path.name} 解压后有 {unpacked // 1024 // 1024} MB，远超任何清单", hint="请检查文件是否损坏，或另存为 .csv 再导入")
    try:
        return _read_xlsx_directly(path, data, only)
    except (TiandzError, MemoryError):
        raise
    except Exception:  # anything unusual or damaged: openpyxl reads it, or says what is wrong with it
        pass
    # Outside the handler: the failed attempt's parts and rows, held by its traceback, are freed first.
    return _read_xlsx_openpyxl(path, data, only)


def _read_xlsx_directly(path: Path, data: bytes, only: str | None) -> tuple[list, bool]:
    """The common workbook, read by xlsxread (several times faster than openpyxl, the same cells)."""
    book = xlsxread.Workbook(data)
    _known_sheet(path, only, book.names)
    tables = []
    for name, member in book.sheets:
        if only is None or name == only:
            xml = book.archive.read(member)
            tables.append((name, _numbered(path, book.rows(xml)), _merge_references(xml)))
    return tables, len(book.sheets) > 1


def _read_xlsx_openpyxl(path: Path, data: bytes, only: str | None) -> tuple[list, bool]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or mislabelled file
        refuse(f"无法读取 {path.name}：{error}", hint="请确认是 Excel 2007 及以后的 .xlsx 文件")
    try:
        _known_sheet(path, only, workbook.sheetnames)
        tables = [(sheet.title, _sheet_rows(path, sheet), _merges(workbook, sheet))
                  for sheet in workbook.worksheets if only is None or sheet.title == only]
        return tables, len(workbook.worksheets) > 1
    except TiandzError:
        raise
    except Exception as error:  # a damaged sheet shows only as its rows are read (a cell reference "B$1")
        refuse(f"无法读取 {path.name}：{error}", hint="请确认是 Excel 2007 及以后的 .xlsx 文件")
    finally:
        workbook.close()


def _known_sheet(path: Path, only: str | None, names: list[str]) -> None:
    if only is not None and only not in names:
        guess = did_you_mean(only, names)
        refuse(f"{path.name} 中没有工作表“{only}”" + (f"，{guess}" if guess else ""), field="--sheet",
               hint="工作表有：" + "、".join(names))


def _sheet_rows(path: Path, sheet) -> list[tuple[int, list]]:
    if not hasattr(sheet, "iter_rows"):  # a chart sheet: no cells
        return []
    sheet.reset_dimensions()  # the declared size may claim a million columns: read what is there
    return _numbered(path, sheet.iter_rows(values_only=True))


def _numbered(path: Path, rows: Iterable) -> list[tuple[int, list]]:
    """Each row with its number, as wide as its last cell (a row padded to MOST_COLUMNS costs 200 cells for a
    title), cut there."""
    numbered = []
    for number, row in enumerate(rows, start=1):
        if number > MOST_ROWS:
            refuse(f"{path.name} 超过 {MOST_ROWS} 行", hint="请分成几个文件导入")
        cells = list(row[:MOST_COLUMNS])
        while cells and cells[-1] is None:  # a formatted but empty cell at the end
            cells.pop()
        numbered.append((number, cells))
    return numbered


def _merges(workbook, sheet) -> list:
    """Merged ranges, which openpyxl's read-only mode does not give: read from the sheet's XML (bounded by
    the unpacked size already checked)."""
    archive, member = getattr(workbook, "_archive", None), getattr(sheet, "_worksheet_path", None)
    if archive is None or member is None:
        return []
    try:
        data = archive.read(member)
    except KeyError:
        return []
    return _merge_references(data)


def _merge_references(data: bytes) -> list:
    references = [match.group(1).decode("ascii") for match in _MERGE.finditer(data)]
    return merge_ranges(references, MOST_ROWS, MOST_COLUMNS)


def _bounded(path: Path) -> bytes:
    try:
        return read_bytes(path, SHEET_LIMIT, follow=True)  # the clerk's own file: a symlink to it is fine
    except OSError as error:
        refuse(f"无法读取 {shown_path(path.name)}：{reason(error)}", hint=hint(error))


def _read_csv(path: Path) -> list[tuple[int, list]]:
    text = decode_office_text(_bounded(path))
    if text is None:
        refuse(f"{path.name} 既不是 UTF-8 也不是 GBK 编码", hint="请在 Excel 中另存为“CSV UTF-8”")
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for number, row in enumerate(reader, start=1):
            if number > MOST_ROWS:
                refuse(f"{path.name} 超过 {MOST_ROWS} 行", hint="请分成几个文件导入")
            rows.append((number, row[:MOST_COLUMNS]))
    except csv.Error as error:  # a cell over csv's field limit (128 K characters), a stray NUL …
        refuse(f"{path.name} 第 {reader.line_num} 行无法按 CSV 读取：{_csv_reason(error)}", hint="请在 Excel 中检查这一行，或另存为 .xlsx")
    return rows


def _csv_reason(error: Exception) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return "一格超过 131072 个字符"
    if "NUL" in text or "null byte" in text:
        return "含有 NUL 字符"
    return text
