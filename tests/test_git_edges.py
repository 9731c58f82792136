"""A step's commit in the git situations a clerk's machine really has (issue 11).

No identity configured, HEAD moved by someone else after a step died, branches packed into packed-refs,
and Windows line endings (core.autocrlf): each time the step is wholly there or wholly absent, `git status`
is clean and `git fsck` finds nothing wrong.
"""

from __future__ import annotations

import subprocess

from conftest import ASSIGNED, git
from test_crash_safety import AGAIN, CONTACT, ITEM_PATH, assert_whole, reference, run_tiandz


def head(root) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_a_step_without_a_git_identity_is_refused_and_changes_nothing(ledger_dir, tmp_path, monkeypatch):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    before = head(ledger_dir.root)
    git(ledger_dir.root, "config", "--unset", "user.name")
    git(ledger_dir.root, "config", "--unset", "user.email")
    nobody = tmp_path / "nobody.gitconfig"
    nobody.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")  # git may not guess one from the host
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(nobody))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for variable in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(variable, raising=False)

    refused = run_tiandz(ledger_dir.root, tmp_path, CONTACT)

    assert refused.returncode == 1
    assert "git 尚未设置提交人，无法留痕" in refused.stderr
    assert "git config --global user.name" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert path.read_bytes() == ASSIGNED.encode()
    assert head(ledger_dir.root) == before
    assert_whole(ledger_dir.root)


def test_a_step_that_died_uncommitted_while_someone_else_committed_is_dropped_and_says_so(ledger_dir, tmp_path):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    expected = reference(ledger_dir, tmp_path, [AGAIN])[ITEM_PATH]
    assert run_tiandz(ledger_dir.root, tmp_path, CONTACT, "update-ref:before").returncode == -9
    ledger_dir.write("notes/说明.md", "另一位同事的提交\n")
    ledger_dir.commit_all("someone else")
    theirs = head(ledger_dir.root)

    following = run_tiandz(ledger_dir.root, tmp_path, AGAIN)

    assert following.returncode == 0, following.stderr
    assert "上次的办理步骤中断了：沟通 2024-J-015" in following.stdout + following.stderr
    assert "HEAD 已改变" in following.stdout + following.stderr
    assert git(ledger_dir.root, "rev-parse", "HEAD~1").strip() == theirs
    assert path.read_bytes() == expected
    assert_whole(ledger_dir.root)


def test_a_committed_step_whose_files_were_not_placed_is_finished_even_after_a_later_commit(ledger_dir, tmp_path):
    """HEAD moved on from the step's commit (a clerk's own commit of another file): the step's file still
    belongs in the work tree, or git status would show the step undone and every later step refuse it."""
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    after_one = reference(ledger_dir, tmp_path, [CONTACT])
    after_two = reference(ledger_dir, tmp_path, [CONTACT, AGAIN])
    assert run_tiandz(ledger_dir.root, tmp_path, CONTACT, "update-ref:after").returncode == -9
    ledger_dir.write("notes/说明.md", "另一位同事的提交\n")
    git(ledger_dir.root, "add", "notes/说明.md")
    git(ledger_dir.root, "commit", "-q", "-m", "someone else", "--", "notes/说明.md")

    following = run_tiandz(ledger_dir.root, tmp_path, AGAIN)

    said = following.stdout + following.stderr
    assert following.returncode == 0, said
    assert "上次的办理步骤中断了，已补完：沟通 2024-J-015" in said
    assert path.read_bytes() == after_two[ITEM_PATH]
    assert git(ledger_dir.root, "show", f"HEAD~2:{ITEM_PATH}").encode() == after_one[ITEM_PATH]
    assert [subject.split("：")[0] for subject in ledger_dir.log()][:3] == ["沟通 2024-J-015", "someone else", "沟通 2024-J-015"]
    assert_whole(ledger_dir.root)


def test_a_step_on_a_branch_kept_in_packed_refs(ledger_dir, tmp_path):
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    git(ledger_dir.root, "pack-refs", "--all")
    branch = git(ledger_dir.root, "symbolic-ref", "HEAD").strip()
    assert not (ledger_dir.root / ".git" / branch).exists()
    before = head(ledger_dir.root)
    expected = reference(ledger_dir, tmp_path, [CONTACT])[ITEM_PATH]

    done = run_tiandz(ledger_dir.root, tmp_path, CONTACT)

    assert done.returncode == 0, done.stderr
    assert git(ledger_dir.root, "rev-parse", "HEAD~1").strip() == before
    assert git(ledger_dir.root, "symbolic-ref", "HEAD").strip() == branch
    assert git(ledger_dir.root, "show", f"HEAD:{ITEM_PATH}").encode() == expected
    assert_whole(ledger_dir.root)


def test_a_step_with_windows_line_endings_under_autocrlf(ledger_dir, tmp_path):
    """core.autocrlf=true (git for Windows' default): the file in the work tree has CRLF, git stores LF. The
    step keeps the file's CRLF, commits LF, and leaves nothing for git status or the hand-edit check."""
    git(ledger_dir.root, "config", "core.autocrlf", "true")
    path = ledger_dir.item(ASSIGNED)
    path.write_bytes(ASSIGNED.replace("\n", "\r\n").encode())
    ledger_dir.commit_all()
    assert b"\r" not in subprocess.run(["git", "-C", str(ledger_dir.root), "show", f"HEAD:{ITEM_PATH}"],
                                       capture_output=True, check=True).stdout

    for step in (CONTACT, AGAIN):
        done = run_tiandz(ledger_dir.root, tmp_path, step)
        assert done.returncode == 0, done.stderr

    written = path.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n") > ASSIGNED.count("\n")
    committed = subprocess.run(["git", "-C", str(ledger_dir.root), "show", f"HEAD:{ITEM_PATH}"],
                               capture_output=True, check=True).stdout
    assert b"\r" not in committed and committed == written.replace(b"\r\n", b"\n")
    assert_whole(ledger_dir.root)
