"""`tiandz export`: the whole 办理台账 as one spreadsheet, one row per item, as offices keep it in Excel.

Rows come from the cached facts of the ledger scan and the state as of today; overdue rows are filled red;
the header row is frozen and filtered; any text that could run as a formula stays text. A second sheet
says when and from which git commit the sheet was made.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tiandz.core.facts import ItemFacts
from tiandz.core.names import require_kind
from tiandz.core.oserrors import hint, reason, shown_path
from tiandz.core.problems import refuse
from tiandz.core.state import current_replies, latest_evaluation
from tiandz.files.paths import file_in
from tiandz.files.xlsxcells import CellMaker, display_width, set_widths
from tiandz.files.yamlio import write_atomic
from tiandz.ledger.folder import Ledger
from tiandz.ledger.scan import scan_ledger
from tiandz.ledger.targets import check_default, check_output
from tiandz.report.build import unreadable_notes
from tiandz.report.provenance import provenance_of
from tiandz.report.standing import Basis, Standing, best_class, due_of, stand

COLUMNS = (
    "编号", "类型", "案号", "标题", "提出人", "联名", "领域", "重点督办", "主办", "协办", "交办日期", "时限",
    "状态", "沟通次数", "见面", "答复日期", "类别", "文号", "公开", "评价", "办结",
)
SHEET = "办理台账"
WIDEST = {"标题": 60, "联名": 30, "文号": 30}


@dataclass
class Exported:
    path: Path
    count: int
    overdue: int
    warnings: list[str] = field(default_factory=list)


def export_ledger(
    ledger: Ledger,
    path: Path | None = None,
    kind: str | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Exported:
    """`tiandz export`: the whole 办理台账 as one xlsx, one row per item, overdue rows filled red.

    >>> export_ledger(ledger, Path("台账.xlsx")).count  # doctest: +SKIP
    """
    today = today or dt.date.today()
    require_kind(kind)
    if path is not None:
        check_output(ledger, path)
    else:
        path = check_default(ledger, file_in(ledger.root / "out", f"办理台账-{today.isoformat()}.xlsx"))
    config = ledger.config
    basis = Basis(config, ledger.holidays)
    scan = scan_ledger(ledger, today, progress=progress)
    rows = []
    for facts in scan.facts:
        if kind is None or facts.kind == kind:
            standing = stand(facts, basis, max(today, facts.submitted))
            rows.append((row_values(standing, today, basis), standing.days_overdue is not None))
    warnings = unreadable_notes(scan)
    about = [("导出日期", today), ("台账", config.organization), ("依据", provenance_of(ledger.root).describe())]
    about += [("提示", warning) for warning in warnings]
    data = workbook_bytes(rows, about, progress)
    try:
        write_atomic(path, data)
    except OSError as error:
        refuse(f"无法写入 {shown_path(path)}：{reason(error)}", hint=hint(error) or "文件可能正在 Excel 或 WPS 中打开，关闭后再试")
    return Exported(path, len(rows), sum(1 for _, late in rows if late), warnings)


def row_values(standing: Standing, today: dt.date, basis: Basis) -> list:
    facts: ItemFacts = standing.facts
    assignment = facts.assignment
    replies = current_replies(facts, today)
    latest = {reply.unit: reply for reply in replies}
    dates = list(dict.fromkeys(reply.date for reply in replies))
    first_class = standing.first_class or best_class([reply.category for reply in replies], basis.order)
    class_now = standing.class_now or first_class
    evaluation = latest_evaluation(facts, today)
    return [
        facts.id,
        facts.kind,
        facts.case_number,
        facts.title,
        facts.proposer,
        "、".join(facts.cosigners),
        facts.topic,
        "是" if facts.key else "否",
        "、".join(assignment.lead_units) if assignment else None,
        "、".join(assignment.co_units) if assignment else None,
        assignment.date if assignment else None,
        due_of(standing, basis),
        standing.state,
        len(facts.contacts),
        "是" if standing.met else "否",
        dates[0] if len(dates) == 1 else "、".join(day.isoformat() for day in dates) or None,
        f"{first_class}→{class_now}" if first_class and class_now != first_class else class_now,
        "、".join(reply.number for reply in replies if reply.number) or None,
        "、".join(dict.fromkeys(reply.publicity for reply in latest.values())) or None,
        _rating_text(standing, evaluation),
        facts.closed,
    ]


def _rating_text(standing: Standing, evaluation) -> str | None:
    """分办: each 主办's own rating (县交通运输局：满意、县教育和体育局：不满意); else the latest rating."""
    if standing.unit_ratings:
        return "、".join(f"{unit}：{rating}" for unit, rating in standing.unit_ratings.items())
    return evaluation.result if evaluation else None


def workbook_bytes(rows: list[tuple[list, bool]], basis: list[tuple], progress=None) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{_column_letter(len(COLUMNS))}{len(rows) + 1}"
    widths = [display_width(name) for name in COLUMNS]
    for number, (values, _) in enumerate(rows):
        if number < 2000:  # the widths of the first rows size the columns: enough, and quick
            widths = [max(width, display_width(value)) for width, value in zip(widths, values)]
    set_widths(sheet, [min(width, WIDEST.get(name, 40)) for width, name in zip(widths, COLUMNS)])
    cells = CellMaker(sheet)
    sheet.append(cells.row(COLUMNS, bold=True))
    for number, (values, late) in enumerate(rows, start=1):
        sheet.append(cells.row(values, marked=late))
        if progress and number % 500 == 0:
            progress(number, len(rows))
    about = book.create_sheet("说明")
    notes = CellMaker(about)
    for label, value in basis + [("件数", len(rows)), ("逾期件数", sum(1 for _, late in rows if late)), ("标红", "逾期未答复的件")]:
        about.append(notes.row([label, value]))
    set_widths(about, [10, 60])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)
