"""Where a ledger, its item files and tiandz's state folder are, without loading any model.

`check` with nothing changed answers from its memo (ledger/unchanged.py) before Typer or pydantic is loaded;
it must find the ledger, list its files and find the state folder as every other command does, so those live
here, and folder.py's `Ledger` uses them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from tiandz.core.names import CONFIG_NAME
from tiandz.core.problems import refuse

YEAR_FOLDER = re.compile(r"^[0-9]{4}$")
STAGING = "step"  # in the state folder: a step being committed (journal.py); a dead one is for check to tell
SYNCING = "sync"  # in the state folder: a sync's commits being built, or the clone being moved (syncmove.py)


def ledger_root(option: str | Path | None = None, start: Path | None = None) -> Path:
    """--ledger, else $TIANDZ_LEDGER, else the nearest folder upwards with tiandz.yaml."""
    chosen = option or os.environ.get("TIANDZ_LEDGER")
    if chosen:
        root = Path(chosen).expanduser()
        if not (root / CONFIG_NAME).is_file():
            refuse(f"{root} 不是台账：其中没有 {CONFIG_NAME}", hint=f"用 tiandz init {root} 新建台账")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    refuse(
        f"在 {here} 及其上级目录中找不到台账（{CONFIG_NAME}）",
        hint="用 tiandz init 新建台账，或用 --ledger 指定台账目录",
    )


def state_folder_of(root: Path) -> Path:
    """Where tiandz keeps its own state (cache, lock, numbers, what it wrote but did not commit).

    Inside the repository's git directory (`.git/tiandz/`), where no clone, pull or checkout can deliver
    a file: everything in the work tree may come from someone else's machine. A ledger in a subfolder of
    a larger repository gets a folder of its own under it; a ledger outside git keeps `.tiandz/`.
    """
    found = git_directory(root)
    if found is None:
        return root / ".tiandz"
    git_dir, top = found
    relative = root.resolve().relative_to(top.resolve()).as_posix()
    return git_dir / "tiandz" if relative == "." else git_dir / "tiandz" / "ledgers" / quote(relative, safe="")


def year_folders(root: Path) -> list[Path]:
    return sorted(entry for entry in root.iterdir() if entry.is_dir() and YEAR_FOLDER.match(entry.name))


def item_entries(root: Path) -> list[tuple[str, str]]:
    """(path as messages show it, full path as text) of every file in every year folder, in file order.

    No Path object each: a scan of 15,000 files that finds them all in its cache spends more on Path
    objects than on anything else.
    """
    entries: list[tuple[str, str]] = []
    for folder in year_folders(root):
        names = sorted([name for name in os.listdir(folder) if name[0] != "."])  # names, not Paths: faster
        shown, full = folder.name + "/", str(folder) + os.sep
        entries += [(shown + name, full + name) for name in names]
    return entries


def git_directory(root: Path) -> tuple[Path, Path] | None:
    """(git directory, work tree top) of the repository the folder is in, found as git finds it, without
    running git: `.git` as a folder, or as a file saying `gitdir: …` (worktrees, submodules); None outside git."""
    for folder in (root, *root.resolve().parents):
        marker = folder / ".git"
        if marker.is_dir():
            return marker, folder
        if marker.is_file():
            try:
                text = marker.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return None
            if text.startswith("gitdir:"):
                return (folder / text[len("gitdir:"):].strip()).resolve(), folder
            return None
    return None


def common_git_directory(git_dir: Path) -> Path:
    """Where a linked worktree's branches, objects and packed refs live (its `commondir`); the git directory
    itself otherwise."""
    marker = git_dir / "commondir"
    try:
        return (git_dir / marker.read_text(encoding="utf-8").strip()).resolve()
    except OSError:
        return git_dir


def read_journal(path: Path) -> dict | None:
    """A journal tiandz wrote in the state folder (a step's, a sync's): its JSON object of version 1, or None
    for anything else (absent, cut short, not tiandz's), which counts as no journal."""
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return journal if isinstance(journal, dict) and journal.get("version") == 1 else None
