"""Times the server's guard: python benchmarks/guard.py [N] (default 15000).

It generates a ledger of N items (benchmarks/generate.py, under git), gives the lead unit of one item an
account (承办单位[].账号) and the office one (服务器.机关账号), makes a bare copy with the hook `tiandz server
install` writes, and a unit's commit (one 沟通 appended to that item, with its trailers) whose objects are in the
bare repository but not on its main branch. Then, in turns so that a busy moment of the machine slows both
alike: `tiandz verify-push` judging that commit as the pre-receive hook does (stdin `old new ref`, GL_USER
set, the bare repository as its working folder), and R2, a plain `git commit -q -m x -- FILE` of one changed
item file in the ledger (undone after each run, not timed). Target: the median of the pairs' ratios ≤ 4.
Also timed once, for scale: the whole `git push` of that commit through the hook. Prints a Markdown table
for README. Measured here, never in tests.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from run import git_commit

TARGET = 4.0
REPEAT = 7
ACCOUNT = "bench-unit"


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True, text=True).stdout


def once(command: list[str], *, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, input=stdin, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr}")
    return took


def prepare(base: Path, size: int) -> tuple[Path, Path, str, str]:
    """The ledger, its bare server, main's commit and the unit's pending commit (fetched, main not moved)."""
    ledger = base / "ledger"
    generate(ledger, size)
    chosen = next(path for path in sorted((ledger / "2024").glob("*.yaml"))
                  if "沟通:" in (text := path.read_text(encoding="utf-8")) and "答复:" not in text and "办结" not in text)
    lead = re.search(r"主办: \[(.+?)\]", chosen.read_text(encoding="utf-8")).group(1)
    config = ledger / "tiandz.yaml"
    text = config.read_text(encoding="utf-8").replace(f"  - 名称: {lead}\n", f"  - 名称: {lead}\n    账号: {ACCOUNT}\n")
    config.write_text(text + "服务器:\n  机关账号: [bench-office]\n", encoding="utf-8")
    git(ledger, "commit", "-q", "-am", "accounts")
    server = base / "server.git"
    git(base, "clone", "-q", "--bare", str(ledger), str(server))
    subprocess.run([sys.executable, "-m", "tiandz", "server", "install", str(server)], check=True, capture_output=True)
    main = git(ledger, "rev-parse", "HEAD").strip()
    item_id = chosen.stem
    with open(chosen, "a", encoding="utf-8") as stream:
        stream.write(f"  - 日期: 2024-04-20\n    方式: 电话\n    单位: {lead}\n")
    git(ledger, "commit", "-q", "-m", f"沟通\n\nTiandz-Step: contact\nTiandz-Item: {item_id}\nTiandz-Unit: {lead}", "--", str(chosen))
    pending = git(ledger, "rev-parse", "HEAD").strip()
    git(server, "fetch", "-q", str(ledger), f"{pending}:refs/bench/pending")
    git(ledger, "reset", "-q", "--hard", main)  # R2 commits on the ledger as it was
    return ledger, server, main, pending


def main(size: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tiandz-guard-bench-", ignore_cleanup_errors=True) as scratch:
        ledger, server, old, new = prepare(Path(scratch), size)
        environment = {**os.environ, "GL_USER": ACCOUNT}
        verify = [sys.executable, "-m", "tiandz", "verify-push"]
        branch = git(server, "symbolic-ref", "HEAD").strip()
        stdin = f"{old} {new} {branch}\n"
        commit, change, undo = git_commit(ledger)
        own, references, ratios = [], [], []
        for _ in range(REPEAT):
            change()
            reference = once(commit)
            undo()
            guard = once(verify, cwd=server, stdin=stdin, env=environment)
            own.append(guard)
            references.append(reference)
            ratios.append(guard / reference)
        clone = Path(scratch) / "clone"
        git(Path(scratch), "clone", "-q", str(server), str(clone))
        git(clone, "fetch", "-q", "origin", "refs/bench/pending")
        git(clone, "reset", "-q", "--hard", "FETCH_HEAD")
        whole = once(["git", "-C", str(clone), "push", "-q", f"--receive-pack=env GL_USER={ACCOUNT} git-receive-pack",
                      "origin", f"HEAD:{branch}"])
        ratio = statistics.median(ratios)
        print("| 件数 | 命令 | 用时 | R2 用时 | 倍数（逐对之比的中位数） | 目标 |")
        print("|---:|---|---:|---:|---:|---|")
        print(f"| {size} | `verify-push`（一个单位的一次提交，pre-receive） | {statistics.median(own):.2f} | "
              f"{statistics.median(references):.2f} | {ratio:.2f} | ≤ {TARGET:g}（{'达标' if ratio <= TARGET else '未达标'}） |")
        print(f"\n经钩子的整个 `git push`（一次）：{whole:.2f} 秒")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15000)
