"""`tiandz clone` and `tiandz whoami`: a clerk's clone of the city's ledger, and whose clone it is (spec/offices.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, console, markup_text, open_ledger


@command("clone")
def clone_command(
    url: str = typer.Argument(..., help="服务器上台账仓库的地址（如 git@服务器:台账.git）"),
    directory: Optional[Path] = typer.Argument(None, help="放在哪个文件夹（默认按地址取名）"),
    unit: Optional[str] = typer.Option(None, "--unit", help="这个副本属于哪个承办单位（全称或简称）"),
    office: bool = typer.Option(False, "--office", help="这个副本属于交办机关"),
) -> None:
    """克隆：从服务器取得台账的副本，记下它属于交办机关还是哪个承办单位，并让 git 按条目合并。

    示例：tiandz clone git@服务器:台账.git --unit 教体局；tiandz clone git@服务器:台账.git 台账 --office
    """
    cloned = api.clone_ledger(url, directory, unit=unit, office=office)
    out = console()
    out.print(f"已克隆到 {markup_text(str(cloned.root))}")
    out.print(markup_text(api.describe_role(cloned.role)))
    out.print("已设置 git 按条目合并台账文件（tiandz merge-driver）")


@command("whoami")
def whoami_command(
    unit: Optional[str] = typer.Option(None, "--unit", help="改为这个承办单位的副本（全称或简称）"),
    office: bool = typer.Option(False, "--office", help="改为交办机关的副本"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """角色：说明这个副本属于交办机关还是哪个承办单位；用 --unit 或 --office 更改（只记在本机副本的 git 配置中）。

    示例：tiandz whoami；tiandz whoami --unit 教体局；tiandz whoami --office
    """
    book = open_ledger(ledger)
    role = api.whoami(book, unit=unit, office=office)
    console().print(markup_text(api.describe_role(role)))
