"""重点督办 marked or lifted after registration (`tiandz key`).

The government picks its key items (重点督办件) at or after the 交办会, long after `new` or `import`
registered them, and sometimes lifts one. The file keeps `重点督办: true|false` and the optional
`督办领导` (spec/ledger.md), which the report's key count and key table read; lifting sets false and drops
the leader, so the report stops counting the item, and the commit (its reason in the subject) keeps who
and why. Marking what is already marked, or lifting what is not, is refused: nothing would change.
"""

from __future__ import annotations

import datetime as dt

from tiandz.core.problems import refuse
from tiandz.ledger.folder import Ledger
from tiandz.steps.common import set_key
from tiandz.steps.engine import Change, Outcome, Target, perform

KEY = "重点督办"
LEADER = "督办领导"


def key(
    ledger: Ledger,
    typed_ids: list[str],
    *,
    off: bool = False,
    leader: str | None = None,
    reason: str | None = None,
    commit: bool = True,
    today: dt.date | None = None,
) -> Outcome:
    """`tiandz key`: mark the items 重点督办 (with their 督办领导), or lift it with --off. One commit, or none.

    >>> key(ledger, ["J-15", "T-3"], leader="李副县长", reason="县政府常务会议确定")  # doctest: +SKIP
    """
    leader = (leader or "").strip() or None
    reason = (reason or "").strip() or None
    if off and leader:
        refuse("取消重点督办时不写督办领导", field="--leader", hint="去掉 --leader，或去掉 --off")
    because = f"（{reason}）" if reason else ""

    def plan(target: Target) -> Change:
        item = target.item
        if off:
            if not item.key:
                refuse(f"{item.id} 不是重点督办件，无须取消", field="--off")
            set_key(target.data, KEY, False)
            if LEADER in target.data:
                del target.data[LEADER]
            return Change("取消重点督办", reason or "", f"已取消 {item.id} 的重点督办{because}")
        if item.key and (leader is None or leader == item.supervisor):
            shown = f"（督办领导 {item.supervisor}）" if item.supervisor else ""
            refuse(f"{item.id} 已是重点督办件{shown}，没有变化", hint="换督办领导用 --leader；取消用 --off")
        set_key(target.data, KEY, True)
        if leader:
            set_key(target.data, LEADER, leader)
        led = f"督办领导 {leader}" if leader else ""
        detail = "，".join(part for part in (led, reason) if part)
        done = f"已更换 {item.id} 的督办领导" if item.key else f"已将 {item.id} 列为重点督办"
        return Change("重点督办", detail, done + (f"：{detail}" if detail else ""))

    return perform(ledger, "key", typed_ids, plan, commit=commit, today=today)
