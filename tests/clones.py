"""A city's ledger on a server (a bare repository in tmp_path) and the clerks' clones of it, for the tests of
roles, requests and `tiandz sync` (spec/offices.md).

The ledger pushed holds two items: J-15 assigned to 县教育和体育局 (主办) with 县公安局 (协办) on 2024-03-20,
and T-3 assigned to 县交通运输局 alone; J-15 has a contact and an answer with a promise in ANSWERED_J15.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import ASSIGNED, CONFIG, ITEM, git

J15 = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公安局]
"""

T3 = """\
编号: 2024-T-003
类型: 提案
标题: 关于改善农村道路的提案
提出人: 孙七
提出日期: 2024-01-21
交办:
  日期: 2024-03-20
  方式: 单办
  主办: [县交通运输局]
"""

J15_PATH = "2024/2024-J-015.yaml"
T3_PATH = "2024/2024-T-003.yaml"


def make_server(tmp_path: Path, items: dict[str, str] | None = None) -> Path:
    """A bare repository holding the ledger (tiandz.yaml and the items), its HEAD on main."""
    source = tmp_path / "源"
    (source / "2024").mkdir(parents=True)
    (source / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (source / ".gitignore").write_text("out/\n.tiandz/\n", encoding="utf-8")
    for path, text in (items or {J15_PATH: J15, T3_PATH: T3}).items():
        (source / path).write_text(text, encoding="utf-8")
    git(source, "init", "-q", "-b", "main")
    git(source, "config", "user.name", "督查室")
    git(source, "config", "user.email", "office@example.org")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "台账")
    server = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(server)], check=True)
    git(source, "push", "-q", str(server), "main")
    return server


def clone_as(cli, server: Path, folder: Path, *role: str) -> Path:
    """`tiandz clone` run as a clerk runs it (the tests' `cli` fixture), the clerk's git identity set."""
    result = cli("clone", server, folder, *role)
    assert result.code == 0, result.err
    identify(folder, "经办人")
    return folder


def identify(root: Path, name: str) -> None:
    git(root, "config", "user.name", name)
    git(root, "config", "user.email", "clerk@example.org")


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def message(root: Path) -> str:
    return git(root, "log", "-1", "--format=%B")


def trailers(root: Path, revision: str = "HEAD") -> dict[str, str]:
    found = git(root, "log", "-1", "--format=%(trailers:only,unfold)", revision)
    return dict(line.split(": ", 1) for line in found.splitlines() if ": " in line)


def snapshot(root: Path) -> tuple[str, str, dict[str, bytes]]:
    """HEAD, `git status`, and every file's bytes outside .git: what a refusal must leave as it was."""
    files = {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts and ".tiandz" not in path.relative_to(root).parts
    }
    return head(root), git(root, "status", "--porcelain"), files

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
        git(place, "config", "tiandz.office", "true")  # each clone records as the office does (roles: tests/test_roles.py)
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
