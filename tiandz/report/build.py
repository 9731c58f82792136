"""Making the report: the items as of a date, their figures and tables, and what the report was made from.

`build_report` is the one entry point every output uses (json, md, xlsx, the terminal table, and the docx
a leader reads): it returns a `Report` and writes nothing. The items come from the cached scan of the
ledger (tiandz/loading.py), so a report over 15,000 items reads no file that has not changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from tiandz.core.names import KIND_TITLES, KINDS, require_kind
from tiandz.core.problems import ERROR, refuse
from tiandz.ledger.folder import Ledger
from tiandz.ledger.scan import scan_ledger
from tiandz.report.figures import Figures, count_figures
from tiandz.report.memo import remember_report
from tiandz.report.provenance import PendingProvenance, Provenance, provenance_notes
from tiandz.report.standing import Basis, Standing, stand
from tiandz.report.tables import Tables, make_tables

SHOWN_AT_MOST = 5


@dataclass
class Report:
    organization: str
    year: int
    kind: str | None  # 建议 or 提案 when the report is about one type only
    as_of: dt.date
    made_on: dt.date
    figures: Figures
    tables: Tables
    source: Provenance
    classes: dict[str, str]  # 分类 of tiandz.yaml: class → meaning, best first
    solved: list[str]
    standings: list[Standing] = field(repr=False, default_factory=list)
    warnings: list[str] = field(default_factory=list)
    addressee: str | None = None  # tiandz.yaml 报告.主送: the Word report is a 报告 to this body
    show_basis: bool = False  # tiandz.yaml 报告.显示依据: the Word report prints its as-of date and commit

    @property
    def title(self) -> str:
        what = KIND_TITLES.get(self.kind, "".join(KIND_TITLES.values()))
        return f"{self.year}年{what}办理进展情况"

    @property
    def document_title(self) -> str:
        """The Word report's title: 关于…办理工作进展情况的报告 when it goes to a body (主送), else the plain 情况."""
        if not self.addressee:
            return self.title
        return f"关于{self.title.removesuffix('办理进展情况')}办理工作进展情况的报告"

    @property
    def basis(self) -> str:
        """The line every output prints: the as-of date and the commit, so the report can be made again."""
        return f"截至 {self.as_of.isoformat()}；{self.source.describe()}；{self.made_on.isoformat()} 生成"

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "as_of": self.as_of.isoformat(),
            "type": self.kind,
            "year": self.year,
            "base": "items",
            **self.source.to_json(),
            "made_on": self.made_on.isoformat(),
            **self.figures.to_json(),
            **self.tables.to_json(),
            "warnings": self.warnings,
        }


def build_report(
    ledger: Ledger,
    as_of: dt.date | None = None,
    kind: str | None = None,
    year: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """The report on the items of the ledger (of one type, of one year's 编号) as of a date (default today)."""
    today = today or dt.date.today()
    as_of = as_of or today
    if as_of > today:
        refuse(f"截至日期 {as_of} 晚于今天", field="--as-of", hint="进展报告只统计已经发生的办理情况")
    require_kind(kind)
    config = ledger.config
    pending = PendingProvenance(ledger.root)
    try:
        scan = scan_ledger(ledger, today, progress=progress)
    except BaseException:
        pending.cancel()
        raise
    chosen = [
        facts
        for facts in scan.facts
        if (kind is None or facts.kind == kind) and (year is None or facts.id[:4] == str(year))
    ]
    if year is not None and not chosen:
        pending.cancel()
        there = sorted({facts.id[:4] for facts in scan.facts})
        refuse(f"台账中没有 {year} 年度编号的{kind or '件'}", field="--year",
               hint=f"台账中有：{'、'.join(there)} 年度" if there else "台账中还没有登记任何件")
    basis = Basis(config, ledger.holidays)
    standings = [found for facts in chosen if (found := stand(facts, basis, as_of))]
    report = Report(
        organization=config.organization,
        year=year or config.year,
        kind=kind,
        as_of=as_of,
        made_on=today,
        figures=count_figures(standings, config, (kind,) if kind else KINDS),
        tables=make_tables(standings, basis),
        source=pending.result(),
        classes={str(name): meaning for name, meaning in config.classes.items()},
        solved=[str(name) for name in config.solved_classes],
        standings=standings,
        addressee=config.report.addressee,
        show_basis=config.report.show_basis,
    )
    report.warnings = _warnings(report, scan, year)
    remember_report(ledger.state_folder, scan, report, kind, year)
    report.warnings += provenance_notes(report.source)
    return report


def _warnings(report: Report, scan, year: int | None) -> list[str]:
    """What the reader of the figures should know: items left out, figures that may mislead."""
    notes = unreadable_notes(scan)
    years = sorted({standing.facts.id[:4] for standing in report.standings})
    if year is None and len(years) > 1:
        notes.append(f"已计入 {'、'.join(years)} 多个年度的件；只统计一个年度请用 --year")
    moved = [s.facts.id for s in report.standings if any(day > report.as_of for day in s.facts.reassignment_dates)]
    if moved:
        notes.append(
            f"{len(moved)} 件在截至日期之后改办或退回（{_some(moved)}）：文件只记载改办后的交办，"
            "这些件截至当日按改办后的交办计算"
        )
    unknown = [name for name in report.figures.category_now if name not in report.classes]
    unknown += [name for name in report.figures.category if name not in report.classes and name not in unknown]
    if unknown:
        notes.append(f"类别 {'、'.join(unknown)} 不在 tiandz.yaml 的分类中，单列计数")
    return notes


def unreadable_notes(scan) -> list[str]:
    """Files left out because they cannot be read as items, and errors that may skew what was read: said by
    report and export alike, never left out silently."""
    notes = []
    unreadable = [entry.shown for entry in scan.entries if entry.facts is None]
    if unreadable:
        notes.append(f"{len(unreadable)} 个文件不能读为条目，未计入：{_some(unreadable, '个')}（运行 tiandz check 查看）")
    errors = sum(1 for problem in scan.problems if problem.severity == ERROR)
    if errors > len(unreadable):
        notes.append("台账有错误（运行 tiandz check 查看），有关的数字可能不准")
    return notes


def _some(names: list[str], measure: str = "件") -> str:
    shown = "、".join(names[:SHOWN_AT_MOST])
    return shown + (f" 等 {len(names)} {measure}" if len(names) > SHOWN_AT_MOST else "")
