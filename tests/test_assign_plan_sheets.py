"""`assign --from` reads its plan as `import` reads a list: a 主办 cell merged down over several rows, a
two-row header, a unit written with its role, a workbook of several sheets and `--sheet`, footers."""

from __future__ import annotations

import pytest
import yaml
from conftest import ITEM, git

openpyxl = pytest.importorskip("openpyxl")

J16 = ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16").replace("校园周边环境综合治理", "农村公路养护")
J17 = ITEM.replace("2024-J-015", "2024-J-017").replace("案号: 15", "案号: 17").replace("校园周边环境综合治理", "城区停车管理")


def read(path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@pytest.fixture
def items(ledger_dir):
    paths = [ledger_dir.item(ITEM), ledger_dir.item(J16), ledger_dir.item(J17)]
    ledger_dir.commit_all("三件")
    return paths


def test_a_lead_unit_merged_down_over_two_rows_assigns_both_items(ledger_dir, items, cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "建议"
    sheet.append(["2024年代表建议交办方案"])
    sheet.append(["序号", "编号", "主办单位", "协办单位"])
    sheet.append([1, "J-15", "公安局", None])
    sheet.append([2, "J-16", None, "市场监管局"])  # 主办 merged down from the row above
    sheet.append([3, "J-17", "交通局", None])
    sheet.merge_cells("C3:C4")
    sheet.append(["制表人：张三"])
    plan = tmp_path / "交办方案.xlsx"
    book.save(plan)
    head = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    j15, j16, j17 = (read(path) for path in items)
    assert j15["交办"]["主办"] == ["县公安局"] and "协办" not in j15["交办"]
    assert j16["交办"]["主办"] == ["县公安局"] and j16["交办"]["协办"] == ["县市场监督管理局"]
    assert j17["交办"]["主办"] == ["县交通运输局"]
    assert git(ledger_dir.root, "rev-parse", "HEAD~1").strip() == head
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_two_row_header_and_units_with_their_role_are_read_as_import_reads_them(ledger_dir, items, cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["交办方案"])
    sheet.append(["序号", "编号", "承办单位", None])
    sheet.append([None, None, "主办单位", "协办单位"])
    sheet.merge_cells("C2:D2")
    sheet.append([1, "J-15", "公安局 市场监管局（协办）", None])  # a space between units, as import splits them
    sheet.append([2, "J-16", "交通局", "教体局（主办）"])
    plan = tmp_path / "交办方案.xlsx"
    book.save(plan)
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    j15, j16, j17 = (read(path) for path in items)
    assert j15["交办"]["主办"] == ["县公安局"] and j15["交办"]["协办"] == ["县市场监督管理局"]
    assert j16["交办"]["主办"] == ["县交通运输局", "县教育和体育局"] and j16["交办"]["方式"] == "分办"
    assert "交办" not in j17


def test_sheet_picks_one_worksheet_of_the_plan(ledger_dir, items, cli, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本方案经县政府常务会议研究确定。"])
    for name, number in (("第一批", 15), ("第二批", 16)):
        sheet = book.create_sheet(name)
        sheet.append(["编号", "主办单位"])
        sheet.append([f"J-{number}", "公安局"])
    plan = tmp_path / "交办方案.xlsx"
    book.save(plan)
    result = cli("assign", "--from", plan, "--sheet", "第二批", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "交办" not in read(items[0]) and read(items[1])["交办"]["主办"] == ["县公安局"]
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    wrong = cli("assign", "--from", plan, "--sheet", "第三批", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert wrong.code == 1 and "没有工作表“第三批”" in wrong.err and "第一批" in wrong.err
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    alone = cli("assign", "--sheet", "第二批", "--ledger", ledger_dir.root)
    assert alone.code == 2 and "--sheet" in alone.err
