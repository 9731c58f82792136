"""The way `tiandz log` did not take, timed: python benchmarks/history_index.py LEDGER ITEM-PATH.

An index of the commits that changed each item file (JSON in the state folder), built by one `git log --raw`
over every commit, then one lookup and one `git log --no-walk` of the commits it names. Timed only, for the
comparison in README (速度): it does not repeat git's history simplification (a merge that took one side's
file hides the other side's commits), so its answer is not `log`'s, which is the other reason it was not
chosen. Use it on a ledger `run.py --history N --keep DIR` generated.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path


def build(root: Path, index_file: Path) -> None:
    started = time.perf_counter()
    output = subprocess.run(["git", "-C", str(root), "log", "--raw", "--no-abbrev", "--no-renames", "-z", "--format=%x1e%H"],
                            capture_output=True, check=True).stdout.decode()
    index: dict[str, list[str]] = {}
    for record in output.split("\x1e")[1:]:
        commit, rest = record[:40], record[40:]
        tokens = [token for token in rest.split("\0") if token.strip("\n")]
        for path in tokens[1::2]:  # ":mode mode blob blob status", then the path
            index.setdefault(path, []).append(commit)
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    index_file.parent.mkdir(parents=True, exist_ok=True)
    index_file.write_text(json.dumps({"HEAD": head, "files": index}), encoding="utf-8")
    size = index_file.stat().st_size / 1e6
    print(f"建索引 {time.perf_counter() - started:.2f} 秒，{size:.1f} MB，{len(index)} 个文件")


def query(root: Path, index_file: Path, path: str) -> None:
    started = time.perf_counter()
    commits = json.loads(index_file.read_text(encoding="utf-8"))["files"].get(path, [])
    loaded = time.perf_counter() - started
    subprocess.run(["git", "-C", str(root), "log", "--no-walk=unsorted", "--raw", "--no-abbrev", "-z",
                    "--format=%H%x1f%an%x1f%B", *commits, "--", path], capture_output=True, check=True)
    print(f"查询 {time.perf_counter() - started:.3f} 秒（其中读 JSON {loaded:.3f} 秒），{len(commits)} 次提交")


if __name__ == "__main__":
    ledger, item = Path(sys.argv[1]), sys.argv[2]
    index_file = ledger / ".git" / "tiandz" / "bench-history-index.json"
    build(ledger, index_file)
    for _ in range(3):
        query(ledger, index_file, item)
    index_file.unlink()
