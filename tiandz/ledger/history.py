"""`tiandz log`: one item's history, read back from git.

The ledger keeps no history of its own: every step is a git commit with a `Tiandz-Step` trailer, and git
is the record (全程留痕). Raw `git log -p` answers in lines of YAML, which a clerk or an auditor cannot read
at a glance; this module answers in fields. It parses the file before and after each commit and compares
the two, so a re-indented block or a moved comment is not a change, a changed 时限 is one line with its
old and new value, and a whole new 答复 is one line.

No other item is read: one `git log` limited to the item's path, one `git cat-file --batch` for every
version of the file, one `git status` for uncommitted edits. In a large ledger the time is git's walk
through the history, which git's commit-graph with changed-path Bloom filters makes short; it is written
and kept up to date by ledger/commitgraph.py, and checked before the walk uses it.

The fields compared and how they are told (tiandz/core/changes.py) are pure; this module is the git side:
the log of the item's path, the versions read back, each parsed as YAML and handed over for comparing.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tiandz.core.changes import Entry, History, compare, step_of
from tiandz.core.problems import refuse
from tiandz.files.yamlio import BOM, YamlError, parse
from tiandz.ledger import git as gitops
from tiandz.ledger.commitgraph import graph_options
from tiandz.ledger.folder import Ledger

UNREADABLE = "文件无法解析"

_RECORD, _FIELD = "\x1e", "\x1f"
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%s%x1f%B%x1f"


def item_history(ledger: Ledger, typed_id: str) -> History:
    """The commits that touched one item's file, oldest first, each with the fields it changed."""
    if shutil.which("git") is None:
        refuse("找不到 git 命令，无法读取办理记录", hint="请先安装 git")
    if not gitops.is_repository(ledger.root):
        refuse(
            "台账不在 git 仓库中，没有办理记录可查",
            path=str(ledger.root),
            hint="办理记录就是 git 的提交历史：在台账目录运行 git init 并提交后，此后的每一步都会留痕",
        )
    item_id = ledger.resolve_id(typed_id)
    relative = ledger.relative(ledger.item_path(item_id))
    commits = _commits(ledger.root, relative)
    versions = _read_versions(ledger.root, sorted({sha for found in commits for sha in found.blobs() if sha}))
    # git names files from the repository's top, which is above the ledger when the ledger is a subfolder.
    prefix = commits[0].path[: -len(relative)] if commits and commits[0].path.endswith(relative) else ""
    entries, last_readable = [], None
    for found in reversed(commits):
        entry, last_readable = _entry(found, versions, prefix, last_readable)
        entries.append(entry)
    return History(str(item_id), relative, entries, _see_uncommitted(ledger.root, relative))


@dataclass
class _Commit:
    """One record of `git log --raw` for the file."""

    commit: str
    parents: list[str]
    author: str
    when: dt.datetime
    subject: str
    message: str
    status: str | None  # A, M, D, R, C, T; None for a merge, which `git log --raw` shows without a diff
    old_blob: str | None
    new_blob: str | None
    old_path: str | None
    path: str

    def blobs(self) -> tuple[str | None, str | None]:
        return self.old_blob, self.new_blob


def _commits(root: Path, relative: str) -> list[_Commit]:
    """The commits that touched the file, newest first, following it back across a rename."""
    # --follow cannot use git's changed-path Bloom filters (`git commit-graph write --changed-paths`), which
    # make a path-limited log ten times faster in a large ledger; a renamed item file (a corrected 编号) is
    # rare, so --follow is asked for only when a commit that added the file turns out to be a rename.
    options = graph_options(root)
    commits = _log(root, relative, follow=False, options=options)
    if any(found.status == "A" and _renamed_into(root, found) for found in commits):
        commits = _log(root, relative, follow=True, options=options)
    return commits


def _log(root: Path, relative: str, follow: bool, options: tuple[str, ...] = ()) -> list[_Commit]:
    # --raw gives the blob ids of both versions, so no parent commit has to be looked up; -z keeps
    # non-ASCII paths unquoted; --encoding re-encodes a message a GBK-configured git wrote.
    result = gitops.run(
        root, *options, "log", *(["--follow"] if follow else []), "-z", "--raw", "--no-abbrev", "--no-color",
        "--encoding=UTF-8", f"--format={_LOG_FORMAT}", "--", relative, check=False,
    )
    if result.returncode != 0:
        if gitops.run(root, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0:
            return []  # a repository without any commit yet
        refuse(f"git log 失败：{gitops.text_of(result.stderr).strip()}")
    return [_parse_record(record, relative) for record in gitops.text_of(result.stdout).split(_RECORD)[1:]]


def _renamed_into(root: Path, found: _Commit) -> bool:
    """Whether the commit that added the file made it by renaming another one."""
    if not found.parents:
        return False
    output = gitops.run(root, "diff-tree", "-z", "-r", "-M", "--raw", "--no-commit-id", found.commit).stdout
    tokens = gitops.text_of(output).split("\0")
    for index, token in enumerate(tokens):
        if token.startswith(":") and token.split()[-1].startswith("R") and index + 2 < len(tokens):
            if tokens[index + 2] == found.path:
                return True
    return False


def _parse_record(record: str, relative: str) -> _Commit:
    commit, parents, author, when, subject, message, rest = record.split(_FIELD, 6)
    tokens = [token.strip("\n") for token in rest.split("\0")]
    tokens = [token for token in tokens if token]
    status = old_blob = new_blob = old_path = None
    path = relative
    if tokens and tokens[0].startswith(":"):
        # ":100644 100644 <old blob> <new blob> M", then the path, or old and new path for R and C
        _, _, old_blob, new_blob, status = tokens[0].split()[:5]
        status = status[0]
        paths = tokens[1:]
        if status in "RC" and len(paths) >= 2:
            old_path, path = paths[0], paths[1]
        elif paths:
            path = paths[0]
    return _Commit(
        commit=commit,
        parents=parents.split(),
        author=author,
        when=dt.datetime.fromisoformat(when),
        subject=subject,
        message=message,
        status=status,
        old_blob=_blob_id(old_blob),
        new_blob=_blob_id(new_blob),
        old_path=old_path,
        path=path,
    )


def _blob_id(text: str | None) -> str | None:
    return None if not text or set(text) == {"0"} else text  # all zeros: no such version (added, deleted)


_Readable = tuple[dict, dt.datetime]  # a version of the file that could be parsed, and its commit's date


def _entry(
    found: _Commit, versions: dict[str, bytes], prefix: str, last_readable: _Readable | None
) -> tuple[Entry, _Readable | None]:
    """The entry for one commit, and the latest readable version so far, for the next commit."""
    entry = Entry(found.commit, found.author, found.when, step_of(found.message), found.subject)
    if found.status is None:
        entry.note = "合并提交，未逐项比较" if len(found.parents) > 1 else None
        return entry, last_readable
    if found.status == "D":
        entry.note = "删除了文件"
        return entry, None
    new = _load(versions.get(found.new_blob)) if found.new_blob else _Unreadable
    readable = last_readable if new is _Unreadable else (new, found.when)
    if found.old_blob is None:
        entry.created = True
        if new is _Unreadable:
            entry.note = UNREADABLE
        else:
            entry.field_count = len(new)
        return entry, readable
    notes = []
    if found.old_path:
        notes.append(f"文件改名：{found.old_path.removeprefix(prefix)} → {found.path.removeprefix(prefix)}")
    old = _load(versions.get(found.old_blob))
    if new is _Unreadable:
        notes.append(UNREADABLE)
    elif old is not _Unreadable:
        entry.changes = compare(old, new)
    elif last_readable is not None:
        # A broken version in between says nothing field by field; what the repair changed is best told
        # against the last version that could be read.
        notes.append(f"上一版文件无法解析，与 {last_readable[1]:%Y-%m-%d %H:%M} 的版本比较")
        entry.changes = compare(last_readable[0], new)
    else:
        notes.append("上一版文件无法解析，无法逐项比较")
    entry.note = "；".join(notes) or None
    return entry, readable


class _Unreadable:
    """A version of the file that could not be read as an item (bad YAML, bad encoding, not a mapping)."""


def _load(data: bytes | None) -> Any:
    if data is None:
        return _Unreadable
    try:
        value = parse(data.decode("utf-8").removeprefix(BOM))
    except (UnicodeDecodeError, YamlError):
        return _Unreadable
    return value if isinstance(value, dict) else _Unreadable


def _read_versions(root: Path, blobs: list[str]) -> dict[str, bytes]:
    """Every wanted version of the file from one `git cat-file --batch`, instead of one `git show` each
    (a version missing in a shallow clone is left out, and shown as unreadable)."""
    return gitops.read_blobs(root, blobs)


def _see_uncommitted(root: Path, relative: str) -> str | None:
    """The git command that shows what differs from the last commit, or None when nothing does."""
    status = gitops.uncommitted(root, [Path(relative)]).get(relative, "")
    if not status:
        return None
    staged, changed = status[0], status[1]
    # `git diff` alone shows only what is not staged; a change someone staged with `git add` would look empty.
    if status == "??":
        return f"git status {relative}"
    if staged != " " and changed != " ":
        return f"git diff HEAD -- {relative}"
    if staged != " ":
        return f"git diff --cached {relative}"
    return f"git diff {relative}"


def item_commits(root: Path, relative: str) -> list[_Commit]:
    """The commits that touched one item's file, newest first, each with its message and both blob ids
    (for `tiandz undo`, which takes the latest step back)."""
    return _commits(root, relative)
