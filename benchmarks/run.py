"""Times tiandz commands as whole processes on generated ledgers: python benchmarks/run.py [--startup] [N …].

For each size it generates a ledger (benchmarks/generate.py) in a temporary folder and times, each as a
fresh `tiandz` process: --help, check on a first run (no cache), check again (files unchanged), list,
show of one item, the progress report in JSON (first run, files unchanged, an earlier as-of date) and as docx, the xlsx
export, and the step commands with their git commit (each undone with `git reset --hard` before the next
run); once, before the sizes, `letter --all` on a small ledger. Prints a Markdown table for README.

In the same run it times two references and prints, for each size, a second table of each start-up time as a
multiple of its reference: R1, `python -c "import typer, pydantic"` with the same interpreter (the floor of
any typer CLI), for --help (target ≤ 1.6 × R1) and show (≤ 2.0 × R1); R2, a plain `git commit` of one
changed item file in the same generated repository (undone like the steps), for assign, contact and reply
(≤ 3 × R2 each). The quick commands (R1, R2, --help, show) are timed 7 times, the others 3; each figure is
the median.

With --startup only --help, show, the steps and the references are timed (the ledger is checked once,
untimed, so that show and the steps find the cache as in the full run); check, list, report, export and
letter are left out. Measured here, never in tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

TIANDZ = [sys.executable, "-m", "tiandz"]
IMPORTS = [sys.executable, "-c", "import typer, pydantic"]
QUICK = 7  # repeats for the commands of a fraction of a second, whose times are noisy
REFERENCES = {"R1": '`python -c "import typer, pydantic"`', "R2": "`git commit -q -m x -- 一个改动的事项文件`"}
TARGETS = [  # command, its reference, the highest multiple of it
    ("tiandz --help", "R1", 1.6), ("show J-1", "R1", 2.0),
    ("assign（含提交）", "R2", 3.0), ("contact（含提交）", "R2", 3.0), ("reply（含编文号和提交）", "R2", 3.0),
]


def timed_process(command: list[str], repeat: int = 3, before=None, after=None) -> float:
    """The median time of `command` run `repeat` times as a fresh process; `before` and `after` are not timed."""
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode:
            raise SystemExit(f"{' '.join(command)} failed: {result.stderr}")
        if after:
            after()
    return statistics.median(times)


def timed(arguments: list[str], repeat: int = 3, before=None, after=None) -> float:
    return timed_process(TIANDZ + arguments, repeat, before, after)


def undo_commit(root: Path) -> None:
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "HEAD~1"], check=True)


def git_commit_time(root: Path) -> float:
    """R2: a plain `git commit` of one item file with a line appended, in the ledger's repository; undone after each run."""
    relative = "2024/2024-J-0001.yaml"

    def change() -> None:
        with open(root / relative, "a", encoding="utf-8") as file:
            file.write("# bench\n")

    commit = ["git", "-C", str(root), "commit", "-q", "-m", "x", "--", relative]
    return timed_process(commit, QUICK, before=change, after=lambda: undo_commit(root))


def first_id(root: Path, state: str) -> str:
    listed = subprocess.run(TIANDZ + ["list", "--state", state, "--json", "--ledger", str(root)], capture_output=True, text=True)
    return json.loads(listed.stdout)[0]["编号"]


def step_rows(root: Path, size: int) -> list[tuple]:
    """Each step on one item of a ledger of `size` items, commit included; undone after each run."""
    ledger = ["--ledger", str(root)]
    undo = lambda: undo_commit(root)
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


def size_rows(root: Path, size: int, startup: bool) -> tuple[list[tuple], dict[str, float]]:
    """The rows of the first table for one ledger, and the references R1 and R2 timed on it."""
    ledger = ["--ledger", str(root)]
    drop_cache = lambda: shutil.rmtree(root / ".tiandz", ignore_errors=True)
    references = {"R1": timed_process(IMPORTS, QUICK)}
    rows = [(size, "tiandz --help", timed(["--help"], QUICK))]
    if startup:
        timed(["check", *ledger], repeat=1)  # the cache, as the full run leaves it before show
        rows.append((size, "show J-1", timed(["show", "J-1", *ledger], QUICK)))
    else:
        rows.append((size, "check（首次，无缓存）", timed(["check", *ledger], before=drop_cache)))
        timed(["check", *ledger], repeat=1)
        rows.append((size, "check（文件未变）", timed(["check", *ledger])))
        rows.append((size, "list（文件未变）", timed(["list", *ledger])))
        rows.append((size, "list --overdue --json", timed(["list", "--overdue", "--json", *ledger])))
        rows.append((size, "show J-1", timed(["show", "J-1", *ledger], QUICK)))
        report = ["report", "--format", "json", "-o", "-", *ledger]
        rows.append((size, "report --format json（首次，无缓存）", timed(report, before=drop_cache)))
        timed(report, repeat=1)
        rows.append((size, "report --format json（文件未变）", timed(report)))
        rows.append((size, "report --as-of 8月10日 --format json", timed([*report, "--as-of", "2024-08-10"])))
        docx = ["report", "--format", "docx", "-o", str(root / "out" / "报告.docx"), "--as-of", "2024-08-10", *ledger]
        rows.append((size, "report --format docx（Word 报告）", timed(docx)))
        rows.append((size, "export（xlsx）", timed(["export", "-o", str(root / "out" / "台账.xlsx"), *ledger])))
    references["R2"] = git_commit_time(root)
    rows += step_rows(root, size)
    return rows, references


def print_ratios(size: int, rows: list[tuple], references: dict[str, float]) -> None:
    seconds = {command: time_ for row_size, command, time_ in rows if row_size == size}
    print()
    print(f"{size} 件，参照用时（秒，中位数，各 {QUICK} 次）：" + "；".join(
        f"{name} {command} {references[name]:.3f}" for name, command in REFERENCES.items()))
    print()
    print("| 命令 | 用时 | 参照 | 参照用时 | 倍数 | 目标 |")
    print("|---|---:|---|---:|---:|---|")
    for command, reference, limit in TARGETS:
        multiple = seconds[command] / references[reference]
        verdict = "达标" if multiple <= limit else "未达标"
        print(f"| `{command}` | {seconds[command]:.3f} | {reference} | {references[reference]:.3f} | {multiple:.2f} | ≤ {limit:.1f}（{verdict}） |")


def main(sizes: list[int], startup: bool = False) -> None:
    rows = [] if startup else letter_rows()
    references = {}
    for size in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"tiandz-bench-{size}-"))
        generate(root, size)
        time.sleep(2.1)  # files younger than 2 s are never cached (same-tick edits); a real ledger is older
        timed_rows, references[size] = size_rows(root, size, startup)
        rows += timed_rows
        shutil.rmtree(root)
    print("| 件数 | 命令 | 用时（秒，中位数） |")
    print("|---:|---|---:|")
    for size, command, seconds in rows:
        print(f"| {size} | `{command}` | {seconds:.2f} |")
    for size in sizes:
        print_ratios(size, rows, references[size])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, metavar="N", help="件数（默认 1000 和 15000）")
    parser.add_argument("--startup", action="store_true", help="只测 --help、show、各步骤和参照用时")
    arguments = parser.parse_args()
    main(arguments.sizes or [1000, 15000], arguments.startup)
