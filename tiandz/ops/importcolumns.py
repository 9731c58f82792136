"""How `tiandz import` reads a list's columns: the headers real lists use, and what each column became.

Offices name the same column many ways (标题, 题目, 建议题目, 案由; 主办单位, 牵头单位, 承办单位), so each field
has its synonyms. A column named 类别 is either the item's topic (教育, 交通) or, on a list of answered items,
the result class (A, B, C): its values decide, and the reading is said. No column is left out silently:
every column gets a reading, shown by `--dry-run`, and one that is not imported gets a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiandz.core.config import Config
from tiandz.files.sheetcolumns import SERIAL, SHARED_COLUMNS, normalize_header
from tiandz.files.sheets import Sheet, cell_text

COLUMNS = {
    "类型": SHARED_COLUMNS["类型"],
    "标题": SHARED_COLUMNS["标题"],
    "提出人": ["提出人", "领衔代表", "领衔人", "提案人", "第一提案人", "代表姓名", "委员姓名", "提案者", "代表"],
    "联名": ["联名", "联名人", "联名代表", "附议", "附议人", "附议代表", "联名委员"],
    "案号": SHARED_COLUMNS["案号"] + ["编号"],  # a list's 编号 is the congress's number for the item
    "领域": ["领域", "所属领域", "内容分类", "专题"],
    "主办单位": SHARED_COLUMNS["主办单位"],
    "协办单位": SHARED_COLUMNS["协办单位"],
    "提出方式": ["提出方式", "提出时间段"],
    "提出日期": ["提出日期", "提交日期", "提出时间", "提交时间"],
    "重点": ["重点", "重点督办", "是否重点", "是否重点督办"],
    "内容": ["内容", "建议内容", "提案内容", "正文", "全文"],
    "联系方式": ["联系方式", "联系电话", "手机"],
    "时限": SHARED_COLUMNS["时限"],
}
CATEGORY = "类别"  # the topic, or the result class: decided by the column's values
REMARKS = "备注"
_HEADER_INDEX = {name: column for column, names in COLUMNS.items() for name in names}


def column_of(header: str) -> str | None:
    return _HEADER_INDEX.get(normalize_header(header))


def is_known_header(text: str) -> bool:
    """A cell that names a column (for finding the header row): a field's synonym, 类别 or 序号."""
    name = normalize_header(text)
    return name in _HEADER_INDEX or name in (CATEGORY, SERIAL)


@dataclass
class Column:
    """One column of a sheet and how it was read: `field` is where its cells go (None: not imported)."""

    index: int
    header: str
    field: str | None
    reading: str  # said by --dry-run: 标题, 领域（…）, 忽略（序号）
    note: str | None = None  # said by every import when the column is not imported, or read in a way to know


def read_columns(sheet: Sheet, config: Config) -> list[Column]:
    """Each column of the sheet with its reading; the first of two columns for one field is the one read."""
    columns: list[Column] = []
    taken: dict[str, str] = {}
    has_topic = any(_HEADER_INDEX.get(normalize_header(header)) == "领域" for header in sheet.headers)
    for index, header in enumerate(sheet.headers):
        name = normalize_header(header)
        field = _HEADER_INDEX.get(name)
        if not name:
            if any(index < len(cells) and cell_text(cells[index]) for _, cells in sheet.rows):
                place = f"第 {index + 1} 列"
                columns.append(Column(index, place, None, "忽略：没有列名", f"{place}没有列名，其中的内容未导入"))
            continue
        if name == SERIAL:
            columns.append(Column(index, header, None, "忽略（序号）"))
            continue
        if name == REMARKS:
            columns.append(Column(index, header, None, "忽略：备注不登记", f"“{header}”列不登记，其中的内容未导入"))
            continue
        reading, note = field, None
        if name == CATEGORY and has_topic:
            words = f"表中已有领域列，“{header}”列未导入"
            columns.append(Column(index, header, None, f"忽略：{words}", words))
            continue
        if name == CATEGORY:
            field, reading, note = _category(sheet, index, header, config)
        if field is None and name != CATEGORY:
            columns.append(Column(index, header, None, "忽略：未识别的列", f"未识别的列“{header}”已忽略"))
            continue
        if field is not None and field in taken:
            words = f"“{header}”与“{taken[field]}”都是{field}，只读取“{taken[field]}”"
            columns.append(Column(index, header, None, f"忽略：{words}", words))
            continue
        if field is not None:
            taken[field] = header
        columns.append(Column(index, header, field, reading or "忽略", note))
    return columns


def _category(sheet: Sheet, index: int, header: str, config: Config) -> tuple[str | None, str, str]:
    values = {cell_text(cells[index]) for _, cells in sheet.rows if index < len(cells)} - {""}
    classes = {str(key) for key in config.classes}
    shown = "、".join(sorted(values)[:3]) + ("等" if len(values) > 3 else "")
    if values and values <= classes:
        words = f"“{header}”列的值（{shown}）是答复类别，不是领域，登记时不用，已忽略"
        return None, f"忽略：值为答复类别（{shown}）", words
    words = f"“{header}”列的值（{shown or '空'}）是领域，不是答复类别（{'、'.join(sorted(classes))}），按领域读取"
    return "领域", f"领域（值为 {shown or '空'}，不是答复类别）", words
