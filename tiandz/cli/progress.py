"""A progress bar on a terminal for long runs over a big ledger; nothing at all when output is piped."""

from __future__ import annotations

import sys

from tiandz.cli.app import console


class progress_bar:
    """`with progress_bar("检查") as progress:` gives a callback (done, total), or None when not at a terminal."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            from rich.progress import Progress

            self.bar = Progress(transient=True, console=console(stderr=True))
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
