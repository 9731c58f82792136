"""`tiandz letter`: the Word 答复函 of an item's answer, or of every answered item, under out/."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, open_ledger
from tiandz.cli.progress import progress_bar
from tiandz.core.display import visible


def show_written(ledger, written) -> None:
    """The files written, one per line, relative to the ledger where they are inside it."""
    for path in written.paths:
        print(f"已写{'答复汇编' if written.volume else '答复函'}：{ledger.relative(path)}")
    for note in written.notes:
        print(f"注意：{visible(note)}")


@command("letter")
def letter_command(
    item: Optional[str] = typer.Argument(None, help="编号；与 --all 二选一"),
    unit: Optional[str] = typer.Option(None, "--unit", help="只写这个主办单位的答复函（分办件各单位各一封）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件（.docx）或文件夹（默认 out/答复函/）"),
    form: bool = typer.Option(True, "--form/--no-form", help="是否附征询意见表（另起一页）"),
    every: bool = typer.Option(False, "--all", help="所有已答复件的答复函，各一个文件；可与 --unit 同用，加 --compile 汇编成一个文件"),
    public: bool = typer.Option(False, "--public", help="公开稿：不含提出人联系方式和征询意见表；不予公开的答复不生成"),
    compile_: bool = typer.Option(False, "--compile", help="与 --all 同用：全部答复函汇编成一个 Word 文件（封面、目录，每件另起一页，不含征询意见表）"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """答复函：按 GB/T 9704 信函格式生成最近一次答复的 Word 文件，附征询意见表。

    措辞（标题、称呼、开头、结尾、附注、抄送）来自模板 templates/答复函.j2，可复制到台账的 templates/ 下修改。

    示例：tiandz letter J-15；tiandz letter J-15 --public；tiandz letter --all --unit 教体局 -o 汇编/；
    tiandz letter --all --compile --public -o 答复汇编.docx
    """
    if bool(item) == every:
        raise typer.BadParameter("请给出编号，或用 --all 生成全部答复函（二者选一）", param_hint="ITEM")
    book = open_ledger(ledger)
    with progress_bar("生成答复函") as progress:
        written = api.write_letters(book, item, unit=unit, output=output, form=form, public=public, progress=progress,
                                     volume=compile_)
    show_written(book, written)
