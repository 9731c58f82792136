"""Many offices on one ledger, at scale (issue 14): python benchmarks/offices.py [--items 15000] [--units 80] [--steps 20].

It generates a ledger of N items assigned over U units (each unit with a server account), puts it on a bare
"server" repository guarded by `tiandz server install`, makes the office's clone and one clone per unit with
`tiandz clone`, and then lets every unit do its steps (contacts on its items, replies where it is 主办 and has
contacted) in batches, each batch followed by `tiandz sync` pushing as the unit's account, the units in random
order, the office contacting on a unit's behalf now and then. At the end every clone syncs once more, and the
run asserts what issue 14 asks: no event lost (every contact and reply a step accepted is on the server, once),
every clone equal to the server, `tiandz check` clean in the office's clone. It prints the times: the whole run,
the median and slowest step and sync, and how many syncs had to put the unit's commits on top of others' first.

Measured in the same run, on the ledger and the history the scenario made (issue 14's targets): `verify-push` of
one unit's commit as the server's hook runs it, in turns with R2, a plain `git commit -q -m x -- FILE` of one
changed item file in a clone (median of the pairs' ratios, target ≤ 4); and a `tiandz sync` that pulls 200
commits into a clone that has never had them (made from a server copy 200 commits back, objects and all),
target ≤ 2 s.

Measured here, never in tests. Needs `tiandz clone`, `sync` and `server install` (tiandz ≥ issue 14).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

TIANDZ = [sys.executable, "-m", "tiandz"]
OFFICE_ACCOUNT = "office"


def units_of(count: int) -> list[tuple[str, str, str]]:
    return [(f"县第{n:02d}局", f"第{n:02d}局", f"第{n:02d}函") for n in range(1, count + 1)]


def account(unit_index: int) -> str:
    return f"u{unit_index + 1:02d}"


def build_ledger(root: Path, items: int, units: list[tuple[str, str, str]]) -> None:
    """benchmarks/generate.py's ledger with these units, each with its 账号, and the office's account."""
    generate.UNITS = units
    blocks = []
    for index, (name, short, prefix) in enumerate(units):
        blocks.append(f"  - 名称: {name}\n    简称: [{short}]\n    文号: {prefix}\n    签发人: 王五\n    联系人: 赵六\n"
                      f"    电话: '0937-1234567'\n    账号: {account(index)}")
    generate.unit_block = lambda: "\n".join(blocks)
    generate.CONFIG = generate.CONFIG + f"服务器:\n  身份变量: GL_USER\n  机关账号: [{OFFICE_ACCOUNT}]\n"
    generate.generate(root, items)


def run(command: list[str], cwd: Path, account_name: str | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "TIANDZ_LEDGER": str(cwd)}
    if account_name:
        environment["GL_USER"] = account_name
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} in {cwd} failed:\n{result.stdout}\n{result.stderr}")
    return result


def handled(root: Path, units: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, bool]]]:
    """Per unit, the items it handles: (编号, whether it is 主办 and may answer now)."""
    found: dict[str, list[tuple[str, bool]]] = {name: [] for name, _, _ in units}
    for path in sorted(root.glob("[0-9]*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        lead = re.search(r"^  主办: \[(.+)\]$", text, re.MULTILINE)
        co = re.search(r"^  协办: \[(.+)\]$", text, re.MULTILINE)
        answerable = "沟通:" in text and "答复:" not in text
        if lead:
            found[lead.group(1)].append((path.stem, answerable))
        if co:
            found[co.group(1)].append((path.stem, False))
    return found


def main(items: int, unit_count: int, steps: int, batches: int, seed: int, keep: bool) -> None:
    from tiandz import api

    rng = random.Random(seed)
    units = units_of(unit_count)
    work = Path(tempfile.mkdtemp(prefix="tiandz-offices-"))
    started = time.perf_counter()
    source = work / "source"
    build_ledger(source, items, units)
    server = work / "server.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(server)], check=True)
    run([*TIANDZ, "server", "install", str(server)], work)
    office = work / "office"
    run([*TIANDZ, "clone", str(server), str(office), "--office"], work)
    clones: dict[str, Path] = {}
    accounts: dict[str, str] = {}
    for index, (name, _, _) in enumerate(units):
        accounts[name] = account(index)
        clones[name] = work / account(index)
        run([*TIANDZ, "clone", str(server), str(clones[name]), "--unit", name], work)
    set_up = time.perf_counter() - started
    print(f"准备：{items} 件、{unit_count} 个单位的克隆，用时 {set_up:.0f} 秒", flush=True)

    todo = handled(source, units)
    accepted: list[tuple[str, str]] = []  # (编号, the contact's note or the reply's 文号): what must be on the server
    step_times: list[float] = []
    sync_times: list[float] = []
    merged_syncs = 0
    answered: set[str] = set()
    per_batch = max(1, steps // batches)
    rounds = [(name, batch) for name in clones for batch in range(batches)]
    rng.shuffle(rounds)
    for count, (name, batch) in enumerate(rounds, 1):
        clone = clones[name]
        ledger = api.open_ledger(clone)
        mine = todo[name]
        for number in range(per_batch):
            if not mine:
                break
            item_id, answerable = rng.choice(mine)
            begun = time.perf_counter()
            if answerable and item_id not in answered and rng.random() < 0.3:
                outcome = api.reply(ledger, item_id, api.Answer(category="A", text=f"{name}的答复（第{batch}批）"))
                answered.add(item_id)
                entry = f"答复:{name}"
            else:
                note = f"{name} 第{batch}批第{number}次沟通"
                outcome = api.contact(ledger, item_id, method="电话", person="赵六", note=note)
                entry = note
            step_times.append(time.perf_counter() - begun)
            if outcome.commit:
                accepted.append((item_id, entry))
        if rng.random() < 0.1:  # the office, on a unit's behalf
            office_ledger = api.open_ledger(office)
            item_id, _ = rng.choice(mine) if mine else (None, None)
            if item_id:
                note = f"机关代{name}沟通（{count}）"
                api.contact(office_ledger, item_id, method="面商", unit=name, person="督查室", note=note)
                accepted.append((item_id, note))
                run([*TIANDZ, "sync"], office, OFFICE_ACCOUNT)
        begun = time.perf_counter()
        said = run([*TIANDZ, "sync"], clone, accounts[name]).stdout
        sync_times.append(time.perf_counter() - begun)
        counts = re.search(r"取回 (\d+) 个提交，推送 (\d+) 个提交", said)
        merged_syncs += bool(counts and int(counts.group(1)) and int(counts.group(2)))
        if count % 20 == 0:
            print(f"  {count}/{len(rounds)} 批，已记录 {len(accepted)} 条", flush=True)

    for name, clone in clones.items():
        run([*TIANDZ, "sync"], clone, accounts[name])
    run([*TIANDZ, "sync"], office, OFFICE_ACCOUNT)
    server_head = subprocess.run(["git", "-C", str(server), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    unequal = [name for name, clone in clones.items()
               if subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip() != server_head]
    lost = []
    for item_id, entry in accepted:
        text = (office / item_id[:4] / f"{item_id}.yaml").read_text(encoding="utf-8")
        if entry.startswith("答复:"):
            present = text.count(f"单位: {entry[3:]}") >= 1 and "答复:" in text
        else:
            present = text.count(entry) == 1
        if not present:
            lost.append((item_id, entry))
    checked = subprocess.run([*TIANDZ, "check"], cwd=office, capture_output=True, text=True,
                             env={**os.environ, "TIANDZ_LEDGER": str(office)})
    total = time.perf_counter() - started
    first_unit = units[0][0]
    guard, plain, ratio = verify_push_against_commit(server, clones[first_unit], accounts[first_unit], todo[first_unit], work)
    pulls = sync_of_200(server, work)
    print()
    print("| 项目 | 结果 |")
    print("|---|---:|")
    print(f"| 条目 / 单位克隆 / 每单位步骤 | {items} / {unit_count} / {steps} |")
    print(f"| 记录的沟通和答复 | {len(accepted)} |")
    print(f"| 丢失或重复的记录 | {len(lost)} |")
    print(f"| 与服务器不一致的克隆 | {len(unequal)} |")
    print(f"| 最后 check | {'通过' if checked.returncode == 0 else '有问题'} |")
    print(f"| 一步（中位数 / 最慢） | {statistics.median(step_times):.2f} 秒 / {max(step_times):.2f} 秒 |")
    print(f"| 一次 sync（中位数 / 最慢） | {statistics.median(sync_times):.2f} 秒 / {max(sync_times):.2f} 秒 |")
    print(f"| 本单位的提交接在他人新提交之后推送的 sync | {merged_syncs} / {len(sync_times)} |")
    print(f"| 全程（含准备 {set_up:.0f} 秒） | {total:.0f} 秒 |")
    print()
    print("| 同一次运行中 | 用时 | 参照 | 倍数 | 目标 |")
    print("|---|---:|---:|---:|---|")
    print(f"| `verify-push`（一个单位的一次提交）与 R2（`git commit -- 文件`） | {guard:.2f} 秒 | {plain:.2f} 秒 | {ratio:.2f} | "
          f"≤ 4（{'达标' if ratio <= 4 else '未达标'}） |")
    pulled = statistics.median(pulls)
    print(f"| `sync` 取回 200 个提交（中位数，{len(pulls)} 次） | {pulled:.2f} 秒 | — | — | ≤ 2 秒（{'达标' if pulled <= 2 else '未达标'}） |")
    if lost or unequal or checked.returncode != 0:
        print(lost[:10], unequal[:10], checked.stdout[-2000:])
        raise SystemExit(1)
    if not keep:
        subprocess.run(["rm", "-rf", str(work)])
    else:
        print(f"保留在 {work}")


def verify_push_against_commit(server: Path, clone: Path, unit_account: str, mine: list[tuple[str, bool]], work: Path,
                               repeat: int = 5) -> tuple[float, float, float]:
    """verify-push judging one unit commit (its objects on the server, main not moved), in turns with R2."""
    from tiandz import api

    branch = subprocess.run(["git", "-C", str(server), "symbolic-ref", "HEAD"], capture_output=True, text=True).stdout.strip()
    run([*TIANDZ, "sync"], clone, unit_account)
    old = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    api.contact(api.open_ledger(clone), mine[0][0], method="电话", note="计时用的一次沟通")
    new = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    subprocess.run(["git", "-C", str(server), "fetch", "-q", str(clone), f"{new}:refs/bench/pending"], check=True)
    subprocess.run(["git", "-C", str(clone), "reset", "-q", "--hard", old], check=True)
    item = next((clone / mine[0][0][:4]).glob("*.yaml"))
    ratios, guards, plains = [], [], []
    for _ in range(repeat):
        with open(item, "a", encoding="utf-8") as stream:
            stream.write("# 计时\n")
        begun = time.perf_counter()
        subprocess.run(["git", "-C", str(clone), "commit", "-q", "-m", "x", "--", str(item)], check=True)
        plains.append(time.perf_counter() - begun)
        subprocess.run(["git", "-C", str(clone), "reset", "-q", "--hard", old], check=True)
        begun = time.perf_counter()
        judged = subprocess.run([*TIANDZ, "verify-push"], cwd=server, input=f"{old} {new} {branch}\n", capture_output=True,
                                text=True, env={**os.environ, "GL_USER": unit_account})
        guards.append(time.perf_counter() - begun)
        if judged.returncode != 0:
            raise SystemExit(f"verify-push refused the timed commit: {judged.stdout}{judged.stderr}")
        ratios.append(guards[-1] / plains[-1])
    subprocess.run(["git", "-C", str(server), "update-ref", "-d", "refs/bench/pending"], check=True)
    return statistics.median(guards), statistics.median(plains), statistics.median(ratios)


def sync_of_200(server: Path, work: Path, commits: int = 200, repeat: int = 3) -> list[float]:
    """`tiandz sync` in an office clone that has none of the server's last 200 commits, not even their objects."""
    behind = work / "behind.git"
    subprocess.run(["git", "clone", "-q", "--bare", "--no-local", str(server), str(behind)], check=True)
    subprocess.run(["git", "-C", str(behind), "update-ref", "HEAD", f"HEAD~{commits}"], check=True)
    subprocess.run(["git", "-C", str(behind), "reflog", "expire", "--expire=now", "--all"], check=True)
    subprocess.run(["git", "-C", str(behind), "gc", "-q", "--prune=now"], check=True)
    times = []
    for number in range(repeat):
        clone = work / f"behind-{number}"
        subprocess.run(["git", "clone", "-q", "--no-local", str(behind), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "remote", "set-url", "origin", str(server)], check=True)
        subprocess.run(["git", "-C", str(clone), "config", "tiandz.office", "true"], check=True)
        run([*TIANDZ, "check"], clone)  # the clone as a clerk's is: checked once, its cache made
        begun = time.perf_counter()
        said = run([*TIANDZ, "sync"], clone, OFFICE_ACCOUNT).stdout
        times.append(time.perf_counter() - begun)
        if f"取回 {commits} 个提交" not in said:
            raise SystemExit(f"sync did not pull {commits} commits: {said}")
    return times


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=15000)
    parser.add_argument("--units", type=int, default=80)
    parser.add_argument("--steps", type=int, default=20, help="steps per unit")
    parser.add_argument("--batches", type=int, default=4, help="syncs per unit (its steps split among them)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the clones for a look")
    options = parser.parse_args()
    main(options.items, options.units, options.steps, options.batches, options.seed, options.keep)
