"""答复: a 主办 unit's formal answer, with its class, number, signer and promises.

The 文号 is numbered per unit and year from the unit's prefix in tiandz.yaml unless given; 签发人, 联系人 and
电话 default from the unit. A 协办 unit is refused (it writes a 协办意见), and so is an answer with no
recorded contact while tiandz.yaml's 答复前须沟通 holds: the 见面率 the report shows must mean something.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiandz.core.dates import parse_date
from tiandz.core.docnumbers import normalize_number
from tiandz.core.model import PUBLICITY, Proposal
from tiandz.core.names import IN_PROGRESS, REDO
from tiandz.core.problems import refuse
from tiandz.core.state import current_replies, due_date, redo_evaluations, unanswered_leads
from tiandz.ledger.docnumbers import replies_numbered
from tiandz.ledger.folder import Ledger
from tiandz.ledger.numbering import next_number
from tiandz.steps.common import (
    append_entry,
    choice,
    iso,
    not_before,
    require_state,
    step_date,
)
from tiandz.steps.engine import Change, Outcome, Target, perform
from tiandz.steps.permissions import acting_unit, allow, refuse_place


@dataclass
class Answer:
    """What the clerk gives for one answer; empty fields are filled from the unit or numbered."""

    category: str
    text: str
    unit: str | None = None
    signer: str | None = None
    contact_person: str | None = None
    phone: str | None = None
    publicity: str = "主动公开"
    publicity_note: str | None = None
    promises: tuple[str, ...] = ()
    number: str | None = None
    date: str | None = None


def parse_promise(text: str, reply_day: dt.date) -> dict:
    """`事项@2025-12-31` as a 承诺 entry. The date is required: a promise without one cannot be followed up
    (回头看), and the report could never count it overdue."""
    form = "写作 --promise \"2025年底前完成改造@2025-12-31\"（事项@期限）"
    matter, separator, deadline = text.replace("＠", "@").rpartition("@")
    if not separator:
        matter, deadline = text, ""
    matter = matter.strip()
    if not matter:
        refuse(f"承诺“{text}”没有事项", field="--promise", hint=form)
    if not deadline.strip():
        refuse(f"承诺“{matter}”没有期限：每项承诺都要写明何时完成", field="--promise", hint=form)
    day = parse_date(deadline.strip(), "--promise")
    if day < reply_day:
        refuse(f"承诺期限 {day} 早于答复日期 {reply_day}", field="--promise")
    return {"事项": matter, "期限": iso(day), "完成": None}


def reply(ledger: Ledger, typed_id: str, answer: Answer, *, commit: bool = True, today: dt.date | None = None) -> Outcome:
    """`tiandz reply`: a 主办 unit's answer; its 文号 numbered per unit and year when not given, signer, contact
    and phone from tiandz.yaml by default.

    >>> reply(ledger, "J-15", Answer(category="B", text="经研究，答复如下：……", date="2024-06-01"))  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    role = allow(ledger, "reply")
    category = choice(answer.category, config.classes, "--category", "类别")
    publicity = choice(answer.publicity, PUBLICITY, "--public", "公开属性")
    if publicity != "主动公开" and not (answer.publicity_note or "").strip():
        refuse(f"公开属性为{publicity}时须写公开说明", field="--public-note")
    if not answer.text.strip():
        refuse("答复正文为空", field="--text-file")
    named = acting_unit(config, role, answer.unit)  # a unit's clone: its own unit
    day = step_date(answer.date, today)
    promises = [parse_promise(text, day) for text in answer.promises]
    given = normalize_number(answer.number) if answer.number and answer.number.strip() else None
    if given:
        _refuse_used_number(ledger, given)

    def plan(target: Target) -> Change:
        item = target.item
        state = require_state(item, config, today, (IN_PROGRESS, REDO), "答复")
        refuse_place(role, "reply", item)
        unit = _answering_unit(item, named, state, list(redo_evaluations(item, config)))
        not_before(day, item.assignment.date, "交办日期")
        reopened = redo_evaluations(item, config).get(unit)
        if reopened is not None and day <= reopened.date:
            refuse(f"重新答复的日期应晚于评价日期 {reopened.date}", field="--date")
        if config.rules.contact_before_reply:
            _require_contact(item, unit, day)
        details = config.unit(unit)
        if details is not None and details.own_numbers and not given:
            refuse(
                f"{unit}的文号由单位自编（tiandz.yaml 中该单位 自编文号: true），tiandz 不编号",
                field="--number",
                hint=f"用 --number 写明答复函上的文号，如 --number \"{details.number_prefix or '某函'}〔{day.year}〕12号\"",
            )
        number = given or (
            next_number(ledger, details.number_prefix, day.year) if details and details.number_prefix else None
        )
        entry: dict = {"单位": unit, "日期": iso(day), "类别": category}
        for key, value in (
            ("文号", number),
            ("签发人", answer.signer or (details.signer if details else None)),
            ("联系人", answer.contact_person or (details.contact_person if details else None)),
            ("电话", answer.phone or (details.phone if details else None)),
        ):
            if value:
                entry[key] = str(value)
        entry["公开"] = publicity
        if publicity != "主动公开":
            entry["公开说明"] = answer.publicity_note.strip()
        entry["正文"] = answer.text
        if promises:
            entry["承诺"] = promises
        append_entry(target.data, "答复", entry)
        meaning = config.classes.get(category, "")
        numbered = f"，{number}" if number else ""
        notes = [] if number else [f"{unit}在 tiandz.yaml 中没有文号前缀，本答复未编文号（可用 --number 指定）"]
        notes += _missing_letter_details(unit, entry)
        late = late_note(item, config, day, ledger.holidays)
        if late:
            notes.insert(0, late)
        waiting = [name for name in unanswered_leads(item) if name != unit]
        next_step = (
            f"尚待{'、'.join(waiting)}答复"
            if waiting
            else f"征询提出人意见后登记评价（tiandz feedback {item.id} --result 满意），再办结（tiandz close {item.id}）"
        )
        done = f"已答复 {item.id}：{unit}，{category}类（{meaning}）{numbered}" + (f"，承诺 {len(promises)} 项" if promises else "")
        return Change("答复", f"{unit}，{category}类{numbered}", done, next_step, notes, unit=unit)

    return perform(ledger, "reply", [typed_id], plan, commit=commit, today=today, day=day, role=role)


def _refuse_used_number(ledger: Ledger, number: str) -> None:
    used = replies_numbered(ledger, number)
    if used:
        refuse(f"文号“{number}”已用于 {'、'.join(used)} 的答复", field="--number", hint="一个文号只对应一份答复")


def _missing_letter_details(unit: str, entry: dict) -> list[str]:
    """The letter prints 签发人 and 联系人/电话: say now that it will lack what the unit has not given."""
    missing = [key for key in ("签发人", "联系人", "电话") if not entry.get(key)]
    if not missing:
        return []
    return [f"{unit}没有{'、'.join(missing)}（tiandz.yaml 中该单位未写，也未用选项给出），答复函上将缺少这些内容"]


def _answering_unit(item: Proposal, named: str | None, state: str, reopened: list[str]) -> str:
    assignment = item.assignment
    if named in assignment.co_units:
        refuse(f"{named}是 {item.id} 的协办单位，协办单位写协办意见（tiandz opinion），不作答复", field="--unit")
    if named is not None and named not in assignment.lead_units:
        refuse(f"{named}不是 {item.id} 的主办单位", field="--unit", hint=f"本件主办：{'、'.join(assignment.lead_units)}")
    # In 重新办理 the units whose answer was sent back answer again (分办: not the others), and any 主办 that
    # has not answered yet answers.
    waiting = unanswered_leads(item)
    if state == REDO:
        waiting = [unit for unit in assignment.lead_units if unit in reopened or unit in waiting]
    if named is None:
        if len(waiting) != 1:
            refuse(f"{item.id} 有多个主办单位，请用 --unit 指明答复单位", field="--unit", hint=f"可答复：{'、'.join(waiting)}")
        return waiting[0]
    if named not in waiting:
        answered = next(reply for reply in current_replies(item) if reply.unit == named)
        refuse(f"{named}已于 {answered.date} 答复", field="--unit", hint="提出人不满意时，先登记评价 tiandz feedback，再重新答复")
    return named


def _require_contact(item: Proposal, unit: str, day: dt.date) -> None:
    ours = [contact for contact in item.contacts if contact.unit in (unit, None) and contact.date >= item.assignment.date]
    if any(contact.date <= day for contact in ours):
        return
    if ours:  # contacted, but dated after this answer: the dates conflict, the rule is kept
        first = min(contact.date for contact in ours)
        refuse(
            f"答复日期 {day} 早于沟通日期 {first}",
            field="--date",
            hint=f"按规定先沟通再答复：请核对答复日期（--date）或{unit}那次沟通的日期；此规则见 tiandz.yaml 规则.答复前须沟通",
        )
    refuse(
        f"{unit}尚未与提出人沟通，按规定须先沟通再答复",
        hint=f"先登记沟通：tiandz contact {item.id} --by 电话 --unit {unit}；此规则见 tiandz.yaml 规则.答复前须沟通",
    )


def late_note(item: Proposal, config, day: dt.date, holidays) -> str | None:
    """逾期答复: an answer dated after the due date is recorded as given, and said to be late."""
    due = due_date(item, config, day, holidays)
    if due is None or day <= due:
        return None
    return f"逾期答复：时限 {due}，答复日期 {day}，晚 {(day - due).days} 天；进展报告中计为未按期答复"
