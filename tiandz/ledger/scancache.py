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
a day; a file dated after today is read again. Only the fingerprint (ledger/unchanged.py: tiandz.yaml,
calendar.yaml, the versions of tiandz and of chinese-calendar, tiandz's own modules) keys the whole cache.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson

from tiandz.core.facts import checked_date, record_from_json, record_to_json
from tiandz.core.problems import Problem
from tiandz.core.summary import Summary, summary_from_json, summary_to_json
from tiandz.ledger.folder import Ledger
from tiandz.ledger.unchanged import (
    BYTES_PER_FILE,
    CACHE_VERSION,
    RACY_NANOSECONDS,
    SEALED_ERRORS,
    file_key,
    fingerprint,
    read_sealed,
    write_sealed,
    write_sealed_body,
)

CACHE_NAME = "scan-cache.json"  # the index: each file's key, latest date, problems and what check needs
SUMMARIES_NAME = "scan-summaries.json"  # each item's summary, for list and import
FACTS_NAME = "scan-facts.json"  # each item's dated facts, for report, export and letter --all
DETAILS = "（在明细文件中）"  # an entry's summary or facts are in their file, not read yet
PARTS = {"summary_or_json": SUMMARIES_NAME, "facts": FACTS_NAME}


@dataclass
class Examined:
    shown: str
    problems: list[Problem]
    # The Summary; from the cache its JSON list until something asks for it, or DETAILS until the summaries
    # file is read (`check` never reads it).
    summary_or_json: Summary | list | str | None
    # Every dated fact (tiandz/core/facts.py), for the report at any as-of date; from the cache DETAILS until
    # the facts file is read, then its JSON list until `facts_from_cache` (check and list never do).
    facts: tuple | list | str | None = None
    latest: dt.date = dt.date.min  # the result holds on every day from this one on (rules.latest_date)
    # (编号, 并案, the due date's year, the replies' 文号) of an item: what check needs of its summary and file
    index: tuple | None = None

    @property
    def summary(self) -> Summary | None:
        if self.summary_or_json is DETAILS:
            raise LookupError(f"{self.shown}: details not read")  # Scan reads them before anyone asks
        if type(self.summary_or_json) is bytes:  # a first scan's worker wrote it (in_cache_form)
            self.summary_or_json = json.loads(self.summary_or_json)
        if type(self.summary_or_json) is list:
            self.summary_or_json = summary_from_json(self.summary_or_json)
        return self.summary_or_json

    @property
    def item_id(self) -> str | None:
        return self.index[0] if self.index else None

    @property
    def merged_with(self) -> tuple[str, ...] | list[str]:
        return self.index[1] if self.index else ()

    @property
    def due_year(self) -> int | None:
        return self.index[2] if self.index else None

    @property
    def reply_numbers(self) -> tuple[str, ...] | list[str]:
        return self.index[3] if self.index else ()


def index_of(summary: Summary | None, reply_numbers: tuple[str, ...] = ()) -> tuple | None:
    if summary is None:
        return None
    return (summary.id, summary.merged_with, summary.due.year if summary.due else None, reply_numbers)


class ScanCache:
    """Per-file results keyed on (size, mtime, ctime, inode); a missing, stale or damaged cache is rebuilt.

    Three files: the index, which `check` reads (under 2 MB for 15,000 items); the summaries, which `list`
    reads; the facts, which the report reads (the largest). Each carries its SHA-256 and the generation all
    three were written in; a summary or facts file of another generation is not used.
    """

    def __init__(self, ledger: Ledger, files: int):
        self.file = ledger.state_folder / CACHE_NAME
        self.folder = ledger.state_folder
        self.root = ledger.root
        self.fingerprint = ledger.read_as  # of tiandz.yaml and calendar.yaml as the results are worked out with
        self.largest = (files + 16) * BYTES_PER_FILE
        self.entries: dict[str, tuple] = {}
        self.generation = ""
        self.parts: dict[str, dict] = {}
        self.dirty = False
        # A first scan's JSON, by file name (take_first_scan); `encoded_whole` while it is all the entries.
        self.encoded: dict[str, bytes] | None = None
        self.encoded_whole = False
        with _no_collection():
            try:
                self.generation, self.entries = _read(self.file, self.fingerprint, self.largest)
            except SEALED_ERRORS:
                self.entries = {}  # any unreadable cache only costs a full read

    def get(self, shown: str, status: os.stat_result | None, today: dt.date) -> Examined | None:
        entry = self.entries.get(shown)
        if entry is None or status is None:
            return None
        key, examined = entry
        if key != file_key(status) or examined.latest > today:
            return None
        return examined

    def put(self, status: os.stat_result | None, examined: Examined, today: dt.date) -> None:
        self.encoded_whole = False
        if not keeps(status, examined, today):
            if self.entries.pop(examined.shown, None) is not None:
                self.dirty = True
            return
        self.entries[examined.shown] = (file_key(status), examined)
        self.dirty = True

    def take_first_scan(self, entries: dict[str, tuple], segments: list[tuple[bytes, bytes, bytes]]) -> None:
        """What a first scan's workers found (`entries`: key and Examined, its summary and facts DETAILS) and
        encoded (`cache_segments`, one a worker's share of files): `save` writes the JSON as it is, and the
        details, if a command asks for them, are decoded from it here, not read back from the files."""
        self.entries.update(entries)
        self.encoded = {
            part: b",".join(segment for segment in shares if segment)
            for part, shares in zip((CACHE_NAME, SUMMARIES_NAME, FACTS_NAME), zip(*segments))
        }
        self.encoded_whole = len(self.entries) == len(entries)
        self.dirty = True

    def keep_only(self, shown: set[str]) -> None:
        """Forget files that are gone (after a scan of the whole ledger)."""
        gone = [name for name in self.entries if name not in shown]
        for name in gone:
            del self.entries[name]
        self.dirty = self.dirty or bool(gone)
        self.encoded_whole = self.encoded_whole and not gone

    def fill(self, entries: list[Examined], part: str) -> list[int]:
        """Give cached entries their `part` ("summary_or_json" or "facts") from its file; the positions of
        those it does not have (damaged, of another generation), which the caller reads again from the files."""
        waiting = [index for index, entry in enumerate(entries) if getattr(entry, part) is DETAILS]
        if not waiting:
            return []
        if part not in self.parts:
            with _no_collection():
                try:
                    if self.encoded is not None:  # a first scan's, in memory: its files may not be written
                        self.parts[part] = orjson.loads(b"{" + self.encoded[PARTS[part]] + b"}")
                    else:
                        self.parts[part] = _read_part(self.folder / PARTS[part], self.generation, self.largest * 10)
                except SEALED_ERRORS:
                    self.parts[part] = {}
        stored, missing = self.parts[part], []
        for index in waiting:
            found = stored.get(entries[index].shown, DETAILS)
            if found is DETAILS:
                missing.append(index)
            else:
                setattr(entries[index], part, found)
        return missing

    def unchanged_since_read(self) -> bool:
        """Whether tiandz.yaml and calendar.yaml are still as when read: results worked out with the old ones
        are not kept under either fingerprint."""
        return fingerprint(self.root) == self.fingerprint

    def save(self) -> None:
        if not self.dirty or not self.unchanged_since_read():
            return
        if self.encoded_whole:
            self._write({name: b"{" + body + b"}" for name, body in self.encoded.items()})
            return
        cached = [examined for _, examined in self.entries.values()]
        for part in PARTS:  # what this run did not read is kept only if its files have it
            for index in self.fill(cached, part):
                self.entries.pop(cached[index].shown, None)
        index, summaries, facts = {}, {}, {}
        for shown, (key, examined) in self.entries.items():
            index[shown], summaries[shown], facts[shown] = _entry_to_json(key, examined)
        self._write({CACHE_NAME: index, SUMMARIES_NAME: summaries, FACTS_NAME: facts})

    def _write(self, files: dict[str, dict | bytes]) -> None:
        """The three files, each its entries or their JSON object as bytes, under a new generation."""
        head = {"version": CACHE_VERSION, "generation": uuid.uuid4().hex}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # The parts first: an index is only ever read with parts of its own generation.
            for name in (SUMMARIES_NAME, FACTS_NAME, CACHE_NAME):
                own = {**head, "fingerprint": self.fingerprint} if name == CACHE_NAME else head
                if type(files[name]) is bytes:
                    write_sealed_body(self.folder / name, own, files[name])
                else:
                    write_sealed(self.folder / name, own, files[name], encoded=True)
        except OSError:
            pass  # a read-only ledger still checks, only more slowly


@contextmanager
def _no_collection():
    """Decoding makes some hundred thousand small objects, each of which would set off Python's cyclic
    garbage collector again; none of them can form a cycle worth collecting."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def keeps(status: os.stat_result | None, examined: Examined, today: dt.date) -> bool:
    """Whether the file's entry may be kept: not one written in the last seconds, which could change again
    within the same tick with every key the same, nor one dated after today, which holds only for today."""
    return status is not None and time.time_ns() - status.st_mtime_ns >= RACY_NANOSECONDS and examined.latest <= today


def cache_segments(kept: list[tuple[str, tuple, Examined]]) -> tuple[bytes, bytes, bytes]:
    """A first scan's worker's share of the three files: `"name":value` of each (name, key, Examined in
    cache form) it keeps, joined by commas, for the index, the summaries and the facts."""
    index, summaries, facts = [], [], []
    for shown, key, examined in kept:
        name = _QUOTED(shown).encode("utf-8") + b":"
        index.append(name + _encoded(_index_entry(key, examined)))
        summaries.append(name + _as_json(examined.summary_or_json))
        facts.append(name + _as_json(examined.facts))
    return b",".join(index), b",".join(summaries), b",".join(facts)


def _as_json(value: bytes | None) -> bytes:
    return b"null" if value is None else value


def _read(file: Path, expected: str, largest: int) -> tuple[str, dict[str, tuple]]:
    document = read_sealed(file, largest)
    if document is None or document.get("fingerprint") != expected:
        return "", {}
    return document["generation"], {shown: _entry_from_json(shown, value) for shown, value in document["entries"].items()}


def _read_part(file: Path, generation: str, largest: int) -> dict:
    document = read_sealed(file, largest)
    if document is None or not generation or document["generation"] != generation:
        return {}
    return document["entries"]


def in_cache_form(examined: Examined) -> Examined:
    """The summary and facts as the cache writes them, as JSON text: a first scan's workers do this in parallel,
    the cache file is written by joining them, and a command that needs them decodes them as a cached entry's."""
    if examined.summary_or_json is not None and type(examined.summary_or_json) is not list:
        examined.summary_or_json = _encoded(summary_to_json(examined.summary_or_json))
    if type(examined.facts) is tuple:
        examined.facts = _encoded_record(examined.facts)
    return examined


def _encoded_record(record: tuple) -> bytes:
    """What _encoded(record_to_json(record)) makes: orjson writes a date as its ISO text and a tuple as a list
    itself, so the lists record_to_json builds for json are not built."""
    try:
        return orjson.dumps(record)
    except orjson.JSONEncodeError:
        return _encoded(record_to_json(record))


# What json.dumps(value, ensure_ascii=False, separators=(",", ":")) makes, where orjson cannot (an integer
# beyond 64 bits); orjson is ten times quicker at a first check's 45,000 small values.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_QUOTED = json.encoder.encode_basestring  # json.dumps(name, ensure_ascii=False), as write_sealed quotes names


def _encoded(value: list) -> bytes:
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(value).encode("utf-8")


def _index_entry(key: tuple, examined: Examined) -> list:
    problems = [
        [problem.path, problem.line, problem.field, problem.message, problem.hint, problem.severity]
        for problem in examined.problems
    ]
    index = list(examined.index) if examined.index else None
    return [*key, examined.latest.isoformat(), problems, index]


def _entry_to_json(key: tuple, examined: Examined) -> tuple[list, list | bytes | None, list | bytes | None]:
    """(the index's entry, the summary, the facts) of one file; bytes where a worker encoded them already."""
    entry = _index_entry(key, examined)
    summary = examined.summary_or_json
    if summary is not None and type(summary) not in (list, bytes):  # bytes: from a worker, written as they are
        summary = summary_to_json(summary)
    facts = examined.facts
    if type(facts) is tuple:
        facts = record_to_json(facts)  # bytes from a worker are written as they are
    return entry, summary, facts


def _entry_from_json(shown: str, value: list) -> tuple:
    """((size, mtime, ctime, inode), Examined) from what `save` wrote (its digest checked by `_read`)."""
    size, mtime, ctime, inode, latest, problems, index = value
    return (size, mtime, ctime, inode), Examined(
        shown,
        [Problem(*problem) for problem in problems] if problems else [],
        None if index is None else DETAILS,
        None if index is None else DETAILS,
        checked_date(latest),
        None if index is None else tuple(index),
    )


def facts_from_cache(value: list) -> tuple:
    """The facts of a cached entry from their JSON list; ValueError when they are not what `save` wrote."""
    try:
        return record_from_json(value)
    except (TypeError, RecursionError) as error:
        raise ValueError(str(value)[:100]) from error
