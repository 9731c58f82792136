"""Scanning the whole ledger for check, list, report and export (one item is ledger/items.py's).

The whole ledger is scanned for problems, summaries and dated facts only, through the scan cache
(scancache.py: JSON in the ledger's state folder, keyed on each file's size, times and inode, valid on every
day from the item's latest date on). Files the cache does not know are read by as many processes as the
machine has cores.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tiandz.core.docnumbers import reply_numbers
from tiandz.core.facts import ItemFacts, expand, record_of
from tiandz.core.ids import FULL_PATTERN, parse_full
from tiandz.core.problems import ERROR, Problem
from tiandz.core.rules import latest_date
from tiandz.core.summary import Summary, summarize
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import load_item
from tiandz.ledger.pool import each_result, map_jobs
from tiandz.ledger.scancache import (
    DETAILS,
    Examined,
    ScanCache,
    cache_segments,
    facts_from_cache,
    in_cache_form,
    index_of,
    keeps,
)
from tiandz.ledger.unchanged import file_key, stamp, stat_fields

PARALLEL_FROM = 400
FIRST_SCAN_SHARE = 200  # files a worker takes at a time
__all__ = ["Examined", "Scan", "examine", "scan_ledger", "stray_file_problem"]


@dataclass
class Scan:
    entries: list[Examined]
    problems: list[Problem]
    ledger: Ledger | None = None
    today: dt.date | None = None
    cache: ScanCache | None = None
    # The whole ledger's stamp (ledger/unchanged.py) as its files were when read, or None: only some files
    # scanned, or one not settled. What is worked out from this scan alone may be remembered under it.
    stamp: str | None = None

    def found_sound(self, shown: str, status: os.stat_result | None) -> bool:
        """Whether this file, as it is now (`status`, taken before it is read again), was examined with the
        same tiandz.yaml and calendar and found without errors: a step may take the model without running
        the rules again (it runs them all on the item after its change)."""
        cached = self.cache.get(shown, status, self.today) if self.cache is not None and self.today else None
        return cached is not None and not any(problem.severity == ERROR for problem in cached.problems)

    @property
    def latest(self) -> dt.date:
        """The latest date in any file: what was found holds on every day from this one on."""
        return max((entry.latest for entry in self.entries), default=dt.date.min)

    @property
    def due_years(self) -> set[int]:
        """The years of the items' due dates (a year no calendar knows is warned about): from the index alone."""
        return {entry.due_year for entry in self.entries if entry.due_year}

    @property
    def summaries(self) -> list[Summary]:
        self._complete("summary_or_json")
        return [entry.summary for entry in self.entries if entry.summary is not None]

    @property
    def facts(self) -> list[ItemFacts]:
        self._complete("facts")
        for index, entry in enumerate(self.entries):
            if type(entry.facts) is bytes:  # a first scan's worker wrote it (in_cache_form)
                entry.facts = json.loads(entry.facts)
            if type(entry.facts) is list:
                try:
                    entry.facts = facts_from_cache(entry.facts)
                except ValueError:  # a damaged cache entry: the file tells
                    self.entries[index] = examine(self.ledger, self.ledger.root / entry.shown, self.today)
        return [expand(entry.facts) for entry in self.entries if entry.facts is not None]


    def _complete(self, part: str) -> None:
        """Summaries or facts of cached entries from the cache's files; a file they are missing for is read."""
        if self.cache is None:
            return
        missing = self.cache.fill(self.entries, part)
        for index in missing:
            path = self.ledger.root / self.entries[index].shown
            try:
                status = os.stat(path)
            except OSError:
                status = None
            self.entries[index] = examine(self.ledger, path, self.today)
            self.cache.put(status, self.entries[index], self.today)  # kept whole again for the next run
        if missing:
            self.cache.save()


def examine(
    ledger: Ledger, path: Path | str, today: dt.date, real_folders: set[str] | None = None, shown: str | None = None
) -> Examined:
    """One file's problems, summary and facts as of today, which hold on every day from `latest` on.

    `real_folders`: the scan's year folders already found not to be symlinks (Ledger.symlink_in). A scan
    names its files by text, with the path as messages show it (`shown`)."""
    loaded = load_item(ledger, path, today, real_folders, shown=shown)
    if loaded.item is None:
        return Examined(loaded.shown, loaded.problems, None)
    summary = summarize(loaded.item, ledger.config, today, ledger.holidays)
    index = index_of(summary, reply_numbers(loaded.item))
    return Examined(loaded.shown, loaded.problems, summary, record_of(loaded.item), latest_date(loaded.item), index)


def stray_file_problem(shown: str, status: os.stat_result | None) -> Problem | None:
    """Anything in a year folder that is not an item file is reported, never silently skipped."""
    name = shown.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0]
    is_dir = status is not None and stat.S_ISDIR(status.st_mode)
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
    files = [(ledger.relative(path), str(path)) for path in paths] if paths is not None else ledger.item_entries()
    cache = ScanCache(ledger, len(files))
    if not cache.entries and len(files) >= PARALLEL_FROM:
        found, statuses = _first_scan(ledger, cache, files, today, progress)
    else:
        found, statuses = _scan_with_cache(ledger, cache, files, today, progress)
    if paths is None:
        cache.keep_only({shown for shown, _ in files})
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
    settled = paths is None and cache.unchanged_since_read()
    return Scan(entries, problems, ledger, today, cache, stamp(cache.fingerprint, statuses) if settled else None)


def _scan_with_cache(
    ledger: Ledger, cache: ScanCache, files: list[tuple[str, str]], today: dt.date, progress
) -> tuple[list[Examined | Problem], list[tuple[str, tuple | None]]]:
    """(each file's result, each file's stat fields): the cache's entries where they hold, the rest read."""
    # One stat per file serves both the stray-file check and the cache; results are kept by position.
    found: list[Examined | Problem | None] = [None] * len(files)
    missing: list[tuple[int, os.stat_result | None]] = []
    statuses: list[tuple[str, tuple | None]] = []
    for index, (shown, path) in enumerate(files):
        try:
            status = os.stat(path)
        except OSError:
            status = None
        statuses.append((shown, stat_fields(status)))
        stray = stray_file_problem(shown, status)
        if stray:
            found[index] = stray
            continue
        cached = cache.get(shown, status, today)
        if cached is None:
            missing.append((index, status))
        else:
            found[index] = cached
    examined_all = _examine_all(ledger, [files[index][1] for index, _ in missing], today, progress)
    for (index, status), examined in zip(missing, examined_all):
        found[index] = examined
        # The stat taken before the file was read: a change made while it was read shows next time.
        cache.put(status, examined, today)
    return found, statuses


def _first_scan(
    ledger: Ledger, cache: ScanCache, files: list[tuple[str, str]], today: dt.date, progress
) -> tuple[list[Examined | Problem], list[tuple[str, tuple | None]]]:
    """As `_scan_with_cache` when the cache has nothing (a first run, a changed tiandz.yaml), with all of a
    file's work in the workers: the stat, the stray-file check, and the cache's JSON. What comes back is
    what check needs (problems, index, latest date); the summaries and facts stay in that JSON, decoded only
    if a command asks for them. Serial work in this process would leave a core idle."""
    ledger.config, ledger.holidays  # noqa: B018 - loaded once here, inherited by forked workers
    folders: set[str] = set()  # each process's own: a year folder is looked at once, not once a file

    def work(share: list[tuple[str, str]]) -> tuple[list[tuple], tuple[bytes, bytes, bytes]]:
        rows, kept = [], []
        for shown, path in share:
            try:
                status = os.stat(path)
            except OSError:
                status = None
            stray = stray_file_problem(shown, status)
            if stray:
                rows.append((stat_fields(status), stray))
                continue
            examined = in_cache_form(examine(ledger, path, today, folders, shown))
            details = None
            if keeps(status, examined, today):  # the stat taken before the file was read, as put's
                kept.append((shown, file_key(status), examined))
            else:
                details = (examined.summary_or_json, examined.facts)
            rows.append((stat_fields(status), examined.problems, examined.latest, examined.index, details))
        return rows, cache_segments(kept)

    shares = [files[start : start + FIRST_SCAN_SHARE] for start in range(0, len(files), FIRST_SCAN_SHARE)]
    told = None
    if progress:
        told = lambda done, total: progress(min(done * FIRST_SCAN_SHARE, len(files)), len(files))
    found: list[Examined | Problem] = []
    statuses: list[tuple[str, tuple | None]] = []
    entries: dict[str, tuple] = {}
    segments = []
    results = each_result(work, shares, parallel_from=2, chunk=1, progress=told)
    collecting = gc.isenabled()
    gc.disable()  # 15,000 entries made as the shares come in, none of them garbage: no collection to walk them
    try:
        for (rows, share_segments), share in zip(results, shares):  # the results first: they finish the pool
            _take_share(share, rows, found, statuses, entries)
            segments.append(share_segments)
    finally:
        if collecting:
            gc.enable()
    cache.take_first_scan(entries, segments)
    return found, statuses


def _take_share(share: list, rows: list, found: list, statuses: list, entries: dict) -> None:
    """A worker's rows (`_first_scan`) as results, stat fields and the cache's entries, in file order."""
    for (shown, _), row in zip(share, rows):
        statuses.append((shown, row[0]))
        if len(row) == 2:
            found.append(row[1])
            continue
        fields, problems, latest, index, details = row
        if details is None:  # kept: its summary and facts are in the cache's JSON
            part = None if index is None else DETAILS
            examined = Examined(shown, problems, part, part, latest, index)
            entries[shown] = (fields[:4], examined)
        else:
            examined = Examined(shown, problems, details[0], details[1], latest, index)
        found.append(examined)


def _examine_all(ledger: Ledger, paths: list[str], today: dt.date, progress) -> list[Examined]:
    """Examine files, in parallel processes when there are many (many files changed since the cache was
    written). The paths are text, quicker to hand over than Path objects, and examined as text."""
    ledger.config, ledger.holidays  # noqa: B018 - loaded once here, inherited by forked workers
    folders: set[str] = set()  # each process's own: a year folder is looked at once, not once a file
    if len(paths) < PARALLEL_FROM:
        work = lambda path: examine(ledger, path, today, folders)
    else:  # the workers turn summaries and facts into the cache's JSON lists, which this process only writes
        work = lambda path: in_cache_form(examine(ledger, path, today, folders))
    return map_jobs(work, paths, parallel_from=PARALLEL_FROM, chunk=200, progress=progress, every=100)


def _cross_item_problems(ledger: Ledger, entries: list[Examined]) -> list[Problem]:
    """并案 must name items that exist: in this scan, or (when `check FILE` scans a few) in the ledger."""
    known = {entry.item_id for entry in entries if entry.item_id is not None}

    def exists(other: str) -> bool:
        parsed = parse_full(other)
        return other in known or (parsed is not None and ledger.item_path(parsed).is_file())

    return [
        Problem(entry.shown, None, "并案", f"并案的 {other} 在台账中不存在")
        for entry in entries
        for other in entry.merged_with
        if FULL_PATTERN.match(other) and not exists(other)
    ]
