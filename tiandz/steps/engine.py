"""What every step command does (spec/cli.md): plan, validate, write, commit; all or nothing.

A step module only decides: given the item as it is, is the step allowed, and what changes in the file?
This module does the rest the same way for every step: one writer at a time, no acting on a file with
uncommitted hand edits or with errors, the whole item validated after the change with the same rules as
`check`, an atomic round-trip write (the diff shows only the change), one commit with trailers, and the
file put back byte for byte if the commit fails. A refusal anywhere leaves every file and git untouched.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from tiandz.core.ids import ItemId
from tiandz.core.model import Proposal
from tiandz.core.problems import ERROR, WARNING, Problem, TiandzError
from tiandz.core.summary import summarize
from tiandz.files.yamlio import BOM, YamlError, dump_edited, load_roundtrip_text, parse, read_for_edit
from tiandz.ledger import git as gitops
from tiandz.ledger import handedits, journal
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import check_data, load_item
from tiandz.ledger.lock import writing
from tiandz.ledger.ownfiles import settle_own_files
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
) -> Outcome:
    """Apply `plan` to each named item; validate all; write all; one commit. Refused: nothing changes.

    `day` is the step's own date (its --date): the commit subject carries it, since a step recorded later
    than it happened is committed on another day. `dry_run`: everything up to the writing (every check, the
    items as they would be), nothing written. `scan`: the ledger as the step's caller scanned it just before;
    a file it found without errors and unchanged since is not judged again before the change (after it,
    every item is judged by every rule; when the step only appended a key to such a file, only the appended
    text is read and validated: steps/appended.py). `role`: the clone's role as the step read it (else read
    here); a role that may not do the step is refused before anything is read (steps/permissions.py).
    """
    today = today or dt.date.today()
    role = allow(ledger, step, role)
    notes: list[str] = []
    with writing(ledger.state_folder):
        in_git = ready_for_step(ledger.root)
        recovered = journal.recover(ledger) if in_git and not dry_run else []
        notes += recovered
        try:
            targets = _load_targets(ledger, typed_ids, in_git, today, commit and not dry_run, notes, scan)
            changes = _plan_all(targets, plan)
            done, texts = _validate_changes(ledger, targets, changes, today)
        except TiandzError as error:  # the recovery happened all the same: say so with the refusal
            error.problems[:0] = [Problem("", None, "", note, severity=WARNING) for note in recovered]
            raise
        if dry_run:
            return Outcome(step, done, None, notes)
        paths = [target.path for target in targets]
        commit_id = None
        files = [(target.path, text.encode("utf-8")) for target, text in zip(targets, texts)]
        if commit and in_git:
            commit_id = journal.commit_files(ledger, files, _subject(targets, changes, day), _trailers(step, targets, changes, role))
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


def _load_targets(
    ledger: Ledger, typed_ids: list[str | ItemId], in_git: bool, today: dt.date, commit: bool = True, notes: list[str] | None = None,
    scan: Scan | None = None,
) -> list[Target]:
    # In order, each once; an ItemId its caller found in this ledger's files (a plan's row) is taken as it is.
    item_ids = list(dict.fromkeys(typed if isinstance(typed, ItemId) else ledger.resolve_id(typed) for typed in typed_ids))
    paths = [ledger.item_path(item_id) for item_id in item_ids]
    if in_git:
        clear_to_write(ledger, paths, commit, notes)
    targets, problems = [], []
    for item_id, path in zip(item_ids, paths):
        sound = scan is not None and scan.found_sound(ledger.relative(path), _stat(path))
        loaded = load_item(ledger, path, today, sound=sound)
        errors = [problem for problem in loaded.problems if problem.severity == ERROR]
        if errors:
            problems.append(Problem(loaded.shown, None, "", "条目文件有错误，须先修正才能办理",
                                    f"修正：tiandz edit {item_id} --reason 说明（保存时检查）；tiandz check 可列出全部问题"))
            problems += errors
            continue
        targets.append(Target(item_id, path, loaded.shown, loaded.item, read_for_edit(path), sound=sound))
    if problems:
        raise TiandzError(problems)
    return targets


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _plan_all(targets: list[Target], plan: Planner) -> list[Change]:
    """Every item's refusal is reported, not only the first one's: `close J-1 J-2 J-3` says all that is wrong."""
    changes, problems = [], []
    for target in targets:
        try:
            changes.append(plan(target))
        except TiandzError as error:
            problems += [replace(problem, path=problem.path or target.shown) for problem in error.problems]
        except YamlError as error:  # what the fast reader accepts and ruamel.yaml does not
            problems.append(Problem(target.shown, error.line, "", error.message, error.hint))
    if problems:
        raise TiandzError(problems)
    return changes


def _validate_changes(
    ledger: Ledger, targets: list[Target], changes: list[Change], today: dt.date
) -> tuple[list[Done], list[str]]:
    """The whole item, after the change, by the rules of `check`; any error refuses the step."""
    done: list[Done] = []
    texts: list[str] = []
    problems: list[Problem] = []
    for target, change in zip(targets, changes):
        text = target.edited if target.edited is not None else dump_edited(target.data, target.original)
        item = None
        if target.sound and target.edited is not None:  # a key appended to a sound file: only the new text read
            item = judged_appended(ledger, target.item, target.path, target.original, text, today)
        if item is None:
            try:  # judged as `check` will judge the file: read back by the same reader
                written = parse(text.removeprefix(BOM))
            except YamlError as error:
                problems.append(Problem(target.shown, error.line, "", error.message, error.hint))
                continue
            item, found = check_data(ledger, target.path, written, today, text)
            errors = [problem for problem in found if problem.severity == ERROR]
            if errors:
                problems += errors
                continue
        summary = summarize(item, ledger.config, today, ledger.holidays)
        done.append(Done(target.item_id, target.shown, change, summary.state, summary.due, summary.days_left(today)))
        texts.append(text)
    if problems:
        raise TiandzError(problems)
    return done, texts


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


def _subject(targets: list[Target], changes: list[Change], day: dt.date | None = None) -> str:
    named = named_items([str(target.item_id) for target in targets])
    details = {change.detail for change in changes}
    detail = details.pop() if len(details) == 1 else ""
    if day is not None:
        detail += ("，" if detail else "") + f"日期 {day.isoformat()}"
    return f"{changes[0].verb} {named}" + (f"：{detail}" if detail else "")


def _trailers(step: str, targets: list[Target], changes: list[Change], role: Role) -> dict[str, str]:
    trailers = {"Tiandz-Step": step, "Tiandz-Item": ", ".join(str(target.item_id) for target in targets)}
    units = [change.unit for change in changes if change.unit]
    return trailers | role_trailers(role, step, units)
