"""`check` tells every problem of a file in one run: a value pydantic rejects (a bad date) does not hide the
file's other problems, nor the rules that do not depend on the broken value."""

from __future__ import annotations

from conftest import ANSWERED

BROKEN = (
    ANSWERED.replace("提出日期: 2024-01-20", "提出日期: 2024-13-45")  # no such date
    .replace("  主办: [县教育和体育局]", "  主办: [县教体育局]")  # no such unit
    .replace("    类别: B", "    类别: E")  # no such class
    .replace("领域: 教育", "领域: 教育\n标提: 多余")  # a typo'd key
)


def problem_lines(result) -> list[str]:
    return [line for line in (result.out + result.err).splitlines() if line.startswith("2024/")]


def test_a_bad_date_does_not_hide_an_unknown_unit_a_bad_class_or_an_unknown_key(ledger_dir, cli):
    ledger_dir.item(BROKEN)
    ledger_dir.commit_all()
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    lines = problem_lines(result)
    said = "\n".join(lines)
    assert any("提出日期" in line and "2024-13-45" in line for line in lines), said
    assert any("交办.主办[1]" in line and "县教体育局" in line and "县教育和体育局" in line for line in lines), said
    assert any("答复[1].类别" in line and "“E”" in line for line in lines), said
    assert any("标提" in line for line in lines), said
    # in file order, each with its line
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)


def test_rules_that_compare_with_the_broken_date_say_nothing_misleading(ledger_dir, cli):
    ledger_dir.item(ANSWERED.replace("提出日期: 2024-01-20", "提出日期: 二〇二四年"))
    ledger_dir.commit_all()
    result = cli("check", "--ledger", ledger_dir.root)
    lines = problem_lines(result)
    assert len(lines) == 1 and "提出日期" in lines[0], lines


def test_a_step_on_such_a_file_is_refused_with_all_of_its_problems(ledger_dir, cli):
    path = ledger_dir.item(BROKEN)
    ledger_dir.commit_all()
    before = path.read_bytes()
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-07-01", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024-13-45" in result.err and "县教体育局" in result.err and "标提" in result.err
    assert path.read_bytes() == before and ledger_dir.log()[0] == "fixture"
