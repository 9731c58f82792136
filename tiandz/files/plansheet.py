"""The 交办方案 (assignment plan) as an office makes it: every worksheet with a header, footers cut off.

A plan is a workbook like the lists `import` reads (sheets.py): a title row or two above the header, the
data, then footer rows (`注：…`, `制表人：… 审核人：…`, `合计 …`) that are not items. Offices often keep
建议 and 提案 on two worksheets of one workbook, so every worksheet whose top rows hold a header is read,
and its name is kept: a row is named by sheet and row number, and a sheet named 建议 or 提案 says the type.

(sheets.py reads the first worksheet only and keeps footers; `import` is being taught both elsewhere. This
module keeps what the plan needs apart so the two can be unified once both are in: `read_sheets` here is
the multi-sheet reader, `is_footer` the footer rule.)
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.oserrors import hint, reason, shown_path
from tiandz.core.problems import refuse
from tiandz.files.reading import SHEET_LIMIT, read_bytes
from tiandz.files.sheets import HEADER_SEARCH_ROWS, MOST_COLUMNS, MOST_ROWS, MOST_UNPACKED, cell_text, read_sheet

# The first filled cell of a footer row: a note, who made and checked the table, a total line.
_FOOTER = re.compile(r"^(注|说明|备注|制表|填表|审核|审批|签发|负责人|联系人|合计|总计|小计)\s*(人|日期|时间)?\s*[:：\s\d]|^(合计|总计|小计)$")


@dataclass
class PlanSheet:
    name: str | None  # the worksheet's name; None for a .csv
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet program shows it, cells)
    footer: int | None = None  # the row number where the footer starts, if any
    notes: list[str] = field(default_factory=list)


def is_footer(cells: list) -> bool:
    first = next((cell_text(cell) for cell in cells if cell_text(cell)), "")
    return bool(_FOOTER.match(first))


def read_sheets(path: Path, is_header) -> list[PlanSheet]:
    """Every sheet of the file with a header row (`is_header(text)` says whether a cell names a column)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") and path.exists():
        sheets = [_found(name, rows, is_header) for name, rows in _worksheets(path)]
        sheets = [sheet for sheet in sheets if sheet is not None]
        if not sheets:
            refuse(f"{path.name} 的各工作表前 {HEADER_SEARCH_ROWS} 行中都找不到表头", hint="表头应含“编号”“案号”“标题”“主办单位”等列名")
        return [_without_footer(sheet) for sheet in sheets]
    sheet = read_sheet(path, is_header)  # .csv, and every refusal for a missing or unreadable file
    return [_without_footer(PlanSheet(None, sheet.headers, sheet.rows))]


def _found(name: str, raw: list[tuple[int, list]], is_header) -> PlanSheet | None:
    for index, (_, cells) in enumerate(raw[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in cells if is_header(cell_text(cell))) >= 2:
            rows = [(number, cells) for number, cells in raw[index + 1 :] if any(cell_text(value) for value in cells)]
            return PlanSheet(name, [cell_text(cell) for cell in cells], rows)
    return None


def _without_footer(sheet: PlanSheet) -> PlanSheet:
    """Everything from the first footer row on is the footer: a 合计 line, then 注 and 制表人 below it."""
    for position, (number, cells) in enumerate(sheet.rows):
        if is_footer(cells):
            first = next(cell_text(cell) for cell in cells if cell_text(cell))
            where = f"工作表“{sheet.name}”" if sheet.name else ""
            sheet.notes.append(f"{where}第 {number} 行起为表尾（{first[:20]}），不是条目，已跳过")
            sheet.footer = number
            sheet.rows = sheet.rows[:position]
            break
    return sheet


def _worksheets(path: Path) -> list[tuple[str, list[tuple[int, list]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        data = read_bytes(path, SHEET_LIMIT, follow=True)  # the clerk's own file: a symlink to it is fine
    except OSError as error:
        refuse(f"无法读取 {shown_path(path.name)}：{reason(error)}", hint=hint(error))
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        refuse(f"无法读取 {path.name}：不是 .xlsx 文件", hint="请确认是 Excel 2007 及以后的 .xlsx 文件")
    if unpacked > MOST_UNPACKED:
        refuse(f"{path.name} 解压后有 {unpacked // 1024 // 1024} MB，远超任何清单", hint="请检查文件是否损坏，或另存为 .csv")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or mislabelled file
        refuse(f"无法读取 {path.name}：{error}", hint="请确认是 Excel 2007 及以后的 .xlsx 文件")
    try:
        found, total = [], 0
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()  # the declared size may claim a million columns: read what is there
            rows = []
            for number, row in enumerate(worksheet.iter_rows(values_only=True, max_col=MOST_COLUMNS), start=1):
                total += 1
                if total > MOST_ROWS:
                    refuse(f"{path.name} 超过 {MOST_ROWS} 行", hint="请分成几个文件")
                rows.append((number, list(row)))
            found.append((worksheet.title, rows))
        return found
    finally:
        workbook.close()
