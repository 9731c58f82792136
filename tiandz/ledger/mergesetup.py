"""tiandz as git's merge driver for item files in one clone: `.gitattributes` and `merge.tiandz.driver`.

`tiandz clone` and `tiandz sync` register it (spec/offices.md), so a plain `git pull` or `git rebase`
merges two clones' work on one item as `tiandz sync` does, event by event, never with conflict markers.
The attribute goes into the clone's own `info/attributes` in its git directory, not a committed
`.gitattributes`: a unit's clone may commit item files only (the server refuses anything else), and the
driver command is each clone's own anyway, since it names the Python that has tiandz on this machine. A
`.gitattributes` line the office committed works as well.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from tiandz.files.yamlio import write_atomic
from tiandz.ledger import git as gitops

ATTRIBUTES = ".gitattributes"
ITEM_FILES = "20*/*.yaml"
ATTRIBUTE_LINE = f"{ITEM_FILES} merge=tiandz"
DRIVER_KEY = "merge.tiandz.driver"


def driver_command() -> str:
    """The command git runs: this Python with tiandz, quoted for the shell git runs it in."""
    return f"{shlex.quote(sys.executable)} -m tiandz merge-driver %O %A %B %P"


def _local_attributes(root: Path) -> Path:
    found = gitops.run(root, "rev-parse", "--git-path", "info/attributes").stdout.decode("utf-8").strip()
    path = Path(found)
    return path if path.is_absolute() else root / path


def has_attribute_line(path: Path) -> bool:
    """Whether this attributes file has the line that gives item files tiandz's merge."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.split() == ATTRIBUTE_LINE.split() for line in lines)


def attributes_registered(root: Path) -> bool:
    return has_attribute_line(_local_attributes(root)) or has_attribute_line(root / ATTRIBUTES)


def driver_registered(root: Path) -> bool:
    """Whether a merge in this clone would use tiandz's merge for item files (both halves in place)."""
    if not attributes_registered(root):
        return False
    found = gitops.run(root, "config", "--get", DRIVER_KEY, check=False)
    return found.returncode == 0 and b"merge-driver" in found.stdout


def register_merge_driver(root: Path) -> bool:
    """Register the driver in this clone (its git config and `info/attributes`); True when it was not yet.
    Asked on every sync: when all is in place, nothing is written."""
    found = gitops.run(root, "config", "--get", DRIVER_KEY, check=False)
    if attributes_registered(root) and found.returncode == 0 and found.stdout.decode().strip() == driver_command():
        return False
    gitops.run(root, "config", DRIVER_KEY, driver_command())
    gitops.run(root, "config", "merge.tiandz.name", "tiandz: merge item files event by event")
    if not attributes_registered(root):
        path = _local_attributes(root)
        before = path.read_text(encoding="utf-8") if path.is_file() else ""
        separator = "" if not before or before.endswith("\n") else "\n"
        write_atomic(path, before + separator + ATTRIBUTE_LINE + "\n")  # the clerk's other lines never half written
    return True
