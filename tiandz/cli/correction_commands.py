"""Correcting mistakes from the command line: undo (the latest step taken back) and edit (the file in an editor).

Both commit, as steps do; neither rewrites history. What each did is printed with the diff of the file, so
the clerk sees exactly what changed before anything else happens.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import List, Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, open_ledger, print_problems
from tiandz.cli.step_commands import days_left_text
from tiandz.core.display import visible
from tiandz.core.names import IN_PROGRESS, REDO


def _colours() -> tuple[str, str, str, str, str]:
    if sys.stdout.isatty():
        return "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[0m"
    return "", "", "", "", ""


def _diff_lines(diff: str) -> list[str]:
    """The unified diff, coloured at a terminal; text from the file shown, never obeyed."""
    red, green, _, dim, reset = _colours()
    lines = []
    for line in diff.splitlines():
        shown = visible(line)
        if line.startswith(("+++", "---")):
            lines.append(f"{dim}{shown}{reset}")
        elif line.startswith("+"):
            lines.append(f"{green}{shown}{reset}")
        elif line.startswith("-"):
            lines.append(f"{red}{shown}{reset}")
        else:
            lines.append(shown)
    return lines


def _standing(state: str | None, due: dt.date | None) -> str:
    if state is None:
        return ""
    if state in (IN_PROGRESS, REDO) and due:
        return f" → {state}，时限 {due}{days_left_text(due, dt.date.today())}"
    return f" → {state}"


@command("undo")
def undo_command(
    ids: List[str] = typer.Argument(..., help="编号；该步一次改动了几件时写出每一件"),
    reason: str = typer.Option(..., "--reason", help="撤销理由（写入提交说明）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示将撤销哪一步和文件的改动，不写入"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """撤销：撤销这一件最近的一步办理，文件恢复成该步之前的样子，另作一次提交（不改写历史）。

    再撤销一次就撤销再前一步；撤销本身不能撤销，要恢复就重新办理那一步。登记不能撤销；手工提交、合并不撤销
    （用 tiandz edit 改正）；一次改动了几件的步骤（如 assign J-1 J-2）要写出每一件，整个撤销。答复用过的文号
    不再自动编用。

    示例：tiandz undo J-15 --reason 答复类别录错；tiandz undo J-15 --reason 试看 --dry-run
    """
    book = open_ledger(ledger)
    undone = api.undo(book, ids, reason, dry_run=dry_run)
    _, _, yellow, dim, reset = _colours()
    lines = [f"{'将撤销' if undone.dry_run else '撤销'}的一步：{visible(undone.undone_subject)}"
             f"（{undone.undone[:12]}，{undone.undone_when} {visible(undone.undone_author)}）"]
    lines += _diff_lines(undone.diff)
    for done in undone.done:
        lines.append(visible(done.change.done) + ("" if undone.dry_run else _standing(done.state, done.due)))
    lines += [f"{yellow}{visible(note)}{reset}" for note in undone.notes]
    if undone.dry_run:
        lines.append("（试运行，台账未改动）")
    elif undone.commit:
        lines.append(f"{dim}已提交 git {undone.commit[:7]}{reset}")
    sys.stdout.write("\n".join(lines) + "\n")


@command("edit")
def edit_command(
    item: str = typer.Argument(..., help="编号"),
    reason: str = typer.Option(..., "--reason", help="修改理由（作为提交说明）"),
    keep: bool = typer.Option(False, "--keep", help="不打开编辑器：检查并提交文件中已有的、未提交的修改"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """修改：在编辑器中打开这一件的文件，保存后按 tiandz check 的规则检查，显示改动并提交。

    编辑器依次取环境变量 VISUAL、EDITOR，都没有时 Windows 用记事本，Linux 用 editor、nano 或 vi。
    有错误的文件不提交：在终端中问是重新编辑还是放弃，不在终端时列出问题后拒绝。没有改动就不提交。
    文件已有未提交的手工修改时拒绝；要保留这些修改，用 --keep 检查并提交。

    示例：tiandz edit J-15 --reason 改正提出人姓名；tiandz edit J-15 --keep --reason 补录联名代表
    """
    book = open_ledger(ledger)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    edited = api.edit_item(book, item, reason, keep=keep, again=_ask_again if interactive else None)
    _, _, yellow, dim, reset = _colours()
    lines = _diff_lines(edited.diff)
    if edited.changed:
        lines.append(f"已修改 {edited.item_id}：{visible(' '.join(reason.split()))}" + _standing(edited.state, edited.due))
    lines += [f"{yellow}{visible(note)}{reset}" for note in edited.notes]
    if edited.commit:
        lines.append(f"{dim}已提交 git {edited.commit[:7]}{reset}")
    sys.stdout.write("\n".join(lines) + "\n")


def _ask_again(problems) -> bool:
    """The problems of the saved file, then: edit again, or abandon (nothing is committed)."""
    print_problems(problems, stderr=False)
    while True:
        answer = typer.prompt("文件有错误，未提交。重新编辑（y）还是放弃（n）？", default="y").strip().lower()
        if answer in ("y", "yes", "是", "e"):
            return True
        if answer in ("n", "no", "否", "q"):
            return False
