"""The scan cache: what `scan.py` found in each item file, kept between runs so 15,000 files are not read again.

It lives in the ledger's state folder (`Ledger.state_folder`, inside the git directory), never in the work
tree: whatever is in the work tree may have come from someone else's clone. It is JSON, data that cannot
run, and its entries carry their SHA-256: a truncated, damaged, foreign or oversized cache is not trusted,
only rebuilt. An intact one is what tiandz itself wrote, so its entries are read back without checking
each field again (15,000 summaries checked field by field cost a check a fifth of its time).

An entry is keyed on the file's size, modification time, change time and inode, as git's index is: an edit
of the same size with its modification time put back (`cp -p`, `rsync -t`) still changes the change time,
which no program can set. A file modified in the last seconds is not cached at all: within one tick of the
clock it could change again with everything the same.

Nothing in an entry depends on today. What the rules find and the state they derive are the same on every
day from the item's latest date on (`latest_date`, tiandz/core/rules.py), so an entry is used only on such
a day; a file dated after today is read again. Only tiandz.yaml, calendar.yaml and the versions of tiandz
and of chinese-calendar key the whole cache.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import importlib.util
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import tiandz
from tiandz.core.facts import checked_date, record_from_json, record_to_json
from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.problems import Problem
from tiandz.core.summary import Summary, summary_from_json, summary_to_json
from tiandz.ledger.folder import Ledger

CACHE_NAME = "scan-cache.json"
CACHE_VERSION = 4
RACY_NANOSECONDS = 2_000_000_000
BYTES_PER_FILE = 64 * 1024  # a cache larger than this per item file (and 1 MiB) is not read at all


@dataclass
class Examined:
    shown: str
    problems: list[Problem]
    # The Summary, or from the cache its JSON list until something asks for it (`check` never does).
    summary_or_json: Summary | list | None
    # Every dated fact (tiandz/core/facts.py), for the report at any as-of date. From the cache it stays the
    # JSON text it was stored as until a report asks (`facts_from_cache`): check and list never do.
    facts: tuple | str | None = None
    latest: dt.date = dt.date.min  # the result holds on every day from this one on (rules.latest_date)

    @property
    def summary(self) -> Summary | None:
        if type(self.summary_or_json) is list:
            self.summary_or_json = summary_from_json(self.summary_or_json)
        return self.summary_or_json

    @property
    def item_id(self) -> str | None:
        value = self.summary_or_json
        return None if value is None else value[0] if type(value) is list else value.id

    @property
    def merged_with(self) -> tuple[str, ...] | list[str]:
        value = self.summary_or_json
        return () if value is None else value[11] if type(value) is list else value.merged_with


class ScanCache:
    """Per-file results keyed on (size, mtime, ctime, inode); a missing, stale or damaged cache is rebuilt."""

    def __init__(self, ledger: Ledger, files: int):
        self.file = ledger.state_folder / CACHE_NAME
        self.fingerprint = fingerprint(ledger)
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        # Decoding creates some hundred thousand small objects, each of which would set off Python's cyclic
        # garbage collector again; none of them can form a cycle worth collecting.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.entries = _read(self.file, self.fingerprint, (files + 16) * BYTES_PER_FILE)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError):
            self.entries = {}  # any unreadable cache only costs a full read
        finally:
            gc.freeze()
            if collecting:
                gc.enable()

    def get(self, shown: str, status: os.stat_result | None, today: dt.date) -> Examined | None:
        entry = self.entries.get(shown)
        if entry is None or status is None:
            return None
        key, examined = entry
        if key != _key(status) or examined.latest > today:
            return None
        return examined

    def put(self, status: os.stat_result | None, examined: Examined, today: dt.date) -> None:
        # A file written in the last seconds could change again within the same tick, keeping every key;
        # one dated after today holds only for today.
        if status is None or time.time_ns() - status.st_mtime_ns < RACY_NANOSECONDS or examined.latest > today:
            if self.entries.pop(examined.shown, None) is not None:
                self.dirty = True
            return
        self.entries[examined.shown] = (_key(status), examined)
        self.dirty = True

    def keep_only(self, shown: set[str]) -> None:
        """Forget files that are gone (after a scan of the whole ledger)."""
        gone = [name for name in self.entries if name not in shown]
        for name in gone:
            del self.entries[name]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not self.dirty:
            return
        entries = {shown: [*key, *_entry_to_json(examined)] for shown, (key, examined) in self.entries.items()}
        body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = json.dumps({"version": CACHE_VERSION, "fingerprint": self.fingerprint, "sha256": hashlib.sha256(body).hexdigest()})
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
            temporary.write_bytes(head[:-1].encode("utf-8") + ENTRIES + body + b"}")
            os.replace(temporary, self.file)
        except OSError:
            pass  # a read-only ledger still checks, only more slowly


def fingerprint(ledger: Ledger) -> str:
    """What every cached result depends on besides its own file."""
    digest = hashlib.sha256(f"{CACHE_VERSION}|{tiandz.__version__}|{_calendar_package()}".encode())
    for name in (CONFIG_NAME, CALENDAR_NAME):
        try:
            digest.update((ledger.root / name).read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


def _calendar_package() -> str:
    """chinese-calendar's holidays (a new release learns a new year), without importing it."""
    spec = importlib.util.find_spec("chinese_calendar")
    if spec is None or spec.origin is None:
        return "-"
    try:
        status = os.stat(Path(spec.origin).with_name("constants.py"))
    except OSError:
        return spec.origin
    return f"{spec.origin}|{status.st_size}|{status.st_mtime_ns}"


def _key(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


ENTRIES = b', "entries": '  # what `save` writes between the head and the entries, whose digest the head holds


def _read(file: Path, expected: str, largest: int) -> dict[str, tuple]:
    with open(file, "rb") as stream:
        if os.fstat(stream.fileno()).st_size > largest:
            return {}
        raw = stream.read()
    start = raw.find(ENTRIES)
    if start < 0 or not raw.endswith(b"}"):
        return {}
    digest = hashlib.sha256(memoryview(raw)[start + len(ENTRIES) : -1]).hexdigest()
    document = json.loads(raw)
    if (type(document) is not dict or document.get("version") != CACHE_VERSION or document.get("fingerprint") != expected
            or document.get("sha256") != digest or type(document.get("entries")) is not dict):
        return {}
    return {shown: _entry_from_json(shown, value) for shown, value in document["entries"].items()}


def _entry_to_json(examined: Examined) -> list:
    problems = [
        [problem.path, problem.line, problem.field, problem.message, problem.hint, problem.severity]
        for problem in examined.problems
    ]
    summary = examined.summary_or_json
    if summary is not None and type(summary) is not list:
        summary = summary_to_json(summary)
    facts = examined.facts
    if type(facts) is tuple:
        facts = json.dumps(record_to_json(facts), ensure_ascii=False, separators=(",", ":"))
    return [examined.latest.isoformat(), problems, summary, facts]


def _entry_from_json(shown: str, value: list) -> tuple:
    """((size, mtime, ctime, inode), Examined) from what `save` wrote (its digest checked by `_read`)."""
    size, mtime, ctime, inode, latest, problems, summary, facts = value
    return (size, mtime, ctime, inode), Examined(
        shown, [Problem(*problem) for problem in problems] if problems else [], summary, facts, checked_date(latest)
    )


def facts_from_cache(text: str) -> tuple:
    """The facts of a cached entry from their JSON text; ValueError when they are not what `save` wrote."""
    try:
        return record_from_json(json.loads(text))
    except (TypeError, RecursionError, json.JSONDecodeError) as error:
        raise ValueError(text[:100]) from error
