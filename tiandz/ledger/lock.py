"""One writer at a time: an operating-system lock on `lock` in tiandz's state folder (`.git/tiandz/`).

Two clerks (or two terminals) writing at once could both pick the same next 编号, and one registration
would overwrite the other. The lock is the kernel's (flock on Linux and macOS, msvcrt on Windows, through
the `filelock` package), not a file's existence: the kernel releases it when the holder exits, however it
exits, so a lock is never stale and nothing of ours decides to take one over (a pid file's takeover let two
processes in at once, and an empty file or a reused pid blocked every write). A second writer waits a
moment, then is refused, told the lock's place and, when known, the holder's pid.

The pid is only told, never trusted: the holder writes it to `lock.pid` beside the lock after taking it
and removes it before letting go. The lock file itself is left to `filelock` (on Windows its locked bytes
cannot even be read).
"""

from __future__ import annotations

import os
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

from tiandz.core.oserrors import reason
from tiandz.core.problems import refuse

LOCK_NAME = "lock"
HOLDER_NAME = "lock.pid"


@contextmanager
def writing(state_folder: Path, wait_seconds: float = 3.0) -> Iterator[None]:
    """Hold the ledger's write lock (in `Ledger.state_folder`); refused when another process keeps it."""
    import filelock

    place = state_folder / LOCK_NAME
    holder_file = state_folder / HOLDER_NAME
    try:
        state_folder.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(str(place), timeout=wait_seconds)
        lock.acquire()
    except filelock.Timeout:
        holder = _holder(holder_file)
        refuse(
            f"另一个 tiandz 进程{f'（pid {holder}）' if holder else ''}正在写入台账",
            path=str(place),
            hint="请稍后再试；那个进程结束（即使是被强行终止）时锁即释放，不必删除锁文件",
        )
    except OSError as error:
        refuse(f"无法取得写入锁：{reason(error)}", path=str(place), hint="请检查该文件夹是否可写")
    try:
        with suppress(OSError):
            holder_file.write_text(f"{os.getpid()}\n", encoding="ascii")
        yield
    finally:
        # Removed while still held: after the release it may already be the next holder's.
        with suppress(OSError):
            holder_file.unlink()
        lock.release()


def _holder(holder_file: Path) -> int | None:
    try:
        return int(holder_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
