"""Due dates from the limits of tiandz.yaml, and the warning when a year's holidays are unknown.

Working days follow the official calendar (chinese-calendar, then calendar.yaml). A year neither knows is
counted Monday to Friday, and `tiandz check` warns about it, so nobody trusts such a due date blindly. The
unknown year here is 2099: chinese-calendar will learn 2027 soon, and these statements must stay true.
"""

from __future__ import annotations

import datetime as dt
import os

from conftest import ASSIGNED, CONFIG, TODAY

from tiandz.core.deadlines import HolidayCalendar, add_limit, add_months, unknown_years
from tiandz.core.problems import WARNING, Problem
from tiandz.files.calendarfile import load_calendar_file
from tiandz.ops.check import check_ledger

date = dt.date
UNKNOWN = 2099
CALENDAR_2099 = """\
2099:
  放假: [2099-01-01, 2099-01-02]
  调休上班: [2099-01-03]
"""  # 2099-01-01 is a Thursday, 2099-01-03 a Saturday


def warning(year: int) -> Problem:
    return Problem(
        "calendar.yaml",
        None,
        "",
        f"{year} 年的法定节假日安排未知，工作日按周一至周五计算",
        f"在 calendar.yaml 中加入 {year} 年的放假和调休上班日期（国务院办公厅每年公布）",
        WARNING,
    )


# --- months and days --------------------------------------------------------------------------------------


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert add_limit(date(2024, 11, 30), "3个月") == date(2025, 2, 28)
    assert add_limit(date(2024, 1, 31), "1个月") == date(2024, 2, 29)
    assert add_months(date(2024, 3, 20), 3) == date(2024, 6, 20)


def test_days_are_calendar_days():
    assert add_limit(date(2025, 9, 26), "15天") == date(2025, 10, 11)


# --- working days -----------------------------------------------------------------------------------------


def test_working_days_skip_the_national_day_and_mid_autumn_holiday_of_2025():
    # 10-01 to 10-08 off; Sunday 09-28 and Saturday 10-11 worked in exchange.
    assert add_limit(date(2025, 9, 26), "10个工作日") == date(2025, 10, 16)


def test_a_sunday_worked_in_exchange_is_a_working_day():
    assert add_limit(date(2025, 9, 27), "1个工作日") == date(2025, 9, 28)


def test_a_year_no_calendar_knows_is_counted_monday_to_friday_and_remembered():
    holidays = HolidayCalendar()
    assert add_limit(date(2099, 1, 1), "1个工作日", holidays) == date(2099, 1, 2)
    assert holidays.unknown_years == {UNKNOWN}


def test_a_known_year_leaves_no_unknown_year_behind():
    holidays = HolidayCalendar()
    add_limit(date(2025, 9, 26), "10个工作日", holidays)
    assert holidays.unknown_years == set()


def test_calendar_yaml_holidays_and_worked_saturdays_are_honoured(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text(CALENDAR_2099, encoding="utf-8")
    holidays, problems = load_calendar_file(path)
    assert problems == []
    assert add_limit(date(2099, 1, 1), "1个工作日", holidays) == date(2099, 1, 3)
    assert holidays.unknown_years == set()
    assert unknown_years(holidays, [UNKNOWN]) == []


def test_calendar_yaml_adds_to_a_year_chinese_calendar_knows_instead_of_replacing_it():
    # A local extra holiday on 09-29; the official 调休 Sunday 09-28 still counts.
    holidays = HolidayCalendar(holidays={date(2025, 9, 29)}, years={2025})
    assert add_limit(date(2025, 9, 27), "2个工作日", holidays) == date(2025, 9, 30)


def test_unknown_years_are_those_neither_calendar_knows():
    assert unknown_years(HolidayCalendar(), [2024, UNKNOWN, 2003, 2025, UNKNOWN]) == [2003, UNKNOWN]
    assert unknown_years(HolidayCalendar(years={UNKNOWN}), [2024, UNKNOWN]) == []
    assert unknown_years(None, [2026]) == []


# --- the warning of `tiandz check` ------------------------------------------------------------------------

DUE_2099 = ASSIGNED + "  时限: 2099-06-30\n"  # a due date set by hand, in a year no calendar knows


def test_check_warns_about_the_year_of_a_due_date_no_calendar_knows(ledger_dir):
    ledger_dir.item(DUE_2099)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == [warning(UNKNOWN)]


def test_check_warns_about_the_ledger_year_but_not_about_today_when_unknown(ledger_dir):
    # On 2099-01-05 an old 2024 ledger has nothing to fear from 2099; a 2098 ledger does from its own year.
    assert check_ledger(ledger_dir.ledger(), today=date(UNKNOWN, 1, 5)) == []
    ledger_dir.write("tiandz.yaml", CONFIG.replace("年度: 2024", "年度: 2098"))
    assert check_ledger(ledger_dir.ledger(), today=date(UNKNOWN, 1, 5)) == [warning(2098)]


def test_no_warning_when_calendar_yaml_covers_the_year(ledger_dir):
    ledger_dir.item(DUE_2099)
    ledger_dir.write("calendar.yaml", CALENDAR_2099)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []


def test_no_warning_when_no_limit_counts_working_days(ledger_dir):
    # 退回 counts working days unless tiandz.yaml says otherwise.
    ledger_dir.write("tiandz.yaml", CONFIG + "时限:\n  退回: 7天\n")
    ledger_dir.item(DUE_2099)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []


def test_the_warning_does_not_depend_on_a_fresh_computation(ledger_dir, monkeypatch):
    item = ledger_dir.item(DUE_2099)
    os.utime(item, (item.stat().st_atime - 60, item.stat().st_mtime - 60))  # old enough to be cached
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == [warning(UNKNOWN)]

    def not_examined(*arguments):
        raise AssertionError("the second check should read the cache")

    monkeypatch.setattr("tiandz.ledger.scan.examine", not_examined)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == [warning(UNKNOWN)]


# --- the command line -------------------------------------------------------------------------------------


def test_check_prints_the_warning_and_exits_0(ledger_dir, cli):
    ledger_dir.item(DUE_2099)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0
    assert (
        "calendar.yaml: 2099 年的法定节假日安排未知，工作日按周一至周五计算"
        "（在 calendar.yaml 中加入 2099 年的放假和调休上班日期（国务院办公厅每年公布））［警告］"
    ) in result.out.splitlines()


def test_check_with_calendar_yaml_for_the_year_prints_no_warning_about_it(ledger_dir, cli):
    ledger_dir.item(DUE_2099)
    ledger_dir.write("calendar.yaml", CALENDAR_2099)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0
    assert "2099" not in result.out
