"""A push as the server's repository sees it, read from git objects only (a bare repository has no work tree).

The guard (ops/verifypush.py) judges every commit of a push against its parent. Here is what it needs from
git: the main branch and where it stands, whether an update is a fast-forward, the pushed commits with their
messages and the files each changed, the blobs of those files (one `cat-file --batch`), and the ledger's
tiandz.yaml and calendar.yaml as they are at a commit, put in a folder of their own so that the checks every
clone runs (ledger/items.check_data) can run here unchanged. In a pre-receive hook the pushed objects are in
git's quarantine; git tells the hook where through the environment, which every git run here inherits.

A small pack can inflate to gigabytes, so nothing is read before `cat-file --batch-check` has told its size:
a commit object over COMMIT_LIMIT, a blob over the item limit, and whatever would take the blobs or the
commits read past BUDGET in all, are left unread (the guard refuses them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.files.reading import ITEM_LIMIT
from tiandz.ledger.commits import ZERO, Change, changes
from tiandz.ledger.folder import Ledger
from tiandz.ledger.git import read_blobs, run, text_of

COMMIT_LIMIT = 1024 * 1024  # a commit object (its message, mostly) larger than this is refused unread
BUDGET = 256 * 1024 * 1024  # at most this much of the blobs, and as much of the commits, read for one push
ITEM_PATH = re.compile(r"^([0-9]{4})/(([0-9]{4})-[JT]-[0-9]{3,4})\.yaml\Z")
TRAILER = re.compile(r"^(Tiandz-[A-Za-z-]+):[ \t]*(.*?)\s*$")
FILE_MODES = ("100644", "100755")  # a plain file, executable or not (as a step's journal accepts them)


@dataclass
class PushedCommit:
    id: str
    parents: list[str]
    message: str | None  # None: the commit object is too large to read
    changes: list[Change] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.id[:7]

    @property
    def trailers(self) -> dict[str, str]:
        """The Tiandz-… trailers of the message (the last value when one is given twice)."""
        found: dict[str, str] = {}
        for line in (self.message or "").splitlines():
            match = TRAILER.match(line)
            if match:
                found[match.group(1)] = match.group(2)
        return found


def is_zero(commit: str) -> bool:
    return bool(ZERO.fullmatch(commit))


def item_id_of(path: str) -> str | None:
    """The 编号 an item file's path names (2024/2024-J-015.yaml → 2024-J-015); None for any other file."""
    match = ITEM_PATH.match(path)
    return match.group(2) if match and match.group(1) == match.group(3) else None


def main_branch(repo: Path) -> str:
    """The branch the repository's HEAD names: the ledger's main branch."""
    result = run(repo, "symbolic-ref", "-q", "HEAD", check=False)
    return text_of(result.stdout).strip() or "refs/heads/main"


def tip(repo: Path, ref: str) -> str | None:
    result = run(repo, "rev-parse", "-q", "--verify", ref + "^{commit}", check=False)
    return text_of(result.stdout).strip() or None


def is_fast_forward(repo: Path, old: str, new: str) -> bool:
    return run(repo, "merge-base", "--is-ancestor", old, new, check=False).returncode == 0


def pushed_commits(repo: Path, old: str, new: str) -> list[PushedCommit]:
    """The commits `new` brings over `old`, parents first, each with the files it changed from its first parent
    and its message (None when the commit object is over COMMIT_LIMIT or past the BUDGET)."""
    listed = text_of(run(repo, "rev-list", "--reverse", "--topo-order", "--parents", f"{old}..{new}").stdout)
    heads = [line.split() for line in listed.splitlines() if line.strip()]
    ids = [head[0] for head in heads]
    bodies = read_blobs(repo, _within_budget(_sizes(repo, ids, "commit"), ids, COMMIT_LIMIT), kind=b"commit")
    commits = []
    for commit, *parents in heads:
        body = bodies.get(commit)
        message = None if body is None else text_of(body.partition(b"\n\n")[2])  # after the header's blank line
        commits.append(PushedCommit(commit, parents, message, changes(repo, parents[0] if parents else None, commit)))
    return commits


def blobs(repo: Path, wanted_changes: list[Change]) -> dict[str, bytes]:
    """Every blob these changes name, from one `cat-file --batch`; one larger than an item file can be, or past
    the BUDGET, is left out (the guard refuses it as no item) rather than read into the server's memory."""
    wanted = sorted({side[1] for change in wanted_changes for side in (change.before, change.after) if side})
    return read_blobs(repo, _within_budget(_sizes(repo, wanted, "blob"), wanted, ITEM_LIMIT))


def _sizes(repo: Path, objects: list[str], kind: str) -> dict[str, int]:
    """The size of each of these objects that is of this kind, from `cat-file --batch-check` (nothing read)."""
    if not objects:
        return {}
    sizes = {}
    output = text_of(run(repo, "cat-file", "--batch-check", input="".join(name + "\n" for name in objects).encode()).stdout)
    for line in output.splitlines():  # "<id> <type> <size>", or "<id> missing"
        parts = line.split()
        if len(parts) == 3 and parts[1] == kind and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def _within_budget(sizes: dict[str, int], objects: list[str], limit: int) -> list[str]:
    """Those of these objects (in this order) that are each at most `limit`, until BUDGET is spent."""
    chosen, spent = [], 0
    for name in objects:
        size = sizes.get(name)
        if size is not None and size <= limit and spent + size <= BUDGET:
            chosen.append(name)
            spent += size
    return chosen


def ledger_at(repo: Path, commit: str, folder: Path) -> Ledger | None:
    """The ledger's tiandz.yaml and calendar.yaml as at this commit, in `folder`; None without a tiandz.yaml."""
    names = [f"{commit}:{CONFIG_NAME}", f"{commit}:{CALENDAR_NAME}"]
    found = read_blobs(repo, names)
    if names[0] not in found:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_NAME).write_bytes(found[names[0]])
    if names[1] in found:
        (folder / CALENDAR_NAME).write_bytes(found[names[1]])
    return Ledger(folder)


def touches(commit: PushedCommit, names: tuple[str, ...]) -> bool:
    return any(change.path in names for change in commit.changes)
