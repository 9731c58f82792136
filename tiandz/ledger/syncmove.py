"""The clone moved to what `tiandz sync` pushed: the branch, then the work tree and the index, all or nothing.

By the time the clone moves, the synced commit is on the server; the clone must follow it whatever instant
tiandz dies. So the intent is recorded first (`sync/journal.json` in the state folder: the branch's old and
new commit), the branch is moved by one `update-ref` with its old value, and then every file that differs
between the two commits is put in place, if it is still as the old commit had it (or already as the new
one has it), and its index entry refreshed. The next command that writes (`journal.recover` calls
`recover` here) finishes a move a dead process left: the branch at the old commit or at the new one, the
files brought to the new one. A file someone edited since is left alone (the hand-edit check shows it).
Only what `git pull` would write is written: a plain file, inside the work tree and not in `.git` (a hook
there is run on the clerk's next commit): anyone who can push to the server writes these commits.

A sync killed before the journal was written left the branch where it was; the commits it pushed are on the
server, and the next sync finds its own commits there already (each replayed change is already in the
server's tree, so none is made twice).
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.problems import refuse
from tiandz.files.reading import ITEM_LIMIT, UnsafeFile, read_bytes
from tiandz.files.yamlio import write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger.commits import Change, changes, is_safe_path, text
from tiandz.ledger.folder import Ledger
from tiandz.ledger.manyfiles import make_durable
from tiandz.ledger.place import SYNCING, read_journal

JOURNAL = "journal.json"
INTERRUPTED = "上次的同步中断了"
PLAIN = ("100644", "100755")  # the modes written: not a symlink (120000), nor a submodule (160000)
MANY = 50  # files from which they are not fsynced one by one (as journal.py does for a step of many files)


def folder_of(ledger: Ledger) -> Path:
    return ledger.state_folder / SYNCING


@dataclass
class Moved:
    """The paths (from the top) not brought to the new commit: `left` edited since, `refused` not written at
    all (into `.git`, out of the work tree, not a plain file), as `git pull` refuses them."""

    left: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def refused_note(refused: list[str]) -> str:
    return f"服务器上的这些文件不是普通文件，或路径在 .git 中、在本克隆之外，未写入：{'、'.join(refused)}（用 git show 查看是谁提交的）"


def move(ledger: Ledger, top: Path, ref: str, old: str, new: str) -> Moved:
    """The branch from `old` to `new`, then the files; returns the paths (from the top) not brought to `new`."""
    folder = folder_of(ledger)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / JOURNAL, json.dumps({"version": 1, "ref": ref, "old": old, "new": new}))
    moved = gitops.run(top, "update-ref", "-m", "tiandz sync", ref, new, old, check=False)
    if moved.returncode != 0:
        _clear(folder)
        gitops.refuse_failed(moved, top, "update-ref")
    done = _files(top, old, new)
    _clear(folder)
    return done


def _files(top: Path, old: str, new: str) -> Moved:
    """Each file that differs between the two commits brought from old to new, and the index told."""
    changed = changes(top, old, new)
    contents = gitops.read_blobs(top, [entry[1] for change in changed for entry in (change.before, change.after) if entry])
    placed, left, refused, unsynced = [], [], [], []
    inside: dict[Path, bool] = {}  # each folder resolved once a sync, not once a file (a pull of a 交办会's 15,000)
    found: list[tuple[Change, Path, bytes | None]] = []
    for change in changed:
        path = top / change.path
        if not _safe(change, path, top, inside):
            refused.append(change)
            continue
        try:
            found.append((change, path, read_bytes(path, ITEM_LIMIT) if os.path.lexists(path) else None))
        except (UnsafeFile, OSError):
            left.append(change)
    # A file whose bytes are neither blob's may still be one of them as git sees it (CRLF in the work tree
    # under core.autocrlf, Git for Windows' default; a filter): those few are hashed as `git add` would.
    hashed = _hashed(top, [change.path for change, _, now in found if now is not None
                           and now != _blob(contents, change.before) and now != _blob(contents, change.after)])
    for change, path, now in found:
        before, after = _blob(contents, change.before), _blob(contents, change.after)
        seen = hashed.get(change.path)
        if now == after or (seen is not None and change.after is not None and seen == change.after[1]):
            placed.append(change.path)
            continue
        if now != before and (seen is None or change.before is None or seen != change.before[1]):
            left.append(change)
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
    # Those not written get the new commit's index entries (as journal.py's `_finish` gives a step's): git
    # status then shows the file against the server's commit, not a staged undoing of it that `git commit`
    # would record. A path git itself refuses (into `.git`, with `..`) never goes into the index.
    kept = [change for change in left + refused if is_safe_path(change.path)]
    if kept:
        gitops.run(top, "update-index", "-z", "--index-info", input="".join(map(_index_line, kept)).encode("utf-8"))
    return Moved([change.path for change in left], [change.path for change in refused])


def _blob(contents: dict[str, bytes], side: tuple[str, str] | None) -> bytes | None:
    return contents.get(side[1]) if side else None


def _hashed(top: Path, paths: list[str]) -> dict[str, str]:
    """The blob each of these work-tree files would be, hashed by one `git hash-object` with their filters."""
    if not paths or any("\n" in path for path in paths):
        return {}
    listed = gitops.run(top, "hash-object", "--stdin-paths", input="".join(path + "\n" for path in paths).encode("utf-8"))
    ids = gitops.text_of(listed.stdout).split()
    return dict(zip(paths, ids)) if len(ids) == len(paths) else {}


def _safe(change: Change, path: Path, top: Path, inside: dict[Path, bool]) -> bool:
    """Whether the change may be written: a path git would check out, a plain file (not a symlink or a
    submodule) before and after, its folder inside the work tree (not out through a symlinked folder)."""
    if not is_safe_path(change.path):
        return False
    if any(entry[0] not in PLAIN for entry in (change.before, change.after) if entry):
        return False
    if path.parent not in inside:
        inside[path.parent] = path.parent.resolve().is_relative_to(top.resolve())
    return inside[path.parent]


def _index_line(change: Change) -> str:
    """The `update-index --index-info` line giving the path the new commit's entry (mode 0: none)."""
    if change.after is None:
        return f"0 {'0' * len(change.before[1])}\t{change.path}\0"
    return f"{change.after[0]} {change.after[1]}\t{change.path}\0"


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
        done = _files(top, journal["old"], journal["new"])
    except OSError as error:
        refuse(f"{INTERRUPTED}，补完时无法写入：{error}", hint="腾出磁盘空间或改正权限后重试")
    _clear(folder)
    said = [f"{INTERRUPTED}，已补完：台账已是服务器上的 {journal['new'][:12]}"]
    if done.left:
        said.append(f"这些文件此后被手工改过，未更新：{'、'.join(done.left)}（用 git status 查看）")
    if done.refused:
        said.append(refused_note(done.refused))
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
