"""文号: numbered per unit prefix and year, one past the highest the ledger holds, never given out twice."""

from __future__ import annotations

import datetime as dt

from conftest import ASSIGNED, git

from tiandz.ledger.numbering import highest, next_number
from tiandz.steps.reply import Answer, reply

TODAY = dt.date(2024, 12, 31)


def answered(item_id: str, number: str) -> str:
    return ASSIGNED.replace("2024-J-015", item_id) + f"""\
沟通:
  - 日期: 2024-04-02
    方式: 电话
答复:
  - 单位: 县教育和体育局
    日期: 2024-05-01
    类别: A
    文号: {number}
    正文: 已办。
"""


def contacted(item_id: str) -> str:
    return ASSIGNED.replace("2024-J-015", item_id) + "沟通:\n  - 日期: 2024-04-02\n    方式: 电话\n"


def test_the_highest_number_counts_whatever_brackets_the_clerk_typed():
    text = "文号: 教体函〔2024〕7号\n文号: 教体函[2024]12号\n文号: '教体函（2024）9号'\n文号: 教体函〔2023〕40号\n文号: 公函〔2024〕3号\n"
    assert highest(text) == {"教体函〔2024〕": 12, "教体函〔2023〕": 40, "公函〔2024〕": 3}


def test_the_next_number_is_one_past_the_highest_of_that_prefix_and_year(ledger_dir):
    ledger_dir.item(answered("2024-J-001", "教体函〔2024〕14号"))
    ledger_dir.item(answered("2024-J-002", "教体函〔2023〕90号"))
    ledger_dir.commit_all()
    assert next_number(ledger_dir.ledger(), "教体函", 2024) == "教体函〔2024〕15号"
    assert next_number(ledger_dir.ledger(), "教体函", 2025) == "教体函〔2025〕1号"
    assert next_number(ledger_dir.ledger(), "公函", 2024) == "公函〔2024〕1号"


def test_answers_in_a_row_get_consecutive_numbers_through_the_index(ledger_dir):
    for item_id in ("2024-J-001", "2024-J-002", "2024-J-003"):
        ledger_dir.item(contacted(item_id))
    ledger_dir.commit_all()
    numbers = []
    for item_id in ("J-1", "J-2", "J-3"):
        outcome = reply(ledger_dir.ledger(), item_id, Answer(category="A", text="已办。", date="2024-05-01"), today=TODAY)
        numbers.append(outcome.done[0].change.detail.rsplit("，", 1)[1])
    assert numbers == ["教体函〔2024〕1号", "教体函〔2024〕2号", "教体函〔2024〕3号"]
    assert (ledger_dir.ledger().state_folder / "numbers.json").exists()


def test_a_number_written_without_a_commit_is_not_given_out_again(ledger_dir):
    ledger_dir.item(contacted("2024-J-001"))
    ledger_dir.item(contacted("2024-J-002"))
    ledger_dir.commit_all()
    answer = Answer(category="A", text="已办。", date="2024-05-01")
    reply(ledger_dir.ledger(), "J-1", answer, commit=False, today=TODAY)
    reply(ledger_dir.ledger(), "J-2", answer, today=TODAY)
    assert "文号: 教体函〔2024〕2号" in (ledger_dir.root / "2024" / "2024-J-002.yaml").read_text(encoding="utf-8")


def test_a_number_committed_by_hand_is_counted_and_a_rewritten_history_is_counted_again(ledger_dir):
    ledger_dir.item(answered("2024-J-001", "教体函〔2024〕5号"))
    ledger_dir.commit_all()
    assert next_number(ledger_dir.ledger(), "教体函", 2024) == "教体函〔2024〕6号"
    ledger_dir.item(answered("2024-J-002", "教体函〔2024〕20号"))
    ledger_dir.commit_all("hand edit")
    assert next_number(ledger_dir.ledger(), "教体函", 2024) == "教体函〔2024〕21号"
    git(ledger_dir.root, "reset", "-q", "--hard", "HEAD~1")
    git(ledger_dir.root, "commit", "-q", "--amend", "-m", "rewritten")  # the index's commit is gone
    assert next_number(ledger_dir.ledger(), "教体函", 2024) == "教体函〔2024〕21号", "numbers only go up"
    (ledger_dir.ledger().state_folder / "numbers.json").unlink()
    assert next_number(ledger_dir.ledger(), "教体函", 2024) == "教体函〔2024〕6号"


def test_outside_git_the_files_are_read(tmp_path):
    from conftest import CONFIG

    from tiandz.ledger.folder import Ledger

    (tmp_path / "2024").mkdir()
    (tmp_path / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "2024" / "2024-J-001.yaml").write_text(answered("2024-J-001", "教体函〔2024〕3号"), encoding="utf-8")
    assert next_number(Ledger(tmp_path), "教体函", 2024) == "教体函〔2024〕4号"
