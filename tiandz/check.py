"""`tiandz check`: every problem in tiandz.yaml and the item files, in file order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from tiandz.configload import load_config
from tiandz.ledger import Ledger
from tiandz.problems import Problem, refuse


def check_ledger(
    ledger: Ledger,
    paths: list[Path] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Problem]:
    """tiandz.yaml first (nothing else can be judged without it), then every item file."""
    from tiandz.loading import scan_ledger

    config, problems = load_config(ledger.config_path)
    if config is None:
        return problems
    ledger.config = config
    if paths is not None:
        paths = [_item_path(ledger, path) for path in paths]
        paths = [path for path in paths if path is not None]
    scan = scan_ledger(ledger, today, paths, progress)
    return problems + scan.problems


def _item_path(ledger: Ledger, path: Path) -> Path | None:
    """A path named on the command line (or by git's pre-commit hook); tiandz.yaml is always checked."""
    path = path if path.is_absolute() else Path.cwd() / path
    if path.name == "tiandz.yaml":
        return None
    if not path.exists():
        refuse(f"找不到文件 {path}")
    return path.resolve()
