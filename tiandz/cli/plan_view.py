"""`tiandz assign --from`: the 交办会 from a plan sheet, and how its plan and outcome are printed.

Kept apart from step_commands.py: the plan has its own options to refuse in combination and its own view
(one line per row: where, which item, 主办, 协办, 时限), and a 交办会 of thousands of items is summed up
rather than listed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tiandz import api
from tiandz.cli.app import open_ledger
from tiandz.core.display import visible

LISTED = 50  # a real run lists its items up to this many; the dry run lists every row


def usage(message: str) -> None:
    """A usage error (exit 2) in the clerk's words, as Typer's own are shown."""
    try:  # typer 0.29 vendors click; earlier versions use click itself
        from typer._click.exceptions import UsageError
    except ImportError:
        from click.exceptions import UsageError
    raise UsageError(message)


def assign_from_plan_command(ledger, plan, ids, leads, co_units, mode, due, reason, date, dry_run, no_commit,
                             sheet=None) -> None:
    if plan is None:
        usage(f"{'--sheet' if sheet is not None else '--dry-run'} 只用于 --from 交办方案")
    given = [name for name, value in (("编号", ids), ("--lead", leads), ("--co", co_units), ("--mode", mode),
                                       ("--due", due), ("--reason", reason)) if value]
    if given:
        usage(f"用 --from 时，每件的单位和时限写在交办方案里，不再写 {'、'.join(given)}")
    book = open_ledger(ledger)
    result = api.assign_from_plan(book, Path(plan), date=date, dry_run=dry_run, commit=not no_commit, sheet=sheet)
    show_plan(result, dry_run)


def show_plan(result, dry_run: bool) -> None:
    lines = [visible(note) for note in result.notes]
    rows = result.rows if dry_run or len(result.rows) <= LISTED else []
    for row in rows:
        done = result.done_of(row)
        order = row.order
        units = f"主办 {'、'.join(order.leads)}（{order.mode}）" + (f"，协办 {'、'.join(order.co_units)}" if order.co_units else "")
        due = f"，时限 {done.due}" if done and done.due else ""
        lines.append(visible(f"{row.sheet} 第 {row.number} 行：{row.item_id} {units}{due}"))
    count = len(result.rows)
    if dry_run:
        lines.append(f"共 {count} 件可以交办（试运行，未写入）；去掉 --dry-run 即交办")
    else:
        lines.append(f"已交办 {count} 件，交办日期 {result.rows[0].order.day}" if count else "没有交办")
        lines += [visible(note) for note in result.outcome.notes]
        if result.outcome.commit:
            lines.append(f"已提交 git {result.outcome.commit[:7]}")
        lines.append("下一步：承办单位与提出人沟通（tiandz contact），再答复（tiandz reply）")
    sys.stdout.write("\n".join(lines) + "\n")
