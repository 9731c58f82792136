"""What a run can answer without reading any item file when none has changed: memos keyed on a stamp.

The stamp of a ledger is the SHA-256 of everything the results of a whole scan depend on: the fingerprint
(tiandz.yaml, calendar.yaml, the versions of tiandz and chinese-calendar, the size and time of tiandz's own
modules) and, for every file in the year folders in file order, its name, size, modification time, change
time, inode and kind. `check` keeps its problems under the stamp (`scan-check.json`), the report its JSON
under the stamp, the as-of date, today and its options (`reports/`, report/memo.py). When the stamp is the same, so is the answer:
`check` with nothing changed is the stat of every file and one small file read, before Typer, pydantic or
any model is loaded (this module imports none of them).

A memo is written only when every file was settled (older than the clock's tick, as the scan cache asks),
and, as the cache's entries, holds on every day from the latest date in the files on; nothing in it depends
on today. Memos are sealed JSON like the cache (scancache.py): their SHA-256 in their head, not used when
damaged, of another version, oversized, or of another stamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import time
from pathlib import Path

import orjson

import tiandz
from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.problems import Problem
from tiandz.files.reading import ITEM_LIMIT, read_bytes
from tiandz.ledger.place import STAGING, SYNCING, git_directory, item_entries, ledger_root, state_folder_of
from tiandz.ledger.remote import driver_maybe_unregistered, is_top

CACHE_VERSION = 9  # of the scan cache and the memos: a different one is not read (8: a summary's 案号, a 评价's unit, an item's 文号; 9: the report memo's class shares)
RACY_NANOSECONDS = 2_000_000_000
BYTES_PER_FILE = 64 * 1024  # a cache or memo larger than this per item file (and 1 MiB) is not read at all
CHECK_NAME = "scan-check.json"  # check's problems under the stamp of the files they were found in
LARGEST_CHECK_MEMO = 256 * 1024 * 1024  # read before the files are counted: a bound for any ledger's problems
ENTRIES = b', "entries": '  # what `write_sealed` puts between the head and the entries, whose digest the head holds
SEALED_ERRORS = (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError)


def fingerprint(root: Path) -> str:
    """What every cached result depends on besides its own file: tiandz.yaml, calendar.yaml, and the code."""
    digest = hashlib.sha256(f"{CACHE_VERSION}|{tiandz.__version__}|{_calendar_package()}|{_own_code()}".encode())
    for name in (CONFIG_NAME, CALENDAR_NAME):
        try:
            digest.update(read_bytes(root / name, ITEM_LIMIT))
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


def _own_code(folder: str = os.path.dirname(tiandz.__file__)) -> str:
    """The name, size and time of every module of tiandz: code changed without a new version number (an
    editable install, a merge) must not be answered by what the old code found. About a hundred stats."""
    found = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda entry: entry.name):
            if entry.name.endswith(".py"):
                status = entry.stat()
                found.append(f"{entry.name}:{status.st_size}:{status.st_mtime_ns}")
            elif entry.is_dir(follow_symlinks=False) and not entry.name.startswith((".", "_")):
                found.append(f"{entry.name}/{_own_code(entry.path)}")
    return hashlib.sha256("|".join(found).encode("utf-8", "surrogateescape")).hexdigest()


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


def file_key(status: os.stat_result) -> tuple[int, int, int, int]:
    """(size, mtime, ctime, inode), times in nanoseconds: what tells a file changed, as git's index keys it
    (the scan cache's entries, a step's file as it read it)."""
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def stat_fields(status: os.stat_result | None) -> tuple[int, int, int, int, int] | None:
    """The file's key (`file_key`) and its mode: what a stamp holds of a stat."""
    if status is None:
        return None
    return (*file_key(status), status.st_mode)


def stamp(fingerprint_: str, files: list[tuple[str, tuple | None]]) -> str | None:
    """The stamp of the ledger whose files had these stat fields (`stat_fields`, taken before they were read),
    or None when a file is not settled: gone, or modified in the last seconds (it could change again within
    the same tick with every stat the same)."""
    settled_before = time.time_ns() - RACY_NANOSECONDS
    lines = [fingerprint_]
    for shown, fields in files:
        if fields is None or fields[1] > settled_before:
            return None
        size, mtime, ctime, inode, mode = fields
        lines.append(f"{shown}\0{size}\0{mtime}\0{ctime}\0{inode}\0{mode}")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def current_stamp(root: Path) -> tuple[str | None, int]:
    """(the ledger's stamp as it is now, or None when a file is not settled; how many files there are)."""
    files = []
    for shown, full in item_entries(root):
        try:
            files.append((shown, stat_fields(os.stat(full))))
        except OSError:
            files.append((shown, None))
    return stamp(fingerprint(root), files), len(files)


def largest_memo(files: int) -> int:
    return max(files + 16, 16) * BYTES_PER_FILE


def recall(file: Path, key: str, largest: int) -> object | None:
    """The memo under `key` in a sealed file, or None (no file, no such key, damaged, another version)."""
    try:
        document = read_sealed(file, largest)
    except SEALED_ERRORS:
        return None
    return None if document is None else document["entries"].get(key)


def remember(file: Path, key: str, value: object) -> None:
    """`value` under `key`, alone in its sealed file."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        write_sealed(file, {"version": CACHE_VERSION, "generation": ""}, {key: value})
    except OSError:
        pass  # a read-only ledger still answers, only more slowly


def forget(file: Path) -> None:
    try:
        file.unlink()
    except OSError:
        pass


def remember_check(state_folder: Path, stamp_: str | None, latest: dt.date, problems: list[Problem]) -> None:
    """check's problems (all but a dead step's, which check finds afresh) as found with the files of `stamp_`."""
    file = state_folder / CHECK_NAME
    if stamp_ is None:
        forget(file)
        return
    listed = [[problem.path, problem.line, problem.field, problem.message, problem.hint, problem.severity] for problem in problems]
    remember(file, stamp_, {"latest": latest.isoformat(), "problems": listed})


def recall_check(option: str | Path | None, today: dt.date) -> list[Problem] | None:
    """check's problems for the ledger `--ledger` names (or found as every command finds it) when no file has
    changed since they were found and today is not before any date in the files; None when the files must be
    read (or a dead step must be told, which `check_ledger` does)."""
    root = ledger_root(option)
    state = state_folder_of(root)
    if os.path.lexists(state / STAGING) or os.path.lexists(state / SYNCING):
        return None
    found = git_directory(root)
    if found is not None and is_top(found, root) and driver_maybe_unregistered(found[0]):  # check warns: told by check_ledger
        return None
    try:  # the memo first: with none (a first run) the files are not looked at twice
        document = read_sealed(state / CHECK_NAME, LARGEST_CHECK_MEMO)
    except SEALED_ERRORS:
        return None
    if document is None:
        return None
    stamp_, _ = current_stamp(root)
    found = document["entries"].get(stamp_) if stamp_ is not None else None
    try:
        if type(found) is not dict or dt.date.fromisoformat(found["latest"]) > today:
            return None
        return [Problem(*listed) for listed in found["problems"]]
    except SEALED_ERRORS:
        return None


def write_sealed(file: Path, head: dict, entries: dict, *, encoded: bool = False) -> None:
    """JSON whose head carries the SHA-256 of its entries, written aside and renamed into place.

    With `encoded`, a value that is bytes is JSON text already (the scan's workers encode what they found), and
    is written as it is.
    """
    quoted = json.encoder.encode_basestring  # json.dumps(name, ensure_ascii=False), without an encoder a name
    ready = [quoted(name).encode("utf-8") + b":" + value
             for name, value in entries.items() if type(value) is bytes] if encoded else []
    rest = {name: value for name, value in entries.items() if type(value) is not bytes} if ready else entries
    body = json.dumps(rest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if ready:
        body = body[:-1] + (b"," if rest else b"") + b",".join(ready) + b"}"
    write_sealed_body(file, head, body)


def write_sealed_body(file: Path, head: dict, body: bytes) -> None:
    """As write_sealed, with the entries given as their JSON object, as bytes."""
    text = json.dumps({**head, "sha256": hashlib.sha256(body).hexdigest()})
    temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    temporary.write_bytes(text[:-1].encode("utf-8") + ENTRIES + body + b"}")
    os.replace(temporary, file)


def read_sealed(file: Path, largest: int) -> dict | None:
    """The file's JSON if it is whole (its entries match the digest in its head) and of this version, else None."""
    with open(file, "rb") as stream:
        if os.fstat(stream.fileno()).st_size > largest:
            return None
        raw = stream.read()
    start = raw.find(ENTRIES)
    if start < 0 or not raw.endswith(b"}"):
        return None
    digest = hashlib.sha256(memoryview(raw)[start + len(ENTRIES) : -1]).hexdigest()
    document = orjson.loads(raw)  # twice as quick as json on a cache of several MB; a damaged one is a ValueError
    if type(document) is not dict or document.get("version") != CACHE_VERSION or document.get("sha256") != digest:
        return None
    if type(document.get("entries")) is not dict or type(document.get("generation")) is not str:
        return None
    return document
