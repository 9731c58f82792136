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
from pathlib import Path

LIMIT = re.compile(r"^\s*(\d+)\s*(个月|天|个工作日)\s*$")


@dataclass
class HolidayCalendar:
    """Holidays and worked weekend days that the office added in calendar.yaml, over chinese-calendar."""

    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    unknown_years: set[int] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year not in self.years:
            try:
                import chinese_calendar

                return chinese_calendar.is_workday(day)
            except (NotImplementedError, ImportError):
                self.unknown_years.add(day.year)
        return day.weekday() < 5


def load_calendar(path: Path) -> HolidayCalendar:
    """calendar.yaml: `2027: {放假: [2027-01-01, …], 调休上班: [2027-02-07, …]}`; absent means empty."""
    result = HolidayCalendar()
    if not path.exists():
        return result
    from tiandz.yamlio import parse, read_text

    data = parse(read_text(path)) or {}
    for year, days in data.items():
        result.years.add(int(year))
        for text in (days or {}).get("放假", []) or []:
            result.holidays.add(dt.date.fromisoformat(str(text)))
        for text in (days or {}).get("调休上班", []) or []:
            result.workdays.add(dt.date.fromisoformat(str(text)))
    return result


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
