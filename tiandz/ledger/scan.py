"""Scanning the whole ledger for check, list, report and export (one item is ledger/items.py's).

The whole ledger is scanned for problems and summaries only, through
a cache in `.tiandz/cache.pickle` keyed on each file's size and modification time (what the rules found
also depends on tiandz.yaml, calendar.yaml and today's date, so those key the whole cache). Files the cache
does not know are read by as many processes as the machine has cores.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tiandz.core.facts import ItemFacts, expand, record_of
from tiandz.core.ids import FULL_PATTERN, parse_full
from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.problems import Problem
from tiandz.core.summary import Summary, summarize
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import load_item
from tiandz.ledger.pool import map_jobs

CACHE_VERSION = 3
RACY_NANOSECONDS = 2_000_000_000
PARALLEL_FROM = 400


@dataclass
class Examined:
    shown: str
    problems: list[Problem]
    summary: Summary | None
    facts: tuple | None = None  # every dated fact (tiandz/facts.py), for the report at any as-of date


@dataclass
class Scan:
    entries: list[Examined]
    problems: list[Problem]

    @property
    def summaries(self) -> list[Summary]:
        return [entry.summary for entry in self.entries if entry.summary is not None]

    @property
    def facts(self) -> list[ItemFacts]:
        return [expand(entry.facts) for entry in self.entries if entry.facts is not None]


def examine(ledger: Ledger, path: Path, today: dt.date) -> Examined:
    loaded = load_item(ledger, path, today)
    if loaded.item is None:
        return Examined(loaded.shown, loaded.problems, None)
    summary = summarize(loaded.item, ledger.config, today, ledger.holidays)
    return Examined(loaded.shown, loaded.problems, summary, record_of(loaded.item))


def stray_file_problem(path: Path, shown: str, status: os.stat_result | None = None) -> Problem | None:
    """Anything in a year folder that is not an item file is reported, never silently skipped."""
    name = path.name
    stem = name.rsplit(".", 1)[0]
    is_dir = stat.S_ISDIR(status.st_mode) if status is not None else path.is_dir()
    if name.endswith(".yaml") and FULL_PATTERN.match(stem) and not is_dir:
        return None
    if is_dir:
        return Problem(shown, None, "", "年度文件夹中不应有子文件夹")
    if FULL_PATTERN.match(stem):
        return Problem(shown, None, "", "条目文件应以 .yaml 结尾", f"改名为 {stem}.yaml")
    return Problem(shown, None, "", "年度文件夹中只能有条目文件（如 2024-J-015.yaml）")


def scan_ledger(
    ledger: Ledger,
    today: dt.date | None = None,
    paths: list[Path] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Scan:
    """Problems and summaries of every item file (or the ones named), in file order."""
    today = today or dt.date.today()
    files = paths if paths is not None else ledger.item_files()
    cache = _Cache(ledger, _fingerprint(ledger, today))
    # One stat per file serves both the stray-file check and the cache; results are kept by position.
    found: list[Examined | Problem | None] = [None] * len(files)
    missing: list[tuple[int, os.stat_result | None]] = []
    for index, path in enumerate(files):
        shown = ledger.relative(path)
        try:
            status = os.stat(path)
        except OSError:
            status = None
        stray = stray_file_problem(path, shown, status)
        if stray:
            found[index] = stray
            continue
        cached = cache.get(shown, status)
        if cached is None:
            missing.append((index, status))
        else:
            found[index] = cached
    examined_all = _examine_all(ledger, [files[index] for index, _ in missing], today, progress)
    for (index, status), examined in zip(missing, examined_all):
        found[index] = examined
        # The stat taken before the file was read: a change made while it was read shows next time.
        cache.put(status, examined)
    cache.save()
    entries: list[Examined] = []
    problems: list[Problem] = []
    for result in found:
        if isinstance(result, Problem):
            problems.append(result)
        else:
            entries.append(result)
            problems += result.problems
    problems += _cross_item_problems(ledger, entries)
    gc.freeze()  # what was read lives as long as the command: the garbage collector need not walk it again
    return Scan(entries, problems)


def _examine_all(ledger: Ledger, paths: list[Path], today: dt.date, progress) -> list[Examined]:
    """Examine files, in parallel processes when there are many (a first run over a large ledger)."""
    ledger.config, ledger.holidays  # noqa: B018 - loaded once here, inherited by forked workers
    return map_jobs(lambda path: examine(ledger, path, today), paths, parallel_from=PARALLEL_FROM, chunk=200,
                    progress=progress, every=100)


def _cross_item_problems(ledger: Ledger, entries: list[Examined]) -> list[Problem]:
    """并案 must name items that exist: in this scan, or (when `check FILE` scans a few) in the ledger."""
    known = {entry.summary.id for entry in entries if entry.summary is not None}

    def exists(other: str) -> bool:
        parsed = parse_full(other)
        return other in known or (parsed is not None and ledger.item_path(parsed).is_file())

    return [
        Problem(entry.shown, None, "并案", f"并案的 {other} 在台账中不存在")
        for entry in entries
        if entry.summary is not None
        for other in entry.summary.merged_with
        if FULL_PATTERN.match(other) and not exists(other)
    ]


def _fingerprint(ledger: Ledger, today: dt.date) -> str:
    digest = hashlib.sha256(f"{CACHE_VERSION}|{today}".encode())
    for name in (CONFIG_NAME, CALENDAR_NAME):
        try:
            digest.update((ledger.root / name).read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


class _Cache:
    """Per-file results keyed on (size, mtime); a missing, stale or damaged cache is simply rebuilt."""

    def __init__(self, ledger: Ledger, fingerprint: str):
        self.file = ledger.root / ".tiandz" / "cache.pickle"
        self.fingerprint = fingerprint
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        # Unpickling creates some hundred thousand small objects, each of which would set off Python's
        # cyclic garbage collector again (tripling the time); none of them can form a cycle worth collecting.
        collecting = gc.isenabled()
        gc.disable()
        try:
            with open(self.file, "rb") as stream:
                stored_fingerprint, entries = pickle.load(stream)
            if stored_fingerprint == fingerprint:
                self.entries = entries
        except Exception:  # any unreadable cache only costs a full read
            self.entries = {}
        finally:
            gc.freeze()
            if collecting:
                gc.enable()

    def get(self, shown: str, status: os.stat_result | None) -> Examined | None:
        entry = self.entries.get(shown)
        if entry is None or status is None:
            return None
        size, mtime, examined = entry
        return examined if (status.st_size, status.st_mtime_ns) == (size, mtime) else None

    def put(self, status: os.stat_result | None, examined: Examined) -> None:
        if status is None:
            return
        # A file written in the last seconds could change again within the same mtime tick and size.
        if time.time_ns() - status.st_mtime_ns < RACY_NANOSECONDS:
            return
        self.entries[examined.shown] = (status.st_size, status.st_mtime_ns, examined)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(exist_ok=True)
            temporary = self.file.with_suffix(f".{os.getpid()}.tmp")
            with open(temporary, "wb") as stream:
                pickle.dump((self.fingerprint, self.entries), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
        except OSError:
            pass  # a read-only ledger still checks, only more slowly
