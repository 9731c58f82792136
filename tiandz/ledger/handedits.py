"""Refusing to act on an item file that someone changed by hand and did not commit.

A step commits the file it writes; if the file already held uncommitted hand edits, they would slip into
the step's commit under the step's name, and the audit trail would lie. So a step first asks git whether
the file is clean.

tiandz's own uncommitted writes (a step run with `--no-commit`) are not hand edits: their content hash is
remembered in `written.json` in the ledger's state folder (inside the git directory, `Ledger.state_folder`,
where no clone can deliver a forged one), and a file whose content is still exactly what tiandz wrote is
let through (the next committed step then commits both changes).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tiandz.core.problems import Problem, TiandzError
from tiandz.files.reading import ITEM_LIMIT, read_bytes
from tiandz.files.yamlio import write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger

RECORD = "written.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest_of(path: Path) -> str | None:
    """The digest of a file tiandz wrote, to tell it from a hand edit; a link or a device is no such file."""
    try:
        return _digest(read_bytes(path, ITEM_LIMIT))
    except OSError:
        return None


def _record(ledger: Ledger) -> dict[str, str]:
    """What tiandz wrote: {ledger-relative path: sha256}; anything else found there counts as nothing written."""
    try:
        record = json.loads((ledger.state_folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict):
        return {}
    return {name: digest for name, digest in record.items() if isinstance(digest, str)}


def _save(ledger: Ledger, record: dict[str, str]) -> None:
    write_atomic(ledger.state_folder / RECORD, json.dumps(record, ensure_ascii=False, indent=0))


def written(ledger: Ledger) -> list[str]:
    """Files (ledger-relative) that tiandz wrote and did not commit."""
    return list(_record(ledger))


def remember(ledger: Ledger, paths: list[Path]) -> None:
    """These files were written by tiandz and left uncommitted (--no-commit, or outside git)."""
    record = _record(ledger)
    for path in paths:
        record[ledger.relative(path)] = _digest(path.read_bytes())
    _save(ledger, record)


def forget(ledger: Ledger, paths: list[Path]) -> None:
    record = _record(ledger)
    if not record:
        return
    for path in paths:
        record.pop(ledger.relative(path), None)
    _save(ledger, record)


def refuse_hand_edits(
    ledger: Ledger, paths: list[Path], *, then: str = "然后重试", changed: dict[str, str] | None = None
) -> None:
    """Refuse when any of these files has changes git has not recorded and tiandz did not make.

    The way to keep them is `tiandz edit --keep` (checked, then committed with a reason): a clerk who never
    used git is not sent to `git commit`, which opens vim. `then` is what to do after (a step: retry).
    `changed`: what `gitops.uncommitted` said of these paths (and maybe others), when the caller asked already.
    """
    changed = gitops.uncommitted(ledger.root, paths) if changed is None else changed
    if not changed:
        return
    record = _record(ledger)
    problems = []
    for path in paths:
        shown = ledger.relative(path)
        status = changed.get(shown)
        if status is None or (shown in record and record[shown] == _digest_of(path)):
            continue
        keep = f"tiandz edit {path.stem} --keep --reason 说明"
        if status == "??":
            problems.append(Problem(shown, None, "", "条目文件尚未提交到 git，不能在其上办理", f"先检查并提交：{keep}；{then}"))
        else:
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    "条目文件有未提交的手工修改，办理步骤会把它们一并提交、混淆留痕",
                    f"用 git diff {shown} 查看；要保留就检查并提交：{keep}，不要就撤销：git checkout -- {shown}；{then}",
                )
            )
    if problems:
        raise TiandzError(problems)
