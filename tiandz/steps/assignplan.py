"""`tiandz assign --from 交办方案.xlsx`: the 交办会 from the office's assignment plan, for registered items.

Each row names an item (by 编号, or 类型 + 案号, or 标题) and its own 主办 (several: 分办), 协办 and
optional 时限 and 办理方式, under the headers offices write. Every row is checked before anything is
written (unknown item or unit, an item already assigned — that is a 改办, with a reason, one item at a
time —, the same item twice); every bad row is named by its sheet and row; one bad row and nothing is
written. Then each item gets exactly what `tiandz assign` writes (steps/assign.py's `assign_one`), all in
one commit made the crash-safe way of every step (steps/engine.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from tiandz.core.ids import ItemId, parse_full
from tiandz.core.problems import Problem, TiandzError, closest
from tiandz.core.units import unit_name
from tiandz.files.sheetcolumns import kind_of, normalize_header, units_by_role
from tiandz.files.sheets import Sheet, cell_date, cell_text, footer_note
from tiandz.ledger.folder import Ledger
from tiandz.ledger.scan import scan_ledger
from tiandz.steps.assign import Order, assign_one, make_order
from tiandz.steps.common import step_date
from tiandz.steps.engine import Done, Outcome, perform
from tiandz.steps.planbook import COLUMNS, ROW_NUMBERS, column_of, reading_of


@dataclass
class PlanRow:
    """One row of the plan, resolved: where it is, which item, and the 交办 it orders."""

    sheet: str
    number: int
    item_id: ItemId
    order: Order


@dataclass
class PlanOutcome:
    rows: list[PlanRow]
    outcome: Outcome
    notes: list[str] = field(default_factory=list)

    def done_of(self, row: PlanRow) -> Done | None:
        return next((done for done in self.outcome.done if done.item_id == row.item_id), None)


def assign_from_plan(
    ledger: Ledger,
    path: Path,
    *,
    date: str | None = None,
    dry_run: bool = False,
    commit: bool = True,
    today: dt.date | None = None,
    sheet: str | None = None,
) -> PlanOutcome:
    """`tiandz assign --from`: every row checked, then every item assigned in one commit, or none. The plan
    is read as `import` reads a list (files/sheets.py): every worksheet with a header (`sheet`: that one only),
    title rows, two-row headers, merged cells and footers alike.

    >>> assign_from_plan(ledger, Path("交办方案.xlsx"), date="2024-03-20", dry_run=True)  # doctest: +SKIP
    """
    today = today or dt.date.today()
    day = step_date(date, today)
    # A big plan is read in another process (planbook.py) while this one reads the ledger (the scan and its
    # summaries): each takes a few tenths of a second on 15,000 rows. The scan serves the steps too (perform's `scan`).
    reading, beside = reading_of(path, sheet)
    index = None
    if beside:
        try:
            index = _Index(ledger, today)
        except TiandzError:
            reading()  # a plan that cannot be read is told first, as when it is read first
            raise
    book = reading()
    notes = [f"工作表“{name}”中找不到表头，未读取" for name in book.skipped]
    for table in book.sheets:
        if table.footer:
            notes.append((f"工作表“{table.name}”：" if book.several else "") + footer_note(table))
    rows, problems, index = _rows(ledger, path, book, day, today, notes, index)
    if problems:
        raise TiandzError(problems)
    if not rows:
        raise TiandzError([Problem(path.name, None, "", "交办方案中没有要交办的行")])
    by_id = {row.item_id: row for row in rows}

    def plan(target):
        row = by_id[target.item_id]
        try:
            return assign_one(ledger, target, row.order, today, reassign=False)
        except TiandzError as error:  # named by the row the clerk can correct, not by the item file
            raise TiandzError([replace(problem, path=row.sheet, line=row.number) for problem in error.problems]) from None

    scanned = index.scan if index is not None else None  # found sound there and unchanged: not judged again before the change
    first: dict[int, int] = {}  # each distinct 交办 (one Order a run: `_order`) by where it first comes
    alike = lambda item_id: first.setdefault(id(by_id[item_id].order), len(first))
    outcome = perform(ledger, "assign", [row.item_id for row in rows], plan, commit=commit, today=today, dry_run=dry_run,
                      scan=scanned, parallel=True, alike=alike)
    return PlanOutcome(rows, outcome, notes)


def _rows(ledger, path, book, day, today, notes, index: _Index | None) -> tuple[list[PlanRow], list[Problem], _Index | None]:
    """The plan's rows checked; `index`: the ledger's items by 案号 and 标题, when read already (else read here
    if a row may need it)."""
    rows: list[PlanRow] = []
    problems: list[Problem] = []
    seen: dict[ItemId, tuple[str, int]] = {}  # every row's item, a bad row's too: its twin is said at once
    orders: dict = {}  # each distinct 交办 of the plan, worked out once
    for sheet in book.sheets:
        label = f"{path.name}（{sheet.name}）" if book.several else path.name
        columns = [column_of(header) for header in sheet.headers]
        header_of = {column: header for header, column in zip(sheet.headers, columns) if column}
        unused = [h for h, c in zip(sheet.headers, columns) if c is None and h and normalize_header(h) not in ROW_NUMBERS]
        if unused:
            notes.append(f"{label}：未使用的列 {'、'.join(unused)}")
        missing = _missing_columns(header_of)
        if missing:
            problems += [Problem(label, None, column, message, hint) for column, message, hint in missing]
            continue
        if index is None and ({"案号", "标题"} & set(header_of) or "编号" not in header_of):  # a row may lack its 编号
            index = _Index(ledger, today)
        options = tuple(header_of.get(column, column) for column in ("主办单位", "协办单位", "方式", "时限"))
        for number, cells in sheet.rows:
            values = {column: cell for column, cell in zip(columns, cells) if column}
            item_id, found, row_problems = _row(ledger, label, sheet, number, values, header_of, options, index, day, orders)
            if item_id in seen:
                first_sheet, first_number = seen[item_id]
                where = f"第 {first_number} 行" if first_sheet == label else f"{first_sheet}第 {first_number} 行"
                row_problems.append(Problem(label, number, "", f"{item_id} 在本方案中出现两次（又见{where}）", "每件只交办一次：删去重复的行"))
            elif item_id is not None:
                seen[item_id] = (label, number)
            if found and not row_problems:
                rows.append(found)
            problems += row_problems
    return rows, problems, index


def _missing_columns(header_of: dict[str, str]) -> list[tuple[str, str, str]]:
    missing = []
    if not {"编号", "案号", "标题"} & set(header_of):
        missing.append(("编号", "表中没有找到条目的列：编号、案号或标题", "可用列名：编号；案号、建议号、提案号；标题、题目、案由"))
    if "主办单位" not in header_of:
        missing.append(("主办单位", "表中没有“主办单位”列", f"可用列名：{'、'.join(COLUMNS['主办单位'])}"))
    return missing


class _Index:
    """The registered items by 类型 + 案号 and by 标题, from the scan (its cache makes this cheap)."""

    def __init__(self, ledger: Ledger, today: dt.date) -> None:
        self.by_case: dict[tuple[str | None, str], list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.title_of: dict[str, str] = {}
        self.scan = scan_ledger(ledger, today)
        for summary in self.scan.summaries:  # not the facts: twice the JSON, for nothing more wanted here
            if summary.case_number not in (None, ""):
                case = str(summary.case_number).strip()
                self.by_case.setdefault((summary.kind, case), []).append(summary.id)
                self.by_case.setdefault((None, case), []).append(summary.id)
            title = _title_key(summary.title)
            self.by_title.setdefault(title, []).append(summary.id)
            self.title_of[summary.id] = summary.title


def _title_key(title: str) -> str:
    return "".join(title.split())  # every whitespace character out, as re's \s finds them


def _row(ledger, label, sheet: Sheet, number, values, header_of, options, index, day, orders) -> tuple[ItemId | None, PlanRow | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(column: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(label, number, header_of.get(column, column), message, hint))

    text = {column: cell_text(value) for column, value in values.items()}
    item_id = _find_item(ledger, text, sheet, index, bad)
    if item_id is not None and text.get("标题") and index is not None:
        registered = index.title_of.get(str(item_id))
        if registered is not None and _title_key(registered) != _title_key(text["标题"]):
            bad("标题", f"与 {item_id} 的标题“{registered}”不同", "请核对这一行的编号或案号，或改正标题")
    complaint, order, found = _order(ledger, orders, text, values.get("时限"), options, day)
    if complaint:
        bad("时限", complaint)
    if not problems:
        problems += [replace(problem, path=label, line=number) for problem in found]
    if problems or item_id is None:
        return item_id, None, problems
    return item_id, PlanRow(label, number, item_id, order), []


def _order(ledger, known, text, due_cell, options, day) -> tuple[str | None, Order | None, tuple[Problem, ...]]:
    """What a row's unit, 方式 and 时限 cells order: (what is wrong with its 时限, the 交办, why there is
    none: every unknown unit); a plan repeats a few hundred of them, so each is worked out once a run (`known`)."""
    key = (text.get("主办单位", ""), text.get("协办单位", ""), text.get("方式") or None, due_cell, options)
    if key not in known:
        leads, co_units = units_by_role(key[0], key[1])
        complaints: list[str] = []
        due = cell_date(due_cell, complaints.append, "时限") if due_cell not in (None, "") else None
        if complaints:
            known[key] = (complaints[0], None, ())
        else:
            known[key] = (None, *_new_order(ledger, tuple(leads), tuple(co_units), key[2], day, due, options))
    return known[key]


def _new_order(ledger, leads, co_units, mode, day, due, options) -> tuple[Order | None, tuple[Problem, ...]]:
    problems = []
    for option, units in ((options[0], leads), (options[1], co_units)):
        for unit in units:
            try:
                unit_name(ledger.config, unit, option)
            except TiandzError as error:
                problems += error.problems
    if problems:
        return None, tuple(problems)
    try:
        return make_order(ledger, list(leads), list(co_units), mode, day, due, options=options), ()
    except TiandzError as error:
        return None, tuple(error.problems)


def _find_item(ledger, text, sheet: Sheet, index, bad) -> ItemId | None:
    if text.get("编号"):
        try:
            return ledger.resolve_id(text["编号"])
        except TiandzError as error:
            problem = error.problems[0]
            bad("编号", problem.message, problem.hint or "编号形如 2024-J-015，本年度可简写为 J-15；案号写在“案号”列")
            return None
    kind = kind_of(text["类型"]) if text.get("类型") else kind_of(sheet.name)
    if text.get("案号"):
        found = index.by_case.get((kind, text["案号"]), [])
        if len(found) == 1:
            return parse_full(found[0])  # the scan found the file
        what = f"{kind or ''}案号 {text['案号']}"
        if found:
            bad("案号", f"{what}有 {len(found)} 件：{'、'.join(found)}", "加一列“类型”（建议或提案），或写编号")
        elif not text.get("标题"):
            bad("案号", f"找不到{what}的件", "tiandz list 可列出已登记的件；未登记的先 tiandz import")
            return None
        if found:
            return None
    title = text.get("标题")
    if not title:
        bad("编号", "这一行没有编号、案号或标题，不知道交办哪一件")
        return None
    found = index.by_title.get(_title_key(title), [])
    if len(found) == 1:
        return parse_full(found[0])  # the scan found the file
    if found:
        bad("标题", f"标题相同的有 {len(found)} 件：{'、'.join(found)}", "写编号或案号以区分")
        return None
    guess = closest(title, index.title_of.values(), cutoff=0.75)
    bad("标题", f"找不到标题为“{title}”的件", f"是否为“{guess}”？" if guess else "tiandz list 可列出已登记的件")
    return None


