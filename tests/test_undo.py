"""`tiandz undo`: the item's latest step taken back by a new commit, the file byte for byte as before the step.

History is never rewritten: the undo is a commit of its own (Tiandz-Step: undo, Tiandz-Undoes naming the
commit it took back); undoing again takes back the step before; registration, hand commits, steps of several
items not all named, and files with uncommitted changes are refused with nothing changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ASSIGNED, ITEM, git

ITEM_16 = ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16")
J15 = "2024/2024-J-015.yaml"


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def message(root: Path, commit: str = "HEAD") -> str:
    return git(root, "log", "-1", "--format=%B", commit)


def shown_at(root: Path, commit: str, relative: str = J15) -> bytes:
    """The file as that commit has it, as bytes (`git show commit:path`)."""
    import subprocess

    return subprocess.run(["git", "-C", str(root), "show", f"{commit}:{relative}"], check=True, capture_output=True).stdout


def clean(root: Path) -> bool:
    return git(root, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.fixture
def answered(ledger_dir, cli):
    """J-15 registered (by hand), assigned, contacted and answered by tiandz, each step one commit."""
    ledger_dir.item(ITEM)
    ledger_dir.commit_all("登记")
    root = ledger_dir.root
    (root.parent / "答复.txt").write_text("经研究，答复如下：已办。", encoding="utf-8")
    for arguments in (
        ("assign", "J-15", "--lead", "教体局", "--date", "2024-03-20"),
        ("contact", "J-15", "--by", "电话", "--date", "2024-04-02"),
        ("reply", "J-15", "--category", "B", "--text-file", root.parent / "答复.txt", "--date", "2024-06-01"),
    ):
        result = cli(*arguments, "--ledger", root)
        assert result.code == 0, result.err
    return ledger_dir


def test_undo_restores_the_file_byte_for_byte_with_a_commit_naming_the_undone_one(answered, cli):
    root = answered.root
    reply = head(root)
    path = root / J15
    assert "文号: 教体函〔2024〕1号" in path.read_text(encoding="utf-8")

    result = cli("undo", "J-15", "--reason", "答复类别录错", "--ledger", root)

    assert result.code == 0, result.err
    assert path.read_bytes() == shown_at(root, f"{reply}^")
    assert git(root, "rev-parse", "HEAD^").strip() == reply  # a new commit on top: history is not rewritten
    said = message(root)
    assert said.splitlines()[0] == "撤销 2024-J-015 的答复：答复类别录错"
    assert "Tiandz-Step: undo" in said and "Tiandz-Item: 2024-J-015" in said
    assert f"Tiandz-Undoes: {reply}" in said
    assert git(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split() == [J15]
    assert clean(root)
    assert "-    文号: 教体函〔2024〕1号" in result.out  # the diff is shown
    assert "已撤销 2024-J-015 的答复 → 办理中" in result.out
    assert "文号 教体函〔2024〕1号 不再自动编用" in result.out


def test_the_number_an_undone_reply_took_is_not_given_out_again(answered, cli):
    root = answered.root
    assert cli("undo", "J-15", "--reason", "答错了", "--ledger", root).code == 0

    again = cli("reply", "J-15", "--category", "A", "--text-file", root.parent / "答复.txt", "--date", "2024-06-02",
                "--ledger", root)

    assert again.code == 0, again.err
    text = (root / J15).read_text(encoding="utf-8")
    assert "文号: 教体函〔2024〕2号" in text and "1号" not in text


def test_the_number_stays_taken_when_the_numbers_are_counted_again_from_the_files(answered, cli):
    root = answered.root
    assert cli("undo", "J-15", "--reason", "答错了", "--ledger", root).code == 0
    index = answered.ledger().state_folder / "numbers.json"
    import json

    saved = json.loads(index.read_text(encoding="utf-8"))
    saved["commit"] = "0" * 40  # a history rewritten since: the files are counted again with git grep
    saved["numbers"] = {}
    index.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")

    from tiandz.ledger.numbering import next_number

    assert next_number(answered.ledger(), "教体函", 2024) == "教体函〔2024〕2号"


def test_a_number_given_on_purpose_may_be_used_again_with_number(answered, cli):
    root = answered.root
    assert cli("undo", "J-15", "--reason", "答错了", "--ledger", root).code == 0
    again = cli("reply", "J-15", "--category", "A", "--text-file", root.parent / "答复.txt", "--date", "2024-06-02",
                "--number", "教体函〔2024〕1号", "--ledger", root)
    assert again.code == 0, again.err
    assert "文号: 教体函〔2024〕1号" in (root / J15).read_text(encoding="utf-8")


def test_undoing_again_takes_back_the_step_before_and_registration_is_refused(answered, cli):
    root = answered.root
    commits = git(root, "log", "--format=%H").split()  # reply, contact, assign, 登记, init
    for undone, reason in zip(commits[:3], ("一", "二", "三")):
        result = cli("undo", "J-15", "--reason", reason, "--ledger", root)
        assert result.code == 0, result.err
        assert (root / J15).read_bytes() == shown_at(root, f"{undone}^")
        assert f"Tiandz-Undoes: {undone}" in message(root)
    assert (root / J15).read_bytes() == ITEM.encode("utf-8")
    assert "已撤销 2024-J-015 的交办 → 待交办" in result.out

    before = head(root)
    refused = cli("undo", "J-15", "--reason", "四", "--ledger", root)

    assert refused.code == 1
    assert "手工提交" in refused.err and "登记" in refused.err  # the registration here was a hand commit
    assert head(root) == before and (root / J15).read_bytes() == ITEM.encode("utf-8") and clean(root)


def test_the_registration_by_tiandz_is_not_undone(ledger_dir, cli):
    root = ledger_dir.root
    made = cli("new", "--type", "建议", "--title", "关于修路的建议", "--proposer", "张三", "--date", "2024-01-20",
               "--ledger", root)
    assert made.code == 0, made.err
    before = head(root)
    refused = cli("undo", "J-1", "--reason", "登记错了", "--ledger", root)
    assert refused.code == 1
    assert "登记不能撤销" in refused.err and "tiandz edit 2024-J-001" in refused.err
    assert head(root) == before and clean(root)


def test_a_dry_run_shows_the_step_and_the_diff_and_changes_nothing(answered, cli):
    root = answered.root
    before, data = head(root), (root / J15).read_bytes()
    result = cli("undo", "J-15", "--reason", "看看", "--dry-run", "--ledger", root)
    assert result.code == 0, result.err
    assert "将撤销的一步：答复 2024-J-015" in result.out and "-答复:" in result.out
    assert "试运行" in result.out
    assert head(root) == before and (root / J15).read_bytes() == data and clean(root)


def test_a_hand_commit_after_the_step_is_named_and_nothing_is_undone(answered, cli):
    root = answered.root
    path = root / J15
    path.write_text(path.read_text(encoding="utf-8").replace("张三", "张叁"), encoding="utf-8")
    git(root, "commit", "-qam", "改正提出人")
    before, data = head(root), path.read_bytes()

    refused = cli("undo", "J-15", "--reason", "撤销答复", "--ledger", root)

    assert refused.code == 1
    assert "手工提交" in refused.err and "改正提出人" in refused.err and before[:12] in refused.err
    assert "tiandz edit 2024-J-015" in refused.err
    assert head(root) == before and path.read_bytes() == data and clean(root)


def test_uncommitted_hand_edits_are_refused_with_the_way_to_keep_or_drop_them(answered, cli):
    root = answered.root
    path = root / J15
    edited = path.read_text(encoding="utf-8").replace("张三", "张叁")
    path.write_text(edited, encoding="utf-8")
    before = head(root)

    refused = cli("undo", "J-15", "--reason", "撤销答复", "--ledger", root)

    assert refused.code == 1 and "未提交的手工修改" in refused.err
    assert "tiandz edit 2024-J-015 --keep --reason" in refused.err and f"git checkout -- {J15}" in refused.err
    assert "git commit" not in refused.err
    assert head(root) == before and path.read_text(encoding="utf-8") == edited


def test_a_step_written_without_a_commit_is_not_undone_behind_its_back(answered, cli):
    root = answered.root
    assert cli("feedback", "J-15", "--result", "满意", "--date", "2024-06-10", "--no-commit", "--ledger", root).code == 0
    before, data = head(root), (root / J15).read_bytes()
    refused = cli("undo", "J-15", "--reason", "撤销", "--ledger", root)
    assert refused.code == 1 and "--no-commit" in refused.err
    assert head(root) == before and (root / J15).read_bytes() == data


@pytest.fixture
def assigned_together(ledger_dir, cli):
    ledger_dir.item(ITEM)
    ledger_dir.item(ITEM_16)
    ledger_dir.commit_all("登记")
    result = cli("assign", "J-15", "J-16", "--lead", "教体局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    return ledger_dir


def test_a_step_of_several_items_is_refused_for_one_and_names_the_others(assigned_together, cli):
    root = assigned_together.root
    before = head(root)
    refused = cli("undo", "J-15", "--reason", "交办错了", "--ledger", root)
    assert refused.code == 1
    assert "2024-J-016" in refused.err and "tiandz undo 2024-J-015 2024-J-016 --reason" in refused.err
    assert head(root) == before and clean(root)


def test_a_step_of_several_items_is_undone_whole_when_every_item_is_named(assigned_together, cli):
    root = assigned_together.root
    assign = head(root)
    result = cli("undo", "J-15", "J-16", "--reason", "交办错了", "--ledger", root)
    assert result.code == 0, result.err
    for relative in (J15, "2024/2024-J-016.yaml"):
        assert (root / relative).read_bytes() == shown_at(root, f"{assign}^", relative)
    said = message(root)
    assert said.splitlines()[0] == "撤销 2024-J-015、2024-J-016 的交办：交办错了"
    assert "Tiandz-Item: 2024-J-015, 2024-J-016" in said and f"Tiandz-Undoes: {assign}" in said
    assert git(root, "rev-parse", "HEAD^").strip() == assign and clean(root)


def test_items_whose_latest_steps_differ_are_undone_one_at_a_time(assigned_together, cli):
    root = assigned_together.root
    assert cli("contact", "J-16", "--by", "电话", "--date", "2024-04-02", "--ledger", root).code == 0
    before = head(root)
    refused = cli("undo", "J-15", "J-16", "--reason", "都撤销", "--ledger", root)
    assert refused.code == 1 and "一次只撤销一步" in refused.err
    assert head(root) == before and clean(root)


def test_an_undo_shows_in_the_items_log(answered, cli):
    root = answered.root
    assert cli("undo", "J-15", "--reason", "答复类别录错", "--ledger", root).code == 0
    log = cli("log", "J-15", "--ledger", root)
    assert log.code == 0
    assert "撤销 2024-J-015 的答复：答复类别录错" in log.out and "删除 答复[1]" in log.out


def test_an_edit_is_undone_like_a_step(answered, cli, monkeypatch, tmp_path):
    root = answered.root
    before = head(root)
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text(encoding='utf-8').replace('张三', '张叁'), encoding='utf-8')\n",
        encoding="utf-8",
    )
    import shlex
    import sys

    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    monkeypatch.delenv("VISUAL", raising=False)
    assert cli("edit", "J-15", "--reason", "改正姓名", "--ledger", root).code == 0
    result = cli("undo", "J-15", "--reason", "改错了", "--ledger", root)
    assert result.code == 0, result.err
    assert (root / J15).read_bytes() == shown_at(root, before)
    assert message(root).splitlines()[0] == "撤销 2024-J-015 的修改：改错了"


def test_a_file_that_no_longer_passes_check_as_it_was_is_not_restored(answered, cli):
    """tiandz.yaml changed since the step: the file as it was names a unit that is gone."""
    root = answered.root
    config = root / "tiandz.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("县教育和体育局", "县教育局").replace("[教体局, 县教体局]", "[教体局]"),
                      encoding="utf-8")
    git(root, "commit", "-qam", "单位改名")
    # the current file still names the old unit too, but check of the old version is what matters here
    before, data = head(root), (root / J15).read_bytes()
    refused = cli("undo", "J-15", "--reason", "撤销", "--ledger", root)
    assert refused.code == 1 and "未撤销" in refused.err
    assert head(root) == before and (root / J15).read_bytes() == data


def test_outside_git_there_is_no_history_to_undo(tmp_path, cli):
    from conftest import CONFIG

    root = tmp_path / "台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (root / J15).write_text(ASSIGNED, encoding="utf-8")
    refused = cli("undo", "J-15", "--reason", "撤销", "--ledger", root)
    assert refused.code == 1 and "不在 git 仓库中" in refused.err
    assert (root / J15).read_text(encoding="utf-8") == ASSIGNED


def test_an_empty_reason_is_refused(answered, cli):
    refused = cli("undo", "J-15", "--reason", "  ", "--ledger", answered.root)
    assert refused.code == 1 and "须写撤销理由" in refused.err


@pytest.mark.parametrize("kill, committed", [("commit-tree:after", False), ("update-ref:after", True),
                                             ("update-index@real-index:before", True)])
def test_an_undo_killed_at_any_instant_is_wholly_there_or_wholly_absent(answered, tmp_path, kill, committed):
    from test_crash_safety import assert_whole, run_tiandz

    root = answered.root
    reply = head(root)
    contact = git(root, "rev-parse", "HEAD^").strip()
    killed = run_tiandz(root, tmp_path, ["undo", "J-15", "--reason", "撤销答复"], kill)
    assert killed.returncode == -9, killed.stderr
    assert head(root) != reply if committed else head(root) == reply

    following = run_tiandz(root, tmp_path, ["undo", "J-15", "--reason", "再撤销"])

    assert following.returncode == 0, following.stderr
    said = following.stdout + following.stderr
    assert ("已补完：撤销 2024-J-015 的答复" in said) if committed else ("已撤销" in said)
    # finished: the second undo takes back the contact; dropped: it takes back the reply
    assert (root / J15).read_bytes() == shown_at(root, f"{contact}^" if committed else f"{reply}^")
    subjects = [line.split("：")[0] for line in answered.log()[:3]]
    expected = ["撤销 2024-J-015 的沟通", "撤销 2024-J-015 的答复", "答复 2024-J-015"] if committed else \
        ["撤销 2024-J-015 的答复", "答复 2024-J-015", "沟通 2024-J-015"]
    assert subjects == expected
    assert_whole(root)


def test_a_ledger_in_a_subfolder_of_a_larger_repository_is_undone_the_same(tmp_path, cli):
    from conftest import CONFIG

    top = tmp_path / "仓库"
    root = top / "办公室" / "台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (root / J15).write_text(ITEM, encoding="utf-8")
    (top / "其他.txt").write_text("别的文件\n", encoding="utf-8")
    git(top, "init", "-q")
    git(top, "config", "user.name", "测试员")
    git(top, "config", "user.email", "clerk@example.org")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "登记")
    assert cli("assign", "J-15", "--lead", "教体局", "--date", "2024-03-20", "--ledger", root).code == 0

    result = cli("undo", "J-15", "--reason", "交办错了", "--ledger", root)

    assert result.code == 0, result.err
    assert (root / J15).read_bytes() == ITEM.encode("utf-8")
    assert "Tiandz-Step: undo" in message(top) and clean(top)
