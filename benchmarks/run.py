"""Times tiandz commands as whole processes on generated ledgers: python benchmarks/run.py [N …].

For each size it generates a ledger (benchmarks/generate.py) in a temporary folder and times, each as a
fresh `tiandz` process: --help, check on a first run (no cache), check again (files unchanged), list,
show of one item, the progress report in JSON (first run, files unchanged, an earlier as-of date) and as docx, the xlsx
export, and the step commands with their git commit (each undone with `git reset --hard` before the next
run). Prints a Markdown table for README. Measured here, never in tests.
"""

from __future__ import annotations

import json
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


def timed(arguments: list[str], repeat: int = 3, before=None, after=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        result = subprocess.run(TIANDZ + arguments, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode:
            raise SystemExit(f"tiandz {' '.join(arguments)} failed: {result.stderr}")
        if after:
            after()
    return statistics.median(times)


def first_id(root: Path, state: str) -> str:
    listed = subprocess.run(TIANDZ + ["list", "--state", state, "--json", "--ledger", str(root)], capture_output=True, text=True)
    return json.loads(listed.stdout)[0]["编号"]


def step_rows(root: Path, size: int) -> list[tuple]:
    """Each step on one item of a ledger of `size` items, commit included; undone after each run."""
    ledger = ["--ledger", str(root)]
    undo = lambda: subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "HEAD~1"], check=True)  # noqa: E731
    unassigned, in_progress = first_id(root, "待交办"), first_id(root, "办理中")
    answer = root / "out" / "答复.txt"  # out/ is ignored by git
    answer.parent.mkdir(exist_ok=True)
    answer.write_text("经研究，答复如下：\n一、已列入计划。\n", encoding="utf-8")
    rows = [
        (size, "assign（含提交）", timed(["assign", unassigned, "--lead", "教体局", "--date", "2024-05-01", *ledger], after=undo)),
        (size, "contact（含提交）", timed(["contact", in_progress, "--by", "电话", "--date", "2024-05-01", *ledger], after=undo)),
    ]
    leads = json.loads(subprocess.run(TIANDZ + ["list", "--json", *ledger], capture_output=True, text=True).stdout)
    unit = next(row["主办"][0] for row in leads if row["编号"] == in_progress)
    subprocess.run(TIANDZ + ["contact", in_progress, "--by", "电话", "--unit", unit, "--date", "2024-05-01", *ledger], check=True, capture_output=True)
    reply = ["reply", in_progress, "--unit", unit, "--category", "B", "--text-file", str(answer), "--date", "2024-05-02"]
    rows.append((size, "reply（含编文号和提交）", timed([*reply, *ledger], after=undo)))
    return rows


def letter_rows(answered: int = 100) -> list[tuple]:
    """`letter --all`: the yearly compilation of reply letters, each with its 征询意见表."""
    root = Path(tempfile.mkdtemp(prefix="tiandz-bench-letters-"))
    size = answered * 5 // 3  # generate.py answers about 60% of the items
    generate(root, size)
    ledger = ["--ledger", str(root)]
    result = subprocess.run(TIANDZ + ["letter", "--all", *ledger], capture_output=True, text=True, check=True)
    letters = result.stdout.count("已写答复函")
    row = (size, f"letter --all（{letters} 封答复函，含征询意见表）", timed(["letter", "--all", *ledger]))
    shutil.rmtree(root)
    return [row]


def main(sizes: list[int]) -> None:
    rows = letter_rows()
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
        report = ["report", "--format", "json", "-o", "-", *ledger]
        rows.append((size, "report --format json（首次，无缓存）", timed(report, before=drop_cache)))
        timed(report, repeat=1)
        rows.append((size, "report --format json（文件未变）", timed(report)))
        rows.append((size, "report --as-of 8月10日 --format json", timed([*report, "--as-of", "2024-08-10"])))
        docx = ["report", "--format", "docx", "-o", str(root / "out" / "报告.docx"), "--as-of", "2024-08-10", *ledger]
        rows.append((size, "report --format docx（Word 报告）", timed(docx)))
        rows.append((size, "export（xlsx）", timed(["export", "-o", str(root / "out" / "台账.xlsx"), *ledger])))
        rows += step_rows(root, size)
        shutil.rmtree(root)
    print("| 件数 | 命令 | 用时（秒，中位数） |")
    print("|---:|---|---:|")
    for size, command, seconds in rows:
        print(f"| {size} | `{command}` | {seconds:.2f} |")


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [1000, 15000])
