"""`tiandz init`: a new ledger folder, under git, ready for the year's items."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tiandz.core.names import CONFIG_NAME
from tiandz.core.problems import refuse
from tiandz.files.resources import example_ledger, template
from tiandz.files.wording import sandboxed
from tiandz.files.yamlio import load_for_edit, save_edited, write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.ownfiles import FIRST_COMMIT, NO_IDENTITY_YET

GITIGNORE = "out/\n.tiandz/\n"


@dataclass
class InitResult:
    root: Path
    items: int
    note: str | None = None


def init_ledger(directory: Path, organization: str | None, year: int, example: bool = False) -> InitResult:
    """`tiandz init`: a new ledger folder (tiandz.yaml, the year's folder, .gitignore) under git, with its
    first commit; `example=True` fills in the example county's units and items.

    >>> init_ledger(Path("台账"), "某县人民政府办公室", 2024)  # doctest: +SKIP
    """
    root = directory.expanduser().resolve()
    if (root / CONFIG_NAME).exists():
        refuse(f"{root} 已经是台账（已有 {CONFIG_NAME}）", hint="不会覆盖已有台账")
    if root.exists() and not root.is_dir():
        refuse(f"{root} 不是文件夹")
    root.mkdir(parents=True, exist_ok=True)
    items = _copy_example(root, organization) if example else _write_blank(root, organization, year)
    if not (root / ".gitignore").exists():
        write_atomic(root / ".gitignore", GITIGNORE)
    return _first_commit(root, items)


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


def _first_commit(root: Path, items: int) -> InitResult:
    if not gitops.is_repository(root):
        gitops.init(root)
    if not gitops.has_identity(root):
        return InitResult(root, items, NO_IDENTITY_YET)
    gitops.commit(root, [root], FIRST_COMMIT, {"Tiandz-Step": "init"})
    return InitResult(root, items)
