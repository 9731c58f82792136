"""A committed step's files put in place: the last part of journal.py's all-or-nothing step.

HEAD already names the step's commit; what is left is the work tree and the index. Each file is given its
new contents only where it is still as the step found it (a file someone edited meanwhile is left alone, and
the hand-edit check shows it), a file the step only appends to is appended to in place, and git takes each
file's index entry. The same code finishes a step a dead process left (journal.recover), from the journal and
the blobs. Split from journal.py, which stays the one way a step is committed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from contextlib import suppress
from pathlib import Path

from tiandz.core.problems import TiandzError
from tiandz.files.reading import ITEM_LIMIT, UnsafeFile, read_bytes
from tiandz.files.yamlio import write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.manyfiles import (
    OLD,
    append_if_as_read,
    link_aside,
    make_durable,
    remove_later,
    torn_append,
    write_rest,
)
from tiandz.ledger.place import STAGING

MANY = 50  # files in one step from which git is given them on standard input, in one process


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bytes_of(path: Path) -> bytes | None:
    """A file's bytes as the ledger's reader gives them (no link followed, bounded); None when it is absent."""
    try:
        return read_bytes(path, ITEM_LIMIT)
    except (FileNotFoundError, NotADirectoryError):  # absent, or a folder on its path is a file
        return None


def clear(staging: Path) -> None:
    with suppress(FileNotFoundError):
        shutil.rmtree(staging)


def finish(ledger: Ledger, top: Path, journal: dict, fresh: bool = False, contents: dict[str, bytes] | None = None,
           unchanged: dict[str, tuple] | None = None) -> None:
    """HEAD is the new commit: every file in place, its index entry updated, the staging folder gone.

    A file is replaced only if it is still as it was before the step (or already as after it; a file the
    step appends to, also when the append was cut short): a file someone edited since the step read it (or
    after a crash) is left alone, with the step's index entry, and the hand-edit check shows it. A file that cannot be written raises its OSError; the journal then
    stays for the next command. `contents`: the new contents by blob, when this process has them. `unchanged`:
    by path, each file's `read_key` as the step read it: a file the step appends to and finds with the same
    key is as it was read, and is not read again (a 交办会 appends to 15,000 files).
    """
    staging = ledger.state_folder / STAGING
    appends = [entry for entry in journal["files"] if "appended" in entry]
    if appends and contents is None:  # recovery: an appended file's new contents are in its blob
        contents = gitops.read_blobs(top, [entry["blob"] for entry in appends])
    many = len(journal["files"]) >= MANY
    # For many files git stores each one's index entry as soon as it is in place (it reads and hashes the file
    # for its stat data), beside this process placing the next: one after the other, a 交办会 waited for both.
    feed = gitops.Feed(top, "update-index", "--add", "-z", "--stdin") if many else None
    placed: list[str] = []
    put = (lambda entry: feed.give(entry["top"].encode("utf-8") + b"\0")) if feed else (lambda entry: placed.append(entry["top"]))
    try:
        left = _put_in_place(ledger, top, journal, staging, fresh, contents or {}, unchanged, put)
    except BaseException:
        if feed is not None:
            with suppress(TiandzError):  # what stopped the placing is told, not git's view of it
                feed.close()
        raise
    if feed is not None:
        feed.close()
    if placed:
        gitops.run(top, "update-index", "--add", "-z", "--stdin", input="".join(path + "\0" for path in placed).encode("utf-8"))
    if left:
        # Their index entries become the step's, as committed: git status then shows the edit against the step
        # (" M"), not a staged undoing of the step under it, which `git commit` would record.
        listed = "".join(f"{entry['mode']} {entry['blob']}\t{entry['top']}\0" for entry in left)
        gitops.run(top, "update-index", "-z", "--index-info", input=listed.encode("utf-8"))
    if many:
        # Their copies were not fsynced one by one: on disk before the journal that could repair them goes.
        root = str(ledger.root) + os.sep
        make_durable([root + entry["path"].replace("/", os.sep) for entry in journal["files"]])
        if (staging / OLD).exists():  # the old versions linked aside (_put_in_place): removed after the command
            remove_later(ledger.state_folder, staging)
    clear(staging)  # a file left alone is told by the hand-edit check of the step that follows


def _put_in_place(ledger: Ledger, top: Path, journal: dict, staging: Path, fresh: bool, contents: dict[str, bytes],
                  unchanged: dict[str, tuple] | None, put) -> list[dict]:
    """Each file of the step given its new contents, where it is still as the step found it (`finish`);
    `put(entry)` once it is in place. Returns the entries left alone."""
    left = []  # edited by someone since the step read them: left as they are
    # Replacing a file frees its old contents, which costs the file system far more than the rename (a
    # millisecond a file, minutes for a 交办会): for many files each old version is first linked aside, so
    # the rename frees nothing, and the links are removed after the command, by a process of their own.
    keep_old = staging / OLD if len(journal["files"]) >= MANY else None
    folders: set[Path] = set()  # made (or found) once a step, not once a file
    root = str(ledger.root) + os.sep
    for entry in journal["files"]:
        path = root + entry["path"].replace("/", os.sep)  # by text: a Path only where a file is replaced
        new = contents.get(entry["blob"]) if "appended" in entry else None
        key = unchanged.get(entry["path"]) if new is not None and unchanged else None
        if key is not None and _append_if_as_read(path, new, entry, key):  # as the step read it: not read again
            put(entry)
            continue
        try:
            now = bytes_of(path)  # None when absent: no lstat first, a 交办会 asks this of 15,000 files
        except UnsafeFile:  # a link, a device or a huge file where the item was: not written through; check tells it
            left.append(entry)
            continue
        current = digest(now) if now is not None else None
        if "appended" in entry:
            if current == entry["sha256"]:
                put(entry)
            elif new is not None and now is not None and (current == entry["before"] or torn_append(now, new, entry["appended"])):
                _append_rest(path, new, entry)
                put(entry)
            else:
                left.append(entry)
            continue
        if current not in (entry["before"], entry["sha256"]):
            left.append(entry)
            continue
        if current != entry["sha256"]:
            try:
                if keep_old is not None and now is not None:
                    keep_old = link_aside(path, keep_old, entry["staged"])
                _place(staging / entry["staged"], Path(path), entry, top, fresh, folders)
            except OSError as error:
                error.ledger_path = entry["path"]  # for the message: the file as the ledger names it
                raise
        put(entry)
    return left


def _append_if_as_read(path: str, new: bytes, entry: dict, key: tuple) -> bool:
    try:
        return append_if_as_read(path, new, entry["appended"], key)
    except OSError as error:
        error.ledger_path = entry["path"]  # for the message: the file as the ledger names it
        raise


def _append_rest(path: str, new: bytes, entry: dict) -> None:
    try:
        write_rest(path, new, entry["appended"])
    except OSError as error:
        error.ledger_path = entry["path"]  # for the message: the file as the ledger names it
        raise


def _place(staged: Path, path: Path, entry: dict, top: Path, fresh: bool = False, folders: set[Path] | None = None) -> None:
    """Rename the staged content into place; from git's blob when the staged copy is gone or not the same
    (`fresh`: this process staged it a moment ago, and it is not read again). `folders`: those already made."""
    if folders is None or path.parent not in folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(path.parent)
    if not fresh and digest(bytes_of(staged) or b"") != entry["sha256"]:
        write_atomic(path, gitops.run(top, "cat-file", "blob", entry["blob"]).stdout)
        return
    os.chmod(staged, 0o755 if entry["mode"] == "100755" else 0o644)
    try:
        os.replace(staged, path)
    except OSError as error:
        if error.errno != errno.EXDEV:  # the git directory on another disk than the work tree
            raise
        write_atomic(path, staged.read_bytes())
