"""撤销: the item's latest step taken back by a new commit, the file exactly as it was before the step.

History is never rewritten (the ledger is shared and audited): the undo is one more commit, `Tiandz-Step:
undo`, naming the commit it took back (`Tiandz-Undoes`), with the file byte for byte as the undone step's
parent had it, written and committed all or nothing as every step is (lock, recovery, journal).

What is taken back is the item's latest commit that no undo took back yet (ledger/laststep.py), so undoing
again goes one step further back, as an editor's undo does; an undo itself is never undone (to put a step
back, the clerk does it again: its command is in `tiandz log`). Refused, and said why:
- the latest change was not a tiandz step (a hand commit, a merge): it is named; `tiandz edit` corrects;
- it was the registration (the file did not exist before): deleting an item is not an undo;
- that step's commit also changed other items (`assign J-1 J-2 J-3`, `close …`): it was one decision with
  one commit, so it is taken back whole or not at all, and only when the clerk names every item of it
  (`tiandz undo J-1 J-2 J-3`): an undo never changes an item the clerk did not name;
- the file, or one of the step's other files, has uncommitted changes (hand edits, or `--no-commit`);
- the file as it was before no longer passes `check` (tiandz.yaml changed since): `tiandz edit` instead.

A reply's 文号 is not given back: the letter may have gone out with it. The number stays taken
(ledger/numbering.withhold) and the clerk is told how to use it again on purpose (`--number`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tiandz.core.changes import STEP_NAMES, text_diff
from tiandz.core.ids import ItemId, parse_full
from tiandz.core.names import CONFIG_NAME
from tiandz.core.problems import ERROR, WARNING, Problem, TiandzError, refuse
from tiandz.core.summary import summarize
from tiandz.files.yamlio import BOM, YamlError, parse
from tiandz.ledger import handedits, journal, numbering
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import check_data
from tiandz.ledger.laststep import UNDO, UNDOES, Step, blob_bytes, changed_paths, head_blob, latest_step
from tiandz.ledger.lock import writing
from tiandz.ledger.repository import ready_for_step
from tiandz.steps.engine import Change, Done, clear_to_write, named_items
from tiandz.steps.permissions import allow

REGISTRATION = ("new", "import", "init")


@dataclass
class Undone:
    """What `tiandz undo` took back (or, in a dry run, would take back), and where the items now stand."""

    undone: str  # the commit taken back
    undone_subject: str
    undone_step: str
    undone_when: str
    undone_author: str
    done: list[Done]
    diff: str  # the files from now to as they were before the step, as a unified diff
    commit: str | None  # the undo's own commit; None in a dry run
    dry_run: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class _Planned:
    item_id: ItemId
    relative: str
    now: bytes
    before: bytes


def undo(ledger: Ledger, typed_ids: list[str] | str, reason: str, *, dry_run: bool = False,
         today: dt.date | None = None) -> Undone:
    """`tiandz undo`: the named item's latest step taken back with a new commit (several items: only a step
    that changed exactly those).

    >>> undo(ledger, "J-15", "答复类别录错")  # doctest: +SKIP
    """
    today = today or dt.date.today()
    allow(ledger, "undo")
    reason = " ".join((reason or "").split())
    if not reason:
        refuse("须写撤销理由", field="--reason", hint="如 --reason 答复类别录错")
    typed = [typed_ids] if isinstance(typed_ids, str) else list(typed_ids)
    with writing(ledger.state_folder):
        if not ready_for_step(ledger.root):
            refuse("台账不在 git 仓库中，没有办理记录，无法撤销", path=str(ledger.root),
                   hint="可用 tiandz edit 编号 --reason 说明 直接修改文件")
        notes = [] if dry_run else journal.recover(ledger)
        try:
            step, planned = _plan(ledger, typed, notes, dry_run)
            done, withdrawn = _check_before(ledger, planned, today)
        except TiandzError as error:
            error.problems[:0] = [Problem("", None, "", note, severity=WARNING) for note in notes]
            raise
        step_name = STEP_NAMES.get(step.step or "", step.step or "")
        diff = "".join(text_diff(entry.relative, _text(entry.now), _text(entry.before)) for entry in planned)
        notes += [
            f"文号 {number} 不再自动编用（号只增不减，以免与已发出的答复函重号）；重新答复时如要沿用，写 --number {number}"
            for number in withdrawn
        ]
        for entry in done:
            entry.change.done = f"{'将撤销' if dry_run else '已撤销'} {entry.item_id} 的{step_name}"
        commit_id = None
        if not dry_run:
            if withdrawn:
                numbering.withhold(ledger, "\n".join(f"文号: {number}" for number in withdrawn))
            ids = [str(entry.item_id) for entry in planned]
            named = named_items(ids)
            trailers = {"Tiandz-Step": UNDO, "Tiandz-Item": ", ".join(ids), UNDOES: step.commit}
            files = [(ledger.root / entry.relative, entry.before) for entry in planned]
            commit_id = journal.commit_files(ledger, files, f"撤销 {named} 的{step_name}：{reason}", trailers)
            handedits.forget(ledger, [path for path, _ in files])
    return Undone(step.commit, step.subject, step_name, step.when, step.author, done, diff, commit_id, dry_run, notes)


def _plan(ledger: Ledger, typed: list[str], notes: list[str], dry_run: bool) -> tuple[Step, list[_Planned]]:
    """The one step to take back and every file it changed, each with its content now and before."""
    item_ids = list(dict.fromkeys(ledger.resolve_id(text) for text in typed))  # in order, each once
    relatives = {item_id: ledger.relative(ledger.item_path(item_id)) for item_id in item_ids}
    paths = [ledger.item_path(item_id) for item_id in item_ids]
    changed = clear_to_write(ledger, paths, not dry_run, notes)
    uncommitted = [name for name in changed if name != CONFIG_NAME]
    if uncommitted:  # tiandz's own write left uncommitted (--no-commit): a step after the one to undo
        refuse(f"{'、'.join(uncommitted)} 有未提交的改动（--no-commit 办理的步骤），撤销只能撤销已提交的步骤",
               hint=f"先提交：tiandz edit {item_ids[0]} --keep --reason 说明；或不要这些改动：git checkout -- {' '.join(uncommitted)}")
    found = {item_id: _latest(ledger, item_id, relatives[item_id]) for item_id in item_ids}
    steps = {step.commit: step for step in found.values()}
    if len(steps) > 1:
        refuse(
            "一次只撤销一步：" + "；".join(f"{item_id} 的最近一步是 {step.named()}" for item_id, step in found.items()),
            hint="逐件撤销：" + "；".join(f"tiandz undo {item_id} --reason …" for item_id in item_ids),
        )
    step = next(iter(steps.values()))
    inside, outside = changed_paths(ledger, step)
    if outside:
        refuse(f"该步的提交 {step.named()} 还改动了台账以外的文件（{'、'.join(outside)}），tiandz 不撤销它",
               hint=f"可用 tiandz edit {item_ids[0]} --reason 说明 改正")
    others = []
    for relative in inside:
        item_id = parse_full(relative.rpartition("/")[2].removesuffix(".yaml"))
        if item_id is None or ledger.relative(ledger.item_path(item_id)) != relative:
            refuse(f"该步的提交 {step.named()} 还改动了 {relative}，不是条目文件，tiandz 不撤销它",
                   hint=f"可用 tiandz edit {item_ids[0]} --reason 说明 改正")
        if item_id not in item_ids:
            others.append(item_id)
    if others:
        every = item_ids + others
        refuse(
            f"该步（{step.named()}）一次改动了 {len(every)} 件，还有 {'、'.join(map(str, others))}；"
            "一步只能整个撤销，撤销会一并撤销这几件",
            hint="要一并撤销，写出每一件：tiandz undo " + " ".join(map(str, every)) + " --reason …；"
            f"只改正其中一件，用 tiandz edit 编号 --reason 说明{'，或对它重新交办（改办）' if step.step == 'assign' else ''}",
        )
    planned = []
    for item_id in item_ids:
        relative, own = relatives[item_id], found[item_id]  # the same commit; the blobs of this item's file
        if head_blob(ledger, relative) != own.new_blob:  # undone by hand, not exactly, or changed by git otherwise
            refuse(f"{item_id} 在该步（{step.named()}）之后又有改动，与该步之后的文件不同，不能撤销",
                   path=relative, hint=f"用 tiandz log {item_id} 查看；可用 tiandz edit {item_id} --reason 说明 改正")
        planned.append(_Planned(item_id, relative, blob_bytes(ledger, own.new_blob), blob_bytes(ledger, own.old_blob)))
    return step, planned


def _latest(ledger: Ledger, item_id: ItemId, relative: str) -> Step:
    """The item's latest step, if it is one that can be taken back; a refusal saying why not otherwise."""
    step, any_commit = latest_step(ledger, relative)
    if not any_commit:
        refuse(f"{item_id} 还没有提交到 git，没有可撤销的步骤", path=relative,
               hint=f"提交：tiandz edit {item_id} --keep --reason 说明")
    if step is None:
        refuse(f"{item_id} 没有可撤销的步骤", path=relative, hint=f"用 tiandz log {item_id} 查看办理记录")
    if step.merge:
        refuse(f"{item_id} 最近一次改动是合并提交 {step.named()}，tiandz 不撤销合并", path=relative,
               hint=f"可用 tiandz edit {item_id} --reason 说明 改正")
    if step.step is None:
        refuse(f"{item_id} 最近一次改动是手工提交 {step.named()}，不是办理步骤，tiandz 只撤销最近的办理步骤",
               path=relative, hint=f"用 tiandz log {item_id} 查看；可用 tiandz edit {item_id} --reason 说明 改正")
    if step.step in REGISTRATION or step.old_blob is None or step.renamed:
        refuse(f"{item_id} 的最近一步是登记（新建此件的提交 {step.named()}），登记不能撤销", path=relative,
               hint=f"要改正登记的内容，用 tiandz edit {item_id} --reason 说明")
    if step.new_blob is None:
        refuse(f"{item_id} 最近一次提交 {step.named()} 删除了文件，不能撤销", path=relative)
    return step


def _check_before(ledger: Ledger, planned: list[_Planned], today: dt.date) -> tuple[list[Done], list[str]]:
    """Each file as it was before, judged by `check` as it judges it today; the 文号 the step took."""
    done: list[Done] = []
    problems: list[Problem] = []
    withdrawn: list[str] = []
    for entry in planned:
        text = _text(entry.before)
        path = ledger.root / entry.relative
        try:
            data = parse(text.removeprefix(BOM))
            item, found = check_data(ledger, path, data, today, text)
        except YamlError as error:
            item, found = None, [Problem(entry.relative, error.line, "", error.message, error.hint)]
        errors = [problem for problem in found if problem.severity == ERROR]
        if errors or item is None:
            problems.append(Problem(entry.relative, None, "", "撤销后的文件（该步之前的版本）按现在的规则检查有错误，未撤销",
                                    f"可用 tiandz edit {entry.item_id} --reason 说明 改正"))
            problems += errors
            continue
        before = set(numbering.numbers_in(text))
        withdrawn += [number for number in numbering.numbers_in(_text(entry.now)) if number not in before]
        summary = summarize(item, ledger.config, today, ledger.holidays)
        change = Change("撤销", "", "")
        done.append(Done(entry.item_id, entry.relative, change, summary.state, summary.due, summary.days_left(today)))
    if problems:
        raise TiandzError(problems)
    return done, withdrawn


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
