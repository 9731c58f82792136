"""A first scan of a large ledger (no cache yet) does all of each file's work in the workers: the stat, the
stray-file check, the rules, and the cache's JSON, which this process only joins and writes (ledger/scan.py
`_first_scan`). What it finds, prints and keeps is what one process finds, prints and keeps.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil

import pytest
from conftest import ANSWERED, ASSIGNED, ITEM
from report_ledgers import item
from test_memos import age_all, state

import tiandz.ledger.scan
from tiandz.ledger.scancache import CACHE_NAME, FACTS_NAME, SUMMARIES_NAME

FILES = (CACHE_NAME, SUMMARIES_NAME, FACTS_NAME)


def numbered(text: str, number: int) -> str:
    return text.replace("2024-J-015", f"2024-J-{number:03d}").replace("案号: 15", f"案号: {number}")


@pytest.fixture
def mixed(ledger_dir):
    """Sound items at every stage, one with an error, one that is not YAML, one dated after today, a stray
    file, and one just written (younger than two seconds: never kept)."""
    for number, text in enumerate([ITEM, ASSIGNED, ANSWERED, ASSIGNED, ANSWERED, ITEM], start=20):
        ledger_dir.item(numbered(text, number))
    ledger_dir.item(numbered(ASSIGNED, 30).replace("主办: [县教育和体育局]", "主办: [县教育局]"))
    ledger_dir.item(numbered(ITEM, 31).replace("联名: [李四, 王五]", "联名: [李四, 王五"))
    ledger_dir.item(numbered(ITEM, 32).replace("提出日期: 2024-01-20", "提出日期: 2099-01-20"))
    ledger_dir.item(item(  # every kind of dated fact the cache keeps
        40, assigned="2024-03-20", mode="会办", co=("县公安局",), contacts=(("2024-04-01", "电话"),),
        replies=(("县教育和体育局", "2024-05-01", "B", "主动公开", ("修路", "2024-10-01", "2024-09-01")),),
        evaluations=(("2024-05-20", "满意"),), conversions=(("2024-09-10", "B", "A"),),
        extensions=(("2024-04-20", "2024-07-20"),), closed="2024-06-01",
    ))
    ledger_dir.write("2024/草稿.txt", "x")
    ledger_dir.commit_all()
    age_all(ledger_dir.root)
    ledger_dir.item(numbered(ASSIGNED, 33))
    return ledger_dir


def kept(ledger_dir) -> dict:
    """The entries of the cache's three files, by file."""
    return {name: json.loads((state(ledger_dir) / name).read_bytes())["entries"] for name in FILES}


def run(cli, ledger_dir, *command: str) -> tuple[int, str, str]:
    result = cli(*command, "--ledger", ledger_dir.root)
    return result.code, result.out, result.err


def test_a_first_scan_in_workers_finds_prints_and_keeps_what_one_process_does(mixed, cli, monkeypatch):
    monkeypatch.setattr(tiandz.ledger.scan, "PARALLEL_FROM", 2)
    monkeypatch.setattr(tiandz.ledger.scan, "FIRST_SCAN_SHARE", 2)  # several shares, some keeping nothing
    in_workers = run(cli, mixed, "check")
    kept_by_workers = kept(mixed)
    shutil.rmtree(state(mixed))
    monkeypatch.setattr(tiandz.ledger.scan, "PARALLEL_FROM", 10**9)
    here = run(cli, mixed, "check")
    assert in_workers == here
    assert kept(mixed) == kept_by_workers
    assert in_workers[0] == 1 and "县教育局" in in_workers[1] and "草稿.txt" in in_workers[1] and "2099" in in_workers[1]
    index = kept_by_workers[CACHE_NAME]
    # Kept: the sound, the wrong and the unreadable; not the one dated after today, nor the one just written.
    assert "2024/2024-J-030.yaml" in index and "2024/2024-J-031.yaml" in index
    assert "2024/2024-J-032.yaml" not in index and "2024/2024-J-033.yaml" not in index
    assert "2024/草稿.txt" not in index
    assert set(kept_by_workers[SUMMARIES_NAME]) == set(kept_by_workers[FACTS_NAME]) == set(index)
    facts = kept_by_workers[FACTS_NAME]["2024/2024-J-040.yaml"]
    assert facts[11:18] == [
        [], [["2024-04-20", "2024-07-20"]], [["2024-04-01", "电话", "县教育和体育局"]],
        [["县教育和体育局", "2024-05-01", "B", None, "主动公开", [["修路", "2024-10-01", "2024-09-01"]]]],
        [["2024-05-20", "满意", None]], [["2024-09-10", "B", "A"]], "2024-06-01",
    ]


def test_a_first_scan_gives_list_and_report_from_its_own_json_without_reading_a_file_twice(mixed, cli, monkeypatch):
    """list and report need the summaries and facts the workers encoded: decoded from memory, even when the
    cache cannot be written; never by reading the files again."""
    monkeypatch.setattr(tiandz.ledger.scan, "PARALLEL_FROM", 10**9)
    commands = (["list", "--json"], ["report", "--format", "json", "-o", "-"])
    expected = [run(cli, mixed, *command) for command in commands]
    shutil.rmtree(state(mixed))

    examined = []
    real_examine = tiandz.ledger.scan.examine

    def counted(ledger, path, *arguments, **options):
        examined.append(str(path))
        return real_examine(ledger, path, *arguments, **options)

    def unwritable(*arguments, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tiandz.ledger.scan, "examine", counted)
    monkeypatch.setattr("tiandz.ledger.scancache.write_sealed_body", unwritable)
    monkeypatch.setattr("tiandz.ledger.scancache.write_sealed", unwritable)
    # Jobs run in this process (as where there is no fork), so the files read can be counted.
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(tiandz.ledger.scan, "PARALLEL_FROM", 2)
    for command, before in zip(commands, expected):
        examined.clear()
        assert run(cli, mixed, *command) == before
        assert sorted(examined) == sorted(set(examined)) and len(examined) == 11  # every item file once
        assert not (state(mixed) / CACHE_NAME).exists()
