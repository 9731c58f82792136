"""`tiandz edit`: an item file corrected in the clerk's editor, checked, and committed with the reason.

Some corrections fit no step (a misspelt name, a wrong 案号, a 领域 changed by the office). Editing the YAML
and running `git commit` opened vim for clerks who never used git, so this does it for them: the file is
copied to a temporary folder and opened in the clerk's editor ($VISUAL, then $EDITOR, else `notepad` on
Windows and `editor`, `nano` or `vi` on Linux, whichever exists); the ledger's file is not touched while
the editor is open, and the write lock is not held (a clerk may take minutes; others keep working). On
save the copy is judged by the checker of `check` (ledger/items.check_data); a copy with errors is never
committed: at a terminal the clerk is asked to fix it again or abandon, elsewhere it is refused with the
problems. A valid change is committed as a step is (lock, recovery, journal: all or nothing), with the
reason as the commit's subject and the trailer `Tiandz-Step: edit`, and its unified diff is returned to show.

Uncommitted hand edits are refused as by every step; `--keep` is how they are kept: the file as it is now
is checked and committed with the reason, without an editor.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tiandz.core.changes import text_diff
from tiandz.core.ids import ItemId
from tiandz.core.oserrors import reason as os_reason
from tiandz.core.permissions import refuse_step
from tiandz.core.problems import ERROR, Problem, TiandzError, refuse
from tiandz.core.summary import summarize
from tiandz.files.reading import ITEM_LIMIT, read_bytes
from tiandz.files.yamlio import BOM, YamlError, parse
from tiandz.ledger import git as gitops
from tiandz.ledger import handedits, journal
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import check_data
from tiandz.ledger.lock import writing
from tiandz.ledger.ownfiles import refuse_changed_config, settle_own_files
from tiandz.ledger.repository import ready_for_step
from tiandz.ledger.role import read_role

STEP = "edit"
LINUX_EDITORS = ("editor", "nano", "vi")

Editor = Callable[[Path], None]  # opens the file and returns when the clerk has saved and closed it
Again = Callable[[list[Problem]], bool]  # shown the problems: True to open the file again, False to abandon


@dataclass
class Edited:
    """What `tiandz edit` did: the diff committed (or why nothing was), and where the item now stands."""

    item_id: str
    path: str  # as messages show it
    changed: bool
    diff: str
    commit: str | None
    state: str | None = None
    due: dt.date | None = None
    days_left: int | None = None
    notes: list[str] = field(default_factory=list)


def edit_item(
    ledger: Ledger,
    typed_id: str,
    reason: str,
    *,
    keep: bool = False,
    editor: Editor | None = None,
    again: Again | None = None,
    today: dt.date | None = None,
) -> Edited:
    """`tiandz edit`: the item in the clerk's editor (or, `keep`, as it is now), checked, committed with `reason`.

    >>> edit_item(ledger, "J-15", "改正提出人姓名")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    role = read_role(ledger.root)
    refuse_step(role.kind, role.unit, "edit")  # a unit may not change an item by hand (spec/offices.md)
    reason = " ".join((reason or "").split())  # one line: it is the commit's subject
    if not reason:
        refuse("须写修改理由", field="--reason", hint="如 --reason 改正提出人姓名")
    item_id = ledger.resolve_id(typed_id)
    path = ledger.item_path(item_id)
    shown = ledger.relative(path)
    ledger.refuse_symlink(path)
    in_git = ready_for_step(ledger.root)
    if in_git:  # before the clerk spends time in the editor: refused at the commit anyway
        refuse_changed_config(gitops.uncommitted(ledger.root, [ledger.config_path]))
    committed = _committed(ledger, shown) if in_git else None
    start = _read(path, shown)
    folder = Path(tempfile.mkdtemp(prefix="tiandz-edit-"))
    copy = folder / path.name  # the item's own name: the editor shows which file it is and colours YAML
    try:
        if keep:
            if not in_git:
                refuse("台账不在 git 仓库中，没有要提交的修改", hint=f"直接修改文件用 tiandz edit {item_id} --reason 说明")
            if start == committed:
                return Edited(str(item_id), shown, False, "", None, notes=[f"{shown} 没有未提交的修改，未提交"])
            _refuse_errors(ledger, path, item_id, start, today, keep=True)
            new = start
        else:
            if in_git:
                handedits.refuse_hand_edits(ledger, [path], then=f"再运行 tiandz edit {item_id} --reason 说明")
            new = _edit_until_valid(ledger, path, item_id, start, copy, editor or run_editor, again, today)
            if new == start:
                return Edited(str(item_id), shown, False, "", None, notes=[f"{shown} 未作修改，未提交"])
        try:
            return _commit(ledger, item_id, path, start, new, committed, reason, in_git, today)
        except _Moved as moved:
            kept = ""
            if not keep:  # the clerk's work is not lost: the edited copy stays where it can be found
                saved = folder.with_name(folder.name + "-保留")
                os.replace(folder, saved)
                kept = f"修改后的文件保存在 {saved / path.name}；"
            refuse(f"{shown} 在此期间被改动了（{moved.why}），本次修改未提交，台账未改动", path=shown,
                   hint=f"{kept}用 tiandz log {item_id} 和 git diff {shown} 查看，再重新 tiandz edit")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Moved(Exception):
    def __init__(self, why: str):
        self.why = why


def _edit_until_valid(
    ledger: Ledger, path: Path, item_id: ItemId, start: bytes, copy: Path, editor: Editor, again: Again | None,
    today: dt.date,
) -> bytes:
    """The copy after the editor, once it passes `check` (or is unchanged); refused when the clerk gives up."""
    copy.write_bytes(start)
    while True:
        editor(copy)
        new = _read(copy, ledger.relative(path))
        if new == start:
            return new
        errors = _errors(ledger, path, new, today)
        if not errors:
            return new
        if again is None:
            raise TiandzError(_heading(ledger, path, item_id, keep=False) + errors)
        if not again(errors):
            refuse("已放弃修改，未提交，台账未改动", path=ledger.relative(path))


def _refuse_errors(ledger: Ledger, path: Path, item_id: ItemId, data: bytes, today: dt.date, keep: bool) -> None:
    errors = _errors(ledger, path, data, today)
    if errors:
        raise TiandzError(_heading(ledger, path, item_id, keep) + errors)


def _heading(ledger: Ledger, path: Path, item_id: ItemId, keep: bool) -> list[Problem]:
    shown = ledger.relative(path)
    if keep:
        return [Problem(shown, None, "", "文件有错误，未提交", f"改正后再运行 tiandz edit {item_id} --keep --reason 说明；"
                        f"或不要这些修改：git checkout -- {shown}")]
    return [Problem(shown, None, "", "修改后的文件有错误（行号是修改后的），未提交，台账未改动",
                    f"再运行 tiandz edit {item_id} --reason 说明，改正这些问题")]


def _errors(ledger: Ledger, path: Path, data: bytes, today: dt.date) -> list[Problem]:
    """What `check` would say is wrong with these bytes as the item's file (warnings aside)."""
    shown = ledger.relative(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [Problem(shown, line, "", "文件不是 UTF-8 编码", "请用 UTF-8 保存（记事本：另存为 → 编码 UTF-8）")]
    text = text.removeprefix(BOM)
    try:
        parsed = parse(text)
    except YamlError as error:
        return [Problem(shown, error.line, "", error.message, error.hint)]
    if not isinstance(parsed, dict):
        return [Problem(shown, 1, "", "文件为空" if parsed is None else "文件应由“键: 值”组成，不是列表或单个值")]
    _, found = check_data(ledger, path, parsed, today, text)
    return [problem for problem in found if problem.severity == ERROR]


def _commit(
    ledger: Ledger, item_id: ItemId, path: Path, start: bytes, new: bytes, committed: bytes | None, reason: str,
    in_git: bool, today: dt.date,
) -> Edited:
    """Under the lock: the file still as the edit began, then written and committed all or nothing."""
    shown = ledger.relative(path)
    notes: list[str] = []
    with writing(ledger.state_folder):
        if in_git:
            ready_for_step(ledger.root)
            notes += journal.recover(ledger)
            notes += settle_own_files(ledger)
        if _read(path, shown) != start:
            raise _Moved("文件与打开时不同")
        if in_git and _committed(ledger, shown) != committed:
            raise _Moved("有新的提交")
        commit_id = None
        if in_git:
            commit_id = journal.commit_files(ledger, [(path, new)], reason, {"Tiandz-Step": STEP, "Tiandz-Item": str(item_id)})
            handedits.forget(ledger, [path])
        else:
            journal.write_files(ledger, [(path, new)])
            handedits.remember(ledger, [path])
            notes.append("台账不在 git 仓库中，修改未提交（无留痕）")
    text = new.decode("utf-8").removeprefix(BOM)
    item, _ = check_data(ledger, path, parse(text), today, text)
    before = committed if in_git else start  # what the clerk's version is compared with: the last commit
    old = before.decode("utf-8", errors="replace") if before is not None else None
    edited = Edited(str(item_id), shown, True, text_diff(shown, old, new.decode("utf-8")), commit_id, notes=notes)
    if item is not None:
        summary = summarize(item, ledger.config, today, ledger.holidays)
        edited.state, edited.due, edited.days_left = summary.state, summary.due, summary.days_left(today)
    return edited


def _read(path: Path, shown: str) -> bytes:
    try:
        return read_bytes(path, ITEM_LIMIT)
    except OSError as error:
        refuse(f"无法读取：{os_reason(error)}", path=shown)


def _committed(ledger: Ledger, shown: str) -> bytes | None:
    """The file as HEAD has it; None when it was never committed."""
    result = gitops.run(ledger.root, "cat-file", "blob", f"HEAD:./{shown}", check=False)
    return result.stdout if result.returncode == 0 else None


def editor_command() -> tuple[str, bool]:
    """The clerk's editor as a command line, and whether it is a shell command ($VISUAL or $EDITOR, as git runs
    them, so `code --wait` works) rather than a program's name."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value, True
    if os.name == "nt":
        return "notepad", False
    for name in LINUX_EDITORS:
        if shutil.which(name):
            return name, False
    refuse("找不到编辑器", hint="设置环境变量 EDITOR，如 export EDITOR=nano，然后重试")


def run_editor(path: Path) -> None:
    """Open the file in the clerk's editor and wait until it is closed; a failing editor abandons the edit."""
    command, shell = editor_command()
    try:
        if shell and os.name != "nt":
            # As git runs $EDITOR: through the shell, the file as its argument, so quoting and options work.
            done = subprocess.run(["sh", "-c", f'{command} "$@"', command, str(path)])
        elif shell:
            done = subprocess.run(f'{command} "{path}"')
        else:
            done = subprocess.run([command, str(path)])
    except OSError as error:
        refuse(f"无法启动编辑器 {command}：{os_reason(error)}", hint="设置环境变量 EDITOR 为可用的编辑器，如 EDITOR=nano")
    if done.returncode != 0:
        refuse(f"编辑器（{command}）以错误退出（退出码 {done.returncode}），未提交，台账未改动")

