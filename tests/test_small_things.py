"""Small things a clerk notices (issue 12): each one said in Chinese, shown whole, dated as it happened."""

from __future__ import annotations

from conftest import ITEM, git


def test_a_step_recorded_later_carries_its_own_date_in_the_commit_subject(ledger_dir, cli):
    ledger_dir.item(ITEM)
    ledger_dir.commit_all()
    result = cli("assign", "J-15", "--lead", "教体局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    subject = ledger_dir.log()[0]
    assert subject.startswith("交办 2024-J-015：") and subject.endswith("，日期 2024-03-20")
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-02", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert ledger_dir.log()[0].endswith("日期 2024-04-02")
    # the author date stays the day it was recorded: only the subject says when it happened
    assert git(ledger_dir.root, "log", "-1", "--format=%ad", "--date=short").strip() != "2024-04-02"
