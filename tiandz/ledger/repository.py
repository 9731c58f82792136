"""Whether a step may write: outside git, or in a repository that is ready for the step's commit.

A step's commit is the audit trail, so a step is refused where it would be wrong or lost: in the middle of
a rebase, a merge, a cherry-pick, a revert or a bisect (the commit would land inside someone's unfinished
operation, or be rewritten by it), on a detached HEAD (the commit would be on no branch), and in a ledger
that has a `.git` when no git command can be found (the step would write without committing, the check for
hand edits could not run, and the next commit would carry a clerk's edit under a step's name).

All of it is read from files in the git directory, as git itself marks these states: a step already runs
about nine git processes, and this answer costs none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tiandz.core.problems import refuse
from tiandz.ledger.place import git_directory

# (marker in the git directory, what the repository is doing, what to do): the first one present is told.
OPERATIONS = [
    ("rebase-merge", "正在变基（rebase）", "先完成或放弃：git rebase --continue 或 git rebase --abort"),
    ("rebase-apply/applying", "正在应用补丁（git am）", "先完成或放弃：git am --continue 或 git am --abort"),
    ("rebase-apply", "正在变基（rebase）", "先完成或放弃：git rebase --continue 或 git rebase --abort"),
    ("MERGE_HEAD", "正在合并（merge）", "先解决冲突并提交（git commit），或放弃合并：git merge --abort"),
    ("CHERRY_PICK_HEAD", "正在拣选提交（cherry-pick）", "先完成或放弃：git cherry-pick --continue 或 git cherry-pick --abort"),
    ("REVERT_HEAD", "正在撤销提交（revert）", "先完成或放弃：git revert --continue 或 git revert --abort"),
    ("BISECT_LOG", "正在二分查找（bisect）", "先结束查找：git bisect reset"),
]


def ready_for_step(root: Path) -> bool:
    """True when the ledger is in git (the step commits), False outside git; refused when it is not ready."""
    found = git_directory(root)
    if found is None:
        return False
    git_dir, top = found
    if shutil.which("git") is None:
        refuse(
            "找不到 git 命令，台账在 git 仓库中，办理须提交留痕，不能只写文件",
            path=str(top),
            hint="请安装 git 或把它加入 PATH，然后重试",
        )
    for marker, doing, remedy in OPERATIONS:
        if (git_dir / marker).exists():
            refuse(f"仓库{doing}，此时办理会把提交混进未完成的操作", path=str(top), hint=remedy)
    if not _on_a_branch(git_dir):
        refuse(
            "仓库处于分离头指针状态（detached HEAD），办理的提交不会在任何分支上",
            path=str(top),
            hint="先切换到台账的分支，如 git switch main，然后重试",
        )
    return True


def _on_a_branch(git_dir: Path) -> bool:
    """HEAD names a branch ("ref: refs/heads/…"), not a bare commit. An unreadable HEAD is left to git."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return True
    return head.startswith("ref:")
