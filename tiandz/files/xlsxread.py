"""Reading the cells of an .xlsx workbook ourselves, the way openpyxl's read-only mode reads them, only faster.

openpyxl builds a dictionary and a descriptor-checked object for every cell: for a ministry's list of 15,000
rows that is most of an import's reading time. A worksheet is a zip member of plain XML; its cells are read
here with one streaming parse and nothing kept but the values. The values are those openpyxl gives with
`read_only=True, data_only=True` and `iter_rows(values_only=True)` after `reset_dimensions()` (missing rows
as empty rows, each row as wide as its last cell, numbers as int or float, numbers in a date style as
datetime, shared and inline strings, the cached value of a formula); tests compare both readers cell by cell.

What this reader does not handle as openpyxl does (a chart sheet, a workbook found only by a default content
type, an ISO date cell, a serial out of the dates' range, strict OOXML, an odd element) raises `Unsupported`:
the caller then reads the file with openpyxl, so any workbook reads exactly as before, only the common ones
faster. A damaged file raises whatever the XML or zip parser raises; the caller gives it to openpyxl too, whose
message the clerk sees.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from typing import Iterator

from tiandz.files.xlsxdates import MAC_EPOCH, WINDOWS_EPOCH, date_styles, document, from_excel, has_declarations

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_RELATIONS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOCUMENT_RELATIONS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORKBOOK_TYPES = {  # as openpyxl looks for them, in its order
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"

_ROW, _CELL, _VALUE = MAIN + "row", MAIN + "c", MAIN + "v"
_INLINE, _TEXT, _RUN = MAIN + "is", MAIN + "t", MAIN + "r"
_DIGITS = "0123456789"
_COLUMN = re.compile(r"([A-Z]{1,3})[0-9]+")


class Unsupported(Exception):
    """A workbook this reader leaves to openpyxl."""


class Workbook:
    """The worksheets of an .xlsx file, read on demand; `names` as openpyxl's `sheetnames`."""

    def __init__(self, data: bytes):
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.members = set(self.archive.namelist())
        overrides = {}
        for part in document(self.archive.read("[Content_Types].xml")).iter(_CONTENT_TYPES + "Override"):
            overrides.setdefault(part.get("ContentType"), part.get("PartName"))
        workbook_part = next((overrides[kind] for kind in overrides if kind in _WORKBOOK_TYPES), None)
        if workbook_part is None:
            raise Unsupported("workbook part named by a default content type")
        workbook_part = workbook_part[1:]
        root = document(self.archive.read(workbook_part))
        if root.tag != MAIN + "workbook":
            raise Unsupported(f"workbook element {root.tag}")
        properties = root.find(MAIN + "workbookPr")
        self.epoch = WINDOWS_EPOCH if _flag(properties, "date1904") is not True else MAC_EPOCH
        relations = _relations(self.archive, workbook_part)
        self.sheets: list[tuple[str, str]] = []  # name, member
        for sheet in root.iter(MAIN + "sheet"):
            relation = relations.get(sheet.get(_DOCUMENT_RELATIONS + "id"))
            if relation is None:
                raise Unsupported("a sheet without its relationship")
            kind, target = relation
            if target not in self.members:
                continue  # openpyxl leaves it out too
            if kind != _WORKSHEET:
                raise Unsupported(f"a sheet of type {kind}")  # a chart sheet: openpyxl lists its name
            self.sheets.append((sheet.get("name"), target))
        self.names = [name for name, _ in self.sheets]
        strings = overrides.get(_SHARED_STRINGS)
        self.strings = _shared_strings(self.archive.read(strings[1:])) if strings else []
        self.dates, self.durations = date_styles(self.archive.read("xl/styles.xml")) if "xl/styles.xml" in self.members else (set(), set())

    def rows(self, data: bytes) -> Iterator[list]:
        """A worksheet's rows from its XML, as openpyxl's `iter_rows(values_only=True)` after
        `reset_dimensions()`: a row missing from the file is an empty row."""
        counter = 1
        for number, cells in self._parsed_rows(data):
            while counter < number:
                counter += 1
                yield []
            if counter <= number:
                counter += 1
                yield cells

    def _parsed_rows(self, data: bytes) -> Iterator[tuple[int, list]]:
        strings, dates, durations, epoch = self.strings, self.dates, self.durations, self.epoch
        row_number = 0
        columns: dict[str, int] = {}  # "AB" → 28, each column's letters worked out once
        for _, element in _elements(data, _ROW):
            declared = element.get("r")
            row_number = _row_number(declared) if declared is not None else row_number + 1
            placed = []
            column = 0
            for cell in element:
                if cell.tag != _CELL:
                    raise Unsupported(f"{cell.tag} in a row")
                reference = cell.get("r")
                if reference:
                    letters = reference.rstrip(_DIGITS)
                    column = (letters != reference and columns.get(letters)) or _column(reference, columns)
                else:
                    column += 1
                placed.append((column, _value(cell, strings, dates, durations, epoch)))
            _drop(element)
            if not placed:
                yield row_number, []
                continue
            width = placed[-1][0]
            cells = [None] * width
            for column, value in placed:
                if 1 <= column <= width:
                    cells[column - 1] = value
            yield row_number, cells


def _elements(data: bytes, tag: str):
    """The elements named `tag`, each when complete, by libxml2 (lxml, which python-docx brings): a sheet
    openpyxl wrote spells every Chinese character as a character reference, and expat hands each one to
    Python on its own, five times slower. No DTD is read (a workbook never has one) nor anything fetched."""
    from lxml import etree

    if has_declarations(data):
        raise Unsupported("a document type declaration")
    return etree.iterparse(io.BytesIO(data), events=("end",), tag=tag, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False)


def _drop(element) -> None:
    """The element and those before it are done with: freed, so a sheet's tree never grows."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _value(cell, strings: list, dates: set, durations: set, epoch: dt.datetime):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        for child in cell:
            if child.tag == _INLINE:
                return _text(child)
        return None
    value = None
    for child in cell:
        if child.tag == _VALUE:
            value = child.text or None
            break
    if value is None:
        return None
    if kind == "n":
        number = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        style = cell.get("s")
        if style and int(style) in dates:
            try:
                return from_excel(number, epoch, int(style) in durations)
            except (OverflowError, ValueError) as error:  # openpyxl warns and makes it an error cell
                raise Unsupported("a date serial out of range") from error
        return number
    if kind == "s":
        return strings[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind in ("str", "e"):
        return value
    raise Unsupported(f"cell type {kind}")


def _text(element) -> str:
    """A string item's text without its formatting or its phonetic guide: openpyxl's Text.content."""
    plain, runs = None, []
    for child in element:
        if child.tag == _TEXT:
            if plain is not None:
                raise Unsupported("two plain texts in a string")
            plain = child.text or ""
        elif child.tag == _RUN:
            for text in child:
                if text.tag == _TEXT:
                    if text.text is not None:
                        runs.append(text.text)
                    break
    if not runs:
        return plain or ""
    return (plain or "") + "".join(runs)


def _shared_strings(data: bytes) -> list[str]:
    strings = []
    for _, element in _elements(data, MAIN + "si"):
        strings.append(_text(element).replace("x005F_", ""))
        _drop(element)
    return strings


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, member), targets made absolute as openpyxl makes them."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", f"{name}.rels")
    relations = {}
    for relation in document(archive.read(path)).iter(_PACKAGE_RELATIONS + "Relationship"):
        target = relation.get("Target") or ""
        if relation.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(posixpath.dirname(path)), target))
        relations[relation.get("Id")] = (relation.get("Type"), target)
    return relations


def _flag(element, name: str) -> bool | None:
    value = None if element is None else element.get(name)
    if value is None:
        return None
    if value.lower() in ("1", "true"):
        return True
    if value.lower() in ("0", "false"):
        return False
    raise Unsupported(f"{name}={value}")


def _column(reference: str, columns: dict[str, int]) -> int:
    """A cell reference's column, remembered by its letters when it is plain (B12; not $B$12)."""
    match = _COLUMN.fullmatch(reference)
    if match is None:
        raise Unsupported(f"cell reference {reference}")
    number = _column_number(match.group(1))
    letters = reference.rstrip(_DIGITS)
    if letters == match.group(1):
        columns[letters] = number
    return number


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise Unsupported(f"row number {text}") from None
        return int(number)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
