"""calendar.yaml: the holidays of the years chinese-calendar does not know yet, as the office types them in.

The State Council publishes each year's 放假 and 调休上班 days in the autumn before; the office adds them to
`calendar.yaml` in the ledger root. A mistyped date there moves every working-day deadline without anyone
noticing, so the file is checked as strictly as tiandz.yaml: `check` lists every problem with its line, and
every other command refuses until it is fixed. The checks are small pure functions over the parsed data, and
the year warnings are asked of years, not of a computation, so a cached scan warns exactly as a fresh one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from tiandz.core.deadlines import HolidayCalendar, unknown_years, uses_working_days
from tiandz.core.names import CALENDAR_NAME
from tiandz.core.oserrors import hint, reason
from tiandz.core.problems import ERROR, WARNING, Problem, did_you_mean
from tiandz.core.validation import field_name
from tiandz.files.yamlio import YamlError, line_finder, parse, read_text

HOLIDAYS = "放假"
WORKDAYS = "调休上班"
ENTRY_KEYS = (HOLIDAYS, WORKDAYS)
EXAMPLE = "如 2027: {放假: [2027-01-01], 调休上班: [2027-02-07]}"

_YEAR = re.compile(r"^[0-9]{4}$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")

Finding = tuple[tuple, str, str | None, str]


def year_of(key: Any) -> int | None:
    """The year a top-level key names: 2027, or "2027" when quoted; None for anything else."""
    if isinstance(key, bool):  # YAML's true is an int to Python, and never a year
        return None
    if isinstance(key, int):
        return key if 1000 <= key <= 9999 else None
    if isinstance(key, str) and _YEAR.match(key.strip()):
        return int(key)
    return None


def date_of(value: Any) -> dt.date | None:
    """A date written 2027-01-01, as item files write dates; None when it is not one (2027-02-30 is not)."""
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def listed(days: Any) -> list[tuple[tuple, Any]]:
    """(location below the key, value) of each day listed; a single day may stand without a list."""
    if days is None:
        return []
    if isinstance(days, list):
        return [((position,), value) for position, value in enumerate(days)]
    return [((), days)]


def calendar_findings(data: Any) -> Iterator[Finding]:
    """Everything wrong in the parsed file, as (location, message, hint, severity), in the file's order."""
    if data is None:  # empty, or only comments: no year added yet
        return
    if not isinstance(data, dict):
        yield (), "文件应由“年份: 放假和调休上班日期”组成，不是列表或单个值", EXAMPLE, ERROR
        return
    seen: set[int] = set()
    for key, entry in data.items():
        year = year_of(key)
        if year is None:
            yield (key,), f"“{key}”不是年份", "顶层的键应为四位年份，如 2027", ERROR
        elif year in seen:
            yield (key,), f"{year} 年重复", "每年只写一次", ERROR
        else:
            seen.add(year)
            yield from year_findings(key, year, entry)


def year_findings(key: Any, year: int, entry: Any) -> Iterator[Finding]:
    """One year: only 放假 and 调休上班, real dates of that year, no day both."""
    if not isinstance(entry, dict):
        yield (key,), f"应为“放假”和“调休上班”两项，而不是{_describe(entry)}", EXAMPLE, ERROR
        return
    unknown = [name for name in entry if name not in ENTRY_KEYS]
    for name in unknown:
        yield (key, name), f"未知字段“{name}”", did_you_mean(str(name), ENTRY_KEYS), ERROR
    if not unknown and not listed(entry.get(HOLIDAYS)):
        # A year with no holidays would silence the warning while every working day of it is a guess.
        yield (key,), f"{year} 年没有列出放假日期", "每年都有元旦、春节、国庆等假日；尚未公布的年份不要写", ERROR
    holidays = {date_of(value) for _, value in listed(entry.get(HOLIDAYS))}
    for kind in ENTRY_KEYS:
        for position, value in listed(entry.get(kind)):
            location = (key, kind, *position)
            day = date_of(value)
            if day is None:
                yield location, f"{_describe(value)}不是有效日期", "日期写作 2027-01-01", ERROR
            elif day.year != year:
                yield location, f"{day} 不在 {year} 年", f"把它写在 {day.year} 年之下", ERROR
            elif kind == WORKDAYS and day in holidays:
                yield location, f"{day} 已列为放假，不能又是调休上班", "一天只能是其中之一", ERROR


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, (dict, list)):
        return "一组内容" if isinstance(value, dict) else "一个列表"
    return f"“{value}”"


def calendar_from(data: Any) -> HolidayCalendar:
    """The calendar a file without findings describes."""
    result = HolidayCalendar()
    for key, entry in (data or {}).items():
        result.years.add(year_of(key))
        for kind, days in ((HOLIDAYS, result.holidays), (WORKDAYS, result.workdays)):
            days.update(date_of(value) for _, value in listed(entry.get(kind)))
    return result


def load_calendar_file(path: Path, shown: str = CALENDAR_NAME) -> tuple[HolidayCalendar | None, list[Problem]]:
    """The calendar and the file's problems; an empty calendar when there is no file, None when it is broken."""
    if not path.exists():
        return HolidayCalendar(), []
    try:
        text = read_text(path)
        data = parse(text)
    except OSError as error:
        return None, [Problem(shown, None, "", f"无法读取：{reason(error)}", hint(error))]
    except YamlError as error:
        return None, [Problem(shown, error.line, "", error.message, error.hint)]
    problems = findings_to_problems(shown, text, calendar_findings(data))
    if problems:
        return None, problems
    return calendar_from(data), []


def findings_to_problems(shown: str, text: str, findings: Iterable[Finding]) -> list[Problem]:
    """With lines, in file order; the year is named as written (field_name would count 2027 as a position)."""
    findings = list(findings)
    if not findings:
        return []
    line_of = line_finder(text)
    problems = [
        Problem(shown, line_of(location), _field(location), message, hint, severity)
        for location, message, hint, severity in findings
    ]
    return sorted(problems, key=lambda problem: problem.line or 0)


def _field(location: tuple) -> str:
    return field_name((str(location[0]), *location[1:])) if location else ""


def unknown_year_problems(
    limits: Iterable[str], holidays: HolidayCalendar, years: Iterable[int], shown: str = CALENDAR_NAME
) -> list[Problem]:
    """A warning for each year whose working days are a guess, when some limit counts working days."""
    if not uses_working_days(limits):
        return []
    return [
        Problem(
            shown,
            None,
            "",
            f"{year} 年的法定节假日安排未知，工作日按周一至周五计算",
            f"在 calendar.yaml 中加入 {year} 年的放假和调休上班日期（国务院办公厅每年公布）",
            WARNING,
        )
        for year in unknown_years(holidays, years)
    ]
