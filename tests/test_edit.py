"""`tiandz edit`: the item in the clerk's editor, checked as `check` checks it, committed with the reason.

The editor is a small Python script named by $EDITOR, as a clerk's would be; it edits the temporary copy
tiandz gives it. A copy with errors is never committed; no change, no commit; uncommitted hand edits are
refused, and kept with `--keep`.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ASSIGNED, CONFIG, git

J15 = "2024/2024-J-015.yaml"


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def clean(root: Path) -> bool:
    return git(root, "status", "--porcelain", "--untracked-files=all") == ""


def editor(tmp_path: Path, *replacements: tuple[str, str], name: str = "editor.py") -> str:
    """$EDITOR for a script that makes these replacements in the file it is given, one per run, the last
    one again on every later run (the first run may break the file, the second mend it)."""
    script = tmp_path / name
    counter = tmp_path / (name + ".runs")
    script.write_text(
        "import sys, pathlib\n"
        f"replacements = {list(replacements)!r}\n"
        f"counter = pathlib.Path({str(counter)!r})\n"
        "runs = int(counter.read_text()) if counter.exists() else 0\n"
        "counter.write_text(str(runs + 1))\n"
        "old, new = replacements[min(runs, len(replacements) - 1)]\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "path.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))\n",
        encoding="utf-8",
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def runs(tmp_path: Path, name: str = "editor.py") -> int:
    counter = tmp_path / (name + ".runs")
    return int(counter.read_text()) if counter.exists() else 0


@pytest.fixture
def assigned(ledger_dir, monkeypatch):
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all("登记")
    monkeypatch.delenv("VISUAL", raising=False)
    return ledger_dir


def test_an_edit_is_checked_shown_and_committed_with_the_reason(assigned, cli, tmp_path, monkeypatch):
    root = assigned.root
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("提出人: 张三", "提出人: 张叁")))
    before = head(root)

    result = cli("edit", "J-15", "--reason", "改正提出人姓名", "--ledger", root)

    assert result.code == 0, result.err
    assert (root / J15).read_bytes() == ASSIGNED.replace("提出人: 张三", "提出人: 张叁").encode("utf-8")
    said = git(root, "log", "-1", "--format=%B")
    assert said.splitlines()[0] == "改正提出人姓名"
    assert "Tiandz-Step: edit" in said and "Tiandz-Item: 2024-J-015" in said
    assert git(root, "rev-parse", "HEAD^").strip() == before
    assert git(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split() == [J15]
    assert clean(root)
    assert f"--- a/{J15}" in result.out and "-提出人: 张三" in result.out and "+提出人: 张叁" in result.out
    assert "已修改 2024-J-015：改正提出人姓名 → 办理中" in result.out
    log = cli("log", "J-15", "--ledger", root).out
    assert "修改：改正提出人姓名" in log and "修改 提出人：张三 → 张叁" in log


def test_visual_comes_before_editor(assigned, cli, tmp_path, monkeypatch):
    root = assigned.root
    monkeypatch.setenv("VISUAL", editor(tmp_path, ("张三", "张叁"), name="visual.py"))
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("张三", "张弎"), name="editor.py"))
    assert cli("edit", "J-15", "--reason", "改正", "--ledger", root).code == 0
    assert "提出人: 张叁" in (root / J15).read_text(encoding="utf-8")
    assert runs(tmp_path, "editor.py") == 0


def test_without_visual_or_editor_a_linux_editor_that_exists_is_chosen(monkeypatch):
    from tiandz.ops import editing

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setattr(editing.shutil, "which", lambda name: "/usr/bin/nano" if name in ("nano", "vi") else None)
    if editing.os.name == "nt":
        assert editing.editor_command() == ("notepad", False)
    else:
        assert editing.editor_command() == ("nano", False)
        monkeypatch.setattr(editing.shutil, "which", lambda name: None)
        with pytest.raises(editing.TiandzError) as refused:
            editing.editor_command()
        assert "EDITOR" in refused.value.problems[0].hint


def test_a_file_with_errors_is_not_committed_and_the_problems_are_listed(assigned, cli, tmp_path, monkeypatch):
    root = assigned.root
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("日期: 2024-03-20", "日期: 2024-02-30")))
    before = head(root)

    refused = cli("edit", "J-15", "--reason", "改交办日期", "--ledger", root)

    assert refused.code == 1
    assert "修改后的文件有错误" in refused.err and "未提交" in refused.err
    assert f"{J15}:15: 交办.日期" in refused.err
    assert (root / J15).read_bytes() == ASSIGNED.encode("utf-8")
    assert head(root) == before and clean(root)
    assert runs(tmp_path) == 1  # not at a terminal: not opened again


def test_at_a_terminal_the_clerk_fixes_the_file_again(assigned, tmp_path, monkeypatch):
    from tiandz import api

    root = assigned.root
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("日期: 2024-03-20", "日期: 2024-02-30"), ("2024-02-30", "2024-03-21")))
    asked = []

    def again(problems) -> bool:
        asked.append([problem.format() for problem in problems])
        return True

    edited = api.edit_item(api.open_ledger(root), "J-15", "改交办日期", again=again)

    assert len(asked) == 1 and any("交办.日期" in line for line in asked[0])
    assert runs(tmp_path) == 2
    assert (root / J15).read_bytes() == ASSIGNED.replace("日期: 2024-03-20", "日期: 2024-03-21").encode("utf-8")
    assert edited.commit == head(root) and clean(root)
    assert "-  日期: 2024-03-20\n+  日期: 2024-03-21\n" in edited.diff


def test_at_a_terminal_the_clerk_may_abandon(assigned, tmp_path, monkeypatch):
    from tiandz import api

    root = assigned.root
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("日期: 2024-03-20", "日期: 2024-02-30")))
    before = head(root)
    with pytest.raises(api.TiandzError) as refused:
        api.edit_item(api.open_ledger(root), "J-15", "改交办日期", again=lambda problems: False)
    assert "已放弃" in refused.value.problems[0].message
    assert (root / J15).read_bytes() == ASSIGNED.encode("utf-8") and head(root) == before and clean(root)


def test_nothing_changed_says_so_and_commits_nothing(assigned, cli, tmp_path, monkeypatch):
    root = assigned.root
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("没有这段文字", "")))
    before = head(root)
    result = cli("edit", "J-15", "--reason", "看看", "--ledger", root)
    assert result.code == 0 and "未作修改，未提交" in result.out
    assert head(root) == before and clean(root)


def test_an_editor_that_fails_abandons_the_edit(assigned, cli, tmp_path, monkeypatch):
    root = assigned.root
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} -c 'import sys; sys.exit(3)'")
    before = head(root)
    refused = cli("edit", "J-15", "--reason", "看看", "--ledger", root)
    assert refused.code == 1 and "退出码 3" in refused.err
    assert head(root) == before and clean(root)


def test_hand_edits_are_refused_and_kept_with_keep(assigned, cli, tmp_path, monkeypatch):
    root = assigned.root
    path = root / J15
    edited = ASSIGNED.replace("领域: 教育", "领域: 交通")
    path.write_text(edited, encoding="utf-8")
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("张三", "张叁")))
    before = head(root)

    refused = cli("edit", "J-15", "--reason", "改领域", "--ledger", root)

    assert refused.code == 1 and "未提交的手工修改" in refused.err
    assert "tiandz edit 2024-J-015 --keep --reason" in refused.err and f"git checkout -- {J15}" in refused.err
    assert runs(tmp_path) == 0 and path.read_text(encoding="utf-8") == edited and head(root) == before

    kept = cli("edit", "J-15", "--keep", "--reason", "领域改为交通", "--ledger", root)

    assert kept.code == 0, kept.err
    assert path.read_bytes() == edited.encode("utf-8")
    assert subprocess.run(["git", "-C", str(root), "show", f"HEAD:{J15}"], capture_output=True).stdout == edited.encode("utf-8")
    said = git(root, "log", "-1", "--format=%B")
    assert said.splitlines()[0] == "领域改为交通" and "Tiandz-Step: edit" in said
    assert "-领域: 教育" in kept.out and "+领域: 交通" in kept.out
    assert clean(root)


def test_keep_refuses_a_file_with_errors(assigned, cli):
    root = assigned.root
    path = root / J15
    broken = ASSIGNED.replace("日期: 2024-03-20", "日期: 2024-02-30")
    path.write_text(broken, encoding="utf-8")
    before = head(root)
    refused = cli("edit", "J-15", "--keep", "--reason", "改日期", "--ledger", root)
    assert refused.code == 1 and "文件有错误，未提交" in refused.err and "交办.日期" in refused.err
    assert path.read_text(encoding="utf-8") == broken and head(root) == before


def test_keep_with_nothing_uncommitted_commits_nothing(assigned, cli):
    root = assigned.root
    before = head(root)
    result = cli("edit", "J-15", "--keep", "--reason", "无", "--ledger", root)
    assert result.code == 0 and "没有未提交的修改" in result.out and head(root) == before


def test_a_file_never_committed_is_kept_with_keep(ledger_dir, cli):
    root = ledger_dir.root
    path = ledger_dir.item(ASSIGNED)
    refused = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-02", "--ledger", root)
    assert refused.code == 1 and "tiandz edit 2024-J-015 --keep --reason" in refused.err and "git commit" not in refused.err
    kept = cli("edit", "J-15", "--keep", "--reason", "补登记", "--ledger", root)
    assert kept.code == 0, kept.err
    assert "+++ b/2024/2024-J-015.yaml" in kept.out and "--- /dev/null" in kept.out
    assert path.read_text(encoding="utf-8") == ASSIGNED and clean(root)


def test_a_step_refused_for_hand_edits_points_to_tiandz_edit_not_git_commit(assigned, cli):
    root = assigned.root
    (root / J15).write_text(ASSIGNED.replace("张三", "张叁"), encoding="utf-8")
    refused = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-02", "--ledger", root)
    assert refused.code == 1
    assert "tiandz edit 2024-J-015 --keep --reason" in refused.err and "git commit" not in refused.err
    assert f"git checkout -- {J15}" in refused.err


def test_a_change_committed_while_the_editor_was_open_is_not_overwritten(assigned, tmp_path, monkeypatch):
    from tiandz import api

    root = assigned.root
    ledger = api.open_ledger(root)

    def meanwhile(copy: Path) -> None:
        """The clerk edits; meanwhile another clerk records a contact."""
        copy.write_text(copy.read_text(encoding="utf-8").replace("张三", "张叁"), encoding="utf-8")
        api.contact(api.open_ledger(root), "J-15", method="电话", date="2024-04-02")

    with pytest.raises(api.TiandzError) as refused:
        api.edit_item(ledger, "J-15", "改正姓名", editor=meanwhile)
    text = (root / J15).read_text(encoding="utf-8")
    assert "沟通:" in text and "张三" in text  # the contact stays, the edit was not written over it
    assert "未提交" in refused.value.problems[0].message
    saved = Path(refused.value.problems[0].hint.split("保存在 ", 1)[1].split("；", 1)[0])
    try:
        assert "提出人: 张叁" in saved.read_text(encoding="utf-8")  # the clerk's work is not lost
    finally:
        shutil.rmtree(saved.parent)
    assert clean(root)


def test_outside_git_the_edit_is_written_without_a_commit(tmp_path, cli, monkeypatch):
    root = tmp_path / "台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (root / J15).write_text(ASSIGNED, encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor(tmp_path, ("张三", "张叁")))
    result = cli("edit", "J-15", "--reason", "改正", "--ledger", root)
    assert result.code == 0, result.err
    assert (root / J15).read_text(encoding="utf-8") == ASSIGNED.replace("张三", "张叁")
    assert "未提交" in result.out


def test_a_broken_file_a_step_refuses_is_mended_with_edit(assigned, cli, tmp_path, monkeypatch):
    root = assigned.root
    path = root / J15
    path.write_text(ASSIGNED.replace("日期: 2024-03-20", "日期: 2024-02-30"), encoding="utf-8")
    git(root, "commit", "-qam", "手工改坏了")
    refused = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-02", "--ledger", root)
    assert refused.code == 1 and "tiandz edit 2024-J-015 --reason" in refused.err

    monkeypatch.setenv("EDITOR", editor(tmp_path, ("2024-02-30", "2024-03-20")))
    mended = cli("edit", "J-15", "--reason", "改正交办日期", "--ledger", root)

    assert mended.code == 0, mended.err
    assert path.read_bytes() == ASSIGNED.encode("utf-8") and clean(root)
    assert cli("contact", "J-15", "--by", "电话", "--date", "2024-04-02", "--ledger", root).code == 0
