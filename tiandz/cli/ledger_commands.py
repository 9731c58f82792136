"""Commands that make, fill and read the ledger: init, new, import, check, list, show."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path
from typing import List, Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, console, markup_text, open_ledger, print_problems
from tiandz.cli.import_view import more_bad_rows, show_import
from tiandz.cli.progress import progress_bar
from tiandz.cli.prompts import ask_missing
from tiandz.cli.quick import check_json, check_summary, more_in_check
from tiandz.cli.views import item_lines, items_lines
from tiandz.core.display import visible
from tiandz.core.problems import ERROR, TiandzError


@command("init")
def init_command(
    directory: Path = typer.Argument(Path("."), help="台账目录（默认当前目录）"),
    org: Optional[str] = typer.Option(None, "--org", help="机关名称，如 某县人民政府办公室"),
    year: Optional[int] = typer.Option(None, "--year", help="年度（默认今年；有 --from 时为上一年度加一）"),
    example: bool = typer.Option(False, "--example", help="填入示例单位和示例件"),
    source: Optional[Path] = typer.Option(
        None, "--from", help="上一年度的台账：沿用承办单位、签发人、电话、领域、分类、时限、规则、模板和 notes/（不含件）"
    ),
) -> None:
    """新建台账：tiandz.yaml、年度文件夹、git 仓库和第一次提交。

    示例：tiandz init 台账 --org 某县人民政府办公室 --year 2024；新年度：tiandz init 台账2026 --from 台账2025
    """
    result = api.init_ledger(directory, org, year, example, source)
    out = console()
    out.print(f"已新建台账：{result.root}" + (f"（示例件 {result.items} 件）" if result.items else "")
              + (f"，{result.year} 年度，由 {source} 结转" if source is not None else ""))
    for note in ([result.note] if result.note else []) + result.notes:
        out.print(f"[yellow]{markup_text(visible(note))}[/yellow]")
    if source is None:
        out.print("下一步：编辑 tiandz.yaml 中的承办单位，然后用 tiandz new 或 tiandz import 登记建议、提案。")
    else:
        out.print("下一步：核对 tiandz.yaml（届次、承办单位的变动），然后用 tiandz new 或 tiandz import 登记本年度的件。")


@command("new")
def new_command(
    kind: Optional[str] = typer.Option(None, "--type", help="建议 或 提案"),
    title: Optional[str] = typer.Option(None, "--title", help="标题"),
    proposer: Optional[str] = typer.Option(None, "--proposer", help="提出人（领衔代表、第一提案人或提案单位）"),
    cosigners: List[str] = typer.Option([], "--cosigner", help="联名人，可重复"),
    topic: Optional[str] = typer.Option(None, "--topic", help="领域"),
    number: Optional[str] = typer.Option(None, "--number", help="案号（大会印发的编号）"),
    source: Optional[str] = typer.Option(None, "--source", help="大会期间 或 闭会期间"),
    date: Optional[str] = typer.Option(None, "--date", help="提出日期（默认今天；逐项询问时默认届次的会议首日）"),
    key: bool = typer.Option(False, "--key", help="重点督办"),
    text_file: Optional[Path] = typer.Option(None, "--text-file", help="内容全文所在的文本文件"),
    no_commit: bool = typer.Option(False, "--no-commit", help="只写文件，不提交 git"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """登记一件建议或提案，自动取下一个编号。不带选项在终端运行时逐项询问。

    示例：tiandz new --type 建议 --title 关于加强校园周边环境综合治理的建议 --proposer 张三 --cosigner 李四
    """
    book = open_ledger(ledger)
    fields = ask_missing(book.config, kind, title, proposer, topic, source, cosigners=cosigners, number=number,
                         date=date, key=key)
    result = api.register_typed(book, **fields, text_file=text_file, commit=not no_commit)
    for note in result.notes:
        console().print(f"[yellow]{markup_text(visible(note))}[/yellow]")
    item_id = result.ids[0]
    console().print(f"已登记 {item_id}：{markup_text(visible(fields['title']))}")
    console().print(f"下一步：tiandz assign {item_id} --lead 主办单位")


@command("import")
def import_command(
    file: Path = typer.Argument(..., help="交办清单：.xlsx 或 .csv（UTF-8 或 GBK）"),
    kind: Optional[str] = typer.Option(None, "--type", help="表中没有“类型”列、工作表名也不是建议或提案时，按此类型登记"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="只导入这一个工作表（默认：每个有表头的工作表）"),
    date: Optional[str] = typer.Option(None, "--date", help="有主办单位的行按此日期交办（交办会日期，默认今天）"),
    submitted: Optional[str] = typer.Option(None, "--submitted", help="表中没有提出日期时的提出日期（默认 tiandz.yaml 届次的会议日期）"),
    source: Optional[str] = typer.Option(None, "--source", help="大会期间 或 闭会期间（默认按会议日期推定）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查并说明怎样读取，不写入"),
    no_commit: bool = typer.Option(False, "--no-commit", help="只写文件，不提交 git"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """从人大、政协送来的清单批量登记。先检查全部行，有一行错就一件也不写；已登记的行跳过并列出。

    示例：tiandz import 交办清单.xlsx --date 2024-03-20 --submitted 2024-01-15 --dry-run
    """
    try:
        result = api.import_file(
            open_ledger(ledger), file, kind=kind, assigned=date, dry_run=dry_run, commit=not no_commit,
            sheet=sheet, submitted=submitted, source=source,
        )
    except TiandzError as error:
        print_problems(error.problems, rest=more_bad_rows)
        raise typer.Exit(1) from None
    show_import(result, dry_run)
    if result.problems:
        raise typer.Exit(1)


@command("check")
def check_command(
    paths: List[Path] = typer.Argument(None, help="只检查这些文件（默认整个台账）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """检查 tiandz.yaml 和每个条目文件，逐条列出问题（文件:行: 字段: 说明）。有错误时退出码为 1。

    可作 git pre-commit 钩子：tiandz check $(git diff --cached --name-only -- '*.yaml')

    示例：tiandz check；tiandz check 2024/2024-J-015.yaml；tiandz check --json
    """
    book = open_ledger(ledger)
    with progress_bar("检查") as progress:
        problems = api.check_ledger(book, paths or None, progress=progress)
    errors = sum(1 for problem in problems if problem.severity == ERROR)
    if as_json:
        print(check_json(problems, errors))
    else:
        print_problems(problems, stderr=False, rest=more_in_check)
        summary = check_summary(problems, errors)
        console(stderr=True).print(("[green]" if not errors else "[red]") + summary + ("[/green]" if not errors else "[/red]"))
    if errors:
        raise typer.Exit(1)


@command("list")
def list_command(
    kind: Optional[str] = typer.Option(None, "--type", help="建议 或 提案"),
    state: Optional[str] = typer.Option(None, "--state", help="待交办、办理中、重新办理、已答复、已办结"),
    unit: Optional[str] = typer.Option(None, "--unit", help="承办单位（主办或协办；可用简称）"),
    topic: Optional[str] = typer.Option(None, "--topic", help="领域"),
    key: bool = typer.Option(False, "--key", help="只列重点督办件"),
    overdue: bool = typer.Option(False, "--overdue", help="只列逾期件"),
    due_within: Optional[int] = typer.Option(None, "--due-within", help="只列 N 天内到期的件"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """列出条目：编号、标题、主办、状态、时限、剩余天数（逾期标红）；--unit 时另列该单位是主办还是协办。

    示例：tiandz list --overdue；tiandz list --unit 教体局 --state 办理中；tiandz list --json
    """
    book = open_ledger(ledger)
    today = dt.date.today()
    listing = api.list_items(book, api.Filter(kind, state, unit, topic, key, overdue, due_within), today)
    roles = listing.roles()
    if as_json:
        rows = [row.to_json(today) for row in listing.rows]
        for row, role in zip(rows, roles or ()):
            row["本单位"] = role
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    sys.stdout.write("\n".join(items_lines(listing.rows, today, sys.stdout.isatty(), roles)) + "\n")
    tail = f"共 {len(listing.rows)} 件"
    if listing.problem_count:
        tail += f"；台账有 {listing.problem_count} 个问题，运行 tiandz check 查看"
    console(stderr=True).print(tail)


@command("show")
def show_command(
    item_id: str = typer.Argument(..., metavar="ID", help="编号，如 2024-J-015 或 J-15"),
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """显示一件的全部内容、状态和时限。

    示例：tiandz show J-15
    """
    view = api.show_item(open_ledger(ledger), item_id)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    sys.stdout.write("\n".join(item_lines(view, width, sys.stdout.isatty())) + "\n")
    if view.problems:
        print_problems(view.problems)
