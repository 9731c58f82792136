"""Times tiandz commands as whole processes on generated ledgers: python benchmarks/run.py [N …].

For each size it generates a ledger (benchmarks/generate.py) in a temporary folder and times, each as a
fresh `tiandz` process: --help, check on a first run (no cache), check again (files unchanged), list,
show of one item. Prints a Markdown table for README. Measured here, never in tests.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

TIANDZ = [sys.executable, "-m", "tiandz"]


def timed(arguments: list[str], repeat: int = 3, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(TIANDZ + arguments, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(sizes: list[int]) -> None:
    rows = []
    for size in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"tiandz-bench-{size}-"))
        generate(root, size)
        time.sleep(2.1)  # files younger than 2 s are never cached (same-tick edits); a real ledger is older
        ledger = ["--ledger", str(root)]
        drop_cache = lambda: shutil.rmtree(root / ".tiandz", ignore_errors=True)  # noqa: E731
        rows.append((size, "tiandz --help", timed(["--help"])))
        rows.append((size, "check（首次，无缓存）", timed(["check", *ledger], before=drop_cache)))
        timed(["check", *ledger], repeat=1)
        rows.append((size, "check（文件未变）", timed(["check", *ledger])))
        rows.append((size, "list（文件未变）", timed(["list", *ledger])))
        rows.append((size, "list --overdue --json", timed(["list", "--overdue", "--json", *ledger])))
        rows.append((size, "show J-1", timed(["show", "J-1", *ledger])))
        shutil.rmtree(root)
    print("| 件数 | 命令 | 用时（秒，中位数） |")
    print("|---:|---|---:|")
    for size, command, seconds in rows:
        print(f"| {size} | `{command}` | {seconds:.2f} |")


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [1000, 15000])
