"""With no file changed, check and the JSON report answer from a memo; any change that matters is never hidden.

The memos (ledger/unchanged.py, report/memo.py) are kept under the ledger's stamp: tiandz.yaml, calendar.yaml,
the versions, and every file's name, size, times, inode and kind. Each test here makes one change that must
reach the answer (an edit of the same size with its time put back, the configuration, a file added or
removed, another as-of date, option or day, a dead step) and checks the answer is the one the files give; a
damaged or foreign memo is not used. Whether a memo answered is seen by making the full path fail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time

import pytest
from conftest import ANSWERED, ASSIGNED, CONFIG, ITEM, git

from tiandz.ledger.place import STAGING
from tiandz.ledger.unchanged import CHECK_NAME, recall_check, write_sealed
from tiandz.report.memo import KEEP, MEMO_FOLDER, recall_report_json

OTHER = ASSIGNED.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16")


def age(*paths, seconds: int = 60) -> None:
    """Files younger than two seconds are never remembered; tests make theirs old."""
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def age_all(root) -> None:
    age(*(path for path in root.rglob("*") if path.is_file() and ".git" not in path.parts))


def memo_only(monkeypatch) -> None:
    """From here on a whole scan fails: an answer can only come from a memo."""

    def no_scan(*arguments, **options):
        raise AssertionError("the files were read")

    monkeypatch.setattr("tiandz.ops.check.scan_ledger", no_scan)
    monkeypatch.setattr("tiandz.report.build.scan_ledger", no_scan)


def state(ledger_dir):
    return ledger_dir.root / ".git" / "tiandz"


ODDITIES = {  # text rich prints otherwise than it is: check from its memo must print it as rich does
    "emoji code": lambda ledger_dir: ledger_dir.item(ITEM.replace("领域: 教育", "领域: ':smile:'")),
    "backslash": lambda ledger_dir: ledger_dir.write("2024/0-草稿\\[1].txt", "x"),
    "tab": lambda ledger_dir: ledger_dir.write("2024/0-草稿\t2.txt", "x"),
    "none": lambda ledger_dir: ledger_dir.item(ITEM.replace("领域: 教育", "领域: 体育")),
}


@pytest.mark.parametrize("oddity", ODDITIES)
@pytest.mark.parametrize("options", [[], ["--json"]])
def test_check_again_says_exactly_what_the_files_say(cli, ledger_dir, monkeypatch, options, oddity):
    ODDITIES[oddity](ledger_dir)
    ledger_dir.item(OTHER)
    for number in range(52):  # more than check prints
        ledger_dir.write(f"2024/note-{number:02d}.txt", "x")
    ledger_dir.commit_all()
    age_all(ledger_dir.root)
    first = cli("check", *options, "--ledger", ledger_dir.root)
    assert first.code == 1 and (state(ledger_dir) / CHECK_NAME).is_file()
    assert "个问题未列出" in first.out or options
    memo_only(monkeypatch)
    again = cli("check", *options, "--ledger", ledger_dir.root)
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


def test_check_with_a_clean_ledger_passes_from_the_memo(cli, ledger_dir, monkeypatch):
    ledger_dir.item(ASSIGNED)
    age_all(ledger_dir.root)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    memo_only(monkeypatch)
    again = cli("check", "--ledger", ledger_dir.root)
    assert (again.code, again.out, again.err.strip()) == (0, "", "检查通过")


def test_an_edit_of_the_same_size_with_its_time_put_back_is_checked(cli, ledger_dir):
    path = ledger_dir.item(ASSIGNED)
    age(path)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    before = os.stat(path)
    edited = ASSIGNED.replace("领域: 教育", "领域: 卫生")
    assert len(edited.encode()) == len(ASSIGNED.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or rsync -t leave it
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024/2024-J-015.yaml:10: 领域: 领域“卫生”不在 tiandz.yaml 的领域中" in result.out


def test_a_changed_configuration_is_checked(cli, ledger_dir):
    ledger_dir.item(ASSIGNED)
    age_all(ledger_dir.root)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    (ledger_dir.root / "tiandz.yaml").write_text(CONFIG + "领域: [经济发展, 其他]\n", encoding="utf-8")
    age_all(ledger_dir.root)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1 and "领域“教育”不在 tiandz.yaml 的领域中" in result.out


def test_a_file_added_or_removed_is_checked(cli, ledger_dir):
    ledger_dir.item(ASSIGNED)
    age_all(ledger_dir.root)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    stray = ledger_dir.write("2024/草稿.txt", "x")
    age(stray)
    added = cli("check", "--ledger", ledger_dir.root)
    assert added.code == 1 and "2024/草稿.txt: 年度文件夹中只能有条目文件" in added.out
    stray.unlink()
    assert cli("check", "--ledger", ledger_dir.root).code == 0


def test_the_memo_holds_from_the_latest_date_in_the_files_on(ledger_dir, cli):
    ledger_dir.item(ANSWERED)
    age_all(ledger_dir.root)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    assert recall_check(ledger_dir.root, dt.date.today() + dt.timedelta(days=400)) == []  # a new day, a new year
    assert recall_check(ledger_dir.root, dt.date(2024, 6, 1)) == []  # the answer's day: the latest date
    assert recall_check(ledger_dir.root, dt.date(2024, 5, 31)) is None  # before it the rules say other things


def test_young_files_are_not_remembered(cli, ledger_dir):
    ledger_dir.item(ASSIGNED)
    age_all(ledger_dir.root)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    assert (state(ledger_dir) / CHECK_NAME).is_file()
    ledger_dir.item(OTHER)  # written now: it could change again within the same tick of the clock
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    assert not (state(ledger_dir) / CHECK_NAME).exists()
    assert recall_check(ledger_dir.root, dt.date.today()) is None


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "other version"])
def test_a_damaged_or_foreign_memo_is_not_used(cli, ledger_dir, damage):
    path = ledger_dir.item(ASSIGNED)
    age(path)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    memo = state(ledger_dir) / CHECK_NAME
    document = json.loads(memo.read_bytes())
    [stamp] = document["entries"]
    lying = {stamp: {"latest": "2024-01-01", "problems": [["假的.yaml", 1, "标题", "编造的问题", None, "错误"]]}}
    if damage == "garbage":
        memo.write_bytes(b"not a memo")
    elif damage == "truncated":
        memo.write_bytes(memo.read_bytes()[:-5])
    elif damage == "flipped":  # the entries changed, the digest in the head not
        write_sealed(memo, {"version": document["version"], "generation": ""}, lying)
        memo.write_bytes(memo.read_bytes().replace("编造".encode(), "捏造".encode()))
    else:
        write_sealed(memo, {"version": document["version"] - 1, "generation": ""}, lying)
    assert recall_check(ledger_dir.root, dt.date.today()) is None
    result = cli("check", "--ledger", ledger_dir.root)
    assert (result.code, result.out) == (0, "")
    assert recall_check(ledger_dir.root, dt.date.today()) == []  # rebuilt


def test_a_dead_step_is_told_though_nothing_changed(cli, ledger_dir):
    ledger_dir.item(ASSIGNED)
    age_all(ledger_dir.root)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    (state(ledger_dir) / STAGING).mkdir()
    result = cli("check", "--ledger", ledger_dir.root)
    assert "上次的办理步骤中断了" in result.out


# --- the report ----------------------------------------------------------------------------------------------


def report(cli, ledger_dir, *options):
    result = cli("report", "--format", "json", "-o", "-", *options, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    return result


@pytest.fixture
def reported(ledger_dir):
    ledger_dir.item(ANSWERED)
    ledger_dir.item(OTHER)
    ledger_dir.commit_all()
    age_all(ledger_dir.root)
    return ledger_dir


def test_the_json_report_again_is_the_same_with_the_commit_of_now(cli, reported, monkeypatch):
    late = reported.item(OTHER.replace("2024-J-016", "2024-J-017").replace("案号: 16", "案号: 17"))
    age(late)  # not committed yet
    first = report(cli, reported)
    assert json.loads(first.out)["uncommitted"] == 1 and "1 个文件未提交" in first.err
    assert len(list((state(reported) / MEMO_FOLDER).iterdir())) == 1
    git(reported.root, "add", "-A")
    git(reported.root, "commit", "-q", "-m", "late")  # a commit changes no file of the work tree
    with monkeypatch.context() as patched:
        memo_only(patched)
        again = report(cli, reported)
    shutil.rmtree(state(reported) / MEMO_FOLDER)
    worked_out = report(cli, reported)
    assert (again.out, again.err) == (worked_out.out, worked_out.err)
    data = json.loads(again.out)
    assert data["commit"] == git(reported.root, "rev-parse", "HEAD").strip() and data["uncommitted"] == 0
    assert json.loads(first.out) | {"commit": data["commit"], "uncommitted": 0, "warnings": []} == data


def count_scans(monkeypatch) -> list:
    from tiandz.report import build

    scans = []
    real = build.scan_ledger

    def counted(*arguments, **options):
        scans.append(1)
        return real(*arguments, **options)

    monkeypatch.setattr(build, "scan_ledger", counted)
    return scans


def test_a_report_memo_is_not_used_for_another_date_option_or_file(cli, reported, monkeypatch):
    scans = count_scans(monkeypatch)
    plain = report(cli, reported)
    assert report(cli, reported).out == plain.out and len(scans) == 1
    earlier = report(cli, reported, "--as-of", "2024-05-01")
    assert len(scans) == 2 and json.loads(earlier.out)["answered"] == 0 and json.loads(plain.out)["answered"] == 1
    proposals = report(cli, reported, "--type", "提案")
    assert len(scans) == 3 and json.loads(proposals.out)["total"] == 0
    assert report(cli, reported, "--as-of", "2024-05-01").out == earlier.out and len(scans) == 3
    path = reported.root / "2024" / "2024-J-015.yaml"
    before = os.stat(path)
    path.write_text(ANSWERED.replace("类别: B", "类别: A"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    edited = report(cli, reported)
    assert len(scans) == 4 and json.loads(edited.out)["category"]["A"] == 1


def test_a_report_memo_is_not_used_on_another_day(cli, reported):
    today = dt.date.today()
    report(cli, reported)
    assert recall_report_json(reported.root, today, None, None, today) is not None
    assert recall_report_json(reported.root, today, None, None, today + dt.timedelta(days=1)) is None
    assert recall_report_json(reported.root, today - dt.timedelta(days=1), None, None, today) is None


def test_a_damaged_report_memo_is_not_used(cli, reported):
    first = report(cli, reported)
    [memo] = (state(reported) / MEMO_FOLDER).iterdir()
    assert b'"answered":1,' in memo.read_bytes()
    memo.write_bytes(memo.read_bytes().replace(b'"answered":1,', b'"answered":9,'))
    assert recall_report_json(reported.root, dt.date.today(), None, None, dt.date.today()) is None
    assert report(cli, reported).out == first.out


def test_only_the_latest_report_memos_are_kept(cli, reported):
    for day in range(1, KEEP + 3):
        report(cli, reported, "--as-of", f"2024-07-{day:02d}")
    assert len(list((state(reported) / MEMO_FOLDER).iterdir())) == KEEP


def test_a_first_scan_in_workers_gives_the_report_and_list_of_one_in_this_process(cli, reported, monkeypatch):
    """A large first scan's workers hand back summaries and facts in the cache's JSON form (scancache.in_cache_form)."""
    import tiandz.ledger.scan

    for number in range(20, 24):
        reported.item(ANSWERED.replace("2024-J-015", f"2024-J-0{number}").replace("案号: 15", f"案号: {number}"))
    reported.commit_all()
    age_all(reported.root)
    commands = (["list", "--json"], ["report", "--format", "json", "-o", "-"])

    def outputs() -> list:
        return [(result.code, result.out) for result in (cli(*command, "--ledger", reported.root) for command in commands)]

    monkeypatch.setattr(tiandz.ledger.scan, "PARALLEL_FROM", 2)
    in_workers = outputs()
    # Two files changed: read again by workers, written with the four the cache's files still have.
    for number in (20, 21):
        path = reported.root / "2024" / f"2024-J-0{number}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("类别: B", "类别: A"), encoding="utf-8")
    age_all(reported.root)
    assert cli("check", "--ledger", reported.root).code == 0
    mixed = outputs()
    shutil.rmtree(state(reported) / MEMO_FOLDER)
    from_cache = outputs()
    shutil.rmtree(state(reported))
    monkeypatch.setattr(tiandz.ledger.scan, "PARALLEL_FROM", 10_000)
    here = outputs()
    assert mixed == from_cache == here != in_workers
    assert len(json.loads(here[0][1])) == 6 and json.loads(here[1][1])["category"]["A"] == 2


def test_changed_code_is_not_answered_by_what_the_old_code_found(tmp_path, ledger_dir, cli, monkeypatch):
    """An editable install or a merge changes tiandz without a new version number: the cache and memos go."""
    import tiandz
    from tiandz.ledger import unchanged

    copy = tmp_path / "tiandz"
    shutil.copytree(os.path.dirname(tiandz.__file__), copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = unchanged._own_code(str(copy))
    rules = copy / "core" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert unchanged._own_code(str(copy)) != before
    ledger_dir.item(ASSIGNED)
    age_all(ledger_dir.root)
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    assert recall_check(ledger_dir.root, dt.date.today()) == []
    monkeypatch.setattr(unchanged, "_own_code", lambda: "other code")
    assert recall_check(ledger_dir.root, dt.date.today()) is None


def test_what_was_worked_out_with_a_configuration_changed_meanwhile_is_not_kept(cli, ledger_dir, monkeypatch):
    """tiandz.yaml edited while the files are read: neither the cache nor a memo keeps the result (under the
    new configuration it would be wrong; under the old one, it would be answered if the edit were undone)."""
    import tiandz.ledger.scan

    ledger_dir.item(ASSIGNED)
    age_all(ledger_dir.root)
    real = tiandz.ledger.scan._examine_all

    def edited_meanwhile(*arguments, **options):
        found = real(*arguments, **options)
        (ledger_dir.root / "tiandz.yaml").write_text(CONFIG + "领域: [经济发展, 其他]\n", encoding="utf-8")
        return found

    monkeypatch.setattr(tiandz.ledger.scan, "_examine_all", edited_meanwhile)
    assert cli("check", "--ledger", ledger_dir.root).code == 0  # what the files said when read
    assert not (state(ledger_dir) / CHECK_NAME).exists() and not (state(ledger_dir) / "scan-cache.json").exists()
    monkeypatch.setattr(tiandz.ledger.scan, "_examine_all", real)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1 and "领域“教育”不在 tiandz.yaml 的领域中" in result.out
