"""The item file (一件一档) as pydantic models.

This is the one place where the Chinese keys of the file meet the English names of the code: each field's
alias is its key in the file. Unknown keys are errors (`extra="forbid"`), so a typo never vanishes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from tiandz.core.fields import Flag, Name, Names, Text, TextOrNumber
from tiandz.core.names import PROPOSAL, SUGGESTION

Kind = Literal[SUGGESTION, PROPOSAL]
Source = Literal["大会期间", "闭会期间"]
Mode = Literal["单办", "会办", "分办"]
Rating = Literal["满意", "基本满意", "不满意"]
Publicity = Literal["主动公开", "摘要公开", "依申请公开", "不予公开"]

# The same values as tuples, for choices and messages: spelled once, in the Literals above.
RATINGS: tuple[str, ...] = get_args(Rating)
MODES: tuple[str, ...] = get_args(Mode)
PUBLICITY: tuple[str, ...] = get_args(Publicity)


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Assignment(Part):
    """交办: who handles the item and by when."""

    date: dt.date = Field(alias="日期")
    mode: Mode = Field("单办", alias="方式")
    lead_units: Names = Field(alias="主办")
    co_units: Names = Field(default_factory=list, alias="协办")
    due: dt.date | None = Field(None, alias="时限")


class Reassignment(Part):
    """改办: an earlier assignment, kept when a unit returns the item or the office moves it."""

    date: dt.date = Field(alias="日期")
    former_lead_units: Names = Field(alias="原主办")
    former_co_units: Names = Field(default_factory=list, alias="原协办")
    reason: Text = Field(alias="理由")


class Extension(Part):
    date: dt.date = Field(alias="日期")
    until: dt.date = Field(alias="至")
    reason: Text = Field(alias="理由")


class Request(Part):
    """申请: what a unit asks of the office from its own clone (spec/offices.md): to give the item back (退回)
    or more time (延期). The unit writes the request; the office decides it by filling 处理, 处理日期 and
    处理意见 (同意 comes with the 改办 or the 延期 it grants)."""

    kind: Literal["退回", "延期"] = Field(alias="类型")
    unit: Name = Field(alias="单位")
    date: dt.date = Field(alias="日期")
    reason: Text = Field(alias="理由")
    suggested_units: Names = Field(default_factory=list, alias="建议单位")  # 退回: who should handle it instead
    until: dt.date | None = Field(None, alias="至")  # 延期: the date asked for
    decision: Literal["同意", "不同意"] | None = Field(None, alias="处理")
    decided: dt.date | None = Field(None, alias="处理日期")
    decision_note: Text | None = Field(None, alias="处理意见")


class Opinion(Part):
    """协办意见: a co-unit's written opinion to the lead unit."""

    unit: Name = Field(alias="单位")
    date: dt.date = Field(alias="日期")
    text: Text = Field(alias="内容")


class Contact(Part):
    """沟通: one contact with the proposer (the 五个一)."""

    date: dt.date = Field(alias="日期")
    method: Name = Field(alias="方式")
    unit: Name | None = Field(None, alias="单位")
    person: Text | None = Field(None, alias="人员")
    note: Text | None = Field(None, alias="内容")


class Promise(Part):
    """承诺: what an answer promises, followed up until done (回头看)."""

    matter: Text = Field(alias="事项")
    deadline: dt.date | None = Field(None, alias="期限")
    done: dt.date | None = Field(None, alias="完成")


class Reply(Part):
    """答复: one unit's formal answer."""

    unit: Name = Field(alias="单位")
    date: dt.date = Field(alias="日期")
    category: TextOrNumber = Field(alias="类别")
    number: Text | None = Field(None, alias="文号")
    signer: Text | None = Field(None, alias="签发人")
    contact_person: Text | None = Field(None, alias="联系人")
    phone: TextOrNumber | None = Field(None, alias="电话")
    publicity: Publicity = Field("主动公开", alias="公开")
    publicity_note: Text | None = Field(None, alias="公开说明")
    text: Text | None = Field(None, alias="正文")
    promises: list[Promise] = Field(default_factory=list, alias="承诺")


class Evaluation(Part):
    """评价: the proposer's 征询意见表; for 分办 one per 主办, naming the unit whose answer it rates."""

    date: dt.date = Field(alias="日期")
    unit: Name | None = Field(None, alias="单位")
    evaluator: Text | None = Field(None, alias="评价人")
    work: Rating | None = Field(None, alias="工作")
    result: Rating = Field(alias="结果")
    remark: Text | None = Field(None, alias="意见")


class Conversion(Part):
    """转化: a class changed later, typically B to A once solved."""

    date: dt.date = Field(alias="日期")
    from_category: TextOrNumber = Field(alias="由")
    to_category: TextOrNumber = Field(alias="为")
    note: Text | None = Field(None, alias="说明")


class Proposal(Part):
    """One 建议 or 提案 and everything done with it."""

    id: Name = Field(alias="编号")
    kind: Kind = Field(alias="类型")
    session: Text | None = Field(None, alias="届次")
    case_number: TextOrNumber | None = Field(None, alias="案号")
    title: Name = Field(alias="标题")
    proposer: Name = Field(alias="提出人")
    cosigners: Names = Field(default_factory=list, alias="联名")
    source: Source | None = Field(None, alias="提出方式")
    submitted: dt.date = Field(alias="提出日期")
    topic: Name | None = Field(None, alias="领域")
    key: Flag = Field(False, alias="重点督办")
    supervisor: Text | None = Field(None, alias="督办领导")
    merged_with: Names = Field(default_factory=list, alias="并案")
    contact_info: TextOrNumber | None = Field(None, alias="联系方式")
    content: Text | None = Field(None, alias="内容")
    assignment: Assignment | None = Field(None, alias="交办")
    reassignments: list[Reassignment] = Field(default_factory=list, alias="改办")
    extensions: list[Extension] = Field(default_factory=list, alias="延期")
    requests: list[Request] = Field(default_factory=list, alias="申请")
    opinions: list[Opinion] = Field(default_factory=list, alias="协办意见")
    contacts: list[Contact] = Field(default_factory=list, alias="沟通")
    replies: list[Reply] = Field(default_factory=list, alias="答复")
    evaluations: list[Evaluation] = Field(default_factory=list, alias="评价")
    conversions: list[Conversion] = Field(default_factory=list, alias="转化")
    closed: dt.date | None = Field(None, alias="办结")


ITEM_KEYS = [field.alias for field in Proposal.model_fields.values()]


def keys_of(model: type[BaseModel]) -> list[str]:
    return [field.alias for field in model.model_fields.values() if field.alias]


def submodel_at(location: tuple, root: type[BaseModel] | None = None) -> type[BaseModel]:
    """The model class that holds the last key of a location such as ("答复", 0, "类别")."""
    model: type[BaseModel] = root or Proposal
    for step in location[:-1]:
        if isinstance(step, int):
            continue
        for field in model.model_fields.values():
            if field.alias == step:
                inner = _model_in(field.annotation)
                if inner:
                    model = inner
                break
    return model


def _model_in(annotation) -> type[BaseModel] | None:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found:
            return found
    return None
