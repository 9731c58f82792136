"""`tiandz import`: the 交办清单 as the congress or CPPCC sends it, in the formats Excel saves."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from openpyxl import Workbook, load_workbook

from tiandz.core.problems import TiandzError
from tiandz.ops.importing import import_file

SUBMITTED = dt.date(2024, 1, 20)  # the list has no 提出日期: given, as --submitted, never today

HEADERS = ["序号", "案号", "标题", "领衔代表", "联名代表", "主办单位", "协办单位", "领域", "备注列"]
ROWS = [
    [1, 15, "关于加强校园周边环境综合治理的建议", "张三", "李四、王五", "县教体局", "公安局", "教育", ""],
    [2, 16, "关于改善农村公路的建议", "李四", "", "县交通局", "", "", ""],
    [3, "B211", "关于食品安全监管的建议", "王五", "赵六，钱七", "", "", "", ""],
]


def csv_text(rows, title=True) -> str:
    lines = ["县十六届人大三次会议代表建议交办清单,,,,,,,,"] if title else []
    lines += [",".join(map(str, HEADERS))]
    lines += [",".join(map(str, row)) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["县十六届人大三次会议代表建议交办清单"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)


def imported(ledger_dir):
    return sorted(path.name for path in (ledger_dir.root / "2024").glob("*.yaml"))


def test_xlsx_written_by_openpyxl_registers_every_row_in_one_commit(ledger_dir, tmp_path):
    source = tmp_path / "交办清单.xlsx"
    xlsx(source, ROWS)
    result = import_file(ledger_dir.ledger(), source, kind="建议", assigned=dt.date(2024, 3, 20), submitted=SUBMITTED, today=TODAY)
    assert (result.count, result.first, result.last) == (3, "2024-J-001", "2024-J-003")
    assert imported(ledger_dir) == ["2024-J-001.yaml", "2024-J-002.yaml", "2024-J-003.yaml"]
    first = (ledger_dir.root / "2024" / "2024-J-001.yaml").read_text(encoding="utf-8")
    assert "主办: [县教育和体育局]\n  协办: [县公安局]\n" in first  # 简称 written as the full name
    assert "方式: 会办" in first and "日期: 2024-03-20" in first and "联名: [李四, 王五]" in first
    third = (ledger_dir.root / "2024" / "2024-J-003.yaml").read_text(encoding="utf-8")
    assert "交办" not in third and "案号: B211" in third and "联名: [赵六, 钱七]" in third
    assert ledger_dir.log()[0] == "导入 交办清单.xlsx：登记 3 件"
    assert result.notes == ["未识别的列“备注列”已忽略"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_as_excel_saves_it(ledger_dir, tmp_path, encoding):
    source = tmp_path / "清单.csv"
    source.write_bytes(csv_text(ROWS).encode(encoding))
    result = import_file(ledger_dir.ledger(), source, kind="建议", assigned=dt.date(2024, 3, 20), submitted=SUBMITTED, today=TODAY)
    assert result.count == 3
    text = (ledger_dir.root / "2024" / "2024-J-001.yaml").read_text(encoding="utf-8")
    assert "标题: 关于加强校园周边环境综合治理的建议" in text


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(ledger_dir, tmp_path):
    rows = [ROWS[0], [2, 16, "", "李四", "", "县交通局", "", "", ""], [3, 17, "关于修路的建议", "王五", "", "县教体", "", "", ""]]
    source = tmp_path / "清单.csv"
    source.write_text(csv_text(rows), encoding="utf-8")
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, kind="建议", assigned=dt.date(2024, 3, 20), submitted=SUBMITTED, today=TODAY)
    assert [problem.format() for problem in refused.value.problems] == [
        "清单.csv:4: 标题: 不能为空",
        "清单.csv:5: 主办单位: “县教体”不是 tiandz.yaml 中的承办单位（是否为“县教育和体育局”？）",
    ]
    assert imported(ledger_dir) == []
    assert ledger_dir.log() == ["init"]


def test_a_sheet_without_a_type_column_needs_type(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text(csv_text(ROWS), encoding="utf-8")
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, today=TODAY)
    assert refused.value.problems[0].message == "表中没有“类型”列"
    assert refused.value.problems[0].hint == "用 --type 建议 或 --type 提案 指定"


def test_importing_the_same_list_twice_registers_nothing_twice(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text(csv_text(ROWS[:1]), encoding="utf-8")
    import_file(ledger_dir.ledger(), source, kind="建议", assigned=dt.date(2024, 3, 20), submitted=SUBMITTED, today=TODAY)
    again = import_file(ledger_dir.ledger(), source, kind="建议", assigned=dt.date(2024, 3, 20), submitted=SUBMITTED, today=TODAY)
    assert (again.count, again.registered) == (0, [("清单.csv 第 3 行", "2024-J-001")])
    assert imported(ledger_dir) == ["2024-J-001.yaml"]
    assert len(ledger_dir.log()) == 2


def test_a_type_column_mixes_suggestions_and_proposals(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text("类型,标题,提案人,提出日期\n政协提案,关于发展乡村旅游的提案,民进县委会,2024/1/18\n人大建议,关于路灯的建议,张三,2024年1月19日\n", encoding="utf-8")
    import_file(ledger_dir.ledger(), source, today=TODAY)
    assert imported(ledger_dir) == ["2024-J-001.yaml", "2024-T-001.yaml"]
    text = (ledger_dir.root / "2024" / "2024-T-001.yaml").read_text(encoding="utf-8")
    assert "提出日期: 2024-01-18" in text and "届次: 县十三届政协三次会议" in text


def test_dry_run_checks_and_writes_nothing(ledger_dir, tmp_path, cli):
    source = tmp_path / "清单.xlsx"
    xlsx(source, ROWS)
    result = cli("import", source, "--type", "建议", "--date", "2024-03-20", "--submitted", "2024-01-20", "--dry-run", "--ledger", ledger_dir.root)
    assert result.code == 0 and "共 3 行可以登记" in result.out
    assert imported(ledger_dir) == []


def test_numbers_and_markup_characters_come_in_as_written(ledger_dir, tmp_path):
    source = tmp_path / "清单.xlsx"
    xlsx(source, [[1, 20200588, "关于 A&B 的建议", "张三", "", "", "", "", ""]])
    book = load_workbook(source)
    assert book.active.cell(3, 2).value == 20200588
    import_file(ledger_dir.ledger(), source, kind="建议", submitted=SUBMITTED, today=TODAY)
    text = (ledger_dir.root / "2024" / "2024-J-001.yaml").read_text(encoding="utf-8")
    assert "案号: 20200588\n" in text and "标题: 关于 A&B 的建议\n" in text


def test_an_old_xls_file_is_refused_with_advice(ledger_dir, tmp_path, cli):
    source = tmp_path / "清单.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("import", source, "--type", "建议", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "清单.xls 是旧版 Excel（.xls）格式（请在 Excel 或 WPS 中另存为 .xlsx 后再导入）" in result.err
