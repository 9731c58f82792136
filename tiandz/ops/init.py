"""`tiandz init`: a new ledger folder, under git, ready for the year's items."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.names import CONFIG_NAME
from tiandz.core.problems import refuse
from tiandz.files.resources import example_ledger, template
from tiandz.files.wording import sandboxed
from tiandz.files.yamlio import load_for_edit, save_edited, write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.ownfiles import FIRST_COMMIT, NO_IDENTITY_YET
from tiandz.ops.newyear import carry_over

GITIGNORE = "out/\n.tiandz/\n"


@dataclass
class InitResult:
    root: Path
    items: int
    note: str | None = None
    year: int | None = None
    notes: list[str] = field(default_factory=list)  # what a carried-over ledger leaves the clerk to do


def init_ledger(
    directory: Path, organization: str | None, year: int | None = None, example: bool = False, source: Path | None = None
) -> InitResult:
    """`tiandz init`: a new ledger folder (tiandz.yaml, the year's folder, .gitignore) under git, with its
    first commit; `example=True` fills in the example county's units and items; `source` is last year's
    ledger, whose units, signers, 领域, 分类, 时限, 规则, templates and notes are carried over (not its items).

    >>> init_ledger(Path("台账"), "某县人民政府办公室", 2024)  # doctest: +SKIP
    >>> init_ledger(Path("台账2026"), None, source=Path("台账2025"))  # doctest: +SKIP
    """
    root = directory.expanduser().resolve()
    if (root / CONFIG_NAME).exists():
        refuse(f"{root} 已经是台账（已有 {CONFIG_NAME}）", hint="不会覆盖已有台账")
    if root.exists() and not root.is_dir():
        refuse(f"{root} 不是文件夹")
    if source is not None and example:
        refuse("--from 和 --example 只能用一个", field="--from")
    notes: list[str] = []
    subject = FIRST_COMMIT
    if source is not None:
        year, notes = carry_over(root, source, organization, year)
        items = 0
        subject = f"{FIRST_COMMIT}：{year} 年度，承办单位、领域、分类、时限、规则、模板和 notes 由 {source.name} 结转"
    else:
        year = year or dt.date.today().year
        root.mkdir(parents=True, exist_ok=True)
        items = _copy_example(root, organization) if example else _write_blank(root, organization, year)
    if not (root / ".gitignore").exists():
        write_atomic(root / ".gitignore", GITIGNORE)
    result = _first_commit(root, items, subject)
    result.year, result.notes = year, notes
    return result


def _write_blank(root: Path, organization: str | None, year: int) -> int:
    source = template(CONFIG_NAME).read_text(encoding="utf-8")
    text = sandboxed(keep_trailing_newline=True).from_string(source).render(机关=organization or "某县人民政府办公室", 年度=year)
    write_atomic(root / CONFIG_NAME, text)
    (root / str(year)).mkdir(exist_ok=True)
    return 0


def _copy_example(root: Path, organization: str | None) -> int:
    source = example_ledger()
    for entry in source.iterdir():
        if entry.name in (".tiandz", "out"):
            continue
        target = root / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, target)
    if organization:
        data, original = load_for_edit(root / CONFIG_NAME)
        data["机关"] = organization
        save_edited(root / CONFIG_NAME, data, original)
    return len(Ledger(root).item_files())


def _first_commit(root: Path, items: int, subject: str = FIRST_COMMIT) -> InitResult:
    if not gitops.is_repository(root):
        gitops.init(root)
    if not gitops.has_identity(root):
        return InitResult(root, items, NO_IDENTITY_YET)
    gitops.commit(root, [root], subject, {"Tiandz-Step": "init"})
    return InitResult(root, items)
