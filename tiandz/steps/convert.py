"""类别转化: a class changed after the answer, from unsolved to solved (B to A once what was promised is done).

Nothing else is a 转化: a move down (A→B, B→C) or to another unsolved class is either a wrong class given at
the answer, which is corrected (undo the answer, or edit the file with a reason), or not a result at all. It
is refused with what 转化 means and how to correct instead, so the report's 转化率 counts only real ones.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.config import Config
from tiandz.core.model import Proposal
from tiandz.core.names import ANSWERED, CLOSED
from tiandz.core.problems import refuse
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import (
    append_entry,
    choice,
    iso,
    not_before,
    require_state,
    step_date,
)
from tiandz.steps.engine import Change, Outcome, Target, perform


def current_category(item: Proposal) -> str | None:
    """The class the item holds now: the last 转化, else the latest answer's."""
    if item.conversions:
        return str(item.conversions[-1].to_category)
    return str(item.replies[-1].category) if item.replies else None


def convert(
    ledger: Ledger,
    typed_id: str,
    *,
    to: str,
    note: str,
    date: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz convert`: the answered item's class changes (B to A once what was promised is done).

    >>> convert(ledger, "J-15", to="A", note="校门口交通设施改造已完成", date="2024-10-02")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    config = ledger.config
    to = choice(to, config.classes, "--to", "类别")
    day = step_date(date, today)
    if not note.strip():
        refuse("类别转化须写明说明", field="--note")

    def plan(target: Target) -> Change:
        item = target.item
        require_state(item, config, today, (ANSWERED, CLOSED), "类别转化")
        was = current_category(item)
        if was == to:
            refuse(f"{item.id} 当前类别已是 {to}", field="--to")
        refuse_if_not_conversion(item, config, was, to)
        floor = max([reply.date for reply in item.replies] + [conversion.date for conversion in item.conversions])
        not_before(day, floor, "最近一次答复或转化的日期")
        append_entry(target.data, "转化", {"日期": iso(day), "由": was, "为": to, "说明": note.strip()})
        solved = "（已解决）" if to in [str(name) for name in config.solved_classes] else ""
        return Change("转化", f"{was}→{to}", f"已转化 {item.id}：{was}类 → {to}类{solved}")

    return perform(ledger, "convert", [typed_id], plan, commit=commit, today=today, day=day)


def refuse_if_not_conversion(item: Proposal, config: Config, was: str | None, to: str) -> None:
    """A 转化 moves an unsolved class to a solved one; anything else is refused, saying how to correct."""
    solved = [str(name) for name in config.solved_classes]
    unsolved = [str(name) for name in config.classes if str(name) not in solved]
    if was not in solved and to in solved:
        return
    meaning = (
        f"类别转化是指答复时尚未解决（{'、'.join(unsolved)}类）的事项后来解决了，转为已解决类别（{'、'.join(solved)}类），"
        f"如 {unsolved[0] if unsolved else 'B'}→{solved[0] if solved else 'A'}"
    )
    refuse(
        f"{item.id} 由 {was} 类改为 {to} 类不是类别转化：{meaning}",
        field="--to",
        hint=(
            f"答复时的类别登记错了是更正，不是转化：答复是本件最近一步时，用 tiandz undo {item.id} --reason … 撤销后重新答复"
            f"（tiandz reply）；否则用 tiandz edit {item.id} --reason … 改正答复中的类别"
        ),
    )
