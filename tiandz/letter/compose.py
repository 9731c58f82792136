"""What each 答复函 says: which answers get a letter, and the words of each from the item and the template.

A letter is made from the item file alone (the answer, the proposer, the unit in tiandz.yaml) and the
office's wording template (templates/答复函.j2, the ledger's own copy first), so it can be made again at
any time.
"""

from __future__ import annotations

import re
from pathlib import Path

from tiandz.core.config import Config
from tiandz.core.dates import chinese_date
from tiandz.core.model import Proposal, Reply
from tiandz.core.names import SUGGESTION
from tiandz.core.state import asks_for_redo, current_replies
from tiandz.files.wording import render_blocks
from tiandz.letter.body import reference_part, split_letter_text
from tiandz.letter.model import FeedbackForm, Letter

TEMPLATE = "答复函.j2"
LETTER_BLOCKS = ("标题", "称呼", "开头", "结尾", "附注", "抄送")
FORM_BLOCKS = ("表题", "表注")
# A 集体提案 comes from a body, not a person: no 代表/委员 after its name.
_GROUP = re.compile(r"(委员会|委会|总支|支部|界别|小组|联组|工商联|协会|商会|学会|联合会|民革|民盟|民建|民进|农工|致公|九三|台盟|党)")


def is_group(proposer: str) -> bool:
    return bool(_GROUP.search(proposer)) or len(proposer) > 6


def latest_answers(item: Proposal, unit: str | None = None) -> list[Reply]:
    """The latest answer of each 主办 in the current round (one per 主办 for 分办), in 主办 order."""
    latest: dict[str, Reply] = {}
    for reply in current_replies(item):
        latest[reply.unit] = reply
    order = list(item.assignment.lead_units) if item.assignment else []
    answers = sorted(latest.values(), key=lambda reply: order.index(reply.unit) if reply.unit in order else len(order))
    if unit is not None:
        answers = [reply for reply in answers if reply.unit == unit]
    return answers


def answer_sent_back(item: Proposal, reply: Reply, config: Config) -> Reply | None:
    """The unit's earlier answer that a 评价 sent back (不满意, or 基本满意 by rule) before this one was given.

    Such an answer's letter is a 再次答复 (代表法: 再作研究办理……再次答复代表), not a first reply.
    """
    earlier = None
    for other in current_replies(item):
        if other is reply:
            break
        if other.unit == reply.unit:
            earlier = other
    if earlier is None:
        return None
    for evaluation in item.evaluations:
        if (
            evaluation.unit in (reply.unit, None)
            and earlier.date <= evaluation.date <= reply.date
            and asks_for_redo(evaluation.result, config)
        ):
            return earlier
    return None


def template_values(item: Proposal, reply: Reply, config: Config) -> dict:
    """What the wording template can use, by the names clerks know."""
    earlier = answer_sent_back(item, reply, config)
    setting = config.letters.cosigner_salutation
    salutation = item.proposer
    if is_group(item.proposer):
        # A 集体提案 is the body's: offices address the body (民进县委会：), naming its co-signing bodies
        # only where every name is written out, and never the persons who signed for it.
        groups = [name for name in item.cosigners if is_group(name)]
        if groups and setting == "全部":
            salutation = "、".join([item.proposer, *groups])
    elif item.cosigners:
        salutation = "、".join([item.proposer, *item.cosigners]) if setting == "全部" else f"{item.proposer}等"
    return {
        "类型": item.kind,
        "届次": item.session or config.session_of(item.kind) or "",
        "案号": item.case_number or "",
        "标题": item.title,
        "提出人": item.proposer,
        "联名": list(item.cosigners),
        "称呼": salutation,
        "集体": is_group(item.proposer),
        "多人": bool(item.cosigners),
        "单位": reply.unit,
        "机关": config.organization,
        "年度": config.year,
        "类别": reply.category,
        "类别说明": config.classes.get(reply.category, ""),
        "文号": reply.number or "",
        "日期": chinese_date(reply.date),
        "联系人": reply.contact_person or "",
        "电话": reply.phone or "",
        "公开": reply.publicity,
        "公开说明": reply.publicity_note or "",
        "领域": item.topic or "",
        "抄送": list(config.carbon_copy.suggestion if item.kind == SUGGESTION else config.carbon_copy.proposal),
        "再次": earlier is not None,
        "前次日期": chinese_date(earlier.date) if earlier else "",
        "前次文号": (earlier.number or "") if earlier else "",
    }


def compose(item: Proposal, reply: Reply, config: Config, ledger_root: Path | None, *, form: bool, public: bool) -> Letter:
    """The letter of one answer, its words from the template; the public copy leaves out the form."""
    values = template_values(item, reply, config)
    needed = LETTER_BLOCKS + (FORM_BLOCKS if form and not public else ())
    words = render_blocks(TEMPLATE, values, ledger_root, needed)
    unit = config.unit(reply.unit)
    letterhead = config.letterhead(reply.unit)
    typed = split_letter_text(reply.text or "", (reply.unit, letterhead, *(unit.abbreviations if unit else ())))
    return Letter(
        item_id=item.id,
        unit=reply.unit,
        category=reply.category,
        letterhead=letterhead,
        number=reply.number,
        title=words["标题"],
        salutation=typed.salutation or words["称呼"],
        opening=_opening(words["开头"], typed),
        body=typed.body,
        closing="" if typed.has_closing else words["结尾"],
        date=reply.date,
        notes=[line.strip() for line in words["附注"].splitlines() if line.strip()],
        carbon_copy=words["抄送"],
        form=_form(item, reply, words, public) if form and not public else None,
    )


def _opening(template_opening: str, typed) -> str:
    """The template's opening, unless the clerk's says 收悉; a lead-in of the clerk's follows the reference."""
    if typed.has_opening:
        return ""
    if typed.lead_in:
        return reference_part(template_opening) + typed.lead_in
    return template_opening


def _form(item: Proposal, reply: Reply, words: dict[str, str], public: bool) -> FeedbackForm:
    assignment = item.assignment
    units = f"主办：{'、'.join(assignment.lead_units)}"
    if assignment.co_units:
        units += f"；协办：{'、'.join(assignment.co_units)}"
    proposer = item.proposer + (f"（联名：{'、'.join(item.cosigners)}）" if item.cosigners else "")
    rows = [("编号", item.id), ("案号", str(item.case_number or "")), ("标题", item.title), ("提出人", proposer)]
    if item.contact_info and not public:
        rows.append(("联系方式", str(item.contact_info)))
    rows += [("承办单位", units), ("答复", "，".join(part for part in (reply.unit, reply.number, chinese_date(reply.date)) if part))]
    contacts = [
        f"{chinese_date(contact.date)} {contact.method}"
        + (f"（{'，'.join(part for part in (contact.unit, contact.person) if part)}）" if contact.unit or contact.person else "")
        for contact in item.contacts
        if contact.unit in (reply.unit, None) or len(assignment.lead_units) == 1
    ]
    signature = "代表签名" if item.kind == SUGGESTION else "委员签名"
    if is_group(item.proposer):
        signature = "提出单位（盖章）"
    return FeedbackForm(words["表题"], rows, contacts, signature, words["表注"])
