"""Which cells of an .xlsx workbook hold dates, and what date a serial number is: openpyxl's own reading
(styles/numbers.py, utils/datetime.py), for files/xlsxread.py, which must give the values openpyxl gives.

A number is a date when its cell's style has a date format: one of the built-in date formats, or a custom one
whose first section, without its quoted text and bracketed locale, has a date or time letter; a duration
when it has [h], [m] or [s]. tests/test_xlsx_reader.py compares the values with openpyxl's.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.etree.ElementTree import Element

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# Which built-in formats are dates, which durations; how a custom format is judged.
_DATE_BUILTINS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DURATION_BUILTINS = {46}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def has_declarations(data: bytes) -> bool:
    """A document type or entity declaration, or a part not in UTF-8 (UTF-16 would hide a declaration from
    this look at the bytes): no part Excel writes has either, and entities are how a crafted file would make
    a small part expand into gigabytes. Such a workbook is left to openpyxl, which reads it with defusedxml
    (a dependency for this): entities refused, not expanded."""
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]


def document(data: bytes) -> Element:
    """One small part of a workbook (its content types, relationships, workbook, styles) as a tree; entities
    refused by defusedxml whatever the encoding (its error is a ValueError)."""
    from defusedxml.ElementTree import fromstring as defused

    if has_declarations(data):
        raise ValueError("a document type declaration in a workbook part")
    return defused(data)


def date_styles(styles: bytes) -> tuple[set[int], set[int]]:
    """The cell styles whose number format shows a date or time, and those showing a duration."""
    root = document(styles)
    custom = {int(item.get("numFmtId")): item.get("formatCode") for item in root.iter(MAIN + "numFmt")}
    dates, durations = set(), set()
    formats = root.find(MAIN + "cellXfs")
    for index, style in enumerate(formats.iterfind(MAIN + "xf") if formats is not None else ()):
        number = int(style.get("numFmtId", 0))
        if number in custom:
            code = custom[number]
            if code is None:
                continue
            first = code.split(";")[0]
            if _DATE_LETTER.search(_STRIP.sub("", first)):
                dates.add(index)
            if _DURATION.search(first):
                durations.add(index)
        else:
            if number in _DATE_BUILTINS:
                dates.add(index)
            if number in _DURATION_BUILTINS:
                durations.add(index)
    return dates, durations


def from_excel(value, epoch: dt.datetime, duration: bool):
    """openpyxl's utils.datetime.from_excel: a serial as a datetime (a time below one day, a timedelta in a
    duration format). A serial past the dates' range raises OverflowError or ValueError."""
    if duration:
        delta = dt.timedelta(days=value)
        if delta.microseconds:
            delta = dt.timedelta(seconds=delta.total_seconds() // 1, microseconds=round(delta.microseconds, -3))
        return delta
    day, fraction = divmod(value, 1)
    difference = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and difference.days == 0:
        hours, rest = divmod(difference.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return dt.time(hours, minutes, seconds, difference.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + difference
