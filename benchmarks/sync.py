"""Times `tiandz sync` pulling 200 commits on a 15,000-item ledger: python benchmarks/sync.py [N] [COMMITS].

A generated ledger (benchmarks/generate.py) is put on a bare server; a second clone records COMMITS contacts,
one commit each, on as many items, and pushes them. The clone timed then runs `tiandz sync` as a fresh
process (median of 5), two ways: with no commit of its own (the server's commits taken as they are), and
with one contact of its own on an item the server's commits changed too (replayed on top, the item merged,
pushed). Between runs the clone, and the server for the second way, are put back (not timed). Target ≤ 2 s.
Prints a Markdown table for README. Measured here, never in tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from run import timed_process

TIANDZ = [sys.executable, "-m", "tiandz"]


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True, text=True).stdout


def add_contact(path: Path, note: str) -> bool:
    """A 沟通 entry after the item's first one (text edit, as a clerk's tiandz would make it); False if it has none."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"    单位: (.+)\n    人员: 赵六\n    内容: 了解建议主旨\n", text)
    if not found:
        return False
    entry = f"  - 日期: 2024-04-05\n    方式: 电话\n    单位: {found.group(1)}\n    内容: {note}\n"
    path.write_text(text[:found.end()] + entry + text[found.end():], encoding="utf-8")
    return True


def contacts(clone: Path, count: int, prefix: str) -> list[str]:
    """`count` commits in the clone, each a contact on its own item; the items' paths."""
    touched = []
    for path in sorted((clone / "2024").iterdir()):
        if len(touched) == count:
            break
        if add_contact(path, f"{prefix}{len(touched) + 1}"):
            relative = path.relative_to(clone).as_posix()
            git(clone, "commit", "-q", "-m", f"沟通 {path.stem}\n\nTiandz-Step: contact\nTiandz-Item: {path.stem}", "--", relative)
            touched.append(relative)
    return touched


def main(size: int = 15000, commits: int = 200) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        generate(base / "seed", size)
        git(base / "seed", "branch", "-M", "master")
        server = base / "server.git"
        git(base, "clone", "-q", "--bare", str(base / "seed"), str(server))
        for name in ("timed", "other"):
            git(base, "clone", "-q", str(server), str(base / name))
            git(base / name, "config", "user.name", name)
            git(base / name, "config", "user.email", f"{name}@example.org")
        clone, other = base / "timed", base / "other"
        touched = contacts(other, commits, "服务器上第")
        git(other, "push", "-q", "origin", "master")
        pulled = git(server, "rev-parse", "master").strip()
        start = git(clone, "rev-parse", "HEAD").strip()
        subprocess.run(TIANDZ + ["check", "--ledger", str(clone)], capture_output=True)  # the cache, as a clerk has it
        subprocess.run(TIANDZ + ["sync", "--ledger", str(clone)], capture_output=True)  # registers the driver once

        def back(to: str) -> None:
            git(clone, "reset", "-q", "--hard", to)
            git(clone, "update-ref", "refs/remotes/origin/master", start)
            git(server, "update-ref", "refs/heads/master", pulled)

        command = TIANDZ + ["sync", "--ledger", str(clone)]
        pull_only = timed_process(command, 5, before=lambda: back(start))
        git(clone, "reset", "-q", "--hard", start)
        add_contact(clone / touched[-1], "本地这一次")
        git(clone, "commit", "-q", "-am", f"沟通 本地\n\nTiandz-Step: contact\nTiandz-Item: {Path(touched[-1]).stem}")
        own = git(clone, "rev-parse", "HEAD").strip()
        with_own = timed_process(command, 5, before=lambda: back(own))
        merged = (clone / touched[-1]).read_text(encoding="utf-8")
        assert "本地这一次" in merged and f"服务器上第{commits}" in merged
        print("| 件数 | 命令 | 用时（秒，中位数） | 目标 |")
        print("|---:|---|---:|---|")
        print(f"| {size} | `sync`（取回 {commits} 个提交，本地无提交） | {pull_only:.2f} | ≤ 2（{'达标' if pull_only <= 2 else '未达标'}） |")
        print(f"| {size} | `sync`（取回 {commits} 个提交，本地 1 个提交与之同改一件：合并、推送） | {with_own:.2f} | ≤ 2（{'达标' if with_own <= 2 else '未达标'}） |")


if __name__ == "__main__":
    main(*[int(argument) for argument in sys.argv[1:]])
