"""Due dates from the time limits of tiandz.yaml: "3个月", "15天", "5个工作日".

Months are end-of-month safe (11-30 plus 3 months is the last day of February). Working days follow the
official holiday calendar, 调休 weekend days included: the chinese-calendar package knows the years the
State Council has published; the ledger's calendar.yaml adds later years as they are published; a year
neither knows falls back to Monday to Friday, and that is reported so nobody trusts such a date blindly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable

LIMIT = re.compile(r"^\s*(\d+)\s*(个月|天|个工作日)\s*$")


@dataclass
class HolidayCalendar:
    """Holidays and worked weekend days that the office added in calendar.yaml, over chinese-calendar.

    The office's dates win over chinese-calendar's, so calendar.yaml can also correct a published year. A
    date neither knows counts Monday to Friday, and its year is remembered in `unknown_years` so that a
    command can say the date it just computed rests on a guess.
    """

    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    unknown_years: set[int] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        official = _official_is_workday(day)
        if official is not None:
            return official
        if day.year not in self.years:
            self.unknown_years.add(day.year)
        return day.weekday() < 5


def _official_is_workday(day: dt.date) -> bool | None:
    """chinese-calendar's answer; None for a year it has no data for (it raises NotImplementedError)."""
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except (NotImplementedError, ImportError):
        return None


def unknown_years(holidays: HolidayCalendar | None, years: Iterable[int]) -> list[int]:
    """The years, sorted, whose holidays neither calendar.yaml nor chinese-calendar knows.

    Asked of years rather than collected while computing, because a scan computes in forked processes or
    not at all (cached), and the answer must not depend on that.
    """
    listed = holidays.years if holidays is not None else set()
    return sorted(
        {year for year in years if year not in listed and _official_is_workday(dt.date(year, 1, 1)) is None}
    )


def uses_working_days(limits: Iterable[str]) -> bool:
    """Whether any of these limits counts working days (only those depend on the holiday calendar)."""
    return any((match := LIMIT.match(limit)) is not None and match.group(2) == "个工作日" for limit in limits)


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    # The same day of the target month, or its last day when it has none (民法典 art. 202 counting).
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_limit(start: dt.date, limit: str, holidays: HolidayCalendar | None = None) -> dt.date:
    match = LIMIT.match(limit)
    if not match:
        raise ValueError(f"时限“{limit}”应写作“N个月”“N天”或“N个工作日”")
    count, unit = int(match.group(1)), match.group(2)
    if unit == "个月":
        return add_months(start, count)
    if unit == "天":
        return start + dt.timedelta(days=count)
    holidays = holidays or HolidayCalendar()
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if holidays.is_workday(day):
            count -= 1
    return day
