"""Times tiandz commands as whole processes on generated ledgers: python benchmarks/run.py [--startup | --cache] [N …].

For each size it generates a ledger (benchmarks/generate.py, under git) in a temporary folder, checks it
once so the cache is as a clerk's ledger has it, and times each command as a fresh `python -m tiandz`
process (median of 3): check on a first run (no cache) and again (files unchanged), list, the progress
report in JSON (first run, files unchanged, an earlier as-of date) and as docx, and the xlsx export; once,
before the sizes, `letter --all` on a small ledger and `letter --all --compile` of about 1,000 replies.

The start-up commands are timed against references, each run in turn with its reference so that a busy
moment of the machine slows both alike, and judged by the median of the pairs' ratios: --help (target
≤ 1.6) and show (≤ 2.0) against R1, `python -c "import typer, pydantic"` with the same interpreter (the floor
of any typer CLI); assign, contact and reply, commit included and each undone with `git reset --hard`,
against R2 (≤ 3.0), a plain `git commit` of one changed item file in the same repository, undone alike.

The whole-ledger commands are also timed against R3, parsing every item file of the ledger with PyYAML's C
loader (yaml.CSafeLoader) in one process, the floor of any tool that reads the files, each in turns with R3 and
judged by the median of the pairs' ratios: check on a first run
(target ≤ 0.5), check again with the files unchanged (≤ 0.06), `report --format json` again (≤ 0.08), and
check on the next day (the cache and check's memo keep nothing that depends on today, so this is check again;
a process doing what `tiandz check` does, with tomorrow's date, as no command takes a date). And the 交办会:
`assign --from` a plan of one row per item on a ledger of as many items none yet assigned, commit included,
in turns with R3 on that ledger, judged by the median of the pairs' ratios (≤ 2.0).

`import` of a list of N rows in two sheets (benchmarks/generate.py's generate_list) into an empty ledger,
commit included (undone with `git reset --hard` after each run), is timed in turns with R3 on a generated
ledger of N items (target ≤ 2.0).

The Word report with its charts is timed in turns with the same report `--no-charts` (target ≤ 1.5: the
pictures, matplotlib's import included, may cost at most half the report again).

`todo` (the office's list, and one unit's as JSON) and `remind` (a 催办通知 for every unit and the .ics) are
timed on the checked ledger of each size.

`--history N`: `tiandz log` on a ledger of 15,000 items whose history has N commits (generate.py's
generate_history, one `git fast-import`; about one commit in forty a merge). Timed: git's plain walk of
the item's path (what `log` waited for before it kept a commit-graph); `log` the first time (no graph: the
plain walk, the graph written by a detached git), how long that git took, `log` again (median of 5); and a
`contact` on the item followed by `log` (the new commit added to the graph as a layer), 5 times.

With --startup only the start-up table is made, with --cache only the R3 table, with --import only the
import table and the 交办会 (`assign --from`) row, both issue 12 targets, with --charts only the charts table, with --todo only todo and remind. Prints Markdown tables for README. Measured here, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, generate_empty, generate_history, generate_list, write_plan

from tiandz.ledger import commitgraph

TIANDZ = [sys.executable, "-m", "tiandz"]
IMPORTS = [sys.executable, "-c", "import typer, pydantic"]
# What R1 leaves out: pydantic's import is lazy, and its model layer (which typer's own option parsing uses
# from 0.22 on, as every tiandz command does) only loads with the first model. Timed against R1 for scale.
MODEL_LAYER = [sys.executable, "-c", "import typer, typer._adapters\nfrom pydantic import BaseModel\nclass A(BaseModel):\n    a: int = 0"]
QUICK = 9  # repeats for the commands of a fraction of a second, whose times are noisy
STEPS = 5  # repeats of a step, each in turn with a plain git commit
REFERENCES = {"R1": '`python -c "import typer, pydantic"`', "R2": "`git commit -q -m x -- 一个改动的事项文件`",
              "R3": "用 PyYAML 的 C 加载器（yaml.CSafeLoader）在一个进程里解析全部条目文件"}
PARSE_ALL = "import sys, pathlib, yaml\nfor path in sorted(pathlib.Path(sys.argv[1]).glob('[0-9]*/*.yaml')):\n" \
            "    with open(path, encoding='utf-8') as stream:\n        yaml.load(stream, Loader=yaml.CSafeLoader)"
# What `tiandz check` does on the next day, as no command takes a date: the memo (cli/quick.py), else the scan.
NEXT_DAY = "import sys, datetime as dt; from tiandz import api\nday = dt.date.today() + dt.timedelta(days=1)\n" \
           "if api.recall_check(sys.argv[1], day) is None:\n    api.check_ledger(api.open_ledger(sys.argv[1]), today=day)"
CACHE_TARGETS = [  # command, the highest multiple of R3
    ("check（首次，无缓存）", 0.5), ("check（文件未变）", 0.06), ("report --format json（文件未变）", 0.08), ("check（次日，文件未变）", 0.06),
]
IMPORT_TARGET = 2.0  # import of an N-row list, as a multiple of R3 on N items
CHART_TARGET = ("report --format docx（附图表）", 1.5)  # against the same report --no-charts
PLAN_TARGET = ("assign --from 交办方案.xlsx（全部待交办，一次提交）", 2.0)
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


def paired(command: list[str], reference: list[str], repeat: int, *, before=None, after=None,
           before_reference=None, after_reference=None) -> tuple[float, float, float]:
    """`command` and its reference run in turns, so a busy moment of the machine slows both alike.

    Returns the medians of the command's times, of the reference's, and of the ratios of each pair.
    """
    own, references, ratios = [], [], []
    for _ in range(repeat):
        reference_time = timed_process(reference, 1, before=before_reference, after=after_reference)
        command_time = timed_process(command, 1, before=before, after=after)
        own.append(command_time)
        references.append(reference_time)
        ratios.append(command_time / reference_time)
    return statistics.median(own), statistics.median(references), statistics.median(ratios)


def undo_commit(root: Path) -> None:
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "HEAD~1"], check=True)


def git_commit(root: Path) -> tuple[list[str], Callable, Callable]:
    """R2: a plain `git commit` of one item file with a line appended (the change and the undo not timed)."""
    relative = "2024/2024-J-0001.yaml"

    def change() -> None:
        with open(root / relative, "a", encoding="utf-8") as file:
            file.write("# bench\n")

    commit = ["git", "-C", str(root), "commit", "-q", "-m", "x", "--", relative]
    return commit, change, lambda: undo_commit(root)


def first_id(root: Path, state: str) -> str:
    listed = subprocess.run(TIANDZ + ["list", "--state", state, "--json", "--ledger", str(root)], capture_output=True, text=True)
    return json.loads(listed.stdout)[0]["编号"]


def step_commands(root: Path) -> dict[str, list[str]]:
    """Each step on one item of the ledger, commit included (each run is undone with git reset)."""
    ledger = ["--ledger", str(root)]
    unassigned, in_progress = first_id(root, "待交办"), first_id(root, "办理中")
    answer = root / "out" / "答复.txt"  # out/ is ignored by git
    answer.parent.mkdir(exist_ok=True)
    answer.write_text("经研究，答复如下：\n一、已列入计划。\n", encoding="utf-8")
    leads = json.loads(subprocess.run(TIANDZ + ["list", "--json", *ledger], capture_output=True, text=True).stdout)
    unit = next(row["主办"][0] for row in leads if row["编号"] == in_progress)
    # A reply needs a contact first (规则.答复前须沟通): one, committed and kept.
    subprocess.run(TIANDZ + ["contact", in_progress, "--by", "电话", "--unit", unit, "--date", "2024-05-01", *ledger], check=True, capture_output=True)
    return {
        "assign（含提交）": ["assign", unassigned, "--lead", "教体局", "--date", "2024-05-01", *ledger],
        "contact（含提交）": ["contact", in_progress, "--by", "电话", "--unit", unit, "--date", "2024-05-01", *ledger],
        "reply（含编文号和提交）": ["reply", in_progress, "--unit", unit, "--category", "B", "--text-file", str(answer),
                               "--date", "2024-05-02", *ledger],
    }


def startup_rows(root: Path, size: int) -> list[tuple]:
    """(size, command, seconds, reference, reference seconds, multiple) for each start-up target, each command
    timed in turns with its reference."""
    undo = lambda: undo_commit(root)
    commands = {"tiandz --help": ["--help"], "show J-1": ["show", "J-1", "--ledger", str(root)], **step_commands(root)}
    commit, change, undo_change = git_commit(root)
    rows = []
    for name, reference, _ in TARGETS:
        if reference == "R1":
            result = paired(TIANDZ + commands[name], IMPORTS, QUICK)
        else:
            result = paired(TIANDZ + commands[name], commit, STEPS, after=undo, before_reference=change,
                            after_reference=undo_change)
        rows.append((size, name, result[0], reference, *result[1:]))
    result = paired(MODEL_LAYER, IMPORTS, QUICK)
    rows.append((size, "（参考）typer 加 pydantic 模型层，不含 tiandz", result[0], "R1", *result[1:]))
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


def volume_rows(answered: int = 1000) -> list[tuple]:
    """`letter --all --compile`: about 1,000 replies in one Word volume (target ≤ 30 s)."""
    root = Path(tempfile.mkdtemp(prefix="tiandz-bench-volume-"))
    size = answered * 5 // 3  # generate.py answers about 60% of the items, as for letter_rows
    generate(root, size)
    volume = root / "汇编.docx"
    command = ["letter", "--all", "--compile", "-o", str(volume), "--ledger", str(root)]
    subprocess.run(TIANDZ + command, capture_output=True, text=True, check=True)
    letters = sum(1 for path in (root / str(2024)).glob("*.yaml") if "答复:" in path.read_text(encoding="utf-8"))
    row = (size, f"letter --all --compile（{letters} 件答复汇编为一个文件）", timed(command))
    shutil.rmtree(root)
    return [row]


def drop_cache(root: Path) -> None:
    """tiandz's scan cache and memos live in the ledger's state folder, inside the git directory."""
    state = root / ".git" / "tiandz"
    for name in ("scan-cache.json", "scan-check.json"):
        (state / name).unlink(missing_ok=True)
    shutil.rmtree(state / "reports", ignore_errors=True)


def cache_rows(root: Path, size: int) -> list[tuple]:
    """(size, command, seconds, R3 seconds, multiple) for each whole-ledger target against R3, each command run
    in turns with R3 (a busy moment of the machine slows both alike) and judged by the median of the ratios."""
    ledger = ["--ledger", str(root)]
    parse_all = [sys.executable, "-c", PARSE_ALL, str(root)]
    report = TIANDZ + ["report", "--format", "json", "-o", "-", *ledger]
    check = TIANDZ + ["check", *ledger]
    times = {"check（首次，无缓存）": paired(check, parse_all, 3, before=lambda: drop_cache(root))}
    timed_process(check, repeat=1)
    times["check（文件未变）"] = paired(check, parse_all, 3)
    timed_process(report, repeat=1)
    times["report --format json（文件未变）"] = paired(report, parse_all, 3)
    times["check（次日，文件未变）"] = paired([sys.executable, "-c", NEXT_DAY, str(root)], parse_all, 3)
    return [(size, name, *result) for name, result in times.items()]


def import_rows(root: Path, size: int) -> list[tuple]:
    """(rows, command, seconds, R3 seconds, multiple): `import` of a two-sheet list into an empty ledger, in
    turns with R3 parsing the N item files of `root`.

    Each run imports into a fresh copy of the empty ledger; the ledger of the run before is moved aside, and
    all are removed at the end. Removing 15,000 files just before (a `git reset --hard`, as this script once
    did) slows the creation of files on this machine's disk (ext4 with online discard) twenty-fold for
    several seconds: the import then measured the disk's aftermath of the benchmark, not a clerk's import.
    """
    base = Path(tempfile.mkdtemp(prefix=f"tiandz-bench-import-{size}-"))
    template, ledger = base / "empty", base / "ledger"
    generate_empty(template)
    sheet = base / "交办清单.xlsx"
    generate_list(sheet, size)
    command = TIANDZ + ["import", str(sheet), "--date", "2024-03-10", "--ledger", str(ledger)]
    runs = []

    def fresh() -> None:
        if ledger.exists():
            runs.append(ledger.rename(base / f"imported-{len(runs)}"))
        shutil.copytree(template, ledger, symlinks=True)
        if hasattr(os, "sync"):
            os.sync()

    seconds, parse_all, multiple = paired(command, [sys.executable, "-c", PARSE_ALL, str(root)], 3, before=fresh)
    shutil.rmtree(base)
    return [(size, "import（两个工作表的清单，含提交）", seconds, parse_all, multiple)]


def print_import(rows: list[tuple]) -> None:
    print("| 行数 | 命令 | 用时 | R3 用时 | 倍数（逐对之比的中位数） | 目标 |")
    print("|---:|---|---:|---:|---:|---|")
    for size, name, seconds, reference_seconds, multiple in rows:
        goal = f"≤ {IMPORT_TARGET:.1f}（{'达标' if multiple <= IMPORT_TARGET else '未达标'}）"
        print(f"| {size} | `{name}` | {seconds:.2f} | {reference_seconds:.2f} | {multiple:.2f} | {goal} |")
    print()
    print(f"R3 = {REFERENCES['R3']}（同样件数的生成台账）。import 与 R3 交替各 3 次。")
    print()


def plan_rows(size: int) -> list[tuple]:
    """(size, command, seconds, R3 seconds, multiple) for the 交办会: `assign --from` a plan of one row per
    item on a ledger of `size` items none yet assigned (generate.py, unassigned), against R3 on that ledger.

    Before each pair (not timed) a copy of the ledger in its registered state takes its place and is checked,
    so the scan cache is as a clerk's ledger has it; then R3 and the command run in turn (a busy moment of a shared
    machine slows both alike), judged by the median of the pairs' ratios. The commit and the files written
    are part of the time.
    """
    base = Path(tempfile.mkdtemp(prefix=f"tiandz-bench-plan-{size}-"))
    template, root = base / "registered", base / "ledger"
    generate(template, size, unassigned=True)
    plan = base / "交办方案.xlsx"
    rows = write_plan(template, plan)
    # A copy of the registered ledger for each run, made before any is timed: going back by `git reset --hard`
    # rewrote 15,000 files just before the run, and this machine's disk (ext4 with online discard) is many
    # times slower for several seconds after that. A clerk's 交办会 does not follow such a rewrite.
    copies = [shutil.copytree(template, base / f"copy-{number}", symlinks=True) for number in range(3)]
    if hasattr(os, "sync"):
        os.sync()
    time.sleep(10)
    done = []

    def registered_state() -> None:
        if root.exists():
            done.append(root.rename(base / f"done-{len(done)}"))
        copies.pop(0).rename(root)
        # git's index holds the original's inodes: refreshed here, as a clerk's own index is fresh
        subprocess.run(["git", "-C", str(root), "update-index", "-q", "--refresh"], capture_output=True, check=False)
        time.sleep(2.1)  # files younger than 2 s are never cached
        subprocess.run(TIANDZ + ["check", "--ledger", str(root)], capture_output=True, check=False)
        if hasattr(os, "sync"):
            os.sync()

    command = TIANDZ + ["assign", "--from", str(plan), "--date", "2024-03-20", "--ledger", str(root)]
    seconds, parse_all, multiple = paired(command, [sys.executable, "-c", PARSE_ALL, str(root)], 3,
                                          before_reference=registered_state)
    shutil.rmtree(base)
    return [(size, f"{PLAN_TARGET[0]}，{rows} 行", seconds, parse_all, multiple)]


def chart_rows(root: Path, size: int) -> list[tuple]:
    """(size, command, seconds, seconds without charts, multiple): the Word report with its charts against the
    same report --no-charts, in turns."""
    docx = TIANDZ + ["report", "--format", "docx", "-o", str(root / "out" / "报告.docx"), "--as-of", "2024-08-10", "--ledger", str(root)]
    timed_process(docx, repeat=1)  # matplotlib's font cache, as on any machine that has drawn a chart once
    return [(size, CHART_TARGET[0], *paired(docx, [*docx, "--no-charts"], 3))]


def print_charts(rows: list[tuple]) -> None:
    print("| 件数 | 命令 | 用时 | 不附图表用时 | 倍数（逐对之比的中位数） | 目标 |")
    print("|---:|---|---:|---:|---:|---|")
    for size, name, seconds, bare, multiple in rows:
        goal = f"≤ {CHART_TARGET[1]:.1f}（{'达标' if multiple <= CHART_TARGET[1] else '未达标'}）"
        print(f"| {size} | `{name}` | {seconds:.2f} | {bare:.2f} | {multiple:.2f} | {goal} |")
    print()


def size_rows(root: Path, size: int) -> list[tuple]:
    """The rows of the first table for one ledger (all but the start-up commands, which startup_rows times)."""
    ledger = ["--ledger", str(root)]
    drop = lambda: drop_cache(root)
    rows = [(size, "check（首次，无缓存）", timed(["check", *ledger], before=drop))]
    timed(["check", *ledger], repeat=1)
    rows.append((size, "check（文件未变）", timed(["check", *ledger])))
    rows.append((size, "list（文件未变）", timed(["list", *ledger])))
    rows.append((size, "list --overdue --json", timed(["list", "--overdue", "--json", *ledger])))
    report = ["report", "--format", "json", "-o", "-", *ledger]
    rows.append((size, "report --format json（首次，无缓存）", timed(report, before=drop)))
    timed(report, repeat=1)
    rows.append((size, "report --format json（文件未变）", timed(report)))
    rows.append((size, "report --as-of 8月10日 --format json", timed([*report, "--as-of", "2024-08-10"])))
    docx = ["report", "--format", "docx", "-o", str(root / "out" / "报告.docx"), "--as-of", "2024-08-10", *ledger]
    rows.append((size, "report --format docx（Word 报告）", timed(docx)))
    rows.append((size, "report --format docx --no-charts", timed([*docx, "--no-charts"])))
    rows.append((size, "export（xlsx）", timed(["export", "-o", str(root / "out" / "台账.xlsx"), *ledger])))
    return rows + todo_rows(root, size)


def todo_rows(root: Path, size: int) -> list[tuple]:
    """`todo` as the office and as one unit sees it, and `remind` (a notice for every unit and the .ics), on
    a ledger whose cache is warm (its facts file read, as the report reads it)."""
    ledger = ["--ledger", str(root)]
    timed(["todo", *ledger], repeat=1)
    return [
        (size, "todo（交办机关，文件未变）", timed(["todo", *ledger])),
        (size, "todo --unit 教体局 --json", timed(["todo", "--unit", "教体局", "--json", *ledger])),
        (size, "remind（每个单位一份通知和 .ics）", timed(["remind", "--within", "30", "-o", str(root / "out" / "催办"), *ledger])),
    ]


def print_startup(rows: list[tuple]) -> None:
    print("| 件数 | 命令 | 用时 | 参照 | 参照用时 | 倍数（逐对之比的中位数） | 目标 |")
    print("|---:|---|---:|---|---:|---:|---|")
    limits = {name: limit for name, _, limit in TARGETS}
    for size, name, seconds, reference, reference_seconds, multiple in rows:
        goal = f"≤ {limits[name]:.1f}（{'达标' if multiple <= limits[name] else '未达标'}）" if name in limits else "—"
        shown = f"`{name}`" if name in limits else name
        print(f"| {size} | {shown} | {seconds:.3f} | {reference} | {reference_seconds:.3f} | {multiple:.2f} | {goal} |")
    print()
    print("参照：" + "；".join(f"{name} = {command}" for name, command in REFERENCES.items())
          + f"。R1、--help、show 各 {QUICK} 次，R2 与各步骤各 {STEPS} 次，命令与参照交替运行。")


def print_cache(rows: list[tuple]) -> None:
    print("| 件数 | 命令 | 用时 | R3 用时 | 倍数 | 目标 |")
    print("|---:|---|---:|---:|---:|---|")
    limits = dict(CACHE_TARGETS)
    for size, name, seconds, reference_seconds, multiple in rows:
        limit = limits.get(name, PLAN_TARGET[1])
        goal = f"≤ {limit:.2f}（{'达标' if multiple <= limit else '未达标'}）"
        print(f"| {size} | `{name}` | {seconds:.2f} | {reference_seconds:.2f} | {multiple:.3f} | {goal} |")
    print()
    print(f"R3 = {REFERENCES['R3']}。各 3 次，与 R3 交替运行，倍数取逐对之比的中位数。")
    print()


def main(sizes: list[int], startup: bool = False, cache: bool = False, only_import: bool = False, charts: bool = False,
         todo: bool = False) -> None:
    rows = [] if startup or cache or only_import or charts or todo else letter_rows() + volume_rows()
    started, cached, imported, charted, planned = [], [], [], [], []
    for size in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"tiandz-bench-{size}-"))
        generate(root, size)
        if not startup and not cache and not charts and not todo:
            imported += import_rows(root, size)
        if only_import:  # issue 12's two targets together: the import above and the 交办会
            shutil.rmtree(root)
            planned += plan_rows(size)
            continue
        time.sleep(2.1)  # files younger than 2 s are never cached (same-tick edits); a real ledger is older
        timed(["check", "--ledger", str(root)], repeat=1)  # the cache, as a clerk's ledger has it
        if todo:
            rows += todo_rows(root, size)
            shutil.rmtree(root)
            continue
        if not startup and not cache:
            charted += chart_rows(root, size)
        if charts:
            shutil.rmtree(root)
            continue
        if not startup:
            cached += cache_rows(root, size)
            cached += plan_rows(size)
        if not startup and not cache:
            rows += size_rows(root, size)
        if not cache:
            started += startup_rows(root, size)
        shutil.rmtree(root)
    if imported:
        print_import(imported)
    if planned:
        print_cache(planned)
    if charted:
        print_charts(charted)
    if cached:
        print_cache(cached)
    if rows:
        print("| 件数 | 命令 | 用时（秒，中位数） |")
        print("|---:|---|---:|")
        for size, command, seconds in rows:
            print(f"| {size} | `{command}` | {seconds:.2f} |")
        print()
    if started:
        print_startup(started)


HISTORY_ITEMS = 15000


def history_rows(commits: int, keep: Path | None = None) -> list[tuple]:
    """(what, seconds) for `tiandz log` on a ledger whose history has `commits` commits; with `keep`, the ledger
    is generated there once and kept (its commit-graph removed before each run), as generating takes minutes."""
    root = keep or Path(tempfile.mkdtemp(prefix=f"tiandz-bench-history-{commits}-"))
    if not (root / ".git").is_dir():
        started = time.perf_counter()
        generate_history(root, HISTORY_ITEMS, commits)
        print(f"（生成 {commits} 次提交的台账用了 {time.perf_counter() - started:.0f} 秒）", file=sys.stderr)
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "reset", "-q", "--hard", "refs/heads/main"], check=True)  # a kept ledger: as generated
    for graph in ("commit-graph", "commit-graphs"):
        shutil.rmtree(root / ".git" / "objects" / "info" / graph, ignore_errors=True)
        (root / ".git" / "objects" / "info" / graph).unlink(missing_ok=True)
    # The item of the latest step, as a clerk looks up what was just done; it has about as many commits as any.
    message = subprocess.run([*git, "log", "-1", "--no-merges", "--format=%B"], capture_output=True, text=True).stdout
    item = next(line.split()[1] for line in message.splitlines() if line.startswith("Tiandz-Item:"))
    path = f"{item[:4]}/{item}.yaml"
    touched = len(subprocess.run([*git, "log", "--format=%H", "--", path], capture_output=True, text=True).stdout.split())
    log = TIANDZ + ["log", item, "--ledger", str(root)]
    plain = [*git, "-c", "core.commitGraph=false", "log", "-z", "--raw", "--no-abbrev", "--format=%H%x1f%an%x1f%B", "--", path]
    rows = [("git 的普通遍历（`git log -- 文件`，不用 commit-graph；原来的 log 即等它）", *with_cpu(plain, 3))]
    rows.append(("tiandz log（首次：没有 commit-graph，普通遍历，另起 git 在后台写入）", *with_cpu(log, 1)))
    started = time.perf_counter()
    while not commitgraph.covers_head(root):
        time.sleep(0.2)
    rows.append(("　后台写入 commit-graph（带 Bloom 过滤器）用时", time.perf_counter() - started, None))
    timed_process(log, 1)
    rows.append(("tiandz log（再次）", *with_cpu(log, 5)))
    text = (root / path).read_text(encoding="utf-8")
    unit = text.split("  主办: [", 1)[1].split("]", 1)[0].split(",")[0].strip()
    contact = TIANDZ + ["contact", item, "--by", "电话", "--unit", unit, "--date", f"{item[:4]}-05-20", "--ledger", str(root)]
    after_step = []
    for _ in range(5):
        subprocess.run(contact, capture_output=True, check=True)
        after_step.append(with_cpu(log, 1))
    rows.append(("contact 之后的 tiandz log（新提交补进 commit-graph）", *map(statistics.median, zip(*after_step))))
    rows.append(("contact（含提交，参考）", *with_cpu(contact, 3)))
    if keep:
        subprocess.run([*git, "update-ref", "refs/heads/main", f"HEAD~{len(after_step) + 3}"], check=True)
        subprocess.run([*git, "reset", "-q", "--hard"], check=True)
    else:
        shutil.rmtree(root)
    return [(f"{commits} 次提交，{HISTORY_ITEMS} 件，该件 {touched} 次提交", 0.0, None)] + rows


def with_cpu(command: list[str], repeat: int) -> tuple[float, float]:
    """The medians of the wall time and of the processor time (the process and the git it ran, user and
    system): on a busy machine the first grows with the load, the second hardly."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = os.times()
        walls.append(timed_process(command, 1))
        after = os.times()
        cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)
    return statistics.median(walls), statistics.median(cpus)


def print_history(rows: list[tuple]) -> None:
    print("| 命令 | 用时（秒） | 处理器时间（秒） |")
    print("|---|---:|---:|")
    for name, seconds, cpu in rows:
        if seconds == 0.0:
            print(f"| **{name}** | | |")
        else:
            print(f"| {name} | {seconds:.2f} | {'—' if cpu is None else f'{cpu:.2f}'} |")
    print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, metavar="N", help="件数（默认 1000 和 15000）")
    parser.add_argument("--startup", action="store_true", help="只测 --help、show、各步骤和参照用时")
    parser.add_argument("--cache", action="store_true", help="只测整本台账的命令与 R3（PyYAML C 加载器解析全部文件）之比")
    parser.add_argument("--import", dest="only_import", action="store_true", help="只测导入 N 行两个工作表的清单与 R3 之比")
    parser.add_argument("--charts", action="store_true", help="只测附图表的 Word 报告与不附图表的之比")
    parser.add_argument("--todo", action="store_true", help="只测 todo 和 remind")
    parser.add_argument("--history", type=int, metavar="N", help="只测 tiandz log：15,000 件、N 次提交的台账")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="与 --history 合用：台账生成在 DIR 并保留，下次直接用")
    arguments = parser.parse_args()
    if arguments.history:
        print_history(history_rows(arguments.history, arguments.keep))
        raise SystemExit(0)
    main(arguments.sizes or [1000, 15000], arguments.startup, arguments.cache, arguments.only_import, arguments.charts,
         arguments.todo)
