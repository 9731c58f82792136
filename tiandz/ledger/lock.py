"""One writer at a time: a lock file in `.tiandz/lock` naming the holder's pid.

Two clerks (or two terminals) writing at once could both pick the same next 编号; the second one waits a
moment, then is refused with the holder's pid. A lock left by a process that no longer runs is taken over,
and the caller is told so.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tiandz.core.problems import refuse


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def writing(root: Path, wait_seconds: float = 3.0, notes: list[str] | None = None) -> Iterator[None]:
    lock = root / ".tiandz" / "lock"
    lock.parent.mkdir(exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            holder = _holder(lock)
            if holder is not None and not _alive(holder):
                lock.unlink(missing_ok=True)
                if notes is not None:
                    notes.append(f"已接管进程 {holder} 遗留的锁（该进程已不在运行）")
                continue
            if time.monotonic() >= deadline:
                refuse(
                    f"另一个 tiandz 进程（pid {holder}）正在写入台账",
                    path=str(lock),
                    hint="请稍后再试；若确认没有其他 tiandz 在运行，可删除该锁文件",
                )
            time.sleep(0.1)
    try:
        os.write(handle, f"{os.getpid()}\n".encode())
        os.close(handle)
        yield
    finally:
        lock.unlink(missing_ok=True)


def _holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip() or 0) or None
    except (OSError, ValueError):
        return None
