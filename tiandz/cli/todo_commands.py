"""`tiandz todo` (each office's own list) and `tiandz remind` (the office's 催办通知 to the units)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, console, open_ledger
from tiandz.cli.todo_view import todo_lines
from tiandz.core.dates import parse_date
from tiandz.core.display import visible
from tiandz.core.names import DUE_SOON_DAYS as DEFAULT_WITHIN


@command("todo")
def todo_command(
    within: int = typer.Option(DEFAULT_WITHIN, "--within", help="N 天内到期的算临期（默认 7）"),
    unit: Optional[str] = typer.Option(None, "--unit", help="看这个单位的待办（可用简称），与该单位在自己的克隆里看到的相同"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """待办：承办单位的克隆里列本单位待沟通、待答复、待提协办意见的件（逾期、临期在前）和待机关处理的申请；
    交办机关的克隆里列待处理的申请、各单位逾期和临期的件、待评价的答复、逾期未完成的承诺。

    示例：tiandz todo；tiandz todo --within 15；tiandz todo --unit 教体局；tiandz todo --json
    """
    book = open_ledger(ledger)
    result = api.todo(book, unit=unit, within=within)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    sys.stdout.write("\n".join(todo_lines(result, sys.stdout.isatty())).rstrip("\n") + "\n")
    if result.role == "unknown":
        console(stderr=True).print("本克隆未登记身份，按交办机关列出；承办单位请运行 tiandz whoami --unit 单位")
    if result.problem_count:
        console(stderr=True).print(f"台账有 {result.problem_count} 个错误，有错的文件未列入；运行 tiandz check 查看")


@command("remind")
def remind_command(
    unit: Optional[str] = typer.Option(None, "--unit", help="只给这个单位发（可用简称）"),
    within: int = typer.Option(DEFAULT_WITHIN, "--within", help="N 天内到期的也催办（默认 7）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件夹（默认 out/催办通知/）"),
    date: Optional[str] = typer.Option(None, "--date", help="通知的成文日期（默认今天）；逾期、剩余天数按这一天计算"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """催办通知：给每个有逾期或临期件的承办单位写一份 GB/T 9704 信函格式的 Word 通知（列出编号、标题、主办或协办、
    时限、逾期或剩余天数），另写一个日历文件（.ics，每件每单位一个全天日程，重复导入只更新不重复）。只在交办机关的克隆中可用。

    示例：tiandz remind；tiandz remind --unit 教体局 --within 15；tiandz remind -o 催办/ --date 2024-06-20
    """
    book = open_ledger(ledger)
    day = parse_date(date, "--date") if date else None
    done = api.remind(book, unit=unit, within=within, output=output, date=day)
    if not done.notices:
        print(f"没有逾期或 {within} 天内到期的件，无需催办")
    for notice in done.notices:
        late = notice.overdue
        print(f"催办 {visible(notice.unit)}：逾期 {late} 件，临期 {len(notice.tasks) - late} 件")
    for path in done.paths:
        print(f"已写{'日历' if path == done.calendar else '催办通知'}：{book.relative(path)}")
    if done.problem_count:
        console(stderr=True).print(f"台账有 {done.problem_count} 个错误，有错的文件未列入；运行 tiandz check 查看")
