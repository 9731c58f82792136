"""What a report was made from: the git commit of the ledger, and whether files differed from it.

With the as-of date this is enough to make the same report again: check out the commit, run the same
command. Files changed but not committed when the report was made are counted and named as such, since
the commit alone would then not give the same figures.

One `git status --porcelain=v2 --branch` gives both the commit and the changed files; it is started before
the ledger is scanned and read after, so it costs a report nothing on a large ledger. It runs for a report
answered from its memo too (report/memo.py): a commit changes no file of the work tree.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.ledger.place import year_folders


@dataclass(frozen=True)
class Provenance:
    commit: str | None  # None: not in git, or no commit yet
    uncommitted: int = 0  # files of the ledger that differed from the commit
    in_git: bool = True

    def describe(self) -> str:
        if not self.in_git:
            return "台账不在 git 仓库中，无提交可注明"
        if self.commit is None:
            return "台账尚无 git 提交"
        text = f"台账 git 提交 {self.commit[:12]}"
        if self.uncommitted:
            text += f"（另有 {self.uncommitted} 个文件有未提交的修改）"
        return text

    def to_json(self) -> dict:
        return {"commit": self.commit, "uncommitted": self.uncommitted}


class PendingProvenance:
    """`git status` running while the caller does something else; `result()` waits for it."""

    def __init__(self, root: Path):
        # templates/ and notes/ shape the report's words: an untracked note is as uncommitted as a changed one.
        pathspecs = [CONFIG_NAME, CALENDAR_NAME, "templates", "notes", *(folder.name for folder in year_folders(root))]
        command = ["git", "-C", str(root), "status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all"]
        environment = {**os.environ, "LC_ALL": "C.UTF-8", "GIT_TERMINAL_PROMPT": "0"}
        try:
            self.process = subprocess.Popen(
                [*command, "--", *pathspecs], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment
            )
        except OSError:  # no git installed
            self.process = None

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.communicate()

    def result(self) -> Provenance:
        if self.process is None:
            return Provenance(None, 0, in_git=False)
        output, _ = self.process.communicate()
        if self.process.returncode != 0:
            return Provenance(None, 0, in_git=False)
        return parse_status(output.decode("utf-8", errors="replace"))


def parse_status(output: str) -> Provenance:
    head, changed = None, 0
    entries = iter(output.split("\0"))
    for entry in entries:
        if entry.startswith("# branch.oid "):
            oid = entry.split()[-1]
            head = oid if oid != "(initial)" else None
        elif entry[:2] in ("1 ", "u ", "? "):
            changed += 1
        elif entry.startswith("2 "):
            changed += 1
            next(entries, None)  # a rename is followed by its old name
    return Provenance(head, changed)


def provenance_of(root: Path) -> Provenance:
    return PendingProvenance(root).result()


def provenance_notes(source: Provenance) -> list[str]:
    """The report's warning about what the commit alone does not give (after those of the items)."""
    if source.uncommitted:
        return [f"生成时有 {source.uncommitted} 个文件未提交，按提交重做报告时数字可能不同"]
    return []
