"""A 交办会 of many items appends each item's 交办 to its file in place (no staged copy, no rename), and stays
all or nothing: killed after its commit, the next command completes every file, one cut short by the crash
(part of the append written, or zeros where the disk had not written it) included; a file with a second name
is not written through it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import pytest
from conftest import ITEM, git
from test_crash_safety import assert_whole, run_tiandz

COUNT = 60  # more than journal.MANY: the way of a step of many files


def numbered(number: int) -> str:
    return (ITEM.replace("2024-J-015", f"2024-J-{number:03d}").replace("案号: 15", f"案号: {number}")
            .replace("校园周边环境综合治理", f"第{number}号事项"))


def many_items(ledger_dir, tmp_path):
    paths = [ledger_dir.item(numbered(number)) for number in range(1, COUNT + 1)]
    ledger_dir.commit_all("六十件")
    plan = tmp_path / "交办方案.csv"
    plan.write_text("序号,编号,主办单位\n" + "".join(f"{n},J-{n},教体局\n" for n in range(1, COUNT + 1)), encoding="utf-8")
    return paths, plan


ASSIGNED_TAIL = "交办:\n  日期: 2024-03-20\n  方式: 单办\n  主办: [县教育和体育局]\n  时限: 2024-06-20\n"


def test_a_plan_of_many_items_killed_after_its_commit_is_completed_by_the_next_command(ledger_dir, tmp_path):
    paths, plan = many_items(ledger_dir, tmp_path)
    before = {path: path.read_bytes() for path in paths}
    head = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    killed = run_tiandz(ledger_dir.root, tmp_path, ["assign", "--from", str(plan), "--date", "2024-03-20"], "update-ref:after")
    assert killed.returncode == -9, killed.stderr
    assert git(ledger_dir.root, "rev-parse", "HEAD~1").strip() == head
    assert not list((ledger_dir.root / ".git" / "tiandz" / "step").glob("*.new"))  # appended in place: nothing staged
    # The crash as a power cut leaves it: one file with half of its append, one with zeros after its old end.
    written = paths[3].read_bytes() + ASSIGNED_TAIL.encode()[:20]
    paths[3].write_bytes(written)
    paths[7].write_bytes(before[paths[7]] + b"\0" * 30)
    following = run_tiandz(ledger_dir.root, tmp_path, ["contact", "J-1", "--by", "电话", "--date", "2024-04-01"])
    assert following.returncode == 0, following.stderr
    assert "上次的办理步骤中断了，已补完" in following.stdout + following.stderr
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(before[path].decode("utf-8") + ASSIGNED_TAIL), path.name
        relative = path.relative_to(ledger_dir.root).as_posix()
        assert git(ledger_dir.root, "show", f"HEAD:{relative}") == text
    assert_whole(ledger_dir.root)


def test_a_file_edited_after_the_crash_is_left_alone(ledger_dir, tmp_path):
    paths, plan = many_items(ledger_dir, tmp_path)
    killed = run_tiandz(ledger_dir.root, tmp_path, ["assign", "--from", str(plan), "--date", "2024-03-20"], "update-ref:after")
    assert killed.returncode == -9, killed.stderr
    edited = paths[5].read_text(encoding="utf-8") + "交办:\n  日期: 2024-03-21\n"
    paths[5].write_text(edited, encoding="utf-8")
    check = run_tiandz(ledger_dir.root, tmp_path, ["contact", "J-1", "--by", "电话", "--date", "2024-04-01"])
    assert "上次的办理步骤中断了，已补完" in check.stdout + check.stderr
    assert paths[5].read_text(encoding="utf-8") == edited  # the clerk's edit, not the step's: shown, not overwritten
    assert paths[4].read_text(encoding="utf-8").endswith(ASSIGNED_TAIL)


def test_a_file_with_a_second_name_is_replaced_not_written_through(ledger_dir, tmp_path, cli):
    paths, plan = many_items(ledger_dir, tmp_path)
    other_name = tmp_path / "备份.yaml"
    os.link(paths[0], other_name)
    kept = other_name.read_bytes()
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert other_name.read_bytes() == kept
    assert paths[0].read_text(encoding="utf-8").endswith(ASSIGNED_TAIL)
    assert paths[1].read_text(encoding="utf-8").endswith(ASSIGNED_TAIL)
    assert git(ledger_dir.root, "status", "--porcelain") == ""


@pytest.mark.parametrize("as_read", [False, True], ids=["files-just-written", "files-as-the-step-read-them"])
def test_a_full_disk_in_the_middle_of_the_appends_cuts_the_file_back_and_the_next_command_completes_them(
    ledger_dir, tmp_path, cli, monkeypatch, as_read
):
    """The disk fills while the 30th file is being appended to: that file is cut back to what it was, the
    step (already committed) is said to be unfinished, and the next command finishes every file. Both ways
    of appending: to a file read again (written a moment ago), and to one found as the step read it."""
    from tiandz.ledger import journal, manyfiles

    if as_read:
        monkeypatch.setattr(journal, "RACY_NANOSECONDS", 0)  # the files were written a moment ago: as if long since

    paths, plan = many_items(ledger_dir, tmp_path)
    before = {path: path.read_bytes() for path in paths}
    head = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    calls, looked = [], []

    class FillingUp:
        """manyfiles's `os`, whose 30th pwrite (the 30th append) takes a few bytes, then the disk is full."""

        def __getattr__(self, name):
            return getattr(os, name)

        def fstat(self, descriptor):
            looked.append(descriptor)
            return os.fstat(descriptor)

        def pwrite(self, descriptor, data, offset):
            calls.append(descriptor)
            if len(calls) == 30:
                os.pwrite(descriptor, bytes(data[:7]), offset)
                raise OSError(28, "No space left on device")
            return os.pwrite(descriptor, data, offset)

    monkeypatch.setattr(manyfiles, "os", FillingUp())
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "本步已提交" in result.err and "2024/2024-J-030.yaml 未能写入：磁盘已满" in result.err
    assert git(ledger_dir.root, "rev-parse", "HEAD~1").strip() == head  # committed: the journal finishes it
    assert paths[29].read_bytes() == before[paths[29]]  # cut back, not left with 7 bytes of its append
    assert len(looked) == (30 if as_read else 0)  # as read: each file's key looked at on its open descriptor
    monkeypatch.undo()

    following = cli("contact", "J-1", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert following.code == 0, following.err
    assert "上次的办理步骤中断了，已补完" in following.out + following.err
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(before[path].decode("utf-8") + ASSIGNED_TAIL), path.name
    assert_whole(ledger_dir.root)


def test_files_written_unsynced_are_made_durable_each_and_many_by_one_sync(tmp_path, monkeypatch):
    # A pull of 200 items: an fsync of each file and its folder (os.sync waited for a fetched pack and git's
    # background repack too); an import's thousands: one os.sync.
    from tiandz.ledger import manyfiles

    synced, whole = [], []
    monkeypatch.setattr(manyfiles.os, "fsync", lambda descriptor: synced.append(descriptor))
    monkeypatch.setattr(manyfiles.os, "sync", lambda: whole.append(True))
    paths = [tmp_path / "2024" / f"2024-J-{number:03d}.yaml" for number in range(1, 61)]
    paths[0].parent.mkdir()
    for path in paths:
        path.write_text("编号: x\n", encoding="utf-8")
    manyfiles.make_durable(paths)
    assert len(synced) == 61 and whole == []  # 60 files and their one folder
    monkeypatch.setattr(manyfiles, "SYNC_ALL_FROM", 50)
    synced.clear()
    manyfiles.make_durable(paths)
    assert whole == [True] and synced == []


def edit_before_the_commit(monkeypatch, path, added: str) -> None:
    """The clerk's editor saves `path` after the step read it and before the step commits (under the lock)."""
    import tiandz.ledger.journal as journal

    original = journal.commit_files

    def meanwhile(*arguments, **options):
        path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
        return original(*arguments, **options)

    monkeypatch.setattr(journal, "commit_files", meanwhile)


@pytest.mark.parametrize("many", [False, True], ids=["two items", "a plan of sixty"])
def test_a_file_edited_while_the_step_ran_is_left_alone(ledger_dir, tmp_path, monkeypatch, many):
    """The step's commit holds the file as the step made it from what it read; the clerk's edit, saved in between,
    stays in the file (git status shows it), and is not overwritten by the step."""
    from tiandz.steps.assign import assign
    from tiandz.steps.assignplan import assign_from_plan

    paths, plan = many_items(ledger_dir, tmp_path)
    edited = paths[1]
    added = "# 办公室手写的备注\n"
    edit_before_the_commit(monkeypatch, edited, added)
    if many:
        assign_from_plan(ledger_dir.ledger(), plan, date="2024-03-20", today=dt.date(2024, 3, 25))
    else:
        assign(ledger_dir.ledger(), ["J-1", "J-2"], leads=["教体局"], date="2024-03-20", today=dt.date(2024, 3, 25))
    relative = edited.relative_to(ledger_dir.root).as_posix()
    committed = git(ledger_dir.root, "show", f"HEAD:{relative}")
    assert committed.endswith(ASSIGNED_TAIL) and added not in committed
    assert edited.read_text(encoding="utf-8") == numbered(2) + added  # the clerk's text, whole and untouched
    assert git(ledger_dir.root, "status", "--porcelain") == f" M {relative}\n"
    assert paths[0].read_text(encoding="utf-8") == numbered(1) + ASSIGNED_TAIL


@pytest.mark.parametrize("edit", ["appended to", "same size, its time put back"])
def test_files_found_as_the_step_statted_them_are_not_read_again_and_an_edit_in_between_is_still_seen(
    ledger_dir, tmp_path, monkeypatch, edit
):
    """Placing a 交办会's appends, a file whose size, times and inode are those the step saw before reading it
    is as it read it (journal.read_key): appended to without being read again. A file saved in between is
    read and left alone, even an edit of the same size with its modification time put back (its ctime moved)."""
    import tiandz.ledger.journal as journal
    import tiandz.ledger.placing as placing
    from tiandz.steps.assignplan import assign_from_plan

    monkeypatch.setattr(journal, "RACY_NANOSECONDS", 0)  # the files were written a moment ago: as if long since
    paths, plan = many_items(ledger_dir, tmp_path)
    edited = paths[1]
    if edit == "appended to":
        edit_before_the_commit(monkeypatch, edited, "# 办公室手写的备注\n")
    else:
        original = journal.commit_files

        def meanwhile(*arguments, **options):
            status = edited.stat()
            edited.write_text(edited.read_text(encoding="utf-8").replace("校园", "学校"), encoding="utf-8")
            os.utime(edited, ns=(status.st_atime_ns, status.st_mtime_ns))
            assert edited.stat().st_size == status.st_size and edited.stat().st_mtime_ns == status.st_mtime_ns
            return original(*arguments, **options)

        monkeypatch.setattr(journal, "commit_files", meanwhile)
    clerks = []
    reads = []
    real_bytes_of = placing.bytes_of
    monkeypatch.setattr(placing, "bytes_of", lambda path: reads.append(str(path)) or real_bytes_of(path))
    real_finish = placing.finish
    monkeypatch.setattr(placing, "finish", lambda *arguments, **options: clerks.append(edited.read_bytes()) or real_finish(*arguments, **options))
    assign_from_plan(ledger_dir.ledger(), plan, date="2024-03-20", today=dt.date(2024, 3, 25))
    assert reads == [str(edited)]  # the one file changed since the step read it; none other read again
    relative = edited.relative_to(ledger_dir.root).as_posix()
    assert edited.read_bytes() == clerks[0]  # the clerk's version, whole
    assert git(ledger_dir.root, "status", "--porcelain") == f" M {relative}\n"
    for number, path in enumerate(paths, start=1):
        committed = git(ledger_dir.root, "show", f"HEAD:{path.relative_to(ledger_dir.root).as_posix()}")
        assert committed == numbered(number) + ASSIGNED_TAIL
        if path != edited:
            assert path.read_text(encoding="utf-8") == committed
    fsck = subprocess.run(["git", "-C", str(ledger_dir.root), "fsck", "--no-dangling"], capture_output=True, text=True)
    assert fsck.returncode == 0 and fsck.stdout == "", fsck.stdout + fsck.stderr
    assert not (ledger_dir.root / ".git" / "tiandz" / "step").exists()


def test_an_index_git_cannot_lock_while_the_files_are_placed_is_told_and_the_next_command_finishes(ledger_dir, tmp_path, cli):
    """For many files git takes each one's index entry while the next is placed (placing.finish); a git that
    stops at once (another git holds the index) is said in Chinese, not a broken pipe, and nothing is lost."""
    paths, plan = many_items(ledger_dir, tmp_path)
    lock = ledger_dir.root / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")  # a git of the clerk's, still running
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "本步已提交" in result.err and "git update-index 失败" in result.err and "index.lock" in result.err
    assert "Traceback" not in result.err and "BrokenPipe" not in result.err
    assert all(path.read_text(encoding="utf-8").endswith(ASSIGNED_TAIL) for path in paths)  # placed all the same
    lock.unlink()
    following = cli("contact", "J-1", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert following.code == 0, following.err
    assert "上次的办理步骤中断了，已补完" in following.out + following.err
    assert_whole(ledger_dir.root)


def test_a_git_that_stopped_reading_is_not_written_to_again_and_close_says_why(ledger_dir):
    from tiandz.core.problems import TiandzError
    from tiandz.ledger import git as gitops

    feed = gitops.Feed(ledger_dir.root, "update-index", "--add", "-z", "--stdin")
    for number in range(20_000):  # far more than a pipe holds: git stopped at the first (no such file)
        feed.give(f"2024/2024-J-{number:05d}.yaml\0".encode())
    assert not feed.open
    with pytest.raises(TiandzError, match="git update-index 失败.*2024-J-00000.yaml"):
        feed.close()
