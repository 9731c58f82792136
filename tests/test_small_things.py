"""Small things a clerk notices (issue 12): each one said in Chinese, shown whole, dated as it happened."""

from __future__ import annotations

from conftest import ASSIGNED, ITEM, git


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


def test_export_warns_about_every_file_it_could_not_read(ledger_dir, cli):
    from openpyxl import load_workbook

    ledger_dir.item(ASSIGNED)
    ledger_dir.write("2024/2024-J-016.yaml", "编号: 2024-J-016\n标题: [未写完\n")
    ledger_dir.write("2024/2024-J-017.yaml", "")
    ledger_dir.commit_all()
    result = cli("export", "-o", ledger_dir.root / "out" / "台账.xlsx", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "已导出 1 件" in result.out
    assert "2024/2024-J-016.yaml" in result.err and "2024/2024-J-017.yaml" in result.err and "未计入" in result.err
    about = {row[0]: row[1] for row in load_workbook(ledger_dir.root / "out" / "台账.xlsx")["说明"].iter_rows(values_only=True)}
    assert "2024/2024-J-016.yaml" in about["提示"]


def test_a_report_of_a_year_the_ledger_has_no_items_of_is_refused_saying_which_years_it_has(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    result = cli("report", "--year", "2023", "--format", "json", "-o", ledger_dir.root / "out" / "r.json",
                 "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "没有 2023 年度" in result.err and "2024" in result.err
    assert not (ledger_dir.root / "out" / "r.json").exists()
    assert cli("report", "--year", "2024", "--format", "json", "-o", "-", "--ledger", ledger_dir.root).code == 0
