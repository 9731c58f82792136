"""An item's latest step as git recorded it, for `tiandz undo`: which commit, what else it changed, and the
file as it was before it.

An undo is itself a commit (`Tiandz-Step: undo`, `Tiandz-Undoes: <commit>`), never rewritten history, so
undoing twice takes back the step before, as an editor's undo does: walking the item's commits from the
newest, an undo and the step it undid cancel out, and the first commit left is the latest step. Whether
that step may be taken back is for the caller (steps/undo.py) to decide; this module only reads git.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tiandz.core.changes import step_of
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.history import item_commits

UNDO = "undo"
UNDOES = "Tiandz-Undoes"
_UNDOES = re.compile(r"^Tiandz-Undoes:[ \t]*([0-9a-f]{40,64})[ \t]*$", re.IGNORECASE | re.MULTILINE)


@dataclass
class Step:
    """One commit that changed the item's file: what `git log` says of it, and the file's blob before and after."""

    commit: str
    parents: list[str]
    step: str | None  # the Tiandz-Step trailer; None for a commit made by hand
    subject: str
    author: str
    when: str  # the author's date, as 2024-06-01 10:30
    merge: bool
    old_blob: str | None  # None: the commit made the file (a registration)
    new_blob: str | None  # None: the commit deleted the file
    renamed: bool

    def named(self) -> str:
        """The commit as a clerk recognises it: short id, date, who, subject."""
        return f"{self.commit[:12]}（{self.when} {self.author}：{self.subject}）"


def undone_by(message: str) -> list[str]:
    """The commits an undo's message says it took back (its Tiandz-Undoes trailers)."""
    return [found.lower() for found in _UNDOES.findall(message.partition("\n")[2])]


def latest_step(ledger: Ledger, relative: str) -> tuple[Step | None, bool]:
    """The item's latest commit that no undo took back (None: none), and whether the file has commits at all."""
    commits = item_commits(ledger.root, relative)
    cancelled: set[str] = set()
    for found in commits:
        step = step_of(found.message)
        if step == UNDO and found.status is not None:
            cancelled.update(undone_by(found.message))
            continue
        if found.commit in cancelled:
            continue
        return Step(
            commit=found.commit,
            parents=found.parents,
            step=step,
            subject=found.subject,
            author=found.author,
            when=f"{found.when:%Y-%m-%d %H:%M}",
            merge=found.status is None,
            old_blob=found.old_blob,
            new_blob=found.new_blob,
            renamed=found.old_path is not None,
        ), True
    return None, bool(commits)


def ledger_prefix(ledger: Ledger) -> str:
    """The ledger's folder as git names paths from the repository's top: "" at the top, else "子目录/"."""
    top, _ = gitops.top_and_head(ledger.root)
    inside = gitops.git_path(top.resolve(), ledger.root.resolve())
    return "" if inside == "." else inside + "/"


def changed_paths(ledger: Ledger, step: Step) -> tuple[list[str], list[str]]:
    """The files the commit changed: (inside the ledger, ledger-relative; outside it, as git names them)."""
    result = gitops.run(
        ledger.root, "diff-tree", "-r", "-z", "--no-commit-id", "--name-only", "--no-renames",
        *([] if step.parents else ["--root"]), step.commit,
    )
    prefix = ledger_prefix(ledger)
    inside, outside = [], []
    for name in gitops.text_of(result.stdout).split("\0"):
        if not name:
            continue
        if name.startswith(prefix):
            inside.append(name[len(prefix):])
        else:
            outside.append(name)
    return inside, outside


def head_blob(ledger: Ledger, relative: str) -> str | None:
    """The blob id of the file in HEAD; None when HEAD has no such file."""
    result = gitops.run(ledger.root, "rev-parse", "--verify", "-q", f"HEAD:./{relative}", check=False)
    blob = gitops.text_of(result.stdout).strip()
    return blob if result.returncode == 0 and blob else None


def blob_bytes(ledger: Ledger, blob: str) -> bytes:
    return gitops.run(ledger.root, "cat-file", "blob", blob).stdout
