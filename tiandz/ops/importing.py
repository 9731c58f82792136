"""`tiandz import`: register the year's items from the list the congress or the CPPCC sends (交办清单).

Columns are found by their Chinese headers, in any order, under the names offices actually use. Every row
is checked, against the same rules as `check`, before anything is written: one bad row means nothing is
written, and every bad row is listed by its row number. One commit for the whole list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.dates import parse_date
from tiandz.core.names import KINDS, PROPOSAL, SUGGESTION, require_kind
from tiandz.core.problems import ERROR, Problem, TiandzError
from tiandz.files.sheets import cell_text, read_sheet
from tiandz.ledger.folder import Ledger
from tiandz.ledger.scan import scan_ledger
from tiandz.ops.registration import Draft, next_numbers, register, to_data, validate_new

COLUMNS = {
    "类型": ["类型", "建议提案类型", "件别"],
    "标题": ["标题", "案由", "题目", "建议标题", "提案标题", "建议名称", "提案名称"],
    "提出人": ["提出人", "领衔代表", "领衔人", "提案人", "第一提案人", "代表姓名", "委员姓名", "提案者", "代表"],
    "联名": ["联名", "联名人", "联名代表", "附议", "附议人", "附议代表", "联名委员"],
    "案号": ["案号", "建议号", "提案号", "编号", "建议编号", "提案编号"],
    "领域": ["领域", "所属领域", "内容分类", "专题"],
    "主办单位": ["主办单位", "主办", "承办单位", "主办部门"],
    "协办单位": ["协办单位", "协办", "会办单位", "协办部门"],
    "提出方式": ["提出方式", "提出时间段"],
    "提出日期": ["提出日期", "提交日期", "提出时间", "提交时间"],
    "重点": ["重点", "重点督办", "是否重点", "是否重点督办"],
    "内容": ["内容", "建议内容", "提案内容", "正文", "全文"],
    "联系方式": ["联系方式", "联系电话", "手机"],
    "时限": ["时限", "办理时限", "答复时限"],
}
_HEADER_INDEX = {name: column for column, names in COLUMNS.items() for name in names}
_IGNORED = {"序号", "备注", ""}
_SPLIT = re.compile(r"[、，,;；\s]+")
_YES = {"是", "√", "✓", "1", "true", "yes", "y", "重点", "重点督办"}
_NO = {"否", "", "0", "false", "no", "n", "×"}


def normalize_header(text: str) -> str:
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    return re.sub(r"[\s*＊:：]", "", text)


def column_of(header: str) -> str | None:
    return _HEADER_INDEX.get(normalize_header(header))


@dataclass
class ImportResult:
    count: int
    first: str | None = None
    last: str | None = None
    notes: list[str] = field(default_factory=list)


def split_names(text: str) -> list[str]:
    return [name for name in _SPLIT.split(text) if name]


def import_file(
    ledger: Ledger,
    path: Path,
    kind: str | None = None,
    assigned: dt.date | str | None = None,
    dry_run: bool = False,
    commit: bool = True,
    today: dt.date | None = None,
) -> ImportResult:
    """`tiandz import`: every row of a list (.xlsx or .csv) checked, then all registered in one commit, or none;
    rows with a 主办 are assigned on `assigned` (a date or its text, default today).

    >>> import_file(ledger, Path("交办清单.xlsx"), kind="建议", assigned="2024-03-20", dry_run=True)  # doctest: +SKIP
    """
    today = today or dt.date.today()
    assigned = (parse_date(assigned, "--date") if isinstance(assigned, str) else assigned) or today
    require_kind(kind)
    sheet = read_sheet(path, lambda text: column_of(text) is not None)
    columns = [column_of(header) for header in sheet.headers]
    notes = [
        f"未识别的列“{header}”已忽略"
        for header, column in zip(sheet.headers, columns)
        if column is None and normalize_header(header) not in _IGNORED
    ]
    problems: list[Problem] = []
    if "类型" not in columns and kind is None:
        problems.append(Problem(path.name, None, "类型", "表中没有“类型”列", "用 --type 建议 或 --type 提案 指定"))
    for required in ("标题", "提出人"):
        if required not in columns:
            problems.append(Problem(path.name, None, required, f"表中没有“{required}”列", f"可用列名：{'、'.join(COLUMNS[required])}"))
    if problems:
        raise TiandzError(problems)
    header_of = {column: header for header, column in zip(sheet.headers, columns) if column}
    drafts: list[tuple[int, Draft]] = []
    for number, cells in sheet.rows:
        values = {column: cell for column, cell in zip(columns, cells) if column}
        draft, row_problems = _draft(values, number, path.name, header_of, kind, assigned)
        problems += row_problems
        if draft:
            drafts.append((number, draft))

    def vet() -> list[Problem]:
        found = _validate_rows(ledger, drafts, path.name, today, header_of)
        found += _already_registered(ledger, drafts, path.name, today)
        return sorted(found, key=lambda problem: problem.line or 0)

    if problems or dry_run or not drafts:
        problems = sorted(problems + vet(), key=lambda problem: problem.line or 0)
        if problems:
            raise TiandzError(problems)
        return ImportResult(len(drafts), notes=notes)
    result = register(
        ledger, [draft for _, draft in drafts], commit=commit, today=today,
        subject=f"导入 {path.name}：登记 {len(drafts)} 件", step="import", vet=vet,
    )
    ids = sorted(map(str, result.ids))
    return ImportResult(len(ids), ids[0], ids[-1], notes + result.notes)


def _draft(values, number, shown, header_of, kind, assigned):
    problems = []

    def bad(column, message, hint=None):
        problems.append(Problem(shown, number, header_of.get(column, column), message, hint))

    text = {column: cell_text(value) for column, value in values.items()}
    row_kind = text.get("类型") or kind or ""
    row_kind = next((known for known in KINDS if known in row_kind), row_kind)
    if row_kind not in KINDS:
        bad("类型", f"类型“{row_kind}”应为 {SUGGESTION} 或 {PROPOSAL}")
    for required in ("标题", "提出人"):
        if not text.get(required):
            bad(required, "不能为空")
    submitted = _date(values.get("提出日期"), assigned, lambda message: bad("提出日期", message))
    due = _date(values.get("时限"), None, lambda message: bad("时限", message))
    key_text = text.get("重点", "").lower()
    if key_text not in _YES and key_text not in _NO:
        bad("重点", f"“{text.get('重点')}”应为 是 或 否")
    if problems:
        return None, problems
    source = text.get("提出方式") or None
    lead_units = split_names(text.get("主办单位", ""))
    draft = Draft(
        kind=row_kind, title=text["标题"], proposer=text["提出人"], submitted=submitted,
        cosigners=split_names(text.get("联名", "")), topic=text.get("领域") or None,
        case_number=text.get("案号") or None, source=source, key=key_text in _YES,
        content=text.get("内容") or None, contact_info=text.get("联系方式") or None,
        lead_units=lead_units, co_units=split_names(text.get("协办单位", "")),
        assigned=assigned if lead_units else None, due=due,
    )
    return draft, []


def _date(value, default, complain):
    if value in (None, ""):
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(cell_text(value))
    except TiandzError as error:
        complain(error.problems[0].message)
        return default


_FIELD_TO_COLUMN = {
    "标题": "标题", "提出人": "提出人", "领域": "领域", "提出方式": "提出方式", "提出日期": "提出日期",
    "交办.主办": "主办单位", "交办.协办": "协办单位", "交办.日期": "提出日期", "交办.时限": "时限",
    "案号": "案号", "联名": "联名", "交办.方式": "主办单位",
}


def _validate_rows(ledger, drafts, shown, today, header_of) -> list[Problem]:
    """Run the item rules on every row as it would be written, naming the row and its column."""
    found = []
    planned = {kind: iter(next_numbers(ledger, ledger.config.year, kind, len(drafts))) for kind in KINDS}
    for number, draft in drafts:
        item_id = next(planned[draft.kind])
        for problem in validate_new(ledger, item_id, to_data(draft, item_id, ledger), today):
            if problem.severity != ERROR:
                continue
            base = re.sub(r"\[\d+\]$", "", problem.field)
            column = header_of.get(_FIELD_TO_COLUMN.get(base, ""), problem.field)
            found.append(Problem(shown, number, column, problem.message, problem.hint))
    return found


def _already_registered(ledger, drafts, shown, today) -> list[Problem]:
    """Importing the same list twice must not register every item twice."""
    seen = {(summary.kind, summary.title, summary.proposer): summary.id for summary in scan_ledger(ledger, today).summaries}
    found = []
    for number, draft in drafts:
        key = (draft.kind, draft.title, draft.proposer)
        if key in seen:
            found.append(Problem(shown, number, "标题", f"已登记为 {seen[key]}", "同一提出人的同题件不重复登记"))
        else:
            seen[key] = f"本表第{number}行"
    return found
