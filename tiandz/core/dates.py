"""Dates as clerks type them: 2024-03-20, 2024/3/20, 2024.3.20 or 2024年3月20日."""

from __future__ import annotations

import datetime as dt
import re

from tiandz.core.problems import refuse

_DATE = re.compile(r"^\s*(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str, field: str = "日期") -> dt.date:
    match = _DATE.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            refuse(f"{text} 不是有效日期", field=field)
    refuse(f"“{text}”不是日期", field=field, hint="写作 2024-03-20、2024/3/20 或 2024年3月20日")


def parse_optional(text: str | None, default: dt.date, field: str = "日期") -> dt.date:
    return parse_date(text, field) if text else default


def chinese_date(day: dt.date) -> str:
    """A date as official documents write it (GB/T 9704 7.3.5.4): full year, no zero padding, 2024年6月1日."""
    return f"{day.year}年{day.month}月{day.day}日"
