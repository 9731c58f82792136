"""The rules a valid item keeps (spec/ledger.md), one small pure function each.

A rule takes the validated item and a `Context` and yields `Finding`s: a location inside the file (the keys
as the file writes them, list positions from 0), a Chinese message, a hint and a severity. Lines are
looked up later, and only for files that have findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterator

from tiandz.core.config import Config
from tiandz.core.deadlines import HolidayCalendar
from tiandz.core.ids import parse_full
from tiandz.core.model import Proposal
from tiandz.core.names import KIND_LETTERS
from tiandz.core.problems import ERROR, WARNING, did_you_mean
from tiandz.core.requests import request_dates, request_findings
from tiandz.core.state import evaluation_of, longest_due, unanswered_leads
from tiandz.core.units import unit_hint


@dataclass(frozen=True)
class Finding:
    location: tuple
    message: str
    hint: str | None = None
    severity: str = ERROR


@dataclass
class Context:
    config: Config
    # Only `date_order` compares with today, and only dates that `latest_date` covers: the scan cache keeps a
    # file's findings for every later day on that ground. A rule that compares another date with today must
    # count it in `latest_date` too.
    today: dt.date
    file_stem: str | None = None
    folder: str | None = None
    holidays: HolidayCalendar = field(default_factory=HolidayCalendar)


Rule = Callable[[Proposal, Context], Iterator[Finding]]


def id_matches_file(item: Proposal, context: Context) -> Iterator[Finding]:
    parsed = parse_full(item.id)
    if parsed is None:
        yield Finding(("编号",), f"编号“{item.id}”格式不对", "应为 年度-J或T-三或四位序号，如 2024-J-015")
        return
    if context.file_stem is not None and context.file_stem != item.id:
        yield Finding(("编号",), f"编号“{item.id}”与文件名“{context.file_stem}.yaml”不一致")
    if context.folder is not None and context.folder != str(parsed.year):
        yield Finding(("编号",), f"编号的年度 {parsed.year} 与所在文件夹“{context.folder}”不一致")
    if KIND_LETTERS[item.kind] != parsed.letter:
        yield Finding(("类型",), f"类型“{item.kind}”与编号中的字母 {parsed.letter} 不符", "J 为建议，T 为提案")


def _unit_places(item: Proposal) -> Iterator[tuple[tuple, str]]:
    if item.assignment:
        for index, unit in enumerate(item.assignment.lead_units):
            yield ("交办", "主办", index), unit
        for index, unit in enumerate(item.assignment.co_units):
            yield ("交办", "协办", index), unit
    for number, former in enumerate(item.reassignments):
        for index, unit in enumerate(former.former_lead_units):
            yield ("改办", number, "原主办", index), unit
        for index, unit in enumerate(former.former_co_units):
            yield ("改办", number, "原协办", index), unit
    for parts, key in ((item.opinions, "协办意见"), (item.contacts, "沟通"), (item.replies, "答复"), (item.evaluations, "评价")):
        for index, part in enumerate(parts):
            if part.unit is not None:
                yield (key, index, "单位"), part.unit


def known_units(item: Proposal, context: Context) -> Iterator[Finding]:
    config = context.config
    for location, name in _unit_places(item):
        unit = config.unit(name)
        if unit is None:
            yield Finding(location, f"“{name}”不是 tiandz.yaml 中的承办单位", unit_hint(config, name))
        elif unit.name != name:
            yield Finding(location, f"“{name}”是简称，文件中应写全称", f"改为“{unit.name}”", WARNING)


def allowed_values(item: Proposal, context: Context) -> Iterator[Finding]:
    config = context.config
    if item.topic is not None and item.topic not in config.topics:
        yield Finding(("领域",), f"领域“{item.topic}”不在 tiandz.yaml 的领域中", did_you_mean(item.topic, config.topics))
    classes = list(config.classes)
    for index, reply in enumerate(item.replies):
        if reply.category not in config.classes:
            yield Finding(
                ("答复", index, "类别"),
                f"类别“{reply.category}”不在 tiandz.yaml 的分类中，应为{'、'.join(classes)}之一",
                did_you_mean(reply.category, classes),
            )
    for index, conversion in enumerate(item.conversions):
        for key, value in (("由", conversion.from_category), ("为", conversion.to_category)):
            if value not in config.classes:
                yield Finding(("转化", index, key), f"类别“{value}”不在 tiandz.yaml 的分类中，应为{'、'.join(classes)}之一")
    methods = list(config.contact_methods)
    for index, contact in enumerate(item.contacts):
        if contact.method not in config.contact_methods:
            yield Finding(
                ("沟通", index, "方式"),
                f"沟通方式“{contact.method}”不在 tiandz.yaml 中，应为{'、'.join(methods)}之一",
                did_you_mean(contact.method, methods),
            )


def dated_events(item: Proposal) -> Iterator[tuple[tuple, dt.date]]:
    for key, parts in (
        ("改办", item.reassignments),
        ("延期", item.extensions),
        ("协办意见", item.opinions),
        ("沟通", item.contacts),
        ("答复", item.replies),
        ("评价", item.evaluations),
        ("转化", item.conversions),
    ):
        for index, part in enumerate(parts):
            yield (key, index, "日期"), part.date
    yield from request_dates(item)  # 申请: a unit's request, and the office's 处理日期


def latest_date(item: Proposal) -> dt.date:
    """The latest date of the item that the rules (or its state, tiandz/state.py) compare with today.

    On any day from this one on, the item's findings and state are those of any other such day, so what was
    found once is kept by the scan cache across days and read again only when a file is dated after today.
    """
    dates = [item.submitted, *(day for _, day in dated_events(item))]
    if item.assignment:
        dates.append(item.assignment.date)
    if item.closed:
        dates.append(item.closed)
    dates += [promise.done for reply in item.replies for promise in reply.promises if promise.done]
    return max(dates)


def date_order(item: Proposal, context: Context) -> Iterator[Finding]:
    """提出日期 ≤ 交办.日期 ≤ the steps that follow ≤ 办结, and nothing after today."""
    events = list(dated_events(item))
    everything = [(("提出日期",), item.submitted)]
    if item.assignment:
        everything.append((("交办", "日期"), item.assignment.date))
    everything += events
    if item.closed:
        everything.append((("办结",), item.closed))
    for location, day in everything:
        if day > context.today:
            yield Finding(location, f"日期 {day} 晚于今天（{context.today}）", "不能预先登记尚未发生的事")
    assignment = item.assignment
    if assignment and assignment.date < item.submitted:
        yield Finding(("交办", "日期"), f"交办日期 {assignment.date} 早于提出日期 {item.submitted}")
    # Before a 改办 the earlier units may have acted before the current 交办, so the floor is then 提出日期.
    if assignment and not item.reassignments:
        floor, floor_name = assignment.date, "交办日期"
    else:
        floor, floor_name = item.submitted, "提出日期"
    for location, day in events:
        if location[0] == "改办":
            continue
        if assignment is None:
            # A returned item (退回 by its only 主办) keeps what happened before it was returned.
            if not item.reassignments or day > item.reassignments[-1].date:
                yield Finding(location[:2], f"尚未交办，不应有{location[0]}", "先在“交办”中写明主办单位")
        elif day < floor:
            yield Finding(location, f"日期 {day} 早于{floor_name} {floor}")
    for index, reply in enumerate(item.replies):
        for position, promise in enumerate(reply.promises):
            if promise.done and promise.done > context.today:
                yield Finding(("答复", index, "承诺", position, "完成"), f"完成日期 {promise.done} 晚于今天（{context.today}）")
            elif promise.done and promise.done < reply.date:
                yield Finding(("答复", index, "承诺", position, "完成"), f"完成日期 {promise.done} 早于答复日期 {reply.date}")
    for index, evaluation in enumerate(item.evaluations):
        # 分办: a 评价 naming a unit rates that unit's answer, so it follows that unit's first answer.
        rated = [reply.date for reply in item.replies if evaluation.unit in (None, reply.unit)]
        first_reply = min(rated, default=None)
        whose = f"{evaluation.unit}的" if evaluation.unit else ""
        if first_reply is None:
            yield Finding(("评价", index), f"尚无{whose}答复，不应有评价")
        elif evaluation.date < first_reply:
            yield Finding(("评价", index, "日期"), f"评价日期 {evaluation.date} 早于{whose}第一次答复 {first_reply}")
    if item.closed:
        # 转化 and 办后回访 (a 沟通 after 办结) are the 回头看 of a closed item: they come after 办结 by nature.
        for location, day in everything:
            if location != ("办结",) and location[0] not in ("转化", "沟通") and day > item.closed:
                yield Finding(("办结",), f"办结日期 {item.closed} 早于{location[0]}的日期 {day}")
                break


def assignment_shape(item: Proposal, context: Context) -> Iterator[Finding]:
    assignment = item.assignment
    if assignment is None:
        return
    leads, co_units = assignment.lead_units, assignment.co_units
    if not leads:
        yield Finding(("交办", "主办"), "至少要有一个主办单位")
    for key, names in (("主办", leads), ("协办", co_units)):
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            yield Finding(("交办", key), f"{'、'.join(repeated)}重复出现")
    both = [name for name in co_units if name in leads]
    if both:
        yield Finding(("交办", "协办"), f"{'、'.join(both)}既是主办又是协办", "同一单位只能担任一种角色")
    if assignment.mode == "分办" and len(leads) < 2:
        yield Finding(("交办", "方式"), "分办须有两个或以上主办单位", "只有一个主办单位时方式为单办或会办")
    if assignment.mode in ("单办", "会办") and len(leads) > 1:
        yield Finding(("交办", "方式"), f"{assignment.mode}只能有一个主办单位", "各自答复的多个主办单位，方式为分办")
    if assignment.mode == "会办" and not co_units:
        yield Finding(("交办", "方式"), "会办须有至少一个协办单位", "没有协办单位时方式为单办")
    if assignment.mode == "单办" and co_units:
        yield Finding(("交办", "方式"), "单办不设协办单位", "有协办单位时方式为会办")


def replies_from_leads(item: Proposal, context: Context) -> Iterator[Finding]:
    assignment = item.assignment
    if assignment is None:
        return
    leads = set(assignment.lead_units)
    former_leads = {unit for former in item.reassignments for unit in former.former_lead_units}
    co_units = set(assignment.co_units)
    for index, reply in enumerate(item.replies):
        unit = reply.unit
        current = reply.date >= assignment.date
        if unit not in leads and (current or unit not in former_leads):
            why = "协办单位应写协办意见，不作答复" if unit in co_units else "答复只能来自主办单位"
            yield Finding(("答复", index, "单位"), f"“{reply.unit}”不是本件的主办单位", why)
        if reply.publicity != "主动公开" and not (reply.publicity_note or "").strip():
            yield Finding(("答复", index, "公开说明"), f"公开属性为{reply.publicity}时须写公开说明")
    for index, evaluation in enumerate(item.evaluations):
        if evaluation.unit is not None and evaluation.unit not in leads | former_leads:
            yield Finding(("评价", index, "单位"), f"“{evaluation.unit}”不是本件的主办单位", "评价的是主办单位的答复")
    all_co_units = co_units | {unit for former in item.reassignments for unit in former.former_co_units}
    for index, opinion in enumerate(item.opinions):
        if opinion.unit not in all_co_units:
            yield Finding(("协办意见", index, "单位"), f"“{opinion.unit}”不是本件的协办单位", "协办意见只能来自协办单位")


def closing(item: Proposal, context: Context) -> Iterator[Finding]:
    if item.closed is None:
        return
    if item.assignment is None:
        yield Finding(("办结",), "尚未交办，不能办结")
        return
    missing = unanswered_leads(item)
    if missing:
        yield Finding(("办结",), f"{'、'.join(missing)}尚未答复，不能办结")
    if context.config.rules.close_needs_evaluation:
        leads = item.assignment.lead_units
        # 分办: each 主办's answer has its own 征询意见表; one naming no unit rates them all.
        for unit in leads:
            evaluation = evaluation_of(item, unit)
            whose = f"{unit}的答复" if len(leads) > 1 else ""
            if evaluation is None:
                yield Finding(("办结",), f"{whose}尚无评价，不能办结", "tiandz.yaml 规则.办结须评价 为 true")
            elif evaluation.result == "不满意":
                yield Finding(("办结",), f"{whose}最近一次评价结果为不满意，须重新办理后才能办结")


def extension_limit(item: Proposal, context: Context) -> Iterator[Finding]:
    if item.assignment is None or not item.extensions:  # the longest due date is worked out only when needed
        return
    longest = longest_due(item, context.config, context.holidays)
    for index, extension in enumerate(item.extensions):
        if extension.until > longest:
            yield Finding(
                ("延期", index, "至"),
                f"延期至 {extension.until} 超过最长时限 {longest}（交办日期加{context.config.limits.longest}）",
            )
        if extension.until <= extension.date:
            yield Finding(("延期", index, "至"), f"延期至 {extension.until} 不晚于申请日期 {extension.date}")


def real_conversions(item: Proposal, context: Context) -> Iterator[Finding]:
    """A 转化 moves an unsolved class to a solved one; any other, in a file from before tiandz refused them, is
    warned about (the report leaves it out), not refused: the file stays workable."""
    if not item.conversions:
        return
    classes = context.config.classes
    solved = {str(name) for name in context.config.solved_classes}
    for index, conversion in enumerate(item.conversions):
        was, now = str(conversion.from_category), str(conversion.to_category)
        if was in classes and now in classes and (was in solved or now not in solved):
            yield Finding(
                ("转化", index),
                f"由 {was} 类改为 {now} 类不是类别转化（转化是未解决的事项后来解决了），报告不计入转化",
                "类别登记错了应更正答复的类别，并删去这一条转化（tiandz edit）",
                WARNING,
            )


def promise_deadlines(item: Proposal, context: Context) -> Iterator[Finding]:
    """A promise needs its date to be followed up; files from before tiandz required one are warned, not refused."""
    for index, reply in enumerate(item.replies):
        for position, promise in enumerate(reply.promises):
            if promise.deadline is None:
                yield Finding(
                    ("答复", index, "承诺", position),
                    f"承诺“{promise.matter}”没有期限",
                    "补写“期限: 2025-12-31”：没有期限的承诺无法回头看，报告也不会计为逾期",
                    WARNING,
                )


def requests(item: Proposal, context: Context) -> Iterator[Finding]:
    """申请 (退回, 延期): whose, what it asks, how it was decided (core/requests.py)."""
    for location, message, hint, severity in request_findings(item, context.config, context.holidays):
        yield Finding(location, message, hint, severity)


def merged_ids(item: Proposal, context: Context) -> Iterator[Finding]:
    for index, other in enumerate(item.merged_with):
        if parse_full(other) is None:
            yield Finding(("并案", index), f"“{other}”不是有效的编号", "如 2024-J-021")
        elif other == item.id:
            yield Finding(("并案", index), "不能与自身并案")


# Run on the item with units already normalized to full names by the loader.
RULES: list[Rule] = [
    id_matches_file,
    allowed_values,
    date_order,
    assignment_shape,
    replies_from_leads,
    closing,
    extension_limit,
    real_conversions,
    promise_deadlines,
    merged_ids,
    requests,
]


def check_item(item: Proposal, context: Context) -> list[Finding]:
    """Every finding of RULES for one item whose units the loader has normalized; the item is not changed.

    `known_units` is run by the loader before it normalizes, since it judges the names the file writes.
    """
    return [finding for rule in RULES for finding in rule(item, context)]
