"""`tiandz import`: register the year's items from the list the congress or the CPPCC sends (交办清单).

Lists come as offices make them: titles above the header, footers below, merged cells, a 建议 and a 提案
sheet in one workbook, and later a supplementary list (补充清单) that repeats some rows. Columns are read by
their Chinese headers (importcolumns.py), rows made into items (importrows.py). Every row is checked,
against the same rules as `check`, before anything is written: one bad row means nothing is written, and
every bad row is listed with its sheet and row number. Rows the ledger already has are skipped and listed.
One commit for the whole list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.dates import parse_date
from tiandz.core.ids import ItemId
from tiandz.core.model import Source
from tiandz.core.names import KINDS, require_kind
from tiandz.core.problems import Problem, TiandzError, did_you_mean, refuse
from tiandz.files.sheetcolumns import kind_of
from tiandz.files.sheets import footer_note, read_sheets
from tiandz.ledger.folder import Ledger
from tiandz.ledger.scan import scan_ledger
from tiandz.ops.importcolumns import COLUMNS, Column, is_known_header, read_columns
from tiandz.ops.importrows import NO_DATE, Options, Registry, Row, row_draft
from tiandz.ops.registration import Draft, judged_new, plan_items, register

SOURCES = list(Source.__args__)


@dataclass
class SheetReading:
    """How one sheet was read, for --dry-run."""

    where: str
    name: str
    kind: str | None  # the type its name gives
    header_row: int
    rows: int
    columns: list[Column]
    footer: list[tuple[int, str]]


@dataclass
class ImportResult:
    count: int
    first: str | None = None
    last: str | None = None
    notes: list[str] = field(default_factory=list)
    sheets: list[SheetReading] = field(default_factory=list)
    registered: list[tuple[str, str]] = field(default_factory=list)  # (row, the 编号 it is) skipped
    assigned: int = 0  # new items assigned now (rows with a 主办单位)
    unassigned: int = 0
    dates: list[str] = field(default_factory=list)  # where 提出日期, 提出方式 and the 交办 date come from
    problems: list[Problem] = field(default_factory=list)  # a dry run's problems (an import raises them)
    ranges: list[str] = field(default_factory=list)  # the 编号 registered, per type: 2024-J-001 至 2024-J-025


def import_file(
    ledger: Ledger,
    path: Path,
    kind: str | None = None,
    assigned: dt.date | str | None = None,
    dry_run: bool = False,
    commit: bool = True,
    today: dt.date | None = None,
    *,
    sheet: str | None = None,
    submitted: dt.date | str | None = None,
    source: str | None = None,
) -> ImportResult:
    """`tiandz import`: every row of a list (.xlsx or .csv) checked, then the rows not registered yet
    registered in one commit, or none. Rows with a 主办 are assigned on `assigned` (default today), their
    时限 written. 提出日期 from the sheet, else `submitted`, else the session's 会议日期, never today.

    >>> import_file(ledger, Path("交办清单.xlsx"), assigned="2024-03-20", submitted="2024-01-15", dry_run=True)  # doctest: +SKIP
    """
    today = today or dt.date.today()
    given = assigned is not None
    assigned = (parse_date(assigned, "--date") if isinstance(assigned, str) else assigned) or today
    submitted = parse_date(submitted, "--submitted") if isinstance(submitted, str) else submitted
    require_kind(kind)
    if source is not None and source not in SOURCES:
        guess = did_you_mean(source, SOURCES)
        refuse(f"提出方式“{source}”应为 {' 或 '.join(SOURCES)}" + (f"，{guess}" if guess else ""), field="--source")
    options = Options(kind, submitted, source, assigned)
    result = ImportResult(0)
    rows, problems = _read(ledger, path, sheet, options, result)
    result.dates = _origins(ledger, options, given, result.sheets)
    drafts = [row for row in rows if row.draft is not None]
    problems += _repeated(drafts)
    if problems or dry_run:
        fresh, registered = _not_registered(ledger, drafts, today)
        result.registered = registered
        planned = plan_items(ledger, [row.draft for row in fresh])
        found = [errors for errors, _ in judged_new(ledger, planned, today, render=False)]
        problems = _in_order(problems + _check_rows(fresh, planned, found), result.sheets)
        _count(result, fresh)
        if problems and not dry_run:
            raise TiandzError(problems)
        result.problems = problems
        return result
    chosen: list[Row] = []

    def vet() -> tuple[list[Draft], list[Problem]]:
        fresh, result.registered = _not_registered(ledger, drafts, today)
        chosen[:] = fresh
        return [row.draft for row in fresh], []

    done = register(
        ledger, [], commit=commit, today=today, subject=lambda count: f"导入 {path.name}：登记 {count} 件",
        step="import", vet=vet, check=lambda planned, found: _check_rows(chosen, planned, found),
    )
    _count(result, chosen)
    ids = sorted(done.ids, key=lambda item_id: (item_id.letter, item_id.number))
    result.count, result.first, result.last = len(ids), str(ids[0]) if ids else None, str(ids[-1]) if ids else None
    result.ranges = [f"{group[0]} 至 {group[-1]}" if len(group) > 1 else str(group[0])
                     for letter in sorted({item_id.letter for item_id in ids})
                     for group in [[item_id for item_id in ids if item_id.letter == letter]]]
    result.notes += [f"{row} 已登记为 {item_id}，跳过" for row, item_id in result.registered] + done.notes
    return result


def _read(ledger, path, only, options, result) -> tuple[list[Row], list[Problem]]:
    """Every sheet's rows as drafts, and the problems of the sheets and rows."""
    config = ledger.config
    book = read_sheets(path, is_known_header, only)
    problems: list[Problem] = []
    rows: list[Row] = []
    for name in book.skipped:
        result.notes.append(f"工作表“{name}”中找不到表头，未读取")
    for sheet in book.sheets:
        where = f"{path.name}[{sheet.name}]" if book.several else path.name
        prefix = f"工作表“{sheet.name}”：" if book.several else ""
        columns = read_columns(sheet, config)
        sheet_kind = kind_of(sheet.name)
        fields = {column.field for column in columns}
        result.sheets.append(SheetReading(where, sheet.name, sheet_kind, sheet.header_row, len(sheet.rows), columns,
                                          sheet.footer))
        result.notes += [prefix + column.note for column in columns if column.note]
        if sheet.footer:
            result.notes.append(prefix + footer_note(sheet))
        if sheet_kind and options.kind and sheet_kind != options.kind and "类型" not in fields:
            problems.append(Problem(where, None, "类型", f"工作表“{sheet.name}”是{sheet_kind}，与 --type {options.kind} 不符",
                                    "去掉 --type，或用 --sheet 只导入一个工作表"))
            continue
        missing = []
        if "类型" not in fields and sheet_kind is None and options.kind is None:
            missing.append(Problem(where, None, "类型", "表中没有“类型”列", "用 --type 建议 或 --type 提案 指定"))
        for required in ("标题", "提出人"):
            if required not in fields:
                missing.append(Problem(where, None, required, f"表中没有“{required}”列", f"可用列名：{'、'.join(COLUMNS[required])}"))
        if missing:
            problems += missing
            continue
        header_of = {column.field: column.header for column in columns if column.field}
        read = [(column.field, column.index) for column in columns if column.field]
        undated = []
        for line, cells in sheet.rows:
            values = {name: cells[index] if index < len(cells) else None for name, index in read}
            row = row_draft(values, where, line, header_of, sheet_kind, options, config)
            rows.append(row)
            problems += row.problems
            if row.undated:
                undated.append(row)
        if undated:
            problems.append(_undated(where, undated, "提出日期" in fields, config))
    return rows, _in_order(problems, result.sheets)


def _in_order(problems: list[Problem], sheets: list[SheetReading]) -> list[Problem]:
    """Problems sheet by sheet, in the workbook's order, and row by row."""
    order = {sheet.where: position for position, sheet in enumerate(sheets)}
    return sorted(problems, key=lambda problem: (order.get(problem.path, -1), problem.line or 0))


def _undated(where: str, rows: list[Row], has_column: bool, config) -> Problem:
    """Rows with no 提出日期 anywhere: one problem for the sheet (a list of 90,000 rows must not say it 90,000 times)."""
    lines = [row.line for row in rows]
    shown = f"第 {'、'.join(map(str, lines[:10]))} 行" + (f"等 {len(lines)} 行" if len(lines) > 10 else "")
    what = f"{shown}提出日期为空" if has_column else "表中没有提出日期列"
    return Problem(where, None, "提出日期", f"{NO_DATE}：{what}，未给 --submitted，tiandz.yaml 的届次下也没有会议日期",
                   f"用 --submitted {config.year}-01-15 指定（大会的日期），或在 tiandz.yaml 的 届次 下写 会议日期；"
                   "tiandz 不以今天代替")


def _repeated(rows: list[Row]) -> list[Problem]:
    """A row that repeats an earlier row of the list (by 案号, or 标题 + 提出人) is a mistake in the list."""
    seen = Registry()
    problems = []
    for row in rows:
        draft = row.draft
        earlier = seen.find(draft.kind, draft.title, draft.proposer, draft.case_number)
        if earlier:
            problems.append(Problem(row.where, row.line, "标题", f"与{earlier}重复", "同一件只在清单中列一行"))
        else:
            seen.add(draft.kind, draft.title, draft.proposer, draft.case_number, row.place)
    return problems


def _not_registered(ledger: Ledger, rows: list[Row], today: dt.date) -> tuple[list[Row], list[tuple[str, str]]]:
    """The rows the ledger does not have yet, and the others with the 编号 each already is."""
    known = Registry()
    titles = {}
    for summary in scan_ledger(ledger, today).summaries:
        known.add(summary.kind, summary.title, summary.proposer, summary.case_number, summary.id)
        titles[summary.id] = summary.title
    fresh, registered = [], []
    for row in rows:
        draft = row.draft
        found = known.find(draft.kind, draft.title, draft.proposer, draft.case_number)
        if found and titles.get(found, draft.title) != draft.title:  # the same 案号: a title corrected since
            registered.append((row.place, f"{found}（案号相同，台账中标题为“{titles[found]}”）"))
        elif found:
            registered.append((row.place, found))
        else:
            fresh.append(row)
    return fresh, registered


_FIELD_TO_COLUMN = {
    "标题": "标题", "提出人": "提出人", "领域": "领域", "提出方式": "提出方式", "提出日期": "提出日期",
    "交办.主办": "主办单位", "交办.协办": "协办单位", "交办.日期": "提出日期", "交办.时限": "时限",
    "案号": "案号", "联名": "联名", "交办.方式": "主办单位", "内容": "内容", "联系方式": "联系方式",
}


def _check_rows(rows: list[Row], planned: list[tuple[ItemId, dict]], found: list[list[Problem]]) -> list[Problem]:
    """The errors the item rules found in each row's file as it would be written (`found`, registration's
    judged_new), each named by the row and its column."""
    named = []
    for row, errors in zip(rows, found):
        for problem in errors:
            base = re.sub(r"\[\d+\]$", "", problem.field)
            named.append(Problem(row.where, row.line, _FIELD_TO_COLUMN.get(base, problem.field), problem.message, problem.hint))
    return named


def _count(result: ImportResult, rows: list[Row]) -> None:
    result.assigned = sum(1 for row in rows if row.draft.lead_units)
    result.unassigned = len(rows) - result.assigned
    result.count = result.count or len(rows)


def _origins(ledger: Ledger, options: Options, given: bool, sheets: list[SheetReading]) -> list[str]:
    """Where 提出日期, 提出方式 and the 交办 date come from, said by --dry-run."""
    config = ledger.config
    dated = any(any(column.field == "提出日期" for column in sheet.columns) for sheet in sheets)
    meetings = {kind: config.meeting_of(kind) for kind in KINDS}
    spans = "；".join(f"{kind} {span[0]} 至 {span[1]}" for kind, span in meetings.items() if span)
    fallback = (f"--submitted {options.submitted}" if options.submitted
                else f"tiandz.yaml 会议日期的首日（{spans}）" if spans else None)
    if dated:
        submitted = "表中的提出日期列" + (f"；空白的按 {fallback}" if fallback else "；空白的行无从得知，须补填或用 --submitted 指定")
    else:
        submitted = fallback or f"无从得知：表中没有提出日期列，未给 --submitted，tiandz.yaml 没有会议日期（{NO_DATE}）"
    if options.source:
        source = f"--source {options.source}"
    else:
        source = (f"表中的提出方式列；否则按会议日期（{spans}）推定：会期内为大会期间，其余为闭会期间" if spans
                  else "表中的提出方式列；否则不写（tiandz.yaml 没有会议日期，可用 --source 指定）")
    day = f"{options.assigned}（--date）" if given else f"{options.assigned}（今天；可用 --date 指定交办会日期）"
    return [f"提出日期：{submitted}", f"提出方式：{source}", f"交办日期：{day}，时限按 tiandz.yaml 的答复时限写入"]
