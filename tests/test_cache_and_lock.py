"""The bulk-read cache never hides a change, and two writers never collide."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from conftest import ITEM, TODAY

from tiandz.core.problems import TiandzError
from tiandz.ledger.lock import writing
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
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from pathlib import Path; from tiandz.ledger.lock import writing\n"
         "with writing(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)", str(ledger_dir.root)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        draft = Draft(kind="建议", title="关于某事的建议", proposer="张三", submitted=dt.date(2024, 2, 1))
        with pytest.raises(TiandzError) as refused:
            register(ledger_dir.ledger(), [draft], today=TODAY)
        assert refused.value.problems[0].message == f"另一个 tiandz 进程（pid {holder.pid}）正在写入台账"
        assert list((ledger_dir.root / "2024").iterdir()) == []
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_of_a_dead_process_is_taken_over(ledger_dir):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock = ledger_dir.root / ".tiandz" / "lock"
    lock.parent.mkdir()
    lock.write_text(dead.stdout)
    notes: list[str] = []
    with writing(ledger_dir.root, notes=notes):
        assert lock.read_text().strip() == str(os.getpid())
    assert notes == [f"已接管进程 {dead.stdout.strip()} 遗留的锁（该进程已不在运行）"]
    assert not lock.exists()


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
