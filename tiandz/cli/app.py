"""What every command module shares: the Typer app, the registry of commands, and the printing helpers.

A command module declares its commands with `@command("name")`; the function is recorded here and given
to Typer only when a run needs it (cli/main.py): Typer works out the parameters of every command it is
given on every run, so a step would otherwise pay for all ten steps' options.
"""

from __future__ import annotations

from typing import Callable

import typer

from tiandz import api
from tiandz.core.display import visible

app = typer.Typer(
    name="tiandz",
    help=(
        "人大代表建议、政协委员提案办理台账：一件一档，git 留痕。\n\n"
        "示例：tiandz init 台账 --org 某县人民政府办公室 --year 2024；tiandz check；tiandz list --overdue"
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)


@app.callback()
def _group() -> None:
    # With a callback the app stays a group of commands even when a run loads a module of one command.
    pass


LedgerOption = typer.Option(None, "--ledger", help="台账目录（默认：环境变量 TIANDZ_LEDGER，或当前目录向上查找 tiandz.yaml）")


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def markup_text(text: str) -> str:
    """Text from the ledger inside a rich markup string: its brackets are text, not markup."""
    from rich.markup import escape

    return escape(text)


SHOWN_PROBLEMS = 50  # a list of 90,000 bad rows is read in its first lines; the rest is a count


def print_problems(problems, stderr: bool = True, limit: int | None = SHOWN_PROBLEMS, rest: Callable | None = None) -> None:
    """One line per problem, at most `limit` of them, then one line saying how many were left out.

    `rest(shown, problems)` words that line for a command (import counts rows); None for every line.
    """
    from rich.markup import escape

    out = console(stderr=stderr)
    problems = list(problems)
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        style = "yellow" if problem.severity == "警告" else "red"
        out.print(f"[{style}]{escape(visible(problem.format()))}[/{style}]")
    if len(shown) < len(problems):
        words = (rest or _more_problems)(shown, problems)
        out.print(f"[red]{escape(words)}[/red]")


def _more_problems(shown: list, problems: list) -> str:
    return f"另有 {len(problems) - len(shown):,} 个问题未列出；共 {len(problems):,} 个问题"


def open_ledger(option):
    return api.open_ledger(option)


# Every command, by name, in the order its module declares it.
COMMANDS: dict[str, Callable] = {}


def command(name: str) -> Callable[[Callable], Callable]:
    """`@command("show")`: record the function as the command `tiandz show`."""

    def record(function: Callable) -> Callable:
        COMMANDS[name] = function
        return function

    return record


def register(names: list[str]) -> None:
    """Give Typer these commands (those it does not have yet)."""
    known = {info.name for info in app.registered_commands}
    for name in names:
        if name not in known:
            app.command(name)(COMMANDS[name])
