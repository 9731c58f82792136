"""One row of a list as a new item (a Draft), and which rows are items the ledger already has.

The row's type comes from its 类型 cell, else the sheet's name (建议, 提案), else --type. Its 提出日期 from its
cell, else --submitted, else the first day of the session's 大会 (tiandz.yaml 届次.会议日期): never a silent
today. Its 提出方式 from --source, else its cell, else the session's dates. A unit written with its role,
县财政局（协办）, goes to that role whatever the column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tiandz.core.config import Config
from tiandz.core.names import KINDS, PROPOSAL, SUGGESTION
from tiandz.core.problems import Problem
from tiandz.files.sheetcolumns import split_names, units_by_role
from tiandz.files.sheets import cell_date, cell_text
from tiandz.ops.registration import Draft

_YES = {"是", "√", "✓", "1", "true", "yes", "y", "重点", "重点督办"}
_NO = {"否", "", "0", "false", "no", "n", "×"}
NO_DATE = "没有提出日期"


@dataclass
class Options:
    """What the clerk said on the command line, for every row."""

    kind: str | None = None  # --type
    submitted: dt.date | None = None  # --submitted
    source: str | None = None  # --source
    assigned: dt.date | None = None  # --date: the 交办会


@dataclass
class Row:
    where: str  # the file, or the file and its sheet: 交办清单.xlsx[提案]
    line: int
    draft: Draft | None
    problems: list[Problem] = field(default_factory=list)
    undated: bool = False  # no 提出日期 anywhere: said once per sheet, not once per row

    @property
    def place(self) -> str:
        return f"{self.where} 第 {self.line} 行"


def row_draft(values: dict, where: str, line: int, header_of: dict, sheet_kind: str | None, options: Options,
              config: Config) -> Row:
    """The Draft a row makes, or the problems that keep it from making one, each naming its column."""
    problems: list[Problem] = []

    def bad(column, message, hint=None):
        problems.append(Problem(where, line, header_of.get(column, column), message, hint))

    text = {column: cell_text(value) for column, value in values.items()}
    kind = text.get("类型") or sheet_kind or options.kind or ""
    kind = next((known for known in KINDS if known in kind), kind)
    if kind not in KINDS:
        bad("类型", f"类型“{kind}”应为 {SUGGESTION} 或 {PROPOSAL}")
    for required in ("标题", "提出人"):
        if not text.get(required):
            bad(required, "不能为空")
    unreadable: list[str] = []  # a date cell that is not a date is its own problem, not a date to fill in

    def bad_date(message: str) -> None:
        unreadable.append(message)
        bad("提出日期", message)

    submitted = cell_date(values.get("提出日期"), bad_date)
    undated = False
    if submitted is None and not unreadable:
        meeting = config.meeting_of(kind) if kind in KINDS else None
        submitted = options.submitted or (meeting[0] if meeting else None)
        undated = submitted is None and kind in KINDS
    due = cell_date(values.get("时限"), lambda message: bad("时限", message))
    key_text = text.get("重点", "").lower()
    if key_text not in _YES and key_text not in _NO:
        bad("重点", f"“{text.get('重点')}”应为 是 或 否")
    leads, co_units = units_by_role(text.get("主办单位", ""), text.get("协办单位", ""))
    assigned = options.assigned if leads else None
    if due is not None and not leads:
        bad("时限", "没有主办单位的行不交办，不能写时限")
    elif due is not None and assigned is not None and due <= assigned:
        bad("时限", f"时限 {due} 不晚于交办日期 {assigned}")
    if problems or undated:
        return Row(where, line, None, problems, undated)
    source = options.source or text.get("提出方式") or config.source_on(kind, submitted)
    draft = Draft(
        kind=kind, title=text["标题"], proposer=text["提出人"], submitted=submitted,
        cosigners=split_names(text.get("联名", "")), topic=text.get("领域") or None,
        case_number=text.get("案号") or None, source=source, key=key_text in _YES,
        content=text.get("内容") or None, contact_info=text.get("联系方式") or None,
        lead_units=leads, co_units=co_units, assigned=assigned, due=due,
    )
    return Row(where, line, draft)


def _case(value) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


class Registry:
    """Items already known (the ledger's, then the list's own earlier rows), found by their identities.

    Two items with 案号 are the same when their 案号 are; 标题 + 提出人 decides only when one has no 案号 (a
    proposer may well have two items of one title in two sessions' numbering).
    """

    def __init__(self) -> None:
        self._cases: dict[tuple, str] = {}
        self._titles: dict[tuple, list[tuple[str | None, str]]] = {}

    def add(self, kind: str, title: str, proposer: str, case, name: str) -> None:
        case = _case(case)
        if case:
            self._cases.setdefault(("案号", kind, case), name)
        self._titles.setdefault(("标题", kind, title.strip(), proposer.strip()), []).append((case, name))

    def find(self, kind: str, title: str, proposer: str, case) -> str | None:
        case = _case(case)
        if case and ("案号", kind, case) in self._cases:
            return self._cases[("案号", kind, case)]
        for other_case, name in self._titles.get(("标题", kind, title.strip(), proposer.strip()), []):
            if not (case and other_case):
                return name
        return None
