"""Item files for the report tests, written as a clerk would write them, from a few facts each.

Reports are checked on ledgers of known figures (140 建议 and 227 提案, 13 提案 of known classes …), too many
items to write out one by one; `item` writes one file's YAML from its facts, in the layout of
spec/ledger.md, so a test can build a ledger in a loop.
"""

from __future__ import annotations

import json

UNIT = "县教育和体育局"


def item(
    number: int,
    kind: str = "建议",
    *,
    title: str | None = None,
    source: str = "大会期间",
    submitted: str = "2024-01-20",
    topic: str = "教育",
    key: bool = False,
    assigned: str | None = None,
    leads: tuple[str, ...] = (UNIT,),
    co: tuple[str, ...] = (),
    mode: str | None = None,
    due: str | None = "2024-06-20",
    contacts: tuple = (),
    replies: tuple = (),
    evaluations: tuple = (),
    conversions: tuple = (),
    extensions: tuple = (),
    closed: str | None = None,
) -> str:
    """contacts: (date, 方式[, 单位]); replies: (单位, date, 类别[, 公开[, 承诺 (事项, 期限, 完成)…]]);
    evaluations: (date, 结果); conversions: (date, 由, 为); extensions: (date, 至)."""
    letter = "J" if kind == "建议" else "T"
    lines = [
        f"编号: 2024-{letter}-{number:03d}",
        f"类型: {kind}",
        f"案号: {number}",
        f"标题: {_text(title or f'关于第{number}件事的{kind}')}",
        f"提出人: 代表{number}",
        f"提出方式: {source}",
        f"提出日期: {submitted}",
        f"领域: {topic}",
        f"重点督办: {'true' if key else 'false'}",
    ]
    if assigned:
        lines += ["交办:", f"  日期: {assigned}", f"  方式: {mode or ('分办' if len(leads) > 1 else '会办' if co else '单办')}"]
        lines.append(f"  主办: [{', '.join(leads)}]")
        if co:
            lines.append(f"  协办: [{', '.join(co)}]")
        if due:
            lines.append(f"  时限: {due}")
    if extensions:
        lines.append("延期:")
        for day, until in extensions:
            lines += [f"  - 日期: {day}", f"    至: {until}", "    理由: 涉及跨部门协调"]
    if contacts:
        lines.append("沟通:")
        for day, method, *unit in contacts:
            lines += [f"  - 日期: {day}", f"    方式: {method}", f"    单位: {unit[0] if unit else leads[0]}"]
    if replies:
        lines.append("答复:")
        for unit, day, category, *rest in replies:
            publicity = rest[0] if rest else "主动公开"
            lines += [f"  - 单位: {unit}", f"    日期: {day}", f"    类别: {category}", f"    公开: {publicity}"]
            if publicity != "主动公开":
                lines.append("    公开说明: 涉及个人信息")
            lines.append("    正文: 已办。")
            if len(rest) > 1:
                lines.append("    承诺:")
                for matter, deadline, done in rest[1:]:
                    lines += [f"      - 事项: {matter}", f"        期限: {deadline}", f"        完成: {done or 'null'}"]
    if evaluations:
        lines.append("评价:")
        for day, result in evaluations:
            lines += [f"  - 日期: {day}", f"    结果: {result}"]
    if conversions:
        lines.append("转化:")
        for day, was, now in conversions:
            lines += [f"  - 日期: {day}", f"    由: {was}", f"    为: {now}", "    说明: 已解决"]
    if closed:
        lines.append(f"办结: {closed}")
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    """A YAML scalar for any title, "=1+1" included."""
    return json.dumps(value, ensure_ascii=False)
