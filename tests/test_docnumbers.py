"""文号: one number is one letter. Written as GB/T 9704 writes it, given by the clerk where the unit keeps its
own register, and never on two replies of the ledger."""

from __future__ import annotations

import pytest
import yaml_rs
from conftest import ANSWERED, CONFIG, CONTACTED, git

from tiandz.core.docnumbers import normalize_number, number_of_line


def read(path) -> dict:
    return yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)


def answered_with(number: str, item_id: str = "2024-J-015") -> str:
    return ANSWERED.replace("2024-J-015", item_id).replace("    正文: 已办。\n", f"    文号: {number}\n    正文: 已办。\n")


@pytest.mark.parametrize("typed", ["教体函[2025]3号", "教体函(2025)3号", "教体函（2025）3号", "教体函［2025］3号", " 教体函〔2025〕3号 "])
def test_the_year_of_a_number_is_written_in_the_standard_brackets(typed):
    assert normalize_number(typed) == "教体函〔2025〕3号"


def test_a_number_is_read_from_its_line_whatever_the_quotes():
    assert number_of_line("    文号: '教体函[2024]15号'  # 补登") == "教体函〔2024〕15号"
    assert number_of_line("  - 文号: 教体函〔2024〕15号") == "教体函〔2024〕15号"
    assert number_of_line("    文号: null") is None
    assert number_of_line("    正文: 文号: 甲") is None


def test_the_same_number_on_two_replies_is_an_error_naming_both_files(ledger_dir, cli):
    ledger_dir.item(answered_with("教体函〔2024〕15号"))
    ledger_dir.item(answered_with("教体函[2024]15号", "2024-J-016").replace("案号: 15", "案号: 16"))
    ledger_dir.item(answered_with("教体函〔2024〕16号", "2024-J-017").replace("案号: 15", "案号: 17"))
    ledger_dir.commit_all()
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    said = result.out + result.err
    lines = [line for line in said.splitlines() if "重复" in line]
    assert len(lines) == 2, said
    assert lines[0].startswith("2024/2024-J-015.yaml:") and "2024/2024-J-016.yaml" in lines[0]
    assert lines[1].startswith("2024/2024-J-016.yaml:") and "2024/2024-J-015.yaml" in lines[1]
    assert "2024-J-017" not in "".join(lines)
    again = cli("check", "--ledger", ledger_dir.root)  # from the scan cache: the numbers are kept with each item
    assert again.code == 1 and [line for line in (again.out + again.err).splitlines() if "重复" in line] == lines


def test_check_of_one_file_names_the_other_file_with_its_number(ledger_dir, cli):
    ledger_dir.item(answered_with("教体函〔2024〕15号"))
    other = ledger_dir.item(answered_with("教体函（2024）15号", "2024-J-016").replace("案号: 15", "案号: 16"))
    ledger_dir.commit_all()
    result = cli("check", str(other), "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024/2024-J-015.yaml" in result.out + result.err


def test_a_number_typed_with_other_brackets_is_recorded_with_the_standard_ones(ledger_dir, cli):
    path = ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    (ledger_dir.root / "答复.txt").write_text("已办。", encoding="utf-8")
    result = cli("reply", "J-15", "--category", "B", "--text-file", ledger_dir.root / "答复.txt",
                 "--number", "教体函[2024]7号", "--date", "2024-06-01", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(path)["答复"][0]["文号"] == "教体函〔2024〕7号"
    assert "教体函〔2024〕7号" in git(ledger_dir.root, "show", "HEAD:2024/2024-J-015.yaml")


def test_a_number_already_given_to_another_reply_is_refused(ledger_dir, cli):
    ledger_dir.item(answered_with("教体函〔2024〕7号", "2024-J-016").replace("案号: 15", "案号: 16"))
    path = ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    before = path.read_bytes()
    (ledger_dir.root / "答复.txt").write_text("已办。", encoding="utf-8")
    result = cli("reply", "J-15", "--category", "B", "--text-file", ledger_dir.root / "答复.txt",
                 "--number", "教体函(2024)7号", "--date", "2024-06-01", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024/2024-J-016.yaml" in result.err
    assert path.read_bytes() == before and ledger_dir.log()[0] == "fixture"


OWN_NUMBERS = CONFIG.replace("    文号: 教体函\n", "    文号: 教体函\n    自编文号: true\n")


def test_a_unit_that_keeps_its_own_numbers_must_be_given_one(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", OWN_NUMBERS)
    path = ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    before = path.read_bytes()
    (ledger_dir.root / "答复.txt").write_text("已办。", encoding="utf-8")
    reply = ("reply", "J-15", "--category", "B", "--text-file", ledger_dir.root / "答复.txt", "--date", "2024-06-01")
    result = cli(*reply, "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "--number" in result.err and "自编文号" in result.err
    assert path.read_bytes() == before and ledger_dir.log()[0] == "fixture"
    result = cli(*reply, "--number", "教体发〔2024〕31号", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(path)["答复"][0]["文号"] == "教体发〔2024〕31号"
    assert cli("check", "--ledger", ledger_dir.root).code == 0
