"""The 交办方案's sheets as `assign --from` reads them, and a big plan started early.

A plan of 15,000 rows takes four tenths of a second to read, most of a 交办会's wait before its items are
touched. So a big plan (BIG_PLAN) is read in another process while this one scans the ledger; and the command
line's first stop (cli/quick.py) may start that reading before Typer and the models are even loaded
(`read_early`), since the reading needs neither. `reading_of` gives the plan's reading: the early one when it
is of this file, as it still is, and this sheet; else one started now; it gives the same book in every case.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

from tiandz.files.sheetcolumns import SERIAL, SHARED_COLUMNS, normalize_header
from tiandz.files.sheets import Book, read_sheets
from tiandz.ledger.pool import in_background

# The columns of a plan: those a list has too under the same names (files/sheetcolumns.py), and the plan's
# own. Its 编号 is a tiandz 编号 (2024-J-015, J-15), not the congress's number (that is the 案号).
COLUMNS = {
    "编号": ["编号", "台账编号", "tiandz编号"],
    **{column: SHARED_COLUMNS[column] for column in ("类型", "案号", "标题", "主办单位", "协办单位", "时限")},
    "方式": ["办理方式", "交办方式", "方式"],
}
_HEADER_INDEX = {name: column for column, names in COLUMNS.items() for name in names}
# 序号 numbers the rows of this sheet: never an item's 编号, however the office heads it.
ROW_NUMBERS = {SERIAL, "编号/序号", "序号/编号", "编号序号", "序号编号"}
BIG_PLAN = 256 * 1024  # bytes of a plan file from which it is read beside the ledger (a plan of 15,000 rows: 400 kB)

_early: dict[tuple[str, str | None], tuple[tuple[int, int], Callable[[], Book]]] = {}


def column_of(header: str) -> str | None:
    name = normalize_header(header)
    return None if name in ROW_NUMBERS else _HEADER_INDEX.get(name)


def read_plan(path: Path, sheet: str | None = None) -> Book:
    """Every worksheet of the plan with a header (`sheet`: that one only), as `import` reads a list."""
    return read_sheets(path, lambda text: column_of(text) is not None, sheet, headers="“编号”“案号”“标题”“主办单位”")


def read_early(path: Path, sheet: str | None = None) -> None:
    """A big plan's reading started in another process now, for `reading_of` to take up; nothing else
    happens (a file that is not there, or small, is left to the command, which says what is wrong)."""
    stamp = _stamp(path)
    if _big(stamp):
        _early[(os.path.abspath(path), sheet)] = (stamp, _beside(path, sheet))


def reading_of(path: Path, sheet: str | None) -> tuple[Callable[[], Book], bool]:
    """What gives the plan's book when called, and whether it is being read beside this process: the early
    reading of this very file (the same size and time as when it was started) and sheet; else, for a big
    plan, a reading started now in another process; else the reading itself, done when called."""
    early = _early.pop((os.path.abspath(path), sheet), None)
    stamp = _stamp(path)
    if early is not None and early[0] == stamp:
        return early[1], True
    if _big(stamp):
        return _beside(path, sheet), True
    return lambda: read_plan(path, sheet), False


def _beside(path: Path, sheet: str | None) -> Callable[[], Book]:
    return in_background(lambda: read_plan(path, sheet))


def _big(stamp: tuple[int, int] | None) -> bool:
    return stamp is not None and stamp[0] >= BIG_PLAN


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None
