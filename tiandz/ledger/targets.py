"""Where letter, report and export may write: `-o` never overwrites what it must not.

A path typed after -o (or pasted from someone's instructions) could name the ledger's own files, git's
folder, a device or a link to somewhere else; the default folder out/ could itself be a link that a shared
ledger brought along. Each is refused before anything is built, so nothing is written.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.problems import refuse
from tiandz.ledger.folder import Ledger
from tiandz.ledger.place import YEAR_FOLDER, common_git_directory, git_directory

OUT = "out"
OWN_FILES = (CONFIG_NAME, CALENDAR_NAME, ".gitignore")
OWN_FOLDERS = ("templates", "notes")  # the office's wording and narrative, read by letter and report


def check_output(ledger: Ledger, path: Path, *, folder: bool = False, in_checked_folder: bool = False) -> Path:
    """`path` from -o, a file (or with `folder`, the folder letters go to), refused when writing there could
    harm the ledger or the machine; `in_checked_folder` is a file inside a folder already checked."""
    shown = str(path)
    if path.is_symlink():
        refuse(f"{shown} 是符号链接，不写入", field="-o", hint="写入会改动链接指向的文件；请给出普通文件的路径")
    if path.exists():
        mode = path.stat().st_mode
        if folder and not stat.S_ISDIR(mode):
            refuse(f"{shown} 不是文件夹", field="-o")
        if not folder and not stat.S_ISREG(mode):
            refuse(f"{shown} 已存在，但不是普通文件（{_kind_of(mode)}），不写入", field="-o", hint="请给出一个新文件名或普通文件的路径")
    resolved = Path(os.path.abspath(path)).resolve()
    _refuse_ledgers_own(ledger, resolved, shown)
    parent = Path(os.path.abspath(path)).parent
    if not in_checked_folder and not parent.is_dir():
        if parent.exists():
            refuse(f"{parent} 不是文件夹", field="-o")
        if not _within(resolved, ledger.root.resolve() / OUT):
            refuse(f"文件夹 {parent} 不存在", field="-o", hint="不在台账的 out/ 下时不自动新建文件夹：请先建好，或检查路径是否写错")
    return path


def check_default(ledger: Ledger, path: Path) -> Path:
    """A default path under out/: refused when out/ (or a folder in it) is a link leading elsewhere."""
    out = ledger.root.resolve() / OUT
    resolved = path.resolve()
    if (ledger.root / OUT).is_symlink() or not _within(resolved, out):
        refuse(f"{ledger.relative(path)} 不在台账的 out/ 文件夹内（out/ 或其中的文件夹是指向别处的链接），不写入", hint="删除该链接再试，或用 -o 指定位置")
    _refuse_ledgers_own(ledger, resolved, ledger.relative(path), field="")
    return path


def _refuse_ledgers_own(ledger: Ledger, resolved: Path, shown: str, field: str = "-o") -> None:
    """git's folder, tiandz's state, and the files the ledger is made of."""
    found = git_directory(ledger.root)
    guarded = [found[0].resolve(), common_git_directory(found[0].resolve())] if found else []  # a worktree's too
    if ".git" in resolved.parts or any(_within(resolved, folder) for folder in guarded):
        refuse(f"{shown} 在 git 仓库的 .git 文件夹内，不写入", field=field, hint="那里是版本库本身，写入会损坏台账的历史")
    if _within(resolved, ledger.state_folder.resolve()):
        refuse(f"{shown} 在 tiandz 自己的状态文件夹内，不写入", field=field)
    root = ledger.root.resolve()
    if not _within(resolved, root) or resolved == root:
        return
    parts = resolved.relative_to(root).parts
    if len(parts) == 1 and parts[0] in OWN_FILES:
        refuse(f"{shown} 是台账自己的文件，不能覆盖", field=field, hint="请写到 out/ 下或另给文件名")
    if YEAR_FOLDER.match(parts[0]) or parts[0] in OWN_FOLDERS:
        refuse(f"{shown} 在台账的 {parts[0]}/ 文件夹内，那里只放台账自己的文件，不写入", field=field, hint="请写到 out/ 下或另给位置")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备"
    return "特殊文件"
