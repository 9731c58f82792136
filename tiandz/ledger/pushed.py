"""A push as the server's repository sees it, read from git objects only (a bare repository has no work tree).

The guard (ops/verifypush.py) judges every commit of a push against its parent. Here is what it needs from
git: the main branch and where it stands, whether an update is a fast-forward, the pushed commits with their
messages and the files each changed, the blobs of those files (one `cat-file --batch`), and the ledger's
tiandz.yaml and calendar.yaml as they are at a commit, put in a folder of their own so that the checks every
clone runs (ledger/items.check_data) can run here unchanged. In a pre-receive hook the pushed objects are in
git's quarantine; git tells the hook where through the environment, which every git run here inherits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.files.reading import ITEM_LIMIT
from tiandz.ledger.folder import Ledger
from tiandz.ledger.git import read_blobs, run, text_of

ZERO = re.compile(r"0{40}(0{24})?")
ITEM_PATH = re.compile(r"^([0-9]{4})/(([0-9]{4})-[JT]-[0-9]{3,4})\.yaml\Z")
TRAILER = re.compile(r"^(Tiandz-[A-Za-z-]+):[ \t]*(.*?)\s*$")


@dataclass(frozen=True)
class FileChange:
    path: str
    before: str | None  # blob id; None when the commit adds the file
    after: str | None  # None when it deletes it


@dataclass
class PushedCommit:
    id: str
    parents: list[str]
    message: str
    changes: list[FileChange] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.id[:7]

    @property
    def trailers(self) -> dict[str, str]:
        """The Tiandz-… trailers of the message (the last value when one is given twice)."""
        found: dict[str, str] = {}
        for line in self.message.splitlines():
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
    """The commits `new` brings over `old`, parents first, each with the files it changed from its first parent."""
    log = text_of(run(repo, "log", "--reverse", "--topo-order", "--format=%H %P%n%B%x00", f"{old}..{new}").stdout)
    commits = []
    for record in log.split("\0"):
        record = record.lstrip("\n")
        if not record:
            continue
        head, _, message = record.partition("\n")
        ids = head.split()
        commits.append(PushedCommit(ids[0], ids[1:], message))
    for commit in commits:
        commit.changes = changed_files(repo, commit)
    return commits


def changed_files(repo: Path, commit: PushedCommit) -> list[FileChange]:
    against = [commit.parents[0], commit.id] if commit.parents else ["--root", commit.id]
    output = text_of(run(repo, "diff-tree", "-r", "--no-renames", "--no-commit-id", "-z", *against).stdout)
    fields = output.split("\0")
    changes = []
    for index in range(0, len(fields) - 1, 2):  # ":mode mode before after status" then the path
        status, path = fields[index].split(), fields[index + 1]
        if len(status) < 5:
            continue
        before, after = status[2], status[3]
        changes.append(FileChange(path, None if is_zero(before) else before, None if is_zero(after) else after))
    return changes


def blobs(repo: Path, changes: list[FileChange]) -> dict[str, bytes]:
    """Every blob these changes name, from one `cat-file --batch`; one larger than an item file can be is
    left out (the guard refuses it as no item) rather than read into the server's memory."""
    wanted = sorted({blob for change in changes for blob in (change.before, change.after) if blob})
    if not wanted:
        return {}
    sizes = {}
    output = text_of(run(repo, "cat-file", "--batch-check", input="".join(blob + "\n" for blob in wanted).encode()).stdout)
    for line in output.splitlines():  # "<id> <type> <size>", or "<id> missing"
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return read_blobs(repo, [blob for blob in wanted if sizes.get(blob, 0) <= ITEM_LIMIT])


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
