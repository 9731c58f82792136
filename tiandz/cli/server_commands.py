"""`tiandz verify-push` and `tiandz server install`: the guard on the ledger's git server (spec/offices.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from tiandz import api
from tiandz.cli.app import command, console, markup_text
from tiandz.core.display import visible
from tiandz.core.problems import refuse


@command("verify-push")
def verify_push_command(
    vref: list[str] = typer.Argument(None, metavar="[REF OLD NEW …]", help="作为 gitolite VREF 运行时由 gitolite 给出"),
    identity_env: str = typer.Option(None, "--identity-env", help="存放推送账号的环境变量（默认：tiandz.yaml 的 服务器.身份变量，即 GL_USER）"),
    repo: Path = typer.Option(Path("."), "--repo", help="服务器上的裸仓库（默认：当前目录，git 运行钩子时即是）"),
) -> None:
    """服务器的守护程序：检查一次推送，单位越权则整个拒绝。

    作为 pre-receive 钩子运行时从标准输入读“旧 新 引用”各行；作为 gitolite VREF 运行时读参数。
    由 tiandz server install 装入裸仓库，不必手工运行。
    """
    if vref:
        if len(vref) < 3:
            refuse("verify-push 的参数应为：引用 旧提交 新提交（gitolite VREF 的前三个参数）")
        updates = [api.PushUpdate(vref[1], vref[2], vref[0])]
    else:
        updates = api.read_push_updates(sys.stdin.read())
    refusals = api.verify_push(repo, updates, os.environ, identity_env)
    if refusals:
        out = console(stderr=True)
        for line in refusals:
            out.print(f"[red]{markup_text(visible(line))}[/red]")
        out.print("[red]tiandz：推送被整个拒绝，服务器上的台账没有改动。[/red]")
        sys.exit(1)


@command("server")
def server_command(
    action: str = typer.Argument(..., metavar="install|vref", help="install：把守护程序装入裸仓库；vref：打印 gitolite 的 VREF 脚本"),
    bare_repo: Path = typer.Argument(None, metavar="BARE_REPO", help="服务器上的裸仓库（git init --bare 建立的）"),
    identity_env: str = typer.Option(None, "--identity-env", help="存放推送账号的环境变量，覆盖 tiandz.yaml 的 服务器.身份变量"),
) -> None:
    """在服务器上装好守护程序：写入裸仓库的 pre-receive 钩子，每次推送都经 tiandz verify-push 检查。

    tiandz server vref 打印 gitolite 用的 VREF 脚本（存为 gitolite 的 local/VREF/TIANDZ）。
    """
    if action == "vref":
        sys.stdout.write(api.server_vref_text())
        return
    if action != "install" or bare_repo is None:
        refuse(f"不认识“{action}”" if action != "install" else "缺少裸仓库的路径",
               hint="用法：tiandz server install 裸仓库，或 tiandz server vref")
    hook = api.install_server_hook(bare_repo, identity_env)
    console().print(f"已装好守护程序：{markup_text(visible(str(hook)))}")
