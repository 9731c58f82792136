"""`tiandz sync`: this clone's work sent to the server and everyone else's taken (spec/offices.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from tiandz import api
from tiandz.cli.app import LedgerOption, command, console, markup_text, open_ledger
from tiandz.core.display import visible


@command("sync")
def sync_command(ledger: Optional[Path] = LedgerOption) -> None:
    """与服务器同步：取回别人的办理记录，把本克隆的提交接在其后推送上去。

    同一件两边都有改动时按“件”合并：两边新增的沟通、答复等记录都保留，不丢不重；只有一边改的字段取那一边；
    两边把同一字段改得不同则同步停止，说明是哪一件、哪个字段，本地和服务器都不改动。
    连不上服务器时本地的提交都保留，下次同步再推送。同步同时把 tiandz 登记为本克隆的条目合并程序。

    示例：tiandz sync
    """
    book = open_ledger(ledger)
    synced = api.sync_ledger(book)
    out = console()
    for note in synced.notes:
        out.print(f"[yellow]{markup_text(visible(note))}[/yellow]")  # names from the server's commits: shown, never obeyed
    if not synced.pulled and not synced.pushed:
        out.print(f"[green]已同步：本地与服务器一致（{(synced.commit or '')[:12]}）[/green]")
        return
    again = f"（别人先推送了，共试 {synced.attempts} 次）" if synced.attempts > 1 else ""
    out.print(f"[green]已同步：取回 {synced.pulled} 个提交，推送 {synced.pushed} 个提交{again}；"
              f"台账现为 {(synced.commit or '')[:12]}[/green]")
