"""What a clone's role may do (spec/offices.md "What each may do"): the table, as pure decisions.

A unit's clerk records the unit's own work (沟通, 协办意见, 答复, 承诺完成) and asks the office for what only
the office grants (退回, 延期); everything else is the office's. The decisions live here, below every layer
that writes (steps, ops, letter), so each refuses with the same words; reading the role from the clone's
git config is tiandz/ledger/role.py, applying it to a step is tiandz/steps/permissions.py. The server does
not trust any of this: its guard checks each push itself. Here a clerk is only kept from doing, by mistake,
what the server would refuse.

Role kinds are ledger/role.py's strings (the core cannot import the ledger): "office", "unit", "alone",
"unknown".
"""

from __future__ import annotations

from tiandz.core.model import Proposal
from tiandz.core.names import CO, LEAD
from tiandz.core.problems import refuse

UNIT_KIND, UNKNOWN_KIND = "unit", "unknown"

# The steps only the office does, and how a unit's refusal names them.
OFFICE_ONLY = {
    "init": "新建台账",
    "new": "登记新件（new）",
    "import": "导入（import）",
    "assign": "交办、改办（assign）",
    "key": "重点督办（key）",
    "feedback": "登记评价（feedback）",
    "convert": "类别转化（convert）",
    "close": "办结（close）",
    "undo": "撤销（undo）",
    "edit": "手工修改条目（edit）",
    "letter": "批量生成答复函（letter --all）",
    "return": "退回",
    "extend": "延期",
    "return-refuse": "不同意退回申请",
    "extend-refuse": "不同意延期申请",
}

# The steps a unit does for itself, and where it must stand on the item to do them.
UNIT_STEPS: dict[str, tuple[str, ...]] = {
    "contact": (LEAD, CO),
    "opinion": (CO,),
    "reply": (LEAD,),
    "promise": (LEAD,),
    "return-request": (LEAD, CO),
    "extend-request": (LEAD, CO),
}

# What a unit types for each of its own steps: the words of a refusal.
UNIT_STEP_NAMES = {
    "contact": "登记沟通",
    "opinion": "登记协办意见",
    "reply": "登记答复",
    "promise": "登记承诺完成",
    "return-request": "申请退回",
    "extend-request": "申请延期",
}

WHOAMI_HINT = "先说明本副本属于谁：tiandz whoami --unit 单位（承办单位的副本）或 tiandz whoami --office（交办机关的副本）"


def refuse_step(kind: str, unit: str | None, step: str) -> None:
    """Refused (TiandzError) when a clone of this role may not do this writing step at all."""
    if kind == UNKNOWN_KIND:
        refuse("这是从服务器克隆的台账，但还没有说明它属于交办机关还是哪个承办单位，不能办理", hint=WHOAMI_HINT)
    if kind != UNIT_KIND:
        return
    if step in OFFICE_ONLY:
        what = OFFICE_ONLY[step]
        hint = None
        if step == "return":
            hint = "承办单位在退回期限内申请退回：tiandz return 编号 --reason 理由（由交办机关改办或不同意）"
        elif step == "extend":
            hint = "承办单位申请延期：tiandz extend 编号 --to 日期 --reason 理由（由交办机关决定）"
        refuse(f"{what}由交办机关办理，{unit}的副本不能办理", hint=hint or "请联系交办机关")
    if step not in UNIT_STEPS:
        refuse(f"{unit}的副本不能办理这一步（{step}），由交办机关办理")


def refuse_other_unit(own: str, named: str | None, option: str = "--unit") -> str:
    """A unit acts for itself only: the unit it names, if any, must be its own. Returns the unit to act for."""
    if named is not None and named != own:
        refuse(f"这是{own}的副本，不能替{named}办理", field=option, hint=f"省略 {option}，或写 {option} {own}")
    return own


def refuse_unit_place(own: str, step: str, item: Proposal) -> None:
    """A unit's own step on an item it handles, in the place the table asks (主办, 协办)."""
    places = UNIT_STEPS[step]
    assignment = item.assignment
    where = []
    if assignment is not None:
        if own in assignment.lead_units:
            where.append(LEAD)
        if own in assignment.co_units:
            where.append(CO)
    if set(where) & set(places):
        return
    what = UNIT_STEP_NAMES[step]
    if not where:
        refuse(f"{own}不是 {item.id} 的承办单位，不能{what}", field="--unit")
    refuse(f"{own}是 {item.id} 的{'、'.join(where)}单位，{'、'.join(places)}单位才能{what}", field="--unit")
