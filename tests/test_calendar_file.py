"""A broken calendar.yaml is reported, never ignored: a wrong holiday moves every working-day deadline.

`tiandz check` lists each problem as `calendar.yaml:行: 字段: 说明（提示）` and exits 1; every other command
that computes dates refuses with the same problems, as it does for a broken tiandz.yaml.
"""

from __future__ import annotations

import os

import pytest
from conftest import ASSIGNED, TODAY

from tiandz.core.problems import Problem, TiandzError
from tiandz.files.calendarfile import load_calendar_file
from tiandz.ops.check import check_ledger

CALENDAR = "calendar.yaml"
DATE_HINT = "日期写作 2027-01-01"


def check(ledger_dir) -> list[Problem]:
    return check_ledger(ledger_dir.ledger(), today=TODAY)


def test_a_valid_calendar_file_is_no_problem(ledger_dir):
    ledger_dir.write(
        CALENDAR,
        """\
        # 国务院办公厅关于2027年部分节假日安排的通知
        2027:
          放假: [2027-01-01, 2027-02-06]
          调休上班:
            - 2027-02-07
        """,
    )
    assert check(ledger_dir) == []


def test_a_calendar_file_with_only_comments_is_an_empty_calendar(ledger_dir):
    ledger_dir.write(CALENDAR, "# 2027 年的安排公布后写在这里\n")
    assert check(ledger_dir) == []


def test_broken_yaml_is_reported_with_its_line(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-01-01, 2027-01-02\n")
    assert check(ledger_dir) == [Problem(CALENDAR, 3, "", "YAML 格式错误：方括号列表未闭合或缺少逗号")]


def test_a_list_at_the_top_is_not_a_calendar(ledger_dir):
    ledger_dir.write(CALENDAR, "- 2027-01-01\n")
    assert check(ledger_dir) == [
        Problem(
            CALENDAR,
            1,
            "",
            "文件应由“年份: 放假和调休上班日期”组成，不是列表或单个值",
            "如 2027: {放假: [2027-01-01], 调休上班: [2027-02-07]}",
        )
    ]


def test_a_top_level_key_that_is_not_a_year(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-01-01]\n27:\n  放假: [2027-01-01]\n")
    assert check(ledger_dir) == [Problem(CALENDAR, 3, "27", "“27”不是年份", "顶层的键应为四位年份，如 2027")]


def test_an_unknown_key_under_a_year_gets_a_did_you_mean(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-01-01]\n  调休: [2027-02-07]\n")
    assert check(ledger_dir) == [Problem(CALENDAR, 3, "2027.调休", "未知字段“调休”", "是否为“调休上班”？")]


def test_a_year_without_holidays_is_an_error_because_it_would_silence_the_warning(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  调休上班: [2027-02-07]\n")
    assert check(ledger_dir) == [
        Problem(CALENDAR, 1, "2027", "2027 年没有列出放假日期", "每年都有元旦、春节、国庆等假日；尚未公布的年份不要写")
    ]


def test_a_year_that_is_not_a_mapping(ledger_dir):
    ledger_dir.write(CALENDAR, "2027: [2027-01-01]\n")
    assert check(ledger_dir) == [
        Problem(
            CALENDAR,
            1,
            "2027",
            "应为“放假”和“调休上班”两项，而不是一个列表",
            "如 2027: {放假: [2027-01-01], 调休上班: [2027-02-07]}",
        )
    ]


def test_an_impossible_date_is_reported_at_its_line(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假:\n    - 2027-01-01\n    - 2027-02-30\n")
    problems = check(ledger_dir)
    assert problems == [Problem(CALENDAR, 4, "2027.放假[2]", "“2027-02-30”不是有效日期", DATE_HINT)]
    assert problems[0].format() == "calendar.yaml:4: 2027.放假[2]: “2027-02-30”不是有效日期（日期写作 2027-01-01）"


def test_a_date_written_otherwise_than_year_month_day_is_not_a_date(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-1-1]\n")
    assert check(ledger_dir) == [Problem(CALENDAR, 2, "2027.放假[1]", "“2027-1-1”不是有效日期", DATE_HINT)]


def test_a_date_listed_under_another_year(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-01-01, 2028-01-01]\n")
    assert check(ledger_dir) == [
        Problem(CALENDAR, 2, "2027.放假[2]", "2028-01-01 不在 2027 年", "把它写在 2028 年之下")
    ]


def test_a_day_both_holiday_and_worked(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-02-06, 2027-02-07]\n  调休上班: [2027-02-07]\n")
    assert check(ledger_dir) == [
        Problem(CALENDAR, 3, "2027.调休上班[1]", "2027-02-07 已列为放假，不能又是调休上班", "一天只能是其中之一")
    ]


def test_the_same_year_twice(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-01-01]\n'2027':\n  放假: [2027-01-02]\n")
    assert check(ledger_dir) == [Problem(CALENDAR, 3, "2027", "2027 年重复", "每年只写一次")]


def test_every_problem_of_the_file_is_listed_in_file_order(ledger_dir):
    ledger_dir.write(
        CALENDAR,
        """\
        2027:
          放假: [2027-01-01, 2027-02-30]
          调休上班: [2027-01-01]
        二〇二八:
          放假: [2028-01-01]
        """,
    )
    assert [problem.format() for problem in check(ledger_dir)] == [
        "calendar.yaml:2: 2027.放假[2]: “2027-02-30”不是有效日期（日期写作 2027-01-01）",
        "calendar.yaml:3: 2027.调休上班[1]: 2027-01-01 已列为放假，不能又是调休上班（一天只能是其中之一）",
        "calendar.yaml:4: 二〇二八: “二〇二八”不是年份（顶层的键应为四位年份，如 2027）",
    ]


def test_a_broken_tiandz_yaml_and_a_broken_calendar_are_reported_together(ledger_dir):
    ledger_dir.write("tiandz.yaml", "机关: 某县人民政府办公室\n年度: [2024\n")
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-02-30]\n")
    assert [problem.path for problem in check(ledger_dir)] == ["tiandz.yaml", CALENDAR]


def test_items_are_not_checked_while_the_calendar_is_broken(ledger_dir):
    # Their due dates would be computed with a wrong calendar, and cached.
    ledger_dir.item(ASSIGNED.replace("主办: [县教育和体育局]", "主办: [不存在的局]"))
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-02-30]\n")
    assert [problem.path for problem in check(ledger_dir)] == [CALENDAR]


def test_commands_that_compute_dates_refuse_a_broken_calendar(ledger_dir):
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-02-30]\n")
    expected = [Problem(CALENDAR, 2, "2027.放假[1]", "“2027-02-30”不是有效日期", DATE_HINT)]
    with pytest.raises(TiandzError) as refused:
        ledger_dir.ledger().holidays  # noqa: B018 - reading the property is the test
    assert refused.value.problems == expected
    assert load_calendar_file(ledger_dir.root / CALENDAR) == (None, expected)


# --- the command line -------------------------------------------------------------------------------------


def test_check_prints_the_calendar_problems_and_exits_1(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-01-01, 2027-02-30]\n  放家: [2027-05-01]\n")
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "calendar.yaml:2: 2027.放假[2]: “2027-02-30”不是有效日期（日期写作 2027-01-01）",
        "calendar.yaml:3: 2027.放家: 未知字段“放家”（是否为“放假”？）",
    ]
    assert "Traceback" not in result.out + result.err


def test_list_refuses_a_broken_calendar_without_a_traceback(ledger_dir, cli):
    item = ledger_dir.item(ASSIGNED)
    os.utime(item, (item.stat().st_atime - 60, item.stat().st_mtime - 60))  # old enough to be cached
    assert cli("list", "--ledger", ledger_dir.root).code == 0
    assert (ledger_dir.ledger().state_folder / "scan-cache.json").exists()
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-02-30]\n")
    result = cli("list", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "calendar.yaml:2: 2027.放假[1]: “2027-02-30”不是有效日期（日期写作 2027-01-01）" in result.err
    assert "2024-J-015" not in result.out
    assert "Traceback" not in result.out + result.err and "内部错误" not in result.err


def test_show_refuses_a_broken_calendar(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    ledger_dir.write(CALENDAR, "2027:\n  放假: [2027-02-30]\n")
    result = cli("show", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "calendar.yaml:2: 2027.放假[1]: “2027-02-30”不是有效日期" in result.err
