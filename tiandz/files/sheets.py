"""Reading the lists the congress and the CPPCC send: .xlsx, or .csv as Excel saves it (UTF-8 with or
without a byte-order mark, or GBK on Chinese Windows).

A sheet often opens with a title row (县十六届人大三次会议代表建议交办清单) above the headers, so the header
row is the first of the top rows in which several known headers appear.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from tiandz.core.fields import clean_text
from tiandz.core.oserrors import hint, reason, shown_path
from tiandz.core.problems import refuse
from tiandz.files.reading import SHEET_LIMIT, read_bytes
from tiandz.files.textfiles import decode_office_text

HEADER_SEARCH_ROWS = 10
# A list has hundreds of rows (a ministry's, thousands) and a few dozen columns. A file claiming far more,
# or a zip that inflates to far more than any list, is refused before it can exhaust memory.
MOST_ROWS = 100_000
MOST_COLUMNS = 200
MOST_UNPACKED = 256 * 1024 * 1024


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet program shows it, cells)


def read_sheet(path: Path, is_header) -> Sheet:
    """The header row and the data rows after it; `is_header(text)` says whether a cell names a column."""
    suffix = path.suffix.lower()
    if not path.exists():
        refuse(f"找不到文件 {path}")
    if suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        raw = _read_csv(path)
    elif suffix == ".xls":
        refuse(f"{path.name} 是旧版 Excel（.xls）格式", hint="请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    else:
        refuse(f"{path.name} 不是 .xlsx 或 .csv 文件")
    for index, (_, cells) in enumerate(raw[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in cells if is_header(cell_text(cell))) >= 2:
            headers = [cell_text(cell) for cell in cells]
            return Sheet(headers, [(n, c) for n, c in raw[index + 1 :] if any(cell_text(v) for v in c)])
    refuse(f"{path.name} 的前 {HEADER_SEARCH_ROWS} 行中找不到表头", hint="表头应含“标题”“提出人”或“领衔代表”等列名")


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


def _read_xlsx(path: Path) -> list[tuple[int, list]]:
    import zipfile

    from openpyxl import load_workbook

    data = _bounded(path)
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        refuse(f"无法读取 {path.name}：不是 .xlsx 文件", hint="请确认是 Excel 2007 及以后的 .xlsx 文件")
    if unpacked > MOST_UNPACKED:
        refuse(f"{path.name} 解压后有 {unpacked // 1024 // 1024} MB，远超任何清单", hint="请检查文件是否损坏，或另存为 .csv 再导入")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or mislabelled file
        refuse(f"无法读取 {path.name}：{error}", hint="请确认是 Excel 2007 及以后的 .xlsx 文件")
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size may claim a million columns: read what is there
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MOST_COLUMNS), start=1):
            if number > MOST_ROWS:
                refuse(f"{path.name} 超过 {MOST_ROWS} 行", hint="请分成几个文件导入")
            rows.append((number, list(row)))
        return rows
    finally:
        workbook.close()


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
