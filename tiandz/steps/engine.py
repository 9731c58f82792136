"""What every step command does (spec/cli.md): plan, validate, write, commit; all or nothing.

A step module only decides: given the item as it is, is the step allowed, and what changes in the file?
This module does the rest the same way for every step: one writer at a time, no acting on a file with
uncommitted hand edits or with errors, the whole item validated after the change with the same rules as
`check`, an atomic round-trip write (the diff shows only the change), one commit with trailers, and the
file put back byte for byte if the commit fails. A refusal anywhere leaves every file and git untouched.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from tiandz.core.ids import ItemId
from tiandz.core.model import Proposal
from tiandz.core.problems import ERROR, WARNING, Problem, TiandzError
from tiandz.core.summary import summarize
from tiandz.files.yamlio import BOM, YamlError, dump_edited, load_roundtrip_text, parse
from tiandz.ledger import git as gitops
from tiandz.ledger import handedits, journal
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import check_data, load_item
from tiandz.ledger.lock import writing
from tiandz.ledger.ownfiles import settle_own_files
from tiandz.ledger.pool import each_result
from tiandz.ledger.repository import ready_for_step
from tiandz.ledger.role import Role
from tiandz.ledger.scan import Scan
from tiandz.steps.appended import judged_appended
from tiandz.steps.permissions import allow, role_trailers

MANY = 3  # more IDs than this are named "2024-J-001等 12 件" in the commit subject


@dataclass
class Target:
    """One item as a step finds it: the validated model to decide on, the file's data to edit.

    The round-trip data is made on first use: ruamel.yaml takes milliseconds a file, and a step that only
    appends a new key to a plain file (steps/common.py `add_key`) sets `edited` instead, which is what the
    round trip would write (a 交办会 of 15,000 items would otherwise spend minutes in it).
    """

    item_id: ItemId
    path: Path
    shown: str
    item: Proposal
    original: str  # the file's text as it is: what the edit must leave alone, it keeps
    edited: str | None = None  # the new text, when a step made it without the round-trip data
    _data: Any = None
    sound: bool = False  # the step's scan found the file, as it is, without errors

    @property
    def data(self) -> Any:
        if self._data is None:
            self._data = load_roundtrip_text((self.edited or self.original).removeprefix(BOM))
            self.edited = None  # from here on the data holds every edit
        return self._data

    @property
    def untouched(self) -> bool:
        """Nothing edited yet, neither as text nor as round-trip data: the file's text is as it was read."""
        return self.edited is None and self._data is None


@dataclass
class Change:
    """What a step did to one item: its commit subject, parts, and what to tell the clerk."""

    verb: str
    detail: str
    done: str
    next_step: str | None = None
    notes: list[str] = field(default_factory=list)
    unit: str | None = None  # whose own work this records (沟通, 协办意见, 答复, 承诺): its commit's trailers say so


@dataclass
class Done:
    """One changed item after the step: the line to print, and where it now stands."""

    item_id: ItemId
    shown: str
    change: Change
    state: str
    due: dt.date | None
    days_left: int | None


@dataclass
class Outcome:
    step: str
    done: list[Done]
    commit: str | None
    notes: list[str] = field(default_factory=list)


Planner = Callable[[Target], Change]


def perform(
    ledger: Ledger,
    step: str,
    typed_ids: list[str | ItemId],
    plan: Planner,
    *,
    commit: bool = True,
    today: dt.date | None = None,
    day: dt.date | None = None,
    dry_run: bool = False,
    scan: Scan | None = None,
    role: Role | None = None,
    parallel: bool = False,
    alike: Callable[[ItemId], Any] | None = None,
) -> Outcome:
    """Apply `plan` to each named item; validate all; write all; one commit. Refused: nothing changes.

    `day` is the step's own date (its --date): the commit subject carries it, since a step recorded later
    than it happened is committed on another day. `dry_run`: everything up to the writing (every check, the
    items as they would be), nothing written. `scan`: the ledger as the step's caller scanned it just before;
    a file it found without errors and unchanged since is not judged again before the change (after it,
    every item is judged by every rule; when the step only appended a key to such a file, only the appended
    text is read and validated: steps/appended.py). `role`: the clone's role as the step read it (else read
    here); a role that may not do the step is refused before anything is read (steps/permissions.py).
    `parallel`: `plan` depends on nothing but its target (no state shared between items), so a step on
    thousands of items (a 交办会) may read, plan and judge them in several processes (ledger/pool.py). `alike`:
    a key of each item, the same for items whose plans share work a process keeps (a 交办会's rows with the
    same 交办 render it once): in several processes such items go together, each rendered by one process.
    """
    today = today or dt.date.today()
    role = allow(ledger, step, role)
    notes: list[str] = []
    with writing(ledger.state_folder):
        in_git = ready_for_step(ledger.root)
        recovered = journal.recover(ledger) if in_git and not dry_run else []
        notes += recovered
        try:
            prepared, ahead = _prepare_all(ledger, typed_ids, in_git, today, commit and not dry_run, notes, scan, plan, parallel,
                                           alike)
        except TiandzError as error:  # the recovery happened all the same: say so with the refusal
            error.problems[:0] = [Problem("", None, "", note, severity=WARNING) for note in recovered]
            raise
        done = [one.done for one in prepared]
        if dry_run:
            return Outcome(step, done, None, notes)
        paths = [one.path for one in prepared]
        item_ids = [one.item_id for one in prepared]
        changes = [one.change for one in prepared]
        commit_id = None
        files = [(one.path, one.data) for one in prepared]
        if commit and in_git:
            read = [one.original for one in prepared]
            commit_id = journal.commit_files(ledger, files, _subject(item_ids, changes, day), _trailers(step, item_ids, changes, role),
                                             read, [one.read_key for one in prepared], ahead)
        else:
            journal.write_files(ledger, files)
        notes += _calendar_notes(ledger)
        if commit_id:
            handedits.forget(ledger, paths)
        else:
            handedits.remember(ledger, paths)
            if commit and not in_git and _first_time(ledger.state_folder / "no-git-noted"):
                notes.append("台账不在 git 仓库中，办理步骤不会提交（无留痕）；在台账目录运行 git init 即可留痕（此提示只出现一次）")
    return Outcome(step, done, commit_id, notes)


@dataclass
class Prepared:
    """One item made ready to write: its new text and what to say, or the problems that refuse the step,
    with the stage they were found at (a file with errors is told before any step's refusal, and those
    before the errors of a changed item, as the clerk corrects them in that order)."""

    item_id: ItemId
    path: Path
    shown: str
    stage: int = 0
    problems: list[Problem] = field(default_factory=list)
    change: Change | None = None
    done: Done | None = None
    data: bytes | None = None  # the new text, encoded (in the worker that made it, where there are workers)
    unknown_years: frozenset[int] = frozenset()  # the calendar's unknown years met here (in a worker, told back)
    original: bytes = b""  # the file as it was read, the change made from it
    read_key: tuple | None = None  # journal.read_key of the file as statted before it was read


LOADING, PLANNING, JUDGING = 1, 2, 3
PARALLEL_FROM = 2000  # items from which a `parallel` step reads, plans and judges in several processes
CHUNK = 500


def _prepare_all(
    ledger: Ledger, typed_ids: list[str | ItemId], in_git: bool, today: dt.date, commit: bool, notes: list[str],
    scan: Scan | None, plan: Planner, parallel: bool, alike: Callable[[ItemId], Any] | None = None,
) -> tuple[list[Prepared], journal.Ahead | None]:
    """Every named item read, changed by `plan` and judged; refused with every problem of the first stage
    any item fails at: all items' file errors, else all refusals of the step, else all errors after it."""
    # In order, each once; an ItemId its caller found in this ledger's files (a plan's row) is taken as it is.
    item_ids = list(dict.fromkeys(typed if isinstance(typed, ItemId) else ledger.resolve_id(typed) for typed in typed_ids))
    paths = [ledger.item_path(item_id) for item_id in item_ids]
    if in_git:
        clear_to_write(ledger, paths, commit, notes)
    jobs = list(zip(item_ids, paths))
    folders: set[str] = set()  # year folders found not to be symlinks: each looked at once (in each process)
    ahead = None
    if parallel and len(jobs) >= PARALLEL_FROM:
        # What the commit asks git about the paths, asked now: git answers while the workers work.
        ahead = journal.look_ahead(ledger, paths) if in_git and commit else None
        # What a worker sends back is plain tuples, not the dataclasses: unpickling 15,000 of them (their
        # paths and IDs) cost the parent half a second, more than the second process saved.
        # The workers get positions: the jobs (IDs and Path objects, slow to pickle) they inherit through fork.
        # Each result is unpacked as it comes, while the workers go on with the rest.
        work = lambda position: _packed(ledger, plan, today, scan, folders, jobs[position])
        positions = sorted(range(len(jobs)), key=lambda position: alike(jobs[position][0])) if alike else range(len(jobs))
        packed = each_result(work, positions, parallel_from=PARALLEL_FROM, chunk=CHUNK)
        prepared: list[Prepared] = [None] * len(jobs)  # type: ignore[list-item]  # each filled in below
        collecting = gc.isenabled()
        gc.disable()  # 15,000 results made as they come, none of them garbage: no collection to walk them
        try:
            for position, one in zip(positions, packed):
                prepared[position] = _unpacked(*jobs[position], one)
        finally:
            if collecting:
                gc.enable()
        for one in prepared:
            ledger.holidays.unknown_years.update(one.unknown_years)
    else:
        prepared = [_prepared(ledger, plan, today, scan, folders, item_id, path) for item_id, path in jobs]
    failed = [one for one in prepared if one.problems]
    if failed:
        first = min(one.stage for one in failed)
        raise TiandzError([problem for one in failed if one.stage == first for problem in one.problems])
    return prepared, ahead


def _packed(ledger: Ledger, plan: Planner, today: dt.date, scan: Scan | None, folders: set[str], job: tuple[ItemId, Path]) -> tuple:
    """One item prepared in a worker, as plain values; the calendar's unknown years it met go back too."""
    item_id, path = job
    known = set(ledger.holidays.unknown_years)
    one = _prepared(ledger, plan, today, scan, folders, item_id, path)
    change = one.change
    changed = (change.verb, change.detail, change.done, change.next_step, change.notes, change.unit) if change else None
    done = (one.done.state, one.done.due, one.done.days_left) if one.done else None
    years = tuple(ledger.holidays.unknown_years - known)
    data, original = one.data, one.original
    kept = len(original) if data is not None and data.startswith(original) else original  # most steps append: a length
    return one.shown, one.stage, one.problems, changed, done, data, years, kept, one.read_key


def _unpacked(item_id: ItemId, path: Path, packed: tuple) -> Prepared:
    shown, stage, problems, changed, done, data, years, kept, read_key = packed
    change = Change(*changed) if changed else None
    finished = Done(item_id, shown, change, *done) if done else None
    original = data[:kept] if isinstance(kept, int) else kept
    return Prepared(item_id, path, shown, stage, problems, change, finished, data, frozenset(years), original, read_key)


def _prepared(ledger: Ledger, plan: Planner, today: dt.date, scan: Scan | None, folders: set[str], item_id: ItemId,
              path: Path) -> Prepared:
    status = _stat(path)  # before the file is read: a change after this shows in journal.read_key
    sound = scan is not None and scan.found_sound(ledger.relative(path), status)
    loaded = load_item(ledger, path, today, folders, sound=sound)
    errors = [problem for problem in loaded.problems if problem.severity == ERROR]
    if errors:
        first = Problem(loaded.shown, None, "", "条目文件有错误，须先修正才能办理",
                        f"修正：tiandz edit {item_id} --reason 说明（保存时检查）；tiandz check 可列出全部问题")
        return Prepared(item_id, path, loaded.shown, LOADING, [first, *errors])
    target = Target(item_id, path, loaded.shown, loaded.item, loaded.text, sound=sound)  # as read: not read again
    try:
        change = plan(target)
    except TiandzError as error:  # every item's refusal is reported: `close J-1 J-2 J-3` says all that is wrong
        problems = [replace(problem, path=problem.path or target.shown) for problem in error.problems]
        return Prepared(item_id, path, target.shown, PLANNING, problems)
    except YamlError as error:  # what the fast reader accepts and ruamel.yaml does not
        return Prepared(item_id, path, target.shown, PLANNING, [Problem(target.shown, error.line, "", error.message, error.hint)])
    return replace(_judged(ledger, target, change, today), read_key=journal.read_key(status))


def _judged(ledger: Ledger, target: Target, change: Change, today: dt.date) -> Prepared:
    """The whole item, after the change, by the rules of `check`; any error refuses the step."""
    text = target.edited if target.edited is not None else dump_edited(target.data, target.original)
    item = None
    if target.sound and target.edited is not None:  # a key appended to a sound file: only the new text read
        item = judged_appended(ledger, target.item, target.path, target.original, text, today)
    if item is None:
        try:  # judged as `check` will judge the file: read back by the same reader
            written = parse(text.removeprefix(BOM))
        except YamlError as error:
            return Prepared(target.item_id, target.path, target.shown, JUDGING, [Problem(target.shown, error.line, "", error.message, error.hint)])
        item, found = check_data(ledger, target.path, written, today, text)
        errors = [problem for problem in found if problem.severity == ERROR]
        if errors:
            return Prepared(target.item_id, target.path, target.shown, JUDGING, errors)
    summary = summarize(item, ledger.config, today, ledger.holidays)
    done = Done(target.item_id, target.shown, change, summary.state, summary.due, summary.days_left(today))
    return Prepared(target.item_id, target.path, target.shown, change=change, done=done, data=text.encode("utf-8"),
                    original=target.original.encode("utf-8"))


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _calendar_notes(ledger: Ledger) -> list[str]:
    """A due date this step computed in a year no calendar knows is said at once, not only by `check`."""
    return [
        f"{year} 年的法定节假日安排未知，工作日按周一至周五计算；可在 calendar.yaml 中补充"
        for year in sorted(ledger.holidays.unknown_years)
    ]


def _first_time(marker: Path) -> bool:
    if marker.exists():
        return False
    marker.parent.mkdir(exist_ok=True)
    marker.touch()
    return True


def clear_to_write(ledger: Ledger, paths: list[Path], commit: bool, notes: list[str] | None) -> dict[str, str]:
    """Before a step (or an undo) writes these item files: one git status for their hand edits and for
    tiandz.yaml, which a committed step must not outrun. Returns what git said is uncommitted."""
    changed = gitops.uncommitted(ledger.root, [ledger.config_path, *paths])
    if commit:
        said = settle_own_files(ledger, changed)
        if notes is not None:
            notes += said
    handedits.refuse_hand_edits(ledger, paths, changed=changed)
    return changed


def named_items(ids: list[str]) -> str:
    """The items a commit subject names: all of them, or the first and how many."""
    return "、".join(ids) if len(ids) <= MANY else f"{ids[0]}等 {len(ids)} 件"


def _subject(item_ids: list[ItemId], changes: list[Change], day: dt.date | None = None) -> str:
    named = named_items([str(item_id) for item_id in item_ids])
    details = {change.detail for change in changes}
    detail = details.pop() if len(details) == 1 else ""
    if day is not None:
        detail += ("，" if detail else "") + f"日期 {day.isoformat()}"
    return f"{changes[0].verb} {named}" + (f"：{detail}" if detail else "")


def _trailers(step: str, item_ids: list[ItemId], changes: list[Change], role: Role) -> dict[str, str]:
    trailers = {"Tiandz-Step": step, "Tiandz-Item": ", ".join(str(item_id) for item_id in item_ids)}
    units = [change.unit for change in changes if change.unit]
    return trailers | role_trailers(role, step, units)
