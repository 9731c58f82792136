"""A refused step says why in Chinese, exits 1, and leaves every file byte for byte and git as it was.

One case per kind of refusal in spec/cli.md ("Refused, with a Chinese message and exit 1, and nothing
written") and issue 3.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ANSWERED, ASSIGNED, CONTACTED, ITEM, git, hold_the_lock

DISSATISFIED = ANSWERED + """\
评价:
  - 日期: 2024-06-20
    结果: 不满意
"""
SHARED = ASSIGNED.replace("方式: 单办", "方式: 会办") + "  协办: [县公安局]\n"
SPLIT = ASSIGNED.replace("方式: 单办", "方式: 分办").replace("主办: [县教育和体育局]", "主办: [县教育和体育局, 县交通运输局]")
REPLY = ["reply", "J-15", "--category", "A", "--text-file", "{answer}"]

CASES = [
    # (name, item file, command, what the message says)
    ("reply before 交办", ITEM, [*REPLY, "--date", "2024-03-01"], "当前状态为待交办，不能答复"),
    ("close before every 主办 answered", SPLIT, ["close", "J-15", "--date", "2024-06-01"], "尚待县教育和体育局、县交通运输局答复"),
    ("close before a 评价", ANSWERED, ["close", "J-15", "--date", "2024-06-02"], "尚无评价"),
    ("close after 不满意", DISSATISFIED, ["close", "J-15", "--date", "2024-06-21"], "须重新答复后再办结"),
    ("a date in the future", ASSIGNED, ["contact", "J-15", "--by", "电话", "--date", "2099-01-01"], "晚于今天"),
    ("a date before the step it follows", ASSIGNED, ["contact", "J-15", "--by", "电话", "--date", "2024-03-19"], "早于交办日期"),
    ("feedback dated before the answer", ANSWERED, ["feedback", "J-15", "--result", "满意", "--date", "2024-05-31"], "早于最近一次答复的日期"),
    ("a 协办 unit answering", SHARED, [*REPLY, "--unit", "公安局", "--date", "2024-04-10"], "协办单位写协办意见"),
    ("an answer with no recorded contact", ASSIGNED, [*REPLY, "--date", "2024-04-10"], "尚未与提出人沟通"),
    ("a 改办 in 重新办理 dated before the 评价", DISSATISFIED, ["assign", "J-15", "--lead", "交通局", "--reason", "调整", "--date", "2024-06-10"], "早于要求重新办理的评价日期"),
    ("a 退回 after its window", ASSIGNED, ["return", "J-15", "--unit", "教体局", "--reason", "x", "--date", "2024-04-10"], "已过退回期限"),
    ("a 延期 past 最长", ASSIGNED, ["extend", "J-15", "--to", "2024-12-01", "--reason", "x", "--date", "2024-06-01"], "超过最长时限"),
    ("an unknown unit", ASSIGNED, ["contact", "J-15", "--by", "电话", "--unit", "教育局"], "是否为“县教育和体育局”？"),
    ("an unknown category", CONTACTED, [*REPLY[:3], "甲", *REPLY[4:], "--date", "2024-06-01"], "类别“甲”无效"),
    ("an unknown rating", ANSWERED, ["feedback", "J-15", "--result", "很满意", "--date", "2024-06-20"], "是否为“满意”？"),
    ("an unknown contact method", ASSIGNED, ["contact", "J-15", "--by", "微信"], "沟通方式“微信”无效"),
    ("an item file with errors", ASSIGNED.replace("领域: 教育", "领域: 教肓"), ["contact", "J-15", "--by", "电话", "--date", "2024-04-01"], "须先修正"),
]


@pytest.mark.parametrize("name, item, command, message", CASES, ids=[case[0] for case in CASES])
def test_a_refused_step_changes_nothing(ledger_dir, cli, tmp_path, name, item, command, message):
    path = ledger_dir.item(item)
    ledger_dir.commit_all()
    answer = tmp_path / "答复.txt"
    answer.write_text("答复正文。\n", encoding="utf-8")
    before, head = path.read_bytes(), git(ledger_dir.root, "rev-parse", "HEAD")
    result = cli(*[part.format(answer=answer) for part in command], "--ledger", ledger_dir.root)
    assert result.code == 1, result.out
    assert message in result.err
    assert "Traceback" not in result.err
    assert path.read_bytes() == before
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_close_of_several_items_is_all_or_nothing_and_names_every_refusal(ledger_dir, cli):

    closable = DISSATISFIED.replace("结果: 不满意", "结果: 满意")
    ready = ledger_dir.item(closable)
    waiting = ledger_dir.item(ASSIGNED.replace("2024-J-015", "2024-J-016"))
    also = ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-017"))
    ledger_dir.commit_all()
    snapshot = {path: path.read_bytes() for path in (ready, waiting, also)}
    result = cli("close", "J-15", "J-16", "J-17", "--date", "2024-07-01", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024-J-016 尚待县教育和体育局答复" in result.err
    assert "2024-J-017 当前状态为待交办" in result.err
    assert all(path.read_bytes() == data for path, data in snapshot.items())
    assert ledger_dir.log()[0] == "fixture"


def test_uncommitted_hand_edits_are_refused_with_the_way_to_see_them(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    edited = path.read_text(encoding="utf-8").replace("校园周边交通秩序混乱。", "校园周边交通秩序混乱，亟待整治。")
    path.write_text(edited, encoding="utf-8")
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024/2024-J-015.yaml" in result.err and "未提交的手工修改" in result.err
    assert "git diff 2024/2024-J-015.yaml" in result.err
    assert path.read_text(encoding="utf-8") == edited
    assert ledger_dir.log()[0] == "fixture"


def test_an_item_file_never_committed_is_refused(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert result.code == 1 and "尚未提交到 git" in result.err
    assert path.read_text(encoding="utf-8") == ASSIGNED


def test_another_writer_holding_the_lock_is_named_and_nothing_is_written(ledger_dir, cli, monkeypatch):
    import tiandz.ledger.lock

    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    original = tiandz.ledger.lock.writing
    monkeypatch.setattr("tiandz.steps.engine.writing", lambda state_folder: original(state_folder, 0.2))
    holder = hold_the_lock(ledger_dir.root)
    try:
        result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    finally:
        holder.kill()
        holder.wait()
    assert result.code == 1 and f"另一个 tiandz 进程（pid {holder.pid}）正在写入台账" in result.err
    assert str(ledger_dir.ledger().state_folder / "lock") in result.err
    assert path.read_text(encoding="utf-8") == ASSIGNED
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_next(ledger_dir, cli):
    """kill -9 runs no clean-up: the kernel lets go of the lock, and the lock file left behind means nothing."""
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    holder = hold_the_lock(ledger_dir.root)
    holder.kill()  # SIGKILL
    holder.wait()
    assert (ledger_dir.ledger().state_folder / "lock").exists()
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "沟通:" in path.read_text(encoding="utf-8")
    assert ledger_dir.log()[0].startswith("沟通 2024-J-015")
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_two_processes_writing_at_once_lose_nothing(ledger_dir):
    """Two clerks record a contact on two items at the same moment: one waits for the other."""
    first = ledger_dir.item(ASSIGNED)
    second = ledger_dir.item(ASSIGNED.replace("2024-J-015", "2024-J-016"))
    ledger_dir.commit_all()
    environment = {**os.environ, "TIANDZ_LEDGER": str(ledger_dir.root)}
    command = [sys.executable, "-m", "tiandz", "contact", "--by", "电话", "--date", "2024-04-01"]
    runs = [
        subprocess.Popen([*command, item], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for item in ("J-15", "J-16")
    ]
    results = [(run.wait(timeout=60), run.stderr.read()) for run in runs]
    for code, error in results:
        assert code == 0 or "正在写入台账" in error, error
    accepted = sum(1 for code, _ in results if code == 0)
    commits = [line for line in ledger_dir.log() if line.startswith("沟通")]
    assert len(commits) == accepted >= 1
    written = ["沟通:" in path.read_text(encoding="utf-8") for path in (first, second)]
    assert sum(written) == accepted
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_commit_that_fails_puts_the_file_and_the_index_back(ledger_dir, cli, monkeypatch):
    import tiandz.ledger.git

    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()

    def failing_update_ref(root, *arguments, **options):
        if arguments and arguments[0] == "update-ref":
            tiandz.ledger.git.refuse("git update-ref 失败：模拟的磁盘错误")
        return original(root, *arguments, **options)

    original = tiandz.ledger.git.run
    monkeypatch.setattr(tiandz.ledger.git, "run", failing_update_ref)
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert result.code == 1 and "模拟的磁盘错误" in result.err
    assert path.read_text(encoding="utf-8") == ASSIGNED
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert ledger_dir.log()[0] == "fixture"
