"""The report's JSON remembered: `report --format json -o -` again with no file changed is one file read.

Working out 15,000 items' state as of a date costs a report most of its time, and its figures depend only on
the files, tiandz.yaml and calendar.yaml (all in the ledger's stamp, ledger/unchanged.py), the as-of date,
the options (--type, --year) and today (the day the report says it was made on). The JSON is kept under all
of them, one sealed file each in `reports/` of the state folder, the latest few only. What the commit is
and how many files differ from it are not remembered: `git status` runs on every report (a commit changes
no file of the work tree), and their warning is added afresh.

Only the JSON to standard output is answered from a memo, by the command line before any model is loaded;
every other format, and every report whose memo is missing, damaged or of other files, is worked out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from tiandz.ledger.place import ledger_root, state_folder_of
from tiandz.ledger.unchanged import current_stamp, largest_memo, recall, remember
from tiandz.report.provenance import PendingProvenance, provenance_notes

MEMO_FOLDER = "reports"
KEEP = 8  # memos kept: a few as-of dates and options; each is about as large as the report (1 MB on 15,000 items)


def memo_key(stamp: str, as_of: dt.date, kind: str | None, year: int | None, today: dt.date) -> str:
    return f"{stamp}|{as_of.isoformat()}|{'-' if kind is None else kind}|{'-' if year is None else year}|{today.isoformat()}"


def memo_file(state_folder: Path, key: str) -> Path:
    return state_folder / MEMO_FOLDER / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def remember_report(state_folder: Path, scan, report, kind: str | None, year: int | None) -> None:
    """The report's JSON (its warnings about the items, not yet the one about uncommitted files) under the
    stamp of the scan it was made from; nothing when the scan has no stamp (a file not settled)."""
    if scan.stamp is None:
        return
    key = memo_key(scan.stamp, report.as_of, kind, year, report.made_on)
    file = memo_file(state_folder, key)
    if file.exists():
        return  # the same answer is there already
    remember(file, key, report.to_json())
    _keep_latest(file.parent)


def _keep_latest(folder: Path) -> None:
    try:
        found = sorted((entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder) if entry.name.endswith(".json"))
    except OSError:
        return
    for _, path in found[:-KEEP]:
        try:
            os.unlink(path)
        except OSError:
            pass


def recall_report_json(
    option: str | Path | None, as_of: dt.date, kind: str | None, year: int | None, today: dt.date
) -> tuple[str, list[str]] | None:
    """(the report's JSON text, its warnings) as `report --format json -o -` prints them, when a memo of the
    same files, date and options is there; None when the report must be worked out."""
    root = ledger_root(option)
    folder = state_folder_of(root) / MEMO_FOLDER
    if not any(name.endswith(".json") for name in _names(folder)):
        return None  # a first run: the files are not looked at twice
    pending = PendingProvenance(root)  # started before the files are looked at, as build_report does
    try:
        stamp, files = current_stamp(root)
        found = None
        if stamp is not None:
            key = memo_key(stamp, as_of, kind, year, today)
            found = recall(folder / memo_file(Path(), key).name, key, largest_memo(files))
    except BaseException:
        pending.cancel()
        raise
    if type(found) is not dict or type(found.get("warnings")) is not list:
        pending.cancel()
        return None
    source = pending.result()
    found.update(source.to_json())
    found["warnings"] = found["warnings"] + provenance_notes(source)
    return json_text(found), found["warnings"]


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def json_text(data: dict) -> str:
    """One key a line, one object of a list a line: readable, and written by json's fast C encoder
    (`indent` would switch it to the pure-Python one, a third of a second on 15,000 items)."""

    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(element, dict) for element in value):
            inner = ",\n".join(f"    {compact(element)}" for element in value)
            text = f"[\n{inner}\n  ]"
        elif isinstance(value, dict) and value and all(isinstance(element, dict) for element in value.values()):
            inner = ",\n".join(f"    {compact(name)}: {compact(element)}" for name, element in value.items())
            text = f"{{\n{inner}\n  }}"
        else:
            text = compact(value)
        lines.append(f"  {compact(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
