"""Reading a file someone else may have made: only regular files, never through a symlink, never unbounded.

A ledger arrives by git from other offices' machines, and a command reads what a clerk names. Either can be
a symlink to another file of the machine (a key, a password file), a device that never ends (/dev/zero), a
FIFO that blocks, or simply far larger than any item. Every file tiandz reads from a ledger or a command
line goes through `read_bytes`, which refuses these with a Chinese reason before it reads a byte too many.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

ITEM_LIMIT = 4 * 1024 * 1024  # an item file with a long answer is tens of kB
TEXT_LIMIT = 16 * 1024 * 1024  # a --text-file pasted from a long Word document
SHEET_LIMIT = 64 * 1024 * 1024  # a list of thousands of rows, as .xlsx or .csv
SYMLINK_REFUSED = "是符号链接，tiandz 不读符号链接指向的文件"
REFUSES_SYMLINKS = hasattr(os, "O_NOFOLLOW")  # read_bytes's open itself refuses a symlinked file


class UnsafeFile(OSError):
    """A file tiandz will not read; `strerror` says why, in Chinese, as OSError handlers print it."""

    def __init__(self, reason: str):
        super().__init__(errno.EPERM, reason)


def read_bytes(path: Path, limit: int, *, follow: bool = False) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes; UnsafeFile (an OSError) otherwise.

    `follow=False` refuses a symlink itself (files inside a ledger); `follow=True` reads what a symlink a
    clerk named points to, if that is a regular file (a --text-file).
    """
    # Where the open itself refuses a symlink (O_NOFOLLOW), no lstat is spent on asking first: a first check
    # reads 15,000 files. Elsewhere (Windows) the link is looked for before the open.
    nofollow = 0 if follow else getattr(os, "O_NOFOLLOW", 0)
    if not follow and not nofollow and os.path.islink(path):
        raise UnsafeFile(SYMLINK_REFUSED)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | nofollow
    try:
        handle = os.open(path, flags)
    except OSError as error:
        # ELOOP on Linux and macOS; FreeBSD says EMLINK, which has another meaning too, so it is asked.
        if error.errno == errno.ELOOP or (nofollow and error.errno == errno.EMLINK and os.path.islink(path)):
            raise UnsafeFile(SYMLINK_REFUSED) from None
        raise
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise UnsafeFile("不是普通文件（是文件夹、设备或管道）")
        if status.st_size > limit:
            raise UnsafeFile(f"文件太大（{status.st_size // 1024} KB，上限 {limit // 1024} KB）")
        chunks, size = [], 0
        while chunk := os.read(handle, 1024 * 1024):
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise UnsafeFile(f"文件太大（上限 {limit // 1024} KB）")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)
