"""A step is refused while the repository is in the middle of something, or when git cannot be run (issue 11).

Each state is made for real with git's own commands in the ledger's repository; the step is then refused in
Chinese naming the state and the way out, and the item file, HEAD and the unfinished operation are left as
they were. With a `.git` and no git command, a step is refused rather than written without a commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from conftest import ASSIGNED, ITEM

from tiandz.ledger.git import git_path

NOTES = "notes/主要做法.md"


def git(root: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    environment = {**os.environ, "GIT_EDITOR": "true", "GIT_MERGE_AUTOEDIT": "no"}
    return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True, env=environment, check=check)


def commit_notes(ledger_dir, text: str, message: str) -> None:
    ledger_dir.write(NOTES, text)
    git(ledger_dir.root, "commit", "-q", "-am", message)


def two_branches_at_odds(ledger_dir) -> str:
    """The ledger's branch and a branch `other` that both changed the same line of the notes since they parted."""
    branch = git(ledger_dir.root, "symbolic-ref", "--short", "HEAD").stdout.strip()
    git(ledger_dir.root, "checkout", "-q", "-b", "other")
    commit_notes(ledger_dir, "他们的写法\n", "另一分支改写做法")
    git(ledger_dir.root, "checkout", "-q", branch)
    commit_notes(ledger_dir, "我们的写法\n", "本分支改写做法")
    return branch


def merging(ledger_dir) -> None:
    two_branches_at_odds(ledger_dir)
    assert git(ledger_dir.root, "merge", "other", check=False).returncode != 0


def rebasing(ledger_dir, *how: str) -> None:
    branch = two_branches_at_odds(ledger_dir)
    git(ledger_dir.root, "checkout", "-q", "other")
    assert git(ledger_dir.root, "rebase", *how, branch, check=False).returncode != 0


def cherry_picking(ledger_dir) -> None:
    two_branches_at_odds(ledger_dir)
    assert git(ledger_dir.root, "cherry-pick", "other", check=False).returncode != 0


def reverting(ledger_dir) -> None:
    commit_notes(ledger_dir, "第二稿\n", "第二稿")
    commit_notes(ledger_dir, "第三稿\n", "第三稿")
    assert git(ledger_dir.root, "revert", "--no-edit", "HEAD~1", check=False).returncode != 0


def bisecting(ledger_dir) -> None:
    git(ledger_dir.root, "bisect", "start")


def detached(ledger_dir) -> None:
    git(ledger_dir.root, "checkout", "-q", "--detach")


STATES = [
    # (name, how the repository gets there, what git marks it with, what the refusal says)
    ("merge with conflicts", merging, "MERGE_HEAD", ["仓库正在合并（merge）", "git merge --abort"]),
    ("rebase stopped on a conflict", rebasing, "rebase-merge", ["仓库正在变基（rebase）", "git rebase --continue 或 git rebase --abort"]),
    ("rebase --apply stopped on a conflict", lambda ledger_dir: rebasing(ledger_dir, "--apply"), "rebase-apply",
     ["仓库正在变基（rebase）", "git rebase --abort"]),
    ("cherry-pick with conflicts", cherry_picking, "CHERRY_PICK_HEAD", ["仓库正在拣选提交（cherry-pick）", "git cherry-pick --abort"]),
    ("revert with conflicts", reverting, "REVERT_HEAD", ["仓库正在撤销提交（revert）", "git revert --abort"]),
    ("bisect", bisecting, "BISECT_LOG", ["仓库正在二分查找（bisect）", "git bisect reset"]),
    ("detached HEAD", detached, None, ["分离头指针状态（detached HEAD）", "git switch"]),
]


@pytest.fixture
def ledger_with_notes(ledger_dir):
    ledger_dir.item(ASSIGNED)
    ledger_dir.write(NOTES, "初稿\n")
    ledger_dir.commit_all()
    return ledger_dir


@pytest.mark.parametrize("name, get_there, marker, said", STATES, ids=[state[0] for state in STATES])
def test_a_step_in_the_middle_of_a_git_operation_is_refused_and_changes_nothing(ledger_with_notes, cli, name, get_there, marker, said):
    root = ledger_with_notes.root
    get_there(ledger_with_notes)
    git_dir = root / ".git"
    assert marker is None or (git_dir / marker).exists()
    item = root / "2024" / "2024-J-015.yaml"
    before = item.read_bytes(), git(root, "rev-parse", "HEAD").stdout, git(root, "status", "--porcelain").stdout
    head_file = (git_dir / "HEAD").read_bytes()

    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", root)

    assert result.code == 1, result.out
    assert all(words in result.err for words in said), result.err
    assert "Traceback" not in result.err
    assert (item.read_bytes(), git(root, "rev-parse", "HEAD").stdout, git(root, "status", "--porcelain").stdout) == before
    assert (git_dir / "HEAD").read_bytes() == head_file
    assert marker is None or (git_dir / marker).exists()


def test_new_during_a_merge_is_refused_and_writes_no_file(ledger_with_notes, cli):
    root = ledger_with_notes.root
    merging(ledger_with_notes)
    head = git(root, "rev-parse", "HEAD").stdout
    result = cli("new", "--type", "建议", "--title", "关于某事的建议", "--proposer", "张三", "--date", "2024-02-01",
                 "--ledger", root)
    assert result.code == 1 and "仓库正在合并（merge）" in result.err, result.err
    assert sorted(path.name for path in (root / "2024").iterdir()) == ["2024-J-015.yaml"]
    assert git(root, "rev-parse", "HEAD").stdout == head


def test_once_the_merge_is_given_up_the_step_is_done(ledger_with_notes, cli):
    root = ledger_with_notes.root
    merging(ledger_with_notes)
    git(root, "merge", "--abort")
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", root)
    assert result.code == 0, result.err
    assert ledger_with_notes.log()[0].startswith("沟通 2024-J-015")


def run_without_git(ledger_root: Path, tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    """`python -m tiandz …` as on a machine where git is not installed or not on PATH."""
    no_git = tmp_path / "没有git的PATH"
    no_git.mkdir(exist_ok=True)
    environment = {**os.environ, "PATH": str(no_git), "TIANDZ_LEDGER": str(ledger_root)}
    return subprocess.run([sys.executable, "-m", "tiandz", *arguments], capture_output=True, text=True, env=environment)


def test_a_step_with_no_git_command_in_a_ledger_under_git_is_refused(ledger_dir, tmp_path):
    """Not "outside git": the step would write without a commit and the next commit would carry it as a step."""
    item = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    head = git(ledger_dir.root, "rev-parse", "HEAD").stdout
    result = run_without_git(ledger_dir.root, tmp_path, "contact", "J-15", "--by", "电话", "--date", "2024-04-01")
    assert result.returncode == 1, result.stdout
    assert "找不到 git 命令，台账在 git 仓库中" in result.stderr and "加入 PATH" in result.stderr
    assert "Traceback" not in result.stderr
    assert item.read_text(encoding="utf-8") == ASSIGNED
    assert git(ledger_dir.root, "rev-parse", "HEAD").stdout == head
    assert git(ledger_dir.root, "status", "--porcelain").stdout == ""

    registered = run_without_git(ledger_dir.root, tmp_path, "new", "--type", "建议", "--title", "关于某事的建议",
                                 "--proposer", "张三", "--date", "2024-02-01")
    assert registered.returncode == 1 and "找不到 git 命令" in registered.stderr
    assert sorted(path.name for path in (ledger_dir.root / "2024").iterdir()) == ["2024-J-015.yaml"]


def test_a_ledger_outside_git_needs_no_git_command(tmp_path):
    from conftest import CONFIG

    root = tmp_path / "无仓库台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "2024" / "2024-J-015.yaml").write_text(ITEM, encoding="utf-8")
    result = run_without_git(root, tmp_path, "assign", "J-15", "--lead", "教体局", "--date", "2024-03-20")
    assert result.returncode == 0, result.stderr
    assert "主办: [县教育和体育局]" in (root / "2024" / "2024-J-015.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "root, path",
    [
        (PureWindowsPath("C:/台账"), PureWindowsPath(r"C:\台账\2024\2024-J-015.yaml")),
        (PureWindowsPath("C:/台账"), PureWindowsPath(r"2024\2024-J-015.yaml")),
        (PurePosixPath("/srv/台账"), PurePosixPath("/srv/台账/2024/2024-J-015.yaml")),
    ],
    ids=["absolute Windows path", "relative Windows path", "POSIX path"],
)
def test_paths_are_given_to_git_with_forward_slashes_on_every_system(root, path):
    """git's output names files with `/`; a pathspec or a comparison built with backslashes would never match."""
    assert git_path(root, path) == "2024/2024-J-015.yaml"
