"""`tiandz merge-driver`: git's merge driver for item files (registered in a clone's git config)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from tiandz import api
from tiandz.cli.app import command, print_problems


@command("merge-driver")
def merge_driver_command(
    base: Path = typer.Argument(..., metavar="%O", help="共同祖先的临时文件"),
    ours: Path = typer.Argument(..., metavar="%A", help="本地的临时文件，合并结果写回这里"),
    theirs: Path = typer.Argument(..., metavar="%B", help="对方的临时文件"),
    shown: str = typer.Argument(..., metavar="%P", help="这一件在仓库中的路径"),
) -> None:
    """供 git 调用的合并程序：按“件”合并同一件的两边修改，不按文字行合并。

    两边新增的办理记录（沟通、答复、评价……）都保留，不丢不重；只有一边改的字段取那一边；
    两边把同一字段改得不同则为冲突：不写冲突标记，退出码 1，由 git 报告冲突。

    tiandz clone 和 tiandz sync 会在本克隆登记它；手工登记：.git/info/attributes 写 20*/*.yaml merge=tiandz，并运行
    git config merge.tiandz.driver "python -m tiandz merge-driver %O %A %B %P"
    """
    problems = api.merge_item_files(base, ours, theirs, shown)
    if problems:
        print_problems(problems)
        sys.exit(1)
