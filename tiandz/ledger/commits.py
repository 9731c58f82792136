"""Commits read and made aside for `tiandz sync`: the clone's own commits put on top of the server's.

Nothing here touches the branch, the index or the work tree: the replayed commits are built in a temporary
index in the state folder (`sync/build/`) and made by `commit-tree`, each with its original message
(trailers and all) and author, as `git rebase` keeps them. Until `syncmove.move` the clone is as it was.
"""

from __future__ import annotations

import re
import shutil
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from tiandz.core.problems import refuse
from tiandz.ledger import git as gitops

ZERO = re.compile(r"0+")


@dataclass(frozen=True)
class Change:
    """One path a commit changed: its mode and blob before and after (None when absent on that side)."""

    path: str  # from the repository's top, with /
    before: tuple[str, str] | None  # (mode, blob)
    after: tuple[str, str] | None


@dataclass(frozen=True)
class Original:
    """A commit of the clone's own, to be replayed: its changes, its message, its author."""

    commit: str
    changes: list[Change]
    message: bytes
    author: dict[str, str]  # GIT_AUTHOR_NAME, _EMAIL, _DATE


def text(result) -> str:
    return gitops.text_of(result.stdout).strip()


def merge_base(top: Path, one: str, other: str) -> str | None:
    found = gitops.run(top, "merge-base", one, other, check=False)
    return text(found) or None


def count(top: Path, since: str, until: str) -> int:
    return int(text(gitops.run(top, "rev-list", "--count", f"{since}..{until}")) or 0)


def own_commits(top: Path, server: str, local: str) -> list[str]:
    """The clone's commits the server lacks, oldest first; merge commits left out (as `git rebase` does: a
    merge's own work is in the commits it joined, and the server refuses a unit's merge commit)."""
    listed = gitops.run(top, "rev-list", "--reverse", "--topo-order", "--no-merges", f"{server}..{local}")
    return text(listed).split()


def is_safe_path(path: str) -> bool:
    """Whether a path from someone's commit is one a checkout may write (as git's own verify_path judges it):
    False for a part `.git` (in any case, and with the trailing dots and spaces Windows drops), `..`, `.` or
    empty, which would write into the repository itself (a hook runs code) or outside the clone."""
    return all(part not in ("", ".", "..") and part.rstrip(" .").lower() != ".git" for part in path.split("/"))


def changes(top: Path, parent: str | None, commit: str) -> list[Change]:
    """What `commit` changed from `parent` (None: a root commit, from nothing); no rename detection: an item's
    file is its name."""
    against = [parent, commit] if parent else ["--root", commit]
    raw = gitops.run(top, "diff-tree", "-r", "-z", "--no-renames", "--no-commit-id", *against).stdout
    fields = raw.split(b"\0")
    found = []
    for index in range(0, len(fields) - 1, 2):
        header = gitops.text_of(fields[index]).lstrip(":").split()
        if len(header) < 5:
            continue
        path = gitops.text_of(fields[index + 1])
        old_mode, new_mode, old_blob, new_blob = header[:4]
        before = None if ZERO.fullmatch(old_blob) else (old_mode, old_blob)
        after = None if ZERO.fullmatch(new_blob) else (new_mode, new_blob)
        found.append(Change(path, before, after))
    return found


def originals(top: Path, commits: list[str]) -> list[Original]:
    """Each commit's changes from its first parent, its message and its author."""
    bodies = gitops.read_blobs(top, commits, kind=b"commit")
    found = []
    for commit in commits:
        body = bodies.get(commit)
        if body is None:
            refuse(f"读不出提交 {commit[:12]}", hint="用 git fsck 检查仓库")
        head, _, message = body.partition(b"\n\n")
        parent, author = None, {}
        for line in head.split(b"\n"):
            if line.startswith(b"parent ") and parent is None:
                parent = line.split()[1].decode()
            elif line.startswith(b"author "):
                author = _person(gitops.text_of(line[len(b"author "):]))
        found.append(Original(commit, changes(top, parent, commit), message, author))
    return found


def _person(line: str) -> dict[str, str]:
    """`Name <email> 1700000000 +0800` as git's author variables (the date kept to the second and zone)."""
    matched = re.fullmatch(r"(.*?) ?<([^>]*)> (\d+) ([+-]\d{4})", line.strip())
    if not matched:
        return {}
    name, email, seconds, zone = matched.groups()
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": f"@{seconds} {zone}"}


def entries_at(top: Path, commit: str, paths: list[str]) -> dict[str, tuple[str, str] | None]:
    """(mode, blob) of these paths in a commit's tree; None for a path it does not have."""
    found: dict[str, tuple[str, str] | None] = {path: None for path in paths}
    if not paths:
        return found
    listed = gitops.run(top, "ls-tree", "-z", "--full-tree", commit, "--", *paths).stdout
    for entry in listed.split(b"\0"):
        if b"\t" not in entry:
            continue
        header, _, name = entry.partition(b"\t")
        mode, kind, blob = gitops.text_of(header).split()
        if kind == "blob":
            found[gitops.text_of(name)] = (mode, blob)
    return found


class Builder:
    """Commits made one on another in a temporary index, starting from the server's commit."""

    def __init__(self, top: Path, folder: Path, start: str) -> None:
        self.top = top
        self.folder = folder
        self.head = start
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        self.env = {"GIT_INDEX_FILE": str(folder / "index")}
        gitops.run(top, "read-tree", start, env=self.env)
        self.tree = text(gitops.run(top, "rev-parse", f"{start}^{{tree}}"))

    def blob(self, data: bytes, path: str) -> str:
        """A merged file's content into git's objects, as `git add` would store it at its path."""
        return text(gitops.run(self.top, "hash-object", "-w", "--stdin", "--path", path, input=data))

    def commit(self, entries: dict[str, tuple[str, str] | None], original: Original) -> bool:
        """The next commit: the index with these entries (None removes the path), the original's message and
        author; False (no commit) when the tree would not change: the change is on the server already."""
        gone = "0" * len(self.tree)  # mode 0: the path removed from the index
        listed = "".join(f"{entry[0]} {entry[1]}\t{path}\0" if entry else f"0 {gone}\t{path}\0" for path, entry in entries.items())
        gitops.run(self.top, "update-index", "-z", "--index-info", input=listed.encode("utf-8"), env=self.env)
        tree = text(gitops.run(self.top, "write-tree", env=self.env))
        if tree == self.tree:
            return False
        made = gitops.run(self.top, "commit-tree", tree, "-p", self.head, "-F", "-", input=original.message, check=False,
                          env={**self.env, **original.author})
        if made.returncode != 0 and re.search(rb"identity unknown|tell me who you are|empty ident", made.stderr):
            gitops.refuse_no_identity()
        gitops.refuse_failed(made, self.top, "commit-tree")
        self.head, self.tree = text(made), tree
        return True

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        with suppress(OSError):  # the sync folder too, when nothing else is in it
            self.folder.parent.rmdir()
