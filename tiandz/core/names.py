"""The domain's words, spelled once: the two kinds of item, their letters, the states, the ledger's file names.

Everything that compares or prints one of these imports it from here, so a typo cannot make a second
spelling that quietly never matches. Importing this module costs nothing (no pydantic), so the command line
may use it while building its help.
"""

from __future__ import annotations

from tiandz.core.problems import refuse

SUGGESTION = "建议"  # 人大代表建议
PROPOSAL = "提案"  # 政协委员提案
KINDS = (SUGGESTION, PROPOSAL)
KIND_LETTERS = {SUGGESTION: "J", PROPOSAL: "T"}
KIND_BY_LETTER = {letter: kind for kind, letter in KIND_LETTERS.items()}
KIND_TITLES = {SUGGESTION: "人大代表建议", PROPOSAL: "政协委员提案"}

# States are derived from the file, never stored (spec/ledger.md, "State is derived").
UNASSIGNED = "待交办"
IN_PROGRESS = "办理中"
REDO = "重新办理"
ANSWERED = "已答复"
CLOSED = "已办结"
STATES = (UNASSIGNED, IN_PROGRESS, REDO, ANSWERED, CLOSED)

# A unit's place on an item it is given (交办.主办, 交办.协办).
LEAD, CO = "主办", "协办"

# `todo` and `remind`: what is due within so many days counts as due soon (a week: the 督查室's weekly round).
DUE_SOON_DAYS = 7

CONFIG_NAME = "tiandz.yaml"
CALENDAR_NAME = "calendar.yaml"


def require_kind(kind: str | None, option: str = "--type") -> str | None:
    """The kind as typed (None for both), or a refusal naming the two there are."""
    if kind is not None and kind not in KINDS:
        refuse(f"类型“{kind}”应为 {SUGGESTION} 或 {PROPOSAL}", field=option)
    return kind
