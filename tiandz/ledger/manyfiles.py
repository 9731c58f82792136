"""What a step of thousands of files (a 交办会, an import) does differently, so that it takes seconds, not minutes.

Each costs a file, on an ordinary disk, about a millisecond that a step of one file never notices: a git
process to hash it, an fsync, and freeing the old contents of the file it replaces. journal.py stays the
one way a step is committed and put in place; for many files (journal.MANY) a file the step only adds to
(the 交办 appended to each registered item of a 交办会) is not staged at all: once the commit is made, the rest
of the file is written in place (creating and renaming 15,000 files costs seconds on an ordinary disk), and a
file found cut short by a crash is completed from its blob. Other files' staged copies are not
fsynced one by one (recovery puts a lost copy in place from its blob; one sync makes the placed files
durable before the journal is removed), their blobs are written by one
`git fast-import` when no filter can apply, else hashed here by one `git hash-object --stdin-paths` (unless
an attribute applies to a path: then one a file, as `git add` would), and each replaced file's old contents
get a second name first, so the rename frees nothing; the staging folder, holding those names, is removed
after the command by a process of its own (as `git gc --auto` is).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.unchanged import file_key

OLD = "old"  # in the staging folder: a second name for each replaced file's old contents (many files)
TRASH = "removing-"  # in the state folder: a finished step's staging folder, being removed by a process of its own


def hash_objects(ledger: Ledger, top: Path, staging: Path, entries: list[dict]) -> list[str]:
    """Each staged file written into git's objects as the blob of its path.

    One `hash-object` a file applies the path's attributes (eol, filters) as `git add` would; when no
    attribute applies to any of the paths (asked of git once), one process hashes them all, since a git
    process a file costs a 交办会 of thousands of items more than everything else it does.
    """
    if len(entries) > 1:
        paths = "".join(entry["top"] + "\0" for entry in entries).encode("utf-8")
        attributes = gitops.run(top, "check-attr", "-z", "--stdin", "-a", input=paths, check=False)
        if attributes.returncode == 0 and not attributes.stdout:
            listed = "".join(str(staging / entry["staged"]) + "\n" for entry in entries).encode("utf-8")
            blobs = gitops.text_of(gitops.run(ledger.root, "hash-object", "-w", "--stdin-paths", input=listed).stdout).split()
            if len(blobs) == len(entries):
                return blobs
    return [
        gitops.text_of(gitops.run(
            ledger.root, "hash-object", "-w", f"--path={entry['path']}", "--", str(staging / entry["staged"])
        ).stdout).strip()
        for entry in entries
    ]


def link_aside(path: Path, folder: Path, name: str) -> Path | None:
    """A second name for the file's old contents; None (and no more tries) where links are not to be had."""
    try:
        folder.mkdir(exist_ok=True)
        os.link(path, folder / name)
        return folder
    except OSError:  # FAT, some network shares, the git directory on another disk: replaced as usual
        return None


def remove_later(state_folder: Path, staging: Path) -> None:
    """The staging folder moved out of the way and removed by a detached process (as `git gc --auto` runs),
    with any a remover that died left; if no process can be started, removed here and now."""
    trash = state_folder / f"{TRASH}{time.time_ns()}-{os.getpid()}"
    try:
        os.replace(staging, trash)
        folders = [str(folder) for folder in state_folder.glob(TRASH + "*")]
        remover = "import shutil, sys\nfor folder in sys.argv[1:]:\n    shutil.rmtree(folder, ignore_errors=True)"
        detached = {"creationflags": 0x00000008 | 0x00000200} if os.name == "nt" else {"start_new_session": True}
        subprocess.Popen([sys.executable, "-c", remover, *folders], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, close_fds=True, **detached)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def appendable(status: os.stat_result | None, before: bytes | None, data: bytes) -> bool:
    """Whether the step only adds to the end of this file (a 交办 appended to a registered item), so the new
    contents can be written as the rest of the file in place: no new file, no rename, no old contents to
    free. Only for a plain file of one name (writing into a file with a second name would change that one
    too; a symlink's target is not the ledger's)."""
    if status is None or not before or len(data) <= len(before) or not data.startswith(before):
        return False
    return stat.S_ISREG(status.st_mode) and status.st_nlink == 1  # `status`: the file's own (lstat), not a link's target


def torn_append(now: bytes, new: bytes, size: int) -> bool:
    """Whether the file is the step's append cut short (killed or powered off while writing): its first
    `size` bytes as before, then a part of the rest, or zeros where the disk had not written it yet.

    (The caller knows the first `size` bytes of `new` are the file before the step.) A file the clerk
    edited is not this, and is left alone."""
    if not size <= len(now) <= len(new) or now[:size] != new[:size]:
        return False
    return all(found in (0, wanted) for found, wanted in zip(now[size:], new[size:]))


def write_rest(path: Path | str, new: bytes, size: int) -> None:
    """The file made `new` by writing what follows its first `size` bytes in place. If the disk refuses,
    the file is cut back to those bytes (as it was before the step) and the error raised."""
    descriptor = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))  # never through a link
    try:  # on the descriptor itself, no file object: a 交办会 appends to 15,000 files
        _write_after(descriptor, new, size)
        os.ftruncate(descriptor, len(new))  # longer than that (a torn append with more): no more
    finally:
        os.close(descriptor)


def append_if_as_read(path: str, new: bytes, size: int, key: tuple) -> bool:
    """`write_rest`, for a file the step read and found with `key` (unchanged.file_key): it is opened, and
    only if its key is still that one (so it is as the step read it, `size` bytes) is the rest written after
    those bytes; True then. False, with nothing written, for any other file (changed, gone, a link): the
    caller looks at it as at any other. Four system calls a file, where a 交办会 has 15,000."""
    try:
        descriptor = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        status = os.fstat(descriptor)
        if file_key(status) != key or not stat.S_ISREG(status.st_mode):
            return False
        _write_after(descriptor, new, size)
        return True
    finally:
        os.close(descriptor)


def _write_after(descriptor: int, new: bytes, size: int) -> None:
    """What follows the first `size` bytes of `new`, written there; if the disk refuses, the file is cut back
    to those bytes (as it was before the step) and the error raised."""
    rest, offset = memoryview(new)[size:], size
    try:
        while rest:
            written = os.pwrite(descriptor, rest, offset)
            rest, offset = rest[written:], offset + written
    except OSError:
        with suppress(OSError):
            os.ftruncate(descriptor, size)
        raise


SYNC_ALL_FROM = 2000  # files written unsynced, from which one os.sync costs less than an fsync of each


def make_durable(paths: list[Path] | list[str]) -> None:
    """Files written without an fsync each, on disk before the journal that could repair them goes.

    `os.sync` flushes every file system: with a fetch's pack or git's background repack being written
    beside it, it waited 0.7 s for a pull of 200 items. An fsync of just these files and their folders, many
    at a time (the file system's journal takes them together), costs a few hundredths of a second; for an
    import's thousands of files one `os.sync` is still the cheaper way.
    """
    if not paths:
        return
    if len(paths) >= SYNC_ALL_FROM and hasattr(os, "sync"):
        os.sync()
        return
    from concurrent.futures import ThreadPoolExecutor

    targets = list(dict.fromkeys([*paths, *(os.path.dirname(path) for path in paths)]))
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(_fsync, targets))


def _fsync(path: Path | str) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return  # gone or not openable (a folder on Windows): nothing of ours to make durable
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # a file system that cannot fsync a folder
    finally:
        os.close(descriptor)
