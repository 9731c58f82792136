"""An import's many new files (more than journal.MANY): git stores their blobs by one `fast-import`, started in
a thread while this process writes the staged copies. A full disk under either, or a fast-import that fails,
refuses the import and leaves nothing: no file, HEAD and the index as they were, no staging folder, git fsck
clean; and the import then goes through."""

from __future__ import annotations

import datetime as dt
import errno
import pathlib

import pytest
from conftest import git
from test_crash_safety import assert_whole

from tiandz.core.problems import TiandzError
from tiandz.ledger import blobs
from tiandz.ledger import git as gitops
from tiandz.ops.importing import import_file

ROWS = 60  # more than journal.MANY


def a_list(path) -> None:
    lines = ["类型,案号,标题,提出人,提出日期,主办单位"]
    lines += [f"建议,{number},关于第{number}件事的建议,代表{number},2024-01-18,县教体局" for number in range(1, ROWS + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_import(ledger_dir, source):
    return import_file(ledger_dir.ledger(), source, assigned=dt.date(2024, 3, 20), today=dt.date(2024, 3, 25))


def assert_nothing_done(ledger_dir, head):
    assert list((ledger_dir.root / "2024").glob("*.yaml")) == []
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert not (ledger_dir.root / ".git" / "tiandz" / "step").exists()
    assert_whole(ledger_dir.root)


def test_a_full_disk_while_the_staged_copies_are_written_refuses_the_import(ledger_dir, tmp_path, monkeypatch):
    source = tmp_path / "清单.csv"
    a_list(source)
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    original = pathlib.Path.write_bytes
    staged = []

    def full_disk(self, data):
        if self.suffix == ".new":
            staged.append(self)
            if len(staged) == 30:
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return original(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", full_disk)
    with pytest.raises(TiandzError) as refused:
        run_import(ledger_dir, source)
    assert "磁盘已满" in str(refused.value) and "本步未办理，台账未改动" in str(refused.value)
    assert len(staged) == 30
    assert_nothing_done(ledger_dir, head)
    monkeypatch.setattr(pathlib.Path, "write_bytes", original)
    assert run_import(ledger_dir, source).count == ROWS
    assert len(list((ledger_dir.root / "2024").glob("*.yaml"))) == ROWS
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_fast_import_that_fails_refuses_the_import(ledger_dir, tmp_path, monkeypatch):
    source = tmp_path / "清单.csv"
    a_list(source)
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    original = gitops.run
    asked = []

    def failing(root, *arguments, **options):
        if arguments[0] == "fast-import":
            asked.append(arguments)
            return original(root, "fast-import", "--no-such-option", **options)  # git refuses it
        return original(root, *arguments, **options)

    monkeypatch.setattr(gitops, "run", failing)
    with pytest.raises(TiandzError) as refused:
        run_import(ledger_dir, source)
    assert asked and "git fast-import 失败" in str(refused.value)
    assert_nothing_done(ledger_dir, head)
    monkeypatch.setattr(gitops, "run", original)
    assert run_import(ledger_dir, source).count == ROWS
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert_whole(ledger_dir.root)


@pytest.mark.parametrize("room", [True, False], ids=["from a file", "no room for the file: through a pipe"])
def test_fast_import_reads_its_stream_from_a_file_or_where_there_is_no_room_for_one_through_a_pipe(
    ledger_dir, tmp_path, monkeypatch, room
):
    """The blobs' stream is written to the staging folder and git reads it from there (a pipe fed by a thread
    waits for Python's lock between writes); when the disk has no room for that file, git is fed as before."""
    source = tmp_path / "清单.csv"
    a_list(source)
    original_run = gitops.run
    fed = []

    def watched(root, *arguments, **options):
        if arguments[0] == "fast-import":
            fed.append("file" if options.get("input_path") is not None else "pipe")
        return original_run(root, *arguments, **options)

    def no_room(path, parts):  # a part of the stream written, then the disk is full
        path.write_bytes(b"".join(parts[:7]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gitops, "run", watched)
    if not room:
        monkeypatch.setattr(blobs, "_write_parts", no_room)
    assert run_import(ledger_dir, source).count == ROWS
    assert fed == ["file" if room else "pipe"]
    assert len(list((ledger_dir.root / "2024").glob("*.yaml"))) == ROWS
    assert git(ledger_dir.root, "log", "-1", "--format=%s").startswith("导入")
    assert not (ledger_dir.root / ".git" / "tiandz" / "step").exists()  # the stream went with the staging folder
    assert_whole(ledger_dir.root)


def test_the_stream_written_in_pieces_is_the_pieces_joined(tmp_path, monkeypatch):
    """blobs._write_parts: thousands of pieces, a thousand at a time, one write cut short by the system."""
    import os

    parts = [f"第{number}块\n".encode() * (number % 5) for number in range(3_500)]
    real, calls = getattr(os, "writev", None), []
    if real is not None:
        def short_once(descriptor, buffers):
            calls.append(len(buffers))
            return real(descriptor, buffers[:3]) if len(calls) == 2 else real(descriptor, buffers)

        monkeypatch.setattr(os, "writev", short_once)
    blobs._write_parts(tmp_path / "stream", parts)
    assert (tmp_path / "stream").read_bytes() == b"".join(parts)
    assert real is None or calls == [1000, 1000, 1000, 500]
