"""Who this clone belongs to (spec/offices.md): the office, one unit, or an office alone with no remote.

The role lives in the clone's git config (`tiandz.unit`, `tiandz.office`), never in a committed file: a file
comes from the server and everyone else's clones, and a unit must not be able to make itself the office by
committing one. The server does not trust the role either; it checks each push itself (verify-push). The
role here only keeps a clerk from doing, by mistake, what the server would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tiandz.ledger import git as gitops
from tiandz.ledger.gitconfig import local_config

OFFICE = "office"  # the 交办机关's clone
UNIT = "unit"  # one 承办单位's clone
ALONE = "alone"  # no remote and no role: one office alone, everything allowed (spec/cli.md)
UNKNOWN = "unknown"  # a clone with a remote whose role was never said (made by `git clone`, not `tiandz clone`)


@dataclass(frozen=True)
class Role:
    kind: str
    unit: str | None = None  # the unit's full name, for UNIT

    @property
    def is_office(self) -> bool:
        return self.kind in (OFFICE, ALONE)


def read_role(root: Path) -> Role:
    """The clone's role from its git config: read from the file, or in one git call when only git can read
    it (ledger/gitconfig.py); a ledger outside git is ALONE."""
    local = local_config(root)
    if local is not None:
        values = {key: value for key, value in local.items() if key in ("tiandz.unit", "tiandz.office")}
        has_remote = any(key.startswith("remote.") and key.endswith(".url") for key in local)
    else:
        values, has_remote = _ask_git(root)
        if values is None:
            return Role(ALONE)
    if values.get("tiandz.unit"):
        return Role(UNIT, values["tiandz.unit"])
    if values.get("tiandz.office", "").lower() in ("true", "yes", "on", "1"):
        return Role(OFFICE)
    return Role(UNKNOWN) if has_remote else Role(ALONE)


def _ask_git(root: Path) -> tuple[dict[str, str] | None, bool]:
    if not gitops.is_repository(root):
        return None, False
    pattern = r"^(tiandz\.(unit|office)|remote\..*\.url)$"
    found = gitops.run(root, "config", "--get-regexp", pattern, check=False).stdout.decode("utf-8", "replace")
    values: dict[str, str] = {}
    has_remote = False
    for line in found.splitlines():
        key, _, value = line.partition(" ")
        if key.startswith("remote."):
            has_remote = True
        else:
            values[key] = value.strip()
    return values, has_remote


def write_role(root: Path, role: Role) -> None:
    """Record the role in the clone's own git config (`git config`, local to this clone)."""
    if role.kind == UNIT:
        gitops.run(root, "config", "tiandz.unit", role.unit or "")
        gitops.run(root, "config", "--unset-all", "tiandz.office", check=False)
    elif role.kind == OFFICE:
        gitops.run(root, "config", "tiandz.office", "true")
        gitops.run(root, "config", "--unset-all", "tiandz.unit", check=False)
