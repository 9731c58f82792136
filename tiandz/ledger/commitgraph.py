"""Git's commit-graph with changed-path Bloom filters, kept up to date and checked before `tiandz log` uses it.

`git log -- FILE` walks every commit and, without help, diffs each one's tree to see whether it touched the
file: on a ledger of 15,000 files and 100,000 commits that is seconds. Git's commit-graph
(`git commit-graph write --reachable --changed-paths`) stores, per commit, a Bloom filter of the paths it
changed, so the walk skips the diff for nearly every commit. The walk is still git's own: what `log` shows
is exactly what the plain walk shows (merges, history simplification, renames), only faster. An index of
our own would have to repeat git's history simplification to give the same answer.

Kept up to date lazily: when HEAD is not in the graph (new steps, hand commits, a sync, a rebase), the
commits it lacks are added as a new layer (`--split`), which costs about one diff per new commit. The
graph lives in git's object folder, where git itself writes it (`git gc`), and a damaged file there could
hide a commit from the walk (a Bloom filter that says "not changed" is believed), so it is never trusted
blindly: each layer's checksum (the hash git writes at its end) is checked on every use, a damaged graph is
removed and written again, and when it cannot be, the walk runs without it (`core.commitGraph=false`).
A git too old to write Bloom filters (before 2.27), a shallow clone or a read-only repository only make
the walk slower, never different.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tiandz.ledger import git as gitops

_SIGNATURE = b"CGPH"
_HASHES = {1: ("sha1", 20), 2: ("sha256", 32)}
_CHAIN = "commit-graphs/commit-graph-chain"
WITHOUT_GRAPH = ("-c", "core.commitGraph=false")  # the walk when a damaged graph could not be removed
# Git's filters are 10 bits a path: a step changes two (its year folder and its file), so a filter is 3 bytes
# and says "maybe" for about one commit in a hundred that did not touch the file, each then diffed (on
# 100,000 commits: 800 diffs of a 3,000-file folder, three quarters of the walk). 40 bits a path leave none.
# The setting is an environment variable made for git's own tests (git 2.39 reads it); it is written into the
# graph, whose later layers (ours, `git gc`'s, a fetch's) keep it. A git that ignored it would write filters
# of 10 bits: four times slower to walk, and as exact.
_FILTER_SIZE = {"GIT_TEST_BLOOM_SETTINGS_BITS_PER_ENTRY": "40"}
LONG_HISTORY = 5000  # commits: above, a graph written from nothing is written in the background


@dataclass
class _Layer:
    data: bytes
    fanout: int  # where the OIDF chunk starts: 256 counts, the commits whose id begins with 0…255 and below
    lookup: int  # where the OIDL chunk starts: the commits' ids, sorted
    size: int  # bytes in an id
    blooms: bool  # whether it holds changed-path Bloom filters (BIDX and BDAT chunks)

    def holds(self, commit: bytes) -> bool:
        """Whether the commit is in this layer: a binary search among the ids that begin with its first byte."""
        def count(byte: int) -> int:
            return 0 if byte < 0 else int.from_bytes(self.data[self.fanout + 4 * byte : self.fanout + 4 * byte + 4], "big")

        low, high = count(commit[0] - 1), count(commit[0])
        while low < high:
            middle = (low + high) // 2
            found = self.data[self.lookup + middle * self.size : self.lookup + (middle + 1) * self.size]
            if found == commit:
                return True
            low, high = (middle + 1, high) if found < commit else (low, middle)
        return False


def graph_options(root: Path) -> tuple[str, ...]:
    """The options `git log` is run with: none when git's commit-graph covers HEAD with Bloom filters or can be
    made to, `WITHOUT_GRAPH` when a damaged graph is there and could not be removed."""
    result = gitops.run(root, "rev-parse", "--git-path", "objects/info", "--is-shallow-repository", "HEAD", check=False)
    lines = gitops.text_of(result.stdout).splitlines()
    if result.returncode != 0 or len(lines) != 3:
        return ()  # no commit yet: nothing to walk
    info, shallow, head = root / lines[0], lines[1], lines[2]  # git names the folder from root (or absolutely)
    if shallow == "true":
        return ()  # git does not use a commit-graph in a shallow clone
    layers = _read_layers(info)
    if layers is None:
        if not _remove_graph(info):
            return WITHOUT_GRAPH
        layers = []
    if not layers or not all(layer.blooms for layer in layers):
        # None yet, or one written without Bloom filters (by `git gc` or by hand): write them all once. On a
        # long history that is a diff per commit (about 20 s for 100,000), so it is left to run on its own
        # while this walk goes the plain way; the next `log` finds it written.
        _write(root, "--split=replace", detached=_commit_count(root) > LONG_HISTORY)
    elif not any(layer.holds(bytes.fromhex(head)) for layer in layers):
        _write(root, "--split")  # only the commits since the last write, as a new layer
    return ()


def prepare(root: Path) -> None:
    """Have the graph written for a new clone (`tiandz clone`), so that its first `log` is already quick: on
    a long history by a git of its own in the background, as `log` itself would."""
    graph_options(root)


def covers_head(root: Path) -> bool:
    """Whether the graph is sound, every layer has Bloom filters, and HEAD is in it (for the benchmark, which
    waits for the graph a first `log` left to be written in the background)."""
    result = gitops.run(root, "rev-parse", "--git-path", "objects/info", "HEAD", check=False)
    lines = gitops.text_of(result.stdout).splitlines()
    if result.returncode != 0 or len(lines) != 2:
        return False
    layers = _read_layers(root / lines[0])
    return bool(layers) and all(layer.blooms for layer in layers) and any(layer.holds(bytes.fromhex(lines[1])) for layer in layers)


def _write(root: Path, split: str, detached: bool = False) -> None:
    # A failure (git before 2.27, a read-only repository, another writer holding the lock) leaves the graph
    # as it was, which was checked: the walk is then slower, not different.
    arguments = ("commit-graph", "write", "--reachable", "--changed-paths", split)
    if not detached:
        gitops.run(root, *arguments, check=False, env=_FILTER_SIZE)
        return
    try:
        # Its own session (a process group of its own on Windows): a Ctrl+C after `log` answered leaves it be.
        detach = {"creationflags": 0x00000008 | 0x00000200} if os.name == "nt" else {"start_new_session": True}
        subprocess.Popen(
            ["git", "-C", str(root), *arguments], env={**os.environ, **_FILTER_SIZE}, **detach,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    except OSError:
        pass  # the walk goes the plain way, as it would have


def _commit_count(root: Path) -> int:
    result = gitops.run(root, "rev-list", "--count", "HEAD", check=False)
    text = gitops.text_of(result.stdout).strip()
    return int(text) if result.returncode == 0 and text.isdigit() else 0


def _read_layers(info: Path) -> list[_Layer] | None:
    """The graph's layers as git reads them (the single file first, else the chain), each checked; None if any
    is damaged, missing or not what git would write."""
    single = info / "commit-graph"
    if single.exists():
        files = [single]
    elif (info / _CHAIN).exists():
        try:
            names = (info / _CHAIN).read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            return None
        if not names or not all(len(name) in (40, 64) and _is_hex(name) for name in names):
            return None
        files = [info / "commit-graphs" / f"graph-{name}.graph" for name in names]
    else:
        return []
    layers = []
    for file in files:
        try:
            data = file.read_bytes()
        except OSError:
            return None
        layer = _parse(data, None if file is single else file.stem.removeprefix("graph-"))
        if layer is None:
            return None
        layers.append(layer)
    return layers


def _parse(data: bytes, name: str | None) -> _Layer | None:
    """One graph file: signature, version, the checksum at its end, and the chunks `log` relies on."""
    if len(data) < 8 or data[:4] != _SIGNATURE or data[4] != 1 or data[5] not in _HASHES:
        return None
    algorithm, size = _HASHES[data[5]]
    if len(data) < 8 + size or hashlib.new(algorithm, data[:-size]).digest() != data[-size:]:
        return None
    if name is not None and name != data[-size:].hex():
        return None  # a chain names each layer by its checksum
    chunks = {}
    count = data[6]
    for index in range(count + 1):
        entry = data[8 + 12 * index : 20 + 12 * index]
        if len(entry) < 12:
            return None
        chunks[entry[:4]] = int.from_bytes(entry[4:], "big")
    ends = sorted(chunks.values())
    if b"OIDF" not in chunks or b"OIDL" not in chunks or ends[-1] > len(data) - size:
        return None
    fanout = chunks[b"OIDF"]
    if fanout + 1024 > len(data) - size:
        return None
    total = int.from_bytes(data[fanout + 1020 : fanout + 1024], "big")
    start = chunks[b"OIDL"]
    if start + total * size > len(data) - size:
        return None
    return _Layer(data, fanout, start, size, b"BIDX" in chunks and b"BDAT" in chunks)


def _remove_graph(info: Path) -> bool:
    """Remove a damaged graph (git writes it again from the commits); False if it could not be removed."""
    try:
        (info / "commit-graph").unlink(missing_ok=True)
        folder = info / "commit-graphs"
        if folder.is_dir():
            # The chain and its layers; a `.lock` is a git writing now, and stays its own.
            for file in folder.iterdir():
                if file.name == "commit-graph-chain" or (file.name.startswith("graph-") and file.suffix == ".graph"):
                    file.unlink()
    except OSError:
        return False
    return True


def _is_hex(text: str) -> bool:
    return all(character in "0123456789abcdef" for character in text)
