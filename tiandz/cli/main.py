"""The `tiandz` command: the Typer app, its global error handling, and the shared printing helpers.

Every refusal from the core arrives as a TiandzError and is printed in Chinese with exit 1; a usage error
is Typer's exit 2, in Chinese too; anything unexpected is one line (TIANDZ_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import os
import sys

# pydantic looks for plugins through every installed package's entry points on first use: tens of
# milliseconds of `tiandz show` for nothing, since tiandz uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from tiandz import api
from tiandz.cli import chinese
from tiandz.core.problems import TiandzError

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


def print_problems(problems, stderr: bool = True) -> None:
    from rich.markup import escape

    out = console(stderr=stderr)
    for problem in problems:
        style = "yellow" if problem.severity == "警告" else "red"
        out.print(f"[{style}]{escape(problem.format())}[/{style}]")


def open_ledger(option):
    return api.open_ledger(option)


def run() -> None:
    """Entry point of the console script."""
    from typer import Abort

    try:  # typer 0.29 vendors click; earlier versions use click itself
        from typer._click.exceptions import ClickException, UsageError
    except ImportError:
        from click.exceptions import ClickException, UsageError

    if {"-h", "--help"} & set(sys.argv[1:]) or len(sys.argv) == 1:
        chinese.install()  # typer's help renderer is slow to import: only for help
    _register_commands(sys.argv[1:])
    try:
        code = app(standalone_mode=False)  # returns a typer.Exit's code instead of raising it
        if isinstance(code, int) and code:
            sys.exit(code)
    except TiandzError as error:
        print_problems(error.problems)
        sys.exit(1)
    except UsageError as error:
        command = error.ctx.command_path if error.ctx else "tiandz"
        console(stderr=True).print(
            f"[red]用法错误：{chinese.usage_error(error.format_message())}[/red]\n运行 {command} --help 查看帮助。"
        )
        sys.exit(2)
    except ClickException as error:
        console(stderr=True).print(f"[red]{error.format_message()}[/red]")
        sys.exit(1)
    except (Abort, KeyboardInterrupt, EOFError):
        console(stderr=True).print("已中止。")
        sys.exit(1)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except SystemExit:
        raise
    except Exception as error:  # the user never sees a traceback unless asking for one
        if os.environ.get("TIANDZ_DEBUG"):
            raise
        console(stderr=True).print(
            f"[red]内部错误：{type(error).__name__}: {error}[/red]\n设置环境变量 TIANDZ_DEBUG=1 可看到详细信息，请反馈给开发者。"
        )
        sys.exit(1)


# Which module defines which command. Building every command's parameters costs each run tens of
# milliseconds, so a run imports only the module of the command it runs (all of them for help or a typo).
COMMAND_MODULES = {
    "ledger_commands": ("init", "new", "import", "check", "list", "show"),
    "step_commands": ("assign", "return", "extend", "contact", "opinion", "reply", "feedback", "promise", "convert", "close"),
    "history_commands": ("log",),
    "report_commands": ("report", "export"),
    "letter_commands": ("letter",),
}


def _register_commands(arguments: list[str] | None = None) -> None:
    """Commands register themselves on import."""
    import importlib

    wanted = arguments[0] if arguments else None
    modules = [module for module, commands in COMMAND_MODULES.items() if wanted in commands] or list(COMMAND_MODULES)
    for module in modules:
        importlib.import_module(f"tiandz.cli.{module}")


if __name__ == "__main__":
    run()
