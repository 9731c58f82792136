"""What `tiandz import` says: how each sheet and column was read, where dates come from, the counts, and
the rows skipped as registered already."""

from __future__ import annotations

from tiandz.cli.app import console, markup_text, print_problems
from tiandz.core.display import visible

SHOWN_REGISTERED = 50  # a list imported twice is 15,000 rows registered already: the first, then a count


def show_import(result, dry_run: bool) -> None:
    out = console()

    def say(text: str, style: str | None = None) -> None:
        text = markup_text(visible(text))
        out.print(f"[{style}]{text}[/{style}]" if style else text)

    if dry_run:
        for sheet in result.sheets:
            kind = f"，按工作表名登记为{sheet.kind}" if sheet.kind else ""
            name = f"工作表“{sheet.name}”" if sheet.name else sheet.where
            say(f"{name}：表头在第 {sheet.header_row} 行，数据 {sheet.rows} 行{kind}")
            for column in result_columns(sheet):
                say(f"  {column}")
            for line, text in sheet.footer:
                say(f"  表尾 第 {line} 行“{text}”：不是条目，跳过")
        for line in result.dates:
            say(line)
    else:
        for note in result.notes:
            if "已登记为" not in note:
                say(note, "yellow")
    if result.registered:
        say(f"已登记的 {len(result.registered)} 行跳过：")
        for row, item_id in result.registered[:SHOWN_REGISTERED]:
            say(f"  {row}：已登记为 {item_id}")
        if len(result.registered) > SHOWN_REGISTERED:
            say(f"  另有 {len(result.registered) - SHOWN_REGISTERED:,} 行已登记，未列出")
    counts = f"新登记 {result.count} 件（其中交办 {result.assigned} 件，待交办 {result.unassigned} 件），已登记跳过 {len(result.registered)} 件"
    if dry_run:
        if result.problems:
            print_problems(result.problems, rest=more_bad_rows)
            say(f"{counts}；有错误，不能导入（--dry-run，未写入）", "red")
        else:
            say(f"检查通过：共 {result.count} 行可以登记；{counts}（--dry-run，未写入）", "green")
    elif result.count:
        say(f"已登记 {result.count} 件：{'，'.join(result.ranges)}（交办 {result.assigned} 件，待交办 {result.unassigned} 件）")
    else:
        say("清单中没有可登记的新行" + (f"（已登记跳过 {len(result.registered)} 件）" if result.registered else ""))


def result_columns(sheet) -> list[str]:
    return [f"列“{column.header}” → {column.reading}" for column in sheet.columns]


def more_bad_rows(shown: list, problems: list) -> str:
    rows = {(problem.path, problem.line) for problem in problems}
    listed = {(problem.path, problem.line) for problem in shown}
    return f"另有 {len(rows - listed):,} 行有错误，未列出；共 {len(rows):,} 行有错误，一件也未登记"
