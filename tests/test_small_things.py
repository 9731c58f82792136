"""Small things a clerk notices (issue 12): each one said in Chinese, shown whole, dated as it happened."""

from __future__ import annotations

import pytest
from conftest import ASSIGNED, CONTACTED, ITEM, git


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


ENGLISH = ("Got unexpected", "Input should", "No such file", "<bool>", "<str>", "[OPTIONS]", "Missing", "argument", "COMMAND", "ARGS")


def english_in(text: str) -> list[str]:
    return [words for words in ENGLISH if words in text]


def test_an_extra_argument_is_said_in_chinese(ledger_dir, cli):
    result = cli("show", "J-15", "多余", "--ledger", ledger_dir.root)
    assert result.code == 2
    assert "多余的参数：多余" in result.err and not english_in(result.err)


def test_a_number_option_given_words_is_said_in_chinese(ledger_dir, cli):
    result = cli("list", "--due-within", "十天", "--ledger", ledger_dir.root)
    assert result.code == 2
    assert "--due-within 的值无效：应为整数" in result.err and not english_in(result.err)


@pytest.mark.parametrize("command", ["promise", "assign", "log", "show", "close"])
def test_a_missing_id_is_called_the_编号(ledger_dir, cli, command):
    result = cli(command, "--ledger", ledger_dir.root)
    assert result.code == 2
    assert "缺少参数 编号" in result.err and not english_in(result.err)
    assert "item" not in result.err and "ids" not in result.err
    assert f"运行 tiandz {command} --help 查看帮助" in result.err  # the program's name, however it was started


def test_a_missing_list_file_is_called_the_清单文件(ledger_dir, cli):
    result = cli("import", "--ledger", ledger_dir.root)
    assert "缺少参数 清单文件" in result.err and "file" not in result.err


@pytest.mark.parametrize("command", [None, "list", "new", "assign", "report"])
def test_help_shows_no_type_names_and_nothing_after_flags(cli, command):
    result = cli(*([command] if command else []), "--help")
    assert result.code == 0
    assert not english_in(result.out), result.out
    assert "[选项]" in result.out


@pytest.mark.parametrize("arguments", [
    ("reply", "J-15", "--category", "B", "--text-file", "没有这个文件.txt"),
    ("import", "没有这个清单.csv"),
    ("check", "2024/2024-J-099.yaml"),
    ("new", "--type", "建议", "--title", "甲", "--proposer", "乙", "--text-file", "没有.txt"),
])
def test_a_file_that_is_not_there_is_said_in_chinese(ledger_dir, cli, arguments):
    ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    result = cli(*arguments, "--ledger", ledger_dir.root, cwd=ledger_dir.root)
    assert result.code == 1
    assert result.err.strip() and not english_in(result.err), result.err


def test_list_by_unit_says_whether_the_unit_leads_or_assists_each_item(ledger_dir, cli):
    import json

    ledger_dir.item(ASSIGNED)
    ledger_dir.item(
        ASSIGNED.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16")
        .replace("  方式: 单办\n  主办: [县教育和体育局]", "  方式: 会办\n  主办: [县公安局]\n  协办: [县教育和体育局]")
    )
    ledger_dir.commit_all()
    result = cli("list", "--unit", "教体局", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "本单位" in lines[0]
    assert [line.split()[3] for line in lines[1:]] == ["主办", "协办"], result.out
    rows = json.loads(cli("list", "--unit", "教体局", "--json", "--ledger", ledger_dir.root).out)
    assert [(row["编号"], row["本单位"]) for row in rows] == [("2024-J-015", "主办"), ("2024-J-016", "协办")]
    assert "本单位" not in cli("list", "--ledger", ledger_dir.root).out


def test_a_reply_from_a_unit_without_signer_contact_or_phone_warns_the_letter_will_lack_them(ledger_dir, cli):
    path = ledger_dir.item(
        CONTACTED.replace("主办: [县教育和体育局]", "主办: [县公安局]").replace("单位: 县教育和体育局", "单位: 县公安局")
    )
    ledger_dir.commit_all()
    (ledger_dir.root / "答复.txt").write_text("已办。", encoding="utf-8")
    reply = ("reply", "J-15", "--category", "B", "--text-file", ledger_dir.root / "答复.txt", "--date", "2024-06-01")
    result = cli(*reply, "--phone", "0937-7654321", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    said = result.out + result.err
    assert "县公安局没有签发人、联系人" in said and "答复函上将缺少" in said and "电话" not in said.split("县公安局没有")[1].split("（")[0]
    assert "签发人" not in path.read_text(encoding="utf-8") and ledger_dir.log()[0].startswith("答复 2024-J-015")


def test_a_reply_whose_unit_gives_everything_says_nothing_of_it(ledger_dir, cli):
    ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    (ledger_dir.root / "答复.txt").write_text("已办。", encoding="utf-8")
    result = cli("reply", "J-15", "--category", "B", "--text-file", ledger_dir.root / "答复.txt", "--date", "2024-06-01",
                 "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "将缺少" not in result.out + result.err
