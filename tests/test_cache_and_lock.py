"""The bulk-read cache never hides a change, and two writers never collide."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

import pytest
from conftest import ASSIGNED, ITEM, TODAY, git, hold_the_lock

from tiandz.core.problems import TiandzError
from tiandz.ops.check import check_ledger
from tiandz.ops.registration import Draft, register


def age(path, seconds: int = 60) -> None:
    """Files younger than two seconds are never cached; tests make theirs old."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_a_changed_file_is_read_again(ledger_dir):
    path = ledger_dir.item(ITEM)
    age(path)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []
    assert (ledger_dir.ledger().state_folder / "scan-cache.json").exists()
    path.write_text(ITEM.replace("领域: 教育", "领域: 卫生健"), encoding="utf-8")
    age(path, 30)
    problems = check_ledger(ledger_dir.ledger(), today=TODAY)
    assert [problem.format() for problem in problems] == [
        "2024/2024-J-015.yaml:10: 领域: 领域“卫生健”不在 tiandz.yaml 的领域中（是否为“卫生健康”？）"
    ]


def test_a_changed_configuration_invalidates_every_cached_result(ledger_dir):
    age(ledger_dir.item(ITEM))
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []
    config = ledger_dir.root / "tiandz.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "领域: [经济发展, 其他]\n", encoding="utf-8")
    problems = check_ledger(ledger_dir.ledger(), today=TODAY)
    assert [problem.message for problem in problems] == ["领域“教育”不在 tiandz.yaml 的领域中"]


def test_a_damaged_cache_is_rebuilt(ledger_dir):
    age(ledger_dir.item(ITEM))
    check_ledger(ledger_dir.ledger(), today=TODAY)
    (ledger_dir.ledger().state_folder / "scan-cache.json").write_bytes(b"not a cache")
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []


def test_a_second_writer_is_refused_with_the_holders_pid(ledger_dir):
    holder = hold_the_lock(ledger_dir.root)
    try:
        draft = Draft(kind="建议", title="关于某事的建议", proposer="张三", submitted=dt.date(2024, 2, 1))
        with pytest.raises(TiandzError) as refused:
            register(ledger_dir.ledger(), [draft], today=TODAY)
        assert refused.value.problems[0].message == f"另一个 tiandz 进程（pid {holder.pid}）正在写入台账"
        assert refused.value.problems[0].path == str(ledger_dir.root / ".git" / "tiandz" / "lock")
        assert list((ledger_dir.root / "2024").iterdir()) == []
    finally:
        holder.kill()
        holder.wait()


def a_dead_pid() -> str:
    return subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout


def leave_lock_files(ledger_dir, content: str) -> None:
    """Lock files as a crash leaves them: where tiandz keeps its lock, and in `.tiandz/` where it used to."""
    for folder in (ledger_dir.ledger().state_folder, ledger_dir.root / ".tiandz"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "lock").write_text(content)


@pytest.mark.parametrize(
    "content",
    ["", "不是 pid\n", "dead", "alive"],
    ids=["empty", "garbage", "the pid of a process gone", "a reused pid: a live process that holds no lock"],
)
def test_a_lock_file_left_behind_does_not_block(ledger_dir, content):
    content = {"dead": a_dead_pid(), "alive": f"{os.getpid()}\n"}.get(content, content)
    leave_lock_files(ledger_dir, content)
    draft = Draft(kind="建议", title="关于某事的建议", proposer="张三", submitted=dt.date(2024, 2, 1))
    registered = register(ledger_dir.ledger(), [draft], today=TODAY)
    assert registered.notes == []
    assert [path.name for path in (ledger_dir.root / "2024").iterdir()] == ["2024-J-001.yaml"]
    assert ledger_dir.log() == ["登记 2024-J-001：关于某事的建议", "init"]


def register_in_rounds(root, proposer: str, rounds: int, barrier, results, dead_pid: str | None) -> None:
    """One clerk of two: each round both start at once, on a ledger where a crashed writer left its lock file."""
    from tiandz.ledger.folder import Ledger

    for round in range(rounds):
        barrier.wait(timeout=60)
        if dead_pid is not None:
            for folder in (Ledger(root).state_folder, root / ".tiandz"):
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "lock").write_text(dead_pid)
        barrier.wait(timeout=60)
        title = f"关于{proposer}第{round + 1}件事的建议"
        draft = Draft(kind="建议", title=title, proposer=proposer, submitted=dt.date(2024, 2, 1))
        try:
            registered = register(Ledger(root), [draft], today=TODAY)
            results.put((title, "已提交", str(registered.ids[0]), registered.commit))
        except TiandzError as error:
            results.put((title, "拒绝", error.problems[0].message, None))


def test_two_writers_racing_over_a_stale_lock_thirty_times_lose_nothing(ledger_dir):
    """Issue 11: taking over a dead writer's pid file let both racers in, and both said 已提交 for one 编号."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the racers are forked so that each round starts both at once")
    context = multiprocessing.get_context("fork")
    rounds, barrier, results = 30, context.Barrier(2), context.Queue()
    racers = [
        context.Process(target=register_in_rounds, args=(ledger_dir.root, name, rounds, barrier, results, dead))
        for name, dead in (("张三", a_dead_pid()), ("李四", None))
    ]
    for racer in racers:
        racer.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * rounds)]
    for racer in racers:
        racer.join(timeout=60)
    assert [racer.exitcode for racer in racers] == [0, 0]
    accepted = [(title, item, commit) for title, said, item, commit in outcomes if said == "已提交"]
    assert all("正在写入台账" in item for _, said, item, _ in outcomes if said == "拒绝")
    # Every accepted registration has a number of its own, a file holding its title, and one commit of that file.
    assert len({item for _, item, _ in accepted}) == len(accepted)
    for title, item, commit in accepted:
        assert f"标题: {title}" in (ledger_dir.root / "2024" / f"{item}.yaml").read_text(encoding="utf-8")
        shown = git(ledger_dir.root, "show", "--format=%s", "--name-only", commit).splitlines()
        assert shown == [f"登记 {item}：{title}", "", f"2024/{item}.yaml"]
    assert len(list((ledger_dir.root / "2024").iterdir())) == len(accepted)
    assert len(ledger_dir.log()) == len(accepted) + 1
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_two_processes_registering_at_once_lose_nothing(ledger_dir):
    script = (
        "import sys, datetime as dt; from tiandz.ledger.folder import Ledger; from tiandz.ops.registration import Draft, register\n"
        "register(Ledger(__import__('pathlib').Path(sys.argv[1])), [Draft(kind='建议', title='关于'+sys.argv[2]+'的建议', "
        "proposer=sys.argv[2], submitted=dt.date(2024, 2, 1))], today=dt.date(2024, 12, 31))"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script, str(ledger_dir.root), name]) for name in ("张三", "李四")]
    assert [run.wait() for run in runs] == [0, 0]
    assert sorted(path.name for path in (ledger_dir.root / "2024").iterdir()) == ["2024-J-001.yaml", "2024-J-002.yaml"]
    assert len(ledger_dir.log()) == 3


def test_without_fork_a_large_ledger_is_read_in_one_process(ledger_dir, cli, monkeypatch):
    """Windows has no fork: a first check of a large ledger must not fail there, only run in one process."""
    import json
    import multiprocessing

    import tiandz.ledger.scan

    monkeypatch.setattr(tiandz.ledger.scan, "PARALLEL_FROM", 2)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: (_ for _ in ()).throw(ValueError(method)))
    from conftest import ITEM

    for number in range(15, 19):
        ledger_dir.item(ITEM.replace("2024-J-015", f"2024-J-0{number}"))
    ledger_dir.commit_all()
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    listed = cli("list", "--json", "--ledger", ledger_dir.root)
    assert len(json.loads(listed.out)) == 4


def test_tiandz_keeps_its_state_inside_the_git_directory_where_no_clone_can_deliver_it(tmp_path):
    from tiandz.ledger.folder import Ledger

    outside = tmp_path / "无仓库"
    outside.mkdir()
    assert Ledger(outside).state_folder == outside / ".tiandz"
    top = tmp_path / "仓库"
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    assert Ledger(top).state_folder == top / ".git" / "tiandz"
    (top / "县" / "台账").mkdir(parents=True)
    assert Ledger(top / "县" / "台账").state_folder == top / ".git" / "tiandz" / "ledgers" / "%E5%8E%BF%2F%E5%8F%B0%E8%B4%A6"
    worktree = tmp_path / "工作树"
    subprocess.run(["git", "-C", str(top), "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    subprocess.run(["git", "-C", str(top), "worktree", "add", "-q", str(worktree)], check=True)
    assert Ledger(worktree).state_folder == (top / ".git" / "worktrees" / "工作树" / "tiandz").resolve()


# --- the scan cache is data in the git directory, keyed as git's index is, and valid across days ----------


def scan_cache(ledger_dir):
    """The index: each file's key, latest date, problems, and its 编号, 并案 and due year."""
    return ledger_dir.ledger().state_folder / "scan-cache.json"


def scan_summaries(ledger_dir):
    """Each item's summary (for list)."""
    return ledger_dir.ledger().state_folder / "scan-summaries.json"


def scan_facts(ledger_dir):
    """Each item's dated facts (for the report)."""
    return ledger_dir.ledger().state_folder / "scan-facts.json"


def test_a_cache_pickle_committed_to_the_ledger_is_never_run_by_a_clone(ledger_dir, cli, tmp_path):
    """`.tiandz/` is git-ignored, but `git add -f` delivers a file there to every clone; tiandz reads none."""
    import pickle
    from pathlib import Path

    marker = tmp_path / "pickle-ran"

    class Payload:
        def __reduce__(self):
            return Path.write_text, (marker, "ran")

    age(ledger_dir.item(ASSIGNED))
    (ledger_dir.root / ".tiandz").mkdir()
    (ledger_dir.root / ".tiandz" / "cache.pickle").write_bytes(pickle.dumps(Payload()))
    git(ledger_dir.root, "add", "-f", ".tiandz/cache.pickle")
    ledger_dir.commit_all("a crafted cache")
    clone = tmp_path / "克隆"
    subprocess.run(["git", "clone", "-q", str(ledger_dir.root), str(clone)], check=True)
    assert (clone / ".tiandz" / "cache.pickle").is_file()
    age(clone / "2024" / "2024-J-015.yaml")  # as a clone is a little later: old enough to be cached
    for _ in range(2):  # the first run builds the cache, the second reads it
        assert cli("check", "--ledger", clone).code == 0
        listed = json.loads(cli("list", "--json", "--ledger", clone).out)
        assert [(row["编号"], row["状态"]) for row in listed] == [("2024-J-015", "办理中")]
        report = cli("report", "--format", "json", "-o", "-", "--as-of", "2024-12-31", "--ledger", clone)
        assert report.code == 0 and json.loads(report.out)["as_of"] == "2024-12-31"
    assert not marker.exists()
    assert (clone / ".git" / "tiandz" / "scan-cache.json").is_file()
    assert git(clone, "status", "--porcelain") == ""


def forged(document: dict) -> dict:
    """The index with its one entry claiming a problem and an 编号 the file does not have."""
    entry = next(iter(document["entries"].values()))
    entry[5] = [["2024/2024-J-015.yaml", 1, "", "伪造的问题", None, "错误"]]
    entry[6][0] = "2024-J-999"
    return document


DAMAGED = {
    "not JSON": lambda raw: b"not a cache",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "another version": lambda raw: json.dumps({**forged(json.loads(raw)), "version": 999}).encode(),
    "an 编号 of the wrong type": lambda raw: json.dumps(_set_id(json.loads(raw), 123)).encode(),
    "a forged title and problem, well formed": lambda raw: json.dumps(forged(json.loads(raw))).encode(),
    "a problem of the wrong shape": lambda raw: json.dumps(_set_problems(json.loads(raw), [["x", "line 1"]])).encode(),
    "a list, not an object": lambda raw: b"[1, 2, 3]",
    "huge": lambda raw: json.dumps(forged(json.loads(raw))).encode() + b" " * (8 * 1024 * 1024),
}


def _set_id(document: dict, item_id) -> dict:
    next(iter(document["entries"].values()))[6][0] = item_id
    return document


def _set_problems(document: dict, problems) -> dict:
    next(iter(document["entries"].values()))[5] = problems
    return document


@pytest.mark.parametrize("damage", DAMAGED, ids=list(DAMAGED))
def test_a_damaged_or_foreign_cache_in_the_state_folder_is_not_trusted_but_rebuilt(ledger_dir, cli, damage):
    age(ledger_dir.item(ASSIGNED))
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    cache = scan_cache(ledger_dir)
    cache.write_bytes(DAMAGED[damage](cache.read_bytes()))
    result = cli("check", "--ledger", ledger_dir.root)
    assert (result.code, result.out, result.err) == (0, "", "检查通过\n")
    listed = json.loads(cli("list", "--json", "--ledger", ledger_dir.root).out)
    assert [row["标题"] for row in listed] == ["关于加强校园周边环境综合治理的建议"]
    rebuilt = json.loads(cache.read_text(encoding="utf-8"))
    assert rebuilt["entries"]["2024/2024-J-015.yaml"][6][0] == "2024-J-015"
    summaries = json.loads(scan_summaries(ledger_dir).read_text(encoding="utf-8"))
    assert summaries["generation"] == rebuilt["generation"]
    assert summaries["entries"]["2024/2024-J-015.yaml"][2] == "关于加强校园周边环境综合治理的建议"


def test_damaged_facts_in_the_cache_are_read_again_from_the_file_for_the_report(ledger_dir, cli):
    age(ledger_dir.item(ASSIGNED))
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    facts = scan_facts(ledger_dir)
    document = json.loads(facts.read_text(encoding="utf-8"))
    document["entries"]["2024/2024-J-015.yaml"] = ["2024-J-015", 5]
    facts.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    report = cli("report", "--format", "json", "-o", "-", "--as-of", "2024-12-31", "--ledger", ledger_dir.root)
    assert report.code == 0, report.err
    assert json.loads(report.out)["overdue"] == ["2024-J-015"]


def test_a_same_size_edit_with_its_modification_time_put_back_is_seen(ledger_dir):
    """`cp -p` and `rsync -t` keep size and mtime; the change time, which no program can set, still moves."""
    path = ledger_dir.item(ASSIGNED)
    age(path)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []
    before = path.stat()
    path.write_text(ASSIGNED.replace("日期: 2024-03-20", "日期: 2024-01-10"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    problems = check_ledger(ledger_dir.ledger(), today=TODAY)
    assert [problem.message for problem in problems] == ["交办日期 2024-01-10 早于提出日期 2024-01-20"]


DUE_JUNE_10 = ASSIGNED + "  时限: 2024-06-10\n"


def test_the_next_day_reads_no_file_again_and_gives_that_days_answers(ledger_dir, monkeypatch):
    """Nothing cached depends on today: the first check of a new day must not read 15,000 files again."""
    import tiandz.ledger.scan
    from tiandz.ops.listing import Filter, list_items

    age(ledger_dir.item(DUE_JUNE_10))
    assert check_ledger(ledger_dir.ledger(), today=dt.date(2024, 6, 10)) == []
    assert [row.id for row in list_items(ledger_dir.ledger(), Filter(overdue=True), dt.date(2024, 6, 10)).rows] == []

    def not_examined(*arguments):
        raise AssertionError("the next day should read the cache")

    monkeypatch.setattr(tiandz.ledger.scan, "examine", not_examined)
    next_day = dt.date(2024, 6, 11)
    assert check_ledger(ledger_dir.ledger(), today=next_day) == []
    overdue = list_items(ledger_dir.ledger(), Filter(overdue=True), next_day).rows
    assert [(row.id, row.state, row.days_left(next_day)) for row in overdue] == [("2024-J-015", "办理中", -1)]


def test_an_item_dated_after_today_is_judged_again_each_day(ledger_dir):
    """A date after today is an error only until that day comes: such a file is never kept for later days."""
    age(ledger_dir.item(ASSIGNED))
    assert [problem.message for problem in check_ledger(ledger_dir.ledger(), today=dt.date(2024, 3, 1))] == [
        "日期 2024-03-20 晚于今天（2024-03-01）"
    ]
    assert check_ledger(ledger_dir.ledger(), today=dt.date(2024, 3, 20)) == []
    assert [problem.message for problem in check_ledger(ledger_dir.ledger(), today=dt.date(2024, 3, 19))] == [
        "日期 2024-03-20 晚于今天（2024-03-19）"
    ]


def test_a_changed_calendar_is_seen_by_items_the_cache_already_knows(ledger_dir, monkeypatch):
    import tiandz.ledger.scan

    age(ledger_dir.item(ASSIGNED))
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []
    examined = []
    real = tiandz.ledger.scan.examine
    monkeypatch.setattr(tiandz.ledger.scan, "examine", lambda *arguments: examined.append(1) or real(*arguments))
    assert check_ledger(ledger_dir.ledger(), today=TODAY + dt.timedelta(days=1)) == []
    assert examined == []
    ledger_dir.write("calendar.yaml", "2099:\n  放假: [2099-01-01]\n")
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []
    assert examined == [1]


def test_check_reads_only_the_index_and_list_reads_the_details_or_the_files(ledger_dir, monkeypatch):
    """The index (keys, problems, 编号, due years) is all `check` needs; summaries and facts wait in their files."""
    import tiandz.ledger.scan
    from tiandz.ops.listing import Filter, list_items

    age(ledger_dir.item(DUE_JUNE_10))
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []
    scan_summaries(ledger_dir).write_bytes(b"damaged")
    read_again = []
    original = tiandz.ledger.scan.examine

    def examine(*arguments):
        read_again.append(arguments[1])
        return original(*arguments)

    monkeypatch.setattr(tiandz.ledger.scan, "examine", examine)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == []
    assert read_again == []  # check did not need the summaries
    rows = list_items(ledger_dir.ledger(), Filter(), TODAY).rows
    assert [(row.id, row.title) for row in rows] == [("2024-J-015", "关于加强校园周边环境综合治理的建议")]
    assert [path.name for path in read_again] == ["2024-J-015.yaml"]  # the summaries were damaged: the file told
    read_again.clear()
    assert [row.id for row in list_items(ledger_dir.ledger(), Filter(), TODAY).rows] == ["2024-J-015"]
    assert read_again == []  # the file read once put the cache whole again


def test_summaries_of_another_generation_are_not_used(ledger_dir, cli):
    age(ledger_dir.item(ASSIGNED))
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    stale = scan_summaries(ledger_dir).read_bytes()
    path = ledger_dir.item(ASSIGNED.replace("关于加强校园周边环境综合治理的建议", "关于改善校园周边交通秩序的建议"))
    age(path)
    assert cli("check", "--ledger", ledger_dir.root).code == 0  # a new generation of both files
    scan_summaries(ledger_dir).write_bytes(stale)  # as if an older run's file were left beside the index
    listed = json.loads(cli("list", "--json", "--ledger", ledger_dir.root).out)
    assert [row["标题"] for row in listed] == ["关于改善校园周边交通秩序的建议"]
