"""`tiandz export`: the 办理台账 spreadsheet, one row per item, read back with openpyxl as Excel would."""

from __future__ import annotations

import datetime as dt

from conftest import git
from openpyxl import load_workbook
from report_ledgers import UNIT, item

from tiandz.report.export import COLUMNS

POLICE = "县公安局"


def export(cli, ledger_dir, *options):
    path = ledger_dir.root / "台账.xlsx"
    result = cli("export", "-o", path, "--ledger", ledger_dir.root, *options)
    assert result.code == 0, result.err
    book = load_workbook(path)
    return result, book, book["办理台账"]


def test_one_row_per_item_with_the_columns_of_the_ledger(ledger_dir, cli):
    ledger_dir.item(item(
        1, title="关于加强校园周边环境综合治理的建议", key=True, assigned="2024-03-20", co=(POLICE,),
        contacts=[("2024-04-01", "电话"), ("2024-04-09", "面商")], replies=[(UNIT, "2024-05-20", "B", "摘要公开")],
        evaluations=[("2024-06-01", "满意")], conversions=[("2024-07-01", "B", "A")], closed="2024-07-05",
    ))
    ledger_dir.item(item(2, "建议", submitted="2024-02-01"))
    ledger_dir.commit_all()
    result, book, sheet = export(cli, ledger_dir)
    assert "已导出 2 件" in result.out
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS == (
        "编号", "类型", "案号", "标题", "提出人", "联名", "领域", "重点督办", "主办", "协办", "交办日期", "时限",
        "状态", "沟通次数", "见面", "答复日期", "类别", "文号", "公开", "评价", "办结",
    )
    assert rows[1] == (
        "2024-J-001", "建议", "1", "关于加强校园周边环境综合治理的建议", "代表1", None, "教育", "是", UNIT, POLICE,
        dt.datetime(2024, 3, 20), dt.datetime(2024, 6, 20), "已办结", 2, "是", dt.datetime(2024, 5, 20), "B→A", None,
        "摘要公开", "满意", dt.datetime(2024, 7, 5),
    )
    assert rows[2][:13] == ("2024-J-002", "建议", "2", "关于第2件事的建议", "代表2", None, "教育", "否", None, None, None, None, "待交办")
    assert sheet.freeze_panes == "A2"
    assert sheet["K2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["B"].width, "columns are sized to their text"


def test_overdue_rows_are_filled_red(ledger_dir, cli):
    ledger_dir.item(item(1, assigned="2024-03-20", due="2024-06-20"))
    ledger_dir.item(item(2, assigned="2024-03-20", due="2099-12-31"))
    ledger_dir.commit_all()
    result, book, sheet = export(cli, ledger_dir)
    assert "其中逾期 1 件（标红）" in result.out
    assert all(cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("FFC7CE") for cell in sheet[2])
    assert all(cell.fill.fill_type is None for cell in sheet[3])
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["件数"] == 2 and about["逾期件数"] == 1
    assert about["依据"].startswith("台账 git 提交 ")


def test_text_that_looks_like_a_formula_stays_text(ledger_dir, cli):
    ledger_dir.item(item(1, title="=1+1"))
    ledger_dir.item(item(2, title="+86 电话 @所有人"))
    ledger_dir.item(item(3, title="-关于路灯的建议", assigned="2024-03-20", due="2099-12-31"))
    ledger_dir.commit_all()
    _, _, sheet = export(cli, ledger_dir)
    titles = [sheet.cell(row=row, column=4) for row in (2, 3, 4)]
    assert [cell.value for cell in titles] == ["=1+1", "+86 电话 @所有人", "-关于路灯的建议"]
    assert all(cell.data_type == "s" for cell in titles), "never a formula"
    assert all(cell.quotePrefix for cell in titles), "and Excel keeps it text when the cell is edited"


def test_export_by_default_writes_under_out_and_one_type_on_request(ledger_dir, cli):
    ledger_dir.item(item(1))
    ledger_dir.item(item(1, "提案"))
    ledger_dir.commit_all()
    result = cli("export", "--type", "提案", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    written = list((ledger_dir.root / "out").glob("办理台账-*.xlsx"))
    assert len(written) == 1 and "已导出 1 件" in result.out
    rows = list(load_workbook(written[0])["办理台账"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["2024-T-001"]
    assert git(ledger_dir.root, "status", "--porcelain") == "", "out/ is not part of the ledger"
