"""One item file, read and checked in full: the one way tiandz turns a file's data into an item and problems.

`check`, `show`, every step (after its change, before writing) and `new`/`import` (before writing) all judge
an item the same way: validate against the model, judge the unit names as the file writes them, normalise
them to full names (the loader owns the item it has just made), run the rules, and give every finding its
line. `check_data` is that sequence; nothing else strings it together.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tiandz.core.model import Proposal
from tiandz.core.problems import ERROR, Problem
from tiandz.core.rules import Context, Finding, check_item, known_units
from tiandz.core.salvage import LAST_DAY, salvaged_findings
from tiandz.core.units import normalize_units
from tiandz.files.documents import read_document, to_problems, validate
from tiandz.files.reading import REFUSES_SYMLINKS
from tiandz.files.yamlio import BOM
from tiandz.ledger.folder import Ledger


@dataclass
class LoadedItem:
    path: Path | str  # as given: a scan names its files by text
    shown: str
    item: Proposal | None
    problems: list[Problem] = field(default_factory=list)
    text: str | None = None  # the file's text as read, its byte-order mark kept (what a step edits)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]


def context_for(ledger: Ledger, path: Path | str | None, today: dt.date) -> Context:
    if path is None:
        stem = folder = None
    else:  # by text, as Path's stem and parent's name: a first check does this 15,000 times
        folder_path, name = os.path.split(os.fspath(path))
        stem, folder = os.path.splitext(name)[0] or name, os.path.basename(folder_path)
    return Context(config=ledger.config, today=today, file_stem=stem, folder=folder, holidays=ledger.holidays)


def check_data(
    ledger: Ledger, path: Path | str, data: Any, today: dt.date, text: str | None = None, rules: bool = True,
    shown: str | None = None,
) -> tuple[Proposal | None, list[Problem]]:
    """The item the data makes (units as full names) and every problem in file order; None when invalid.

    `text` is the file's text, for line numbers; without it problems have no line. `rules=False`: the file
    is known sound (the scan found it so, as it is), so only the model is made, units as full names.
    `shown`: the path as messages show it, where the caller has it already.
    """
    shown = shown or ledger.relative(path)
    item, errors = validate(Proposal, data)
    if item is not None and not rules:
        normalize_units(item, ledger.config)
        return item, []
    context = context_for(ledger, path, today)
    if item is None:
        # The rest of the file is judged all the same: one run tells every problem, not the first kind.
        # Judged as on the last day there is: what is "after today" is left to the run that has the whole item,
        # as the scan cache keeps an invalid file's problems on every later day.
        timeless = replace(context, today=LAST_DAY)
        invalid = {location for location, _, _ in errors}
        rest = [finding for finding in salvaged_findings(data, lambda stand_in: _judge(stand_in, timeless))
                if finding.location not in invalid]
        return None, to_problems(shown, text, [(*error, ERROR) for error in errors] + _rows(rest))
    return item, to_problems(shown, text, _rows(_judge(item, context)))


def _judge(item: Proposal, context: Context) -> list[Finding]:
    """The unit names as the file writes them, then every rule on the item with its units normalised."""
    findings = list(known_units(item, context))
    if findings:  # without any, every name is a full one already (known_units looks at all normalize_units changes)
        normalize_units(item, context.config)
    return findings + check_item(item, context)


def load_item(
    ledger: Ledger, path: Path | str, today: dt.date | None = None, real_folders: set[str] | None = None,
    sound: bool = False, shown: str | None = None,
) -> LoadedItem:
    """One item file, read and checked in full; the item is None only when it cannot be read as one.

    `real_folders`: a scan's folders already found not to be symlinks (Ledger.symlink_in). `sound`: the rules
    were run on the file as it is, and found no error: only the model is made. `shown`: the path as messages
    show it, where the caller has it already."""
    today = today or dt.date.today()
    shown = shown or ledger.relative(path)
    # Where the read itself refuses a symlinked file (O_NOFOLLOW), the file is looked at only when it fails.
    link = ledger.symlink_in(path, real_folders, file_too=not REFUSES_SYMLINKS)
    if link is not None:
        return _symlinked(path, shown, link)
    text, data, problems = read_document(path, shown, keep_bom=True)
    if problems and REFUSES_SYMLINKS and os.path.islink(path):
        return _symlinked(path, shown, shown)
    if problems:
        return LoadedItem(path, shown, None, problems, text)
    item, problems = check_data(ledger, path, data, today, text.removeprefix(BOM), rules=not sound, shown=shown)
    return LoadedItem(path, shown, item, problems, text)


def _symlinked(path: Path | str, shown: str, link: str) -> LoadedItem:
    hint = "换成真正的文件或文件夹（git 仓库中的符号链接可能指向这台电脑上的任何文件）"
    return LoadedItem(path, shown, None, [Problem(shown, None, "", f"{link} 是符号链接，tiandz 不经符号链接读取", hint)])


def _rows(findings: list[Finding]) -> list[tuple]:
    return [(finding.location, finding.message, finding.hint, finding.severity) for finding in findings]
