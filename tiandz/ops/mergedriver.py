"""`tiandz merge-driver %O %A %B %P`: git's merge driver for item files, so `git pull`/`rebase` merge items.

git hands three temporary files (the common ancestor, ours, theirs) and the item's path; the driver writes
the merged item into ours's file and succeeds, or leaves that file untouched and fails, and git reports the
conflict. It never writes conflict markers: a file with markers is no item, and would be committed as one.
The merged item must pass the same check as every file tiandz writes; one that does not is a conflict too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tiandz.core.display import visible
from tiandz.core.itemmerge import merge_item
from tiandz.core.problems import ERROR, Problem
from tiandz.files.mergetext import merged_text
from tiandz.files.yamlio import YamlError, parse, read_text, write_atomic
from tiandz.ledger.folder import Ledger, find_ledger
from tiandz.ledger.items import check_data


def merge_item_files(base: Path, ours: Path, theirs: Path, shown: str, today: dt.date | None = None) -> list[Problem]:
    """Merge theirs into ours's file; [] when merged, else the conflicts (ours's file then left as it was)."""
    texts = {}
    for side, path in (("base", base), ("ours", ours), ("theirs", theirs)):
        try:
            texts[side] = read_text(path)
        except YamlError as error:
            return [Problem(shown, None, "", f"无法合并：{_side_name(side)}的文件读不出（{error.message}）")]
    ledger = find_ledger(start=Path.cwd())
    text, problems = merge_item_texts(ledger, Path.cwd() / shown, texts["base"], texts["ours"], texts["theirs"], today)
    if text is None:
        return problems
    write_atomic(ours, text)
    return []


def merge_item_texts(
    ledger: Ledger, path: Path, base: str, ours: str, theirs: str, today: dt.date | None = None,
    names: tuple[str, str] = ("本地", "对方"), hint: str = "请手工决定保留哪一个，改好后 git add 并提交",
) -> tuple[str | None, list[Problem]]:
    """The merged item's text made from ours's, or None and the conflicts (a field changed differently on
    both sides, or a merged item that fails `check`). `names`: how ours and theirs are called in a message;
    `tiandz sync` and the driver merge by this one function, so a plain `git pull` agrees with a sync."""
    shown = ledger.relative(path)
    data = {}
    for side, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        try:
            data[side] = parse(text) if text.strip() else {}
        except YamlError as error:
            return None, [Problem(shown, None, "", f"无法合并：{_side_name(side, names)}的文件读不出（{error.message}）")]
        if not isinstance(data[side], dict):
            return None, [Problem(shown, None, "", f"无法合并：{_side_name(side, names)}的文件不是一件的记录")]
    merged = merge_item(data["base"], data["ours"], data["theirs"])
    if merged.data is None:
        return None, [
            Problem(shown, None, conflict.field,
                    f"{conflict.item} 的“{conflict.field}”两边改得不同：{names[0]} {_short(conflict.ours)}，{names[1]} {_short(conflict.theirs)}",
                    hint)
            for conflict in merged.conflicts
        ]
    text = merged_text(ours, data["ours"], merged)
    _, problems = check_data(ledger, path, parse(text), today or dt.date.today(), text)
    errors = [problem for problem in problems if problem.severity == ERROR]
    if errors:
        return None, [Problem(shown, None, "", "合并后的文件通不过检查，未合并", "请手工合并")] + errors
    return text, []


def _side_name(side: str, names: tuple[str, str] = ("本地", "对方")) -> str:
    return {"base": "共同祖先", "ours": names[0], "theirs": names[1]}[side]


def _short(value: Any) -> str:
    text = "（无）" if value is None else visible(str(value))
    return text if len(text) <= 60 else text[:60] + "…"
