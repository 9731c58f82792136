"""Registering items: `tiandz new` for one, `tiandz import` for a list. Plan, validate, write, commit.

A new item gets the next free 编号 of the ledger's year and its type, found from the file names of the year
folder alone (a listing, not a read). Every new file is validated by the same rules as `check` before
anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tiandz.core.dates import parse_optional
from tiandz.core.deadlines import add_limit
from tiandz.core.ids import ItemId, format_id
from tiandz.core.names import KIND_LETTERS, KINDS
from tiandz.core.permissions import refuse_step
from tiandz.core.problems import ERROR, WARNING, Problem, TiandzError, has_errors
from tiandz.files.itemfile import render_item
from tiandz.files.textfiles import read_text_file
from tiandz.ledger import handedits, journal
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import check_data
from tiandz.ledger.lock import writing
from tiandz.ledger.ownfiles import settle_own_files
from tiandz.ledger.pool import map_jobs
from tiandz.ledger.repository import ready_for_step
from tiandz.ledger.role import read_role


@dataclass
class Draft:
    """What a clerk or a spreadsheet row says about a new item (units as typed: 简称 allowed)."""

    kind: str
    title: str
    proposer: str
    submitted: dt.date
    cosigners: list[str] = field(default_factory=list)
    topic: str | None = None
    case_number: str | None = None
    source: str | None = None
    key: bool = False
    content: str | None = None
    contact_info: str | None = None
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    assigned: dt.date | None = None
    due: dt.date | None = None


@dataclass
class Registered:
    ids: list[ItemId]
    commit: str | None
    notes: list[str] = field(default_factory=list)


def to_data(draft: Draft, item_id: ItemId, ledger: Ledger) -> dict:
    config = ledger.config
    data: dict = {"编号": str(item_id), "类型": draft.kind}
    session = config.session_of(draft.kind)
    if session:
        data["届次"] = session
    if draft.case_number:
        data["案号"] = draft.case_number
    data.update({"标题": draft.title, "提出人": draft.proposer})
    if draft.cosigners:
        data["联名"] = draft.cosigners
    if draft.source:
        data["提出方式"] = draft.source
    data["提出日期"] = draft.submitted.isoformat()
    if draft.topic:
        data["领域"] = draft.topic
    data["重点督办"] = draft.key
    if draft.contact_info:
        data["联系方式"] = draft.contact_info
    if draft.content:
        data["内容"] = draft.content
    if draft.lead_units:
        leads = [config.full_name(name) for name in draft.lead_units]
        co_units = [config.full_name(name) for name in draft.co_units]
        mode = "分办" if len(leads) > 1 else ("会办" if co_units else "单办")
        day = draft.assigned or draft.submitted
        assignment: dict = {"日期": day.isoformat(), "方式": mode, "主办": leads}
        if co_units:
            assignment["协办"] = co_units
        # Written into the file as `assign` writes it: the 交办 notice states it, and a later change of
        # tiandz.yaml's 时限 must not move it.
        assignment["时限"] = (draft.due or add_limit(day, config.limits.reply, ledger.holidays)).isoformat()
        data["交办"] = assignment
    return data


def next_numbers(ledger: Ledger, year: int, kind: str, count: int) -> list[ItemId]:
    folder = ledger.root / str(year)
    pattern = re.compile(rf"^{year}-{KIND_LETTERS[kind]}-([0-9]{{3,4}})\.ya?ml$")
    taken = [int(match.group(1)) for name in _names(folder) if (match := pattern.match(name))]
    start = max(taken, default=0) + 1
    return [format_id(year, kind, number) for number in range(start, start + count)]


def _names(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in folder.iterdir()]
    except FileNotFoundError:
        return []


def validate_new(ledger: Ledger, item_id: ItemId, data: dict, today: dt.date) -> list[Problem]:
    """The problems `check` would report for this file, were it written."""
    return check_data(ledger, ledger.item_path(item_id), data, today)[1]


PARALLEL_FROM = 2000  # new items from which they are judged and rendered in several processes
CHUNK = 500


def judged_new(ledger: Ledger, planned: list[tuple[ItemId, dict]], today: dt.date, render: bool = True) -> list[tuple[list[Problem], str]]:
    """Each planned item's errors, as `check` would find them in its file, and its file's text (`render`);
    an import's thousands in several processes (ledger/pool.py), which inherit the planned data: only the
    positions go to them, the errors and texts come back."""

    def judged(position: int) -> tuple[list[Problem], str]:
        item_id, data = planned[position]
        errors = [problem for problem in validate_new(ledger, item_id, data, today) if problem.severity == ERROR]
        return errors, render_item(data) if render else ""

    return map_jobs(judged, range(len(planned)), parallel_from=PARALLEL_FROM, chunk=CHUNK)


def register_typed(
    ledger: Ledger,
    *,
    kind: str,
    title: str,
    proposer: str,
    date: str | None = None,
    text_file: Path | None = None,
    commit: bool = True,
    today: dt.date | None = None,
    **fields,
) -> Registered:
    """`tiandz new`: one item as typed, its 提出日期 as typed (default today), its 内容 from a text file.

    >>> register_typed(find_ledger("台账"), kind="建议", title="关于……的建议", proposer="张三")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    content = read_text_file(text_file, "--text-file") if text_file else None
    submitted = parse_optional(date, today, "--date")
    if not fields.get("source"):  # from the session's dates in tiandz.yaml, when it gives them
        fields["source"] = ledger.config.source_on(kind, submitted)
    draft = Draft(kind=kind, title=title, proposer=proposer, submitted=submitted, content=content, **fields)
    return register(ledger, [draft], commit=commit, today=today)


def plan_items(ledger: Ledger, drafts: list[Draft]) -> list[tuple[ItemId, dict]]:
    """Each draft with the 编号 it gets (the next free ones of its type) and the data of its file."""
    year = ledger.config.year
    numbers = {kind: iter(next_numbers(ledger, year, kind, sum(1 for draft in drafts if draft.kind == kind)))
               for kind in KINDS}
    planned = []
    for draft in drafts:
        item_id = next(numbers[draft.kind])
        planned.append((item_id, to_data(draft, item_id, ledger)))
    return planned


def register(
    ledger: Ledger,
    drafts: list[Draft],
    *,
    commit: bool = True,
    today: dt.date | None = None,
    subject: str | Callable[[int], str] | None = None,
    step: str = "new",
    vet: Callable[[], tuple[list[Draft], list[Problem]]] | None = None,
    check: Callable[[list[tuple[ItemId, dict]], list[list[Problem]]], list[Problem]] | None = None,
) -> Registered:
    """Number, validate, write and commit new items; all or nothing.

    `vet` (import's choice of the rows not registered yet, and its problems) runs under the write lock,
    after a step a dead process left is finished: an import killed after its commit, run again, finds its
    rows. `check` is given the planned files and the errors the rules of `check` found in each, and says the
    problems in its own words (import names each problem's row). `subject` may be worded from the number of items registered.
    """
    today = today or dt.date.today()
    role = read_role(ledger.root)
    refuse_step(role.kind, role.unit, step)  # the office registers items (spec/offices.md)
    notes: list[str] = []
    with writing(ledger.state_folder):
        in_git = ready_for_step(ledger.root)
        if in_git:
            notes += journal.recover(ledger)  # before numbering: a finished step's file takes its number
            if commit:
                notes += settle_own_files(ledger)
        recovered = [Problem("", None, "", note, severity=WARNING) for note in notes]
        if vet is not None:
            drafts, vetted = vet()
            if vetted:
                raise TiandzError(recovered + vetted)
        planned = plan_items(ledger, drafts)
        judged = judged_new(ledger, planned, today)
        found = [errors for errors, _ in judged]
        problems = check(planned, found) if check is not None else [problem for errors in found for problem in errors]
        if has_errors(problems):
            raise TiandzError(recovered + problems)
        if not planned:
            return Registered([], None, notes)
        targets = [ledger.item_path(item_id) for item_id, _ in planned]
        folders: set[str] = set()  # each year folder looked at once, not once a file
        for path in targets:
            ledger.refuse_symlink(path, folders)
        files = [(path, text.encode("utf-8")) for path, (_, text) in zip(targets, judged)]
        paths = [path for path, _ in files]
        commit_id = None
        if commit and in_git:
            ids = [item_id for item_id, _ in planned]
            if callable(subject):
                subject = subject(len(ids))
            subject = subject or f"登记 {ids[0]}：{drafts[0].title}"
            commit_id = journal.commit_files(
                ledger, files, subject, {"Tiandz-Step": step, "Tiandz-Item": ", ".join(map(str, ids))}
            )
        else:
            journal.write_files(ledger, files)
            if commit:
                notes.append("台账不在 git 仓库中，本次未提交（无留痕）")
        if commit_id is None:
            handedits.remember(ledger, paths)  # tiandz's own uncommitted files are not hand edits
    return Registered([item_id for item_id, _ in planned], commit_id, notes)
