"""A server and clones of one ledger in tmp_path, for the tests of `tiandz sync` (spec/offices.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conftest import ASSIGNED, git

ITEM_PATH = "2024/2024-J-015.yaml"

# An item two units handle: 教体局 leads, 公安局 helps.
SHARED = ASSIGNED.replace("  方式: 单办\n  主办: [县教育和体育局]\n", "  方式: 会办\n  主办: [县教育和体育局]\n  协办: [县公安局]\n")


@dataclass
class Network:
    server: Path
    tmp: Path

    def clone(self, name: str) -> Path:
        place = self.tmp / name
        git(self.tmp, "clone", "-q", str(self.server), str(place))
        git(place, "config", "user.name", name)
        git(place, "config", "user.email", f"{name}@example.org")
        return place

    def head(self) -> str:
        return git(self.server, "rev-parse", "refs/heads/master").strip()


def make_network(ledger_dir, tmp_path: Path, *items: str) -> Network:
    """A bare repository (the server, branch master) holding the ledger with these items."""
    for text in items:
        ledger_dir.item(text)
    ledger_dir.commit_all()
    return serve(ledger_dir.root, tmp_path)


def serve(root: Path, folder: Path) -> Network:
    """The ledger at `root` (committed) as the server's first history, in `folder`."""
    git(root, "branch", "-M", "master")
    server = folder / "server.git"
    git(folder, "clone", "-q", "--bare", str(root), str(server))
    return Network(server, folder)
