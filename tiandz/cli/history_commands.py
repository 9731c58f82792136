"""`tiandz log`: an item's history from git."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, open_ledger
from tiandz.core.display import visible


@command("log")
def log_command(
    item_id: str = typer.Argument(..., metavar="ID", help="编号，如 2024-J-015 或 J-15"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """一件的办理记录：每次提交的时间、提交人、办理步骤和改动的字段，从早到晚。

    记录来自 git 历史，台账须在 git 仓库中。不是由 tiandz 办理步骤做的提交显示为“手工修改”；
    长文字只显示开头，全文可用 tiandz show 或 git show 查看。有未提交的修改时在最后注明。

    示例：tiandz log J-15；tiandz log 2024-J-015 --json
    """
    history = api.item_history(open_ledger(ledger), item_id)
    if as_json:
        print(json.dumps(history.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write("\n".join(visible(line) for line in history.lines()) + "\n")
