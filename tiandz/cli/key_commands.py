"""`tiandz key`: 重点督办 marked or lifted after registration.

A command module of its own (not step_commands.py) so that it is added without touching the other steps.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, open_ledger
from tiandz.cli.step_commands import NoCommitOption, show_outcome


@command("key")
def key_command(
    ids: List[str] = typer.Argument(..., help="编号，可写多个（J-15 T-3）"),
    off: bool = typer.Option(False, "--off", help="取消重点督办"),
    leader: Optional[str] = typer.Option(None, "--leader", help="督办领导（如 李副县长）"),
    reason: Optional[str] = typer.Option(None, "--reason", help="依据或理由（写进提交说明）"),
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """重点督办：登记后列为重点督办件（可写督办领导），或用 --off 取消。多件一次提交。

    示例：tiandz key J-15 T-3 --leader 李副县长 --reason 县政府常务会议确定
    """
    book = open_ledger(ledger)
    show_outcome(api.key(book, ids, off=off, leader=leader, reason=reason, commit=not no_commit))
