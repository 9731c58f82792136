"""The clone moved to what `tiandz sync` pushed: the branch, then the work tree and the index, all or nothing.

By the time the clone moves, the synced commit is on the server; the clone must follow it whatever instant
tiandz dies. So the intent is recorded first (`sync/journal.json` in the state folder: the branch's old and
new commit), the branch is moved by one `update-ref` with its old value, and then every file that differs
between the two commits is put in place, if it is still as the old commit had it (or already as the new
one has it), and its index entry refreshed. The next command that writes (`journal.recover` calls
`recover` here) finishes a move a dead process left: the branch at the old commit or at the new one, the
files brought to the new one. A file someone edited since is left alone (the hand-edit check shows it).

A sync killed before the journal was written left the branch where it was; the commits it pushed are on the
server, and the next sync finds its own commits there already (each replayed change is already in the
server's tree, so none is made twice).
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import suppress
from pathlib import Path

from tiandz.core.problems import refuse
from tiandz.files.reading import ITEM_LIMIT, UnsafeFile, read_bytes
from tiandz.files.yamlio import write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger.commits import changes, text
from tiandz.ledger.folder import Ledger
from tiandz.ledger.manyfiles import make_durable
from tiandz.ledger.place import SYNCING, read_journal

JOURNAL = "journal.json"
INTERRUPTED = "上次的同步中断了"
MANY = 50  # files from which they are not fsynced one by one (as journal.py does for a step of many files)


def folder_of(ledger: Ledger) -> Path:
    return ledger.state_folder / SYNCING


def move(ledger: Ledger, top: Path, ref: str, old: str, new: str) -> list[str]:
    """The branch from `old` to `new`, then the files; returns the paths (from the top) left alone."""
    folder = folder_of(ledger)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / JOURNAL, json.dumps({"version": 1, "ref": ref, "old": old, "new": new}))
    moved = gitops.run(top, "update-ref", "-m", "tiandz sync", ref, new, old, check=False)
    if moved.returncode != 0:
        _clear(folder)
        gitops.refuse_failed(moved, top, "update-ref")
    left = _files(ledger, top, old, new)
    _clear(folder)
    return left


def _files(ledger: Ledger, top: Path, old: str, new: str) -> list[str]:
    """Each file that differs between the two commits brought from old to new, and the index told."""
    changed = changes(top, old, new)
    contents = gitops.read_blobs(top, [entry[1] for change in changed for entry in (change.before, change.after) if entry])
    placed, left, unsynced = [], [], []
    for change in changed:
        path = top / change.path
        try:
            now = read_bytes(path, ITEM_LIMIT) if os.path.lexists(path) else None
        except (UnsafeFile, OSError):
            left.append(change.path)
            continue
        before = contents.get(change.before[1]) if change.before else None
        after = contents.get(change.after[1]) if change.after else None
        if now == after:
            placed.append(change.path)
            continue
        if now != before:
            left.append(change.path)
            continue
        if change.after is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(path, after or b"", synced=len(changed) < MANY)
            unsynced.append(path)
            if change.after[0] == "100755":
                os.chmod(path, 0o755)
        placed.append(change.path)
    if len(changed) >= MANY:  # the files not fsynced one by one: on disk before the journal that could finish them goes
        make_durable(unsynced)
    if placed:
        gitops.run(top, "update-index", "--add", "--remove", "-z", "--stdin",
                   input="".join(path + "\0" for path in placed).encode("utf-8"))
    return left


def _write(path: Path, data: bytes, synced: bool) -> None:
    """Whole or untouched (a temporary file renamed); fsynced one by one only for a few files: a pull of
    200 items spent 1.5 s in 200 fsyncs in turn; `manyfiles.make_durable` syncs them together after."""
    if synced:
        write_atomic(path, data)
        return
    temporary = path.with_name(f".{path.name}.tiandz-sync")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def recover(ledger: Ledger, top: Path) -> list[str]:
    """Finish a move a dead process left (under the write lock); what was done, said in Chinese."""
    folder = folder_of(ledger)
    if not folder.exists():
        return []
    journal = _read(folder / JOURNAL)
    if journal is None:  # died before the intent was written: the branch did not move
        _clear(folder)
        return []
    head = text(gitops.run(top, "rev-parse", "--verify", "-q", journal["ref"], check=False))
    if head == journal["old"]:
        moved = gitops.run(top, "update-ref", "-m", "tiandz sync", journal["ref"], journal["new"], journal["old"], check=False)
        head = journal["new"] if moved.returncode == 0 else head
    if head != journal["new"]:
        _clear(folder)
        return [f"{INTERRUPTED}；此后分支已改变（现为 {head[:12] or '无'}），tiandz 未改动任何文件，请用 git status 和 git log 查看"]
    try:
        left = _files(ledger, top, journal["old"], journal["new"])
    except OSError as error:
        refuse(f"{INTERRUPTED}，补完时无法写入：{error}", hint="腾出磁盘空间或改正权限后重试")
    _clear(folder)
    said = [f"{INTERRUPTED}，已补完：台账已是服务器上的 {journal['new'][:12]}"]
    if left:
        said.append(f"这些文件此后被手工改过，未更新：{'、'.join(left)}（用 git status 查看）")
    return said


def pending(ledger: Ledger) -> bool:
    return (folder_of(ledger) / JOURNAL).exists()


def _read(path: Path) -> dict | None:
    journal = read_journal(path)
    if journal is None:
        return None
    if not all(isinstance(journal.get(key), str) and journal[key] for key in ("ref", "old", "new")):
        return None
    if not journal["ref"].startswith("refs/heads/") or not all(_is_id(journal[key]) for key in ("old", "new")):
        return None
    return journal


def _is_id(value: str) -> bool:
    return len(value) in (40, 64) and all(character in "0123456789abcdef" for character in value)


def _clear(folder: Path) -> None:
    with suppress(FileNotFoundError):
        shutil.rmtree(folder)
