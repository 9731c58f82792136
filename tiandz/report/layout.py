"""The report as titled tables, the same for every output: Markdown, the xlsx sheets and the terminal.

Each section is a heading, column names and rows of plain values (numbers, text, dates); a writer only
decides how a table looks. Rows to be shown in red (overdue) are marked here, once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tiandz.report.build import Report
from tiandz.report.figures import RATE_NAMES, SOURCES, UNSTATED
from tiandz.report.rates import percent_text

UNIT_HEADING = "承办单位（分办件按每个主办单位各计一次）"
RATINGS_NOTE = (
    "按最近一次评价的结果计；分办件各主办单位的答复分别评价，全部主办单位都评价后才计为已评价，"
    "按其中最低的评价计（各主办单位都满意才计满意）；承办单位表中各单位按自己的评价计"
)


@dataclass
class Section:
    sheet: str  # the xlsx sheet's name
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    marked: set[int] = field(default_factory=set)  # rows shown in red
    marked_means: str = ""  # what a marked row means, when the heading does not say it
    note: str | None = None
    empty: str = "无"

    @property
    def numeric(self) -> set[int]:
        """Columns of numbers, right-aligned."""
        return {
            index
            for index in range(len(self.headers))
            if self.rows and all(isinstance(row[index], int) or _is_percent(row[index]) for row in self.rows)
        }


def _is_percent(value) -> bool:
    return isinstance(value, str) and (value.endswith("%") or value == "—")


def cell_text(value) -> str:
    """A cell as every output prints it: "" for nothing, 是/否, dates as 2024-06-01, rates with their base."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def sections(report: Report) -> list[Section]:
    """The report as titled tables (counts, rates, by unit, by topic, key items, overdue, promises), the same
    for the terminal, Markdown, xlsx and the Word report's appendix."""
    return [
        counts_section(report),
        rates_section(report),
        classes_section(report),
        ratings_section(report),
        units_section(report),
        notify_section(report),
        topics_section(report),
        key_items_section(report),
        overdue_section(report),
        promises_section(report),
    ]


def counts_section(report: Report) -> Section:
    figures = report.figures
    rows = [["总件数", figures.total]]
    rows += [[f"　其中{kind}", count] for kind, count in figures.by_type.items()]
    rows += [[f"　{source}提出", figures.by_source.get(source, 0)] for source in SOURCES]
    if figures.by_source.get(UNSTATED):
        rows.append([f"　提出方式{UNSTATED}", figures.by_source[UNSTATED]])
    rows += [
        ["重点督办", figures.key],
        ["已交办", figures.assigned],
        ["已沟通", figures.contacted],
        ["已见面", figures.met],
        ["已答复", figures.answered],
        ["按期答复", figures.answered_on_time],
        ["已评价", figures.evaluated],
        ["已公开", figures.public],
        ["转化（未解决转为已解决）", figures.converted],
        ["已办结", figures.closed],
        ["　办后回访", figures.revisited],
        ["逾期未答复", len(figures.overdue)],
        ["承诺事项", figures.promises.total],
        ["　已完成", figures.promises.done],
        ["　逾期未完成", figures.promises.overdue],
    ]
    return Section("基本情况", "基本情况", ["项目", "件数"], rows)


def rates_section(report: Report) -> Section:
    rates = report.figures.rates
    rows = [[name, rates[key].numerator, rates[key].denominator, rates[key].percent()] for key, name in RATE_NAMES]
    return Section("比率", "比率", ["比率", "分子", "分母", "百分比"], rows, note="分母为 0 时比率记作“—”；百分比四舍五入到两位小数")


SHARE_BASE = "占已答复件的比例"


def classes_section(report: Report) -> Section:
    """Each class's count and its share of the answered items, first answers and after 转化."""
    figures = report.figures
    names = list(dict.fromkeys([*figures.category, *figures.category_now]))
    rows = []
    for name in names:
        first, now = figures.category.get(name, 0), figures.category_now.get(name, 0)
        meaning = report.classes.get(name, "（不在 tiandz.yaml 的分类中）")
        rows.append([name, meaning, first, percent_text(first, figures.answered), now, percent_text(now, figures.answered)])
    answered = figures.answered
    rows.append(["合计", "", answered, percent_text(answered, answered), answered, percent_text(answered, answered)])
    note = (
        f"已答复件按首次答复的类别计，分办件取各主办单位中最好的类别；现分类为转化后的类别；占比为{SHARE_BASE}"
        f"（四舍五入到两位小数）；已解决类别：{'、'.join(report.solved)}"
    )
    return Section("答复分类", "答复分类", ["类别", "含义", "首次答复", "占比", "现分类", "占比"], rows, note=note)


def ratings_section(report: Report) -> Section:
    figures = report.figures
    rows = [[rating, count, percent_text(count, figures.evaluated)] for rating, count in figures.satisfaction.items()]
    rows.append(["合计", figures.evaluated, percent_text(figures.evaluated, figures.evaluated)])
    return Section("满意度", "满意度", ["评价结果", "件数", "占已评价"], rows, note=RATINGS_NOTE)


def units_section(report: Report) -> Section:
    headers = ["承办单位", "主办件数", "协办件数", "已答复", "按期", "逾期未复", "已见面", "满意", "基本满意", "不满意"]
    section = Section("承办单位", UNIT_HEADING, headers, marked_means="有逾期未复件")
    for index, row in enumerate(report.tables.units):
        section.rows.append(
            [row.unit, row.lead, row.co, row.answered, row.on_time, row.overdue, row.met, row.satisfied, row.basically, row.unsatisfied]
        )
        if row.overdue:
            section.marked.add(index)
    return section


def notify_section(report: Report) -> Section:
    late = [row for row in report.tables.units if row.overdue]
    rows = [[row.unit, row.overdue] for row in late]
    return Section("通报", "通报（有逾期未复件的单位）", ["承办单位", "逾期未复"], rows, marked=set(range(len(rows))))


def topics_section(report: Report) -> Section:
    rows = [[topic, rate.numerator, rate.percent()] for topic, rate in report.tables.topics.items()]
    return Section("领域", "领域", ["领域", "件数", "占比"], rows)


def key_items_section(report: Report) -> Section:
    section = Section("重点督办", "重点督办", ["编号", "标题", "主办", "状态", "时限"], marked_means="已逾期")
    for index, row in enumerate(report.tables.key_items):
        state = row.state + (f"（逾期 {row.days_overdue} 天）" if row.days_overdue is not None else "")
        section.rows.append([row.id, row.title, "、".join(row.leads), state, row.due])
        if row.days_overdue is not None:
            section.marked.add(index)
    return section


def overdue_section(report: Report) -> Section:
    rows = [[row.id, row.title, "、".join(row.leads), row.due, row.days_overdue] for row in report.tables.overdue]
    return Section("逾期清单", "逾期清单", ["编号", "标题", "主办", "时限", "逾期天数"], rows, marked=set(range(len(rows))))


def promises_section(report: Report) -> Section:
    section = Section("承诺事项", "承诺事项（未完成）", ["编号", "承办单位", "事项", "期限", "逾期"], marked_means="已过期限")
    for index, row in enumerate(report.tables.promises):
        section.rows.append([row.id, row.unit, row.matter, row.deadline, "逾期" if row.overdue else ""])
        if row.overdue:
            section.marked.add(index)
    return section
