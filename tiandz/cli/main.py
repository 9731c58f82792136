"""The `tiandz` command: the entry point, its global error handling, and which module defines which command.

Every refusal from the core arrives as a TiandzError and is printed in Chinese with exit 1; a usage error
is Typer's exit 2, in Chinese too; an OSError no command caught (no permission, a full disk, a path too
long) is the path and the reason in Chinese (core/oserrors.py), exit 1; anything else unexpected is one line (TIANDZ_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from tiandz.cli import chinese, quick
from tiandz.cli.app import COMMANDS, app, console, print_problems, register
from tiandz.core.oserrors import os_problem
from tiandz.core.problems import TiandzError

run = quick.run  # the command as typed: quick.py answers from the memos, or hands over to _run below


def _run() -> None:
    from typer import Abort

    try:  # typer 0.29 vendors click; earlier versions use click itself
        from typer._click.exceptions import ClickException, UsageError
    except ImportError:
        from click.exceptions import ClickException, UsageError

    if {"-h", "--help"} & set(sys.argv[1:]) or len(sys.argv) == 1:
        chinese.install()  # typer's help renderer is slow to import: only for help
    _register_commands(sys.argv[1:])
    try:
        code = app(standalone_mode=False, prog_name="tiandz")  # returns a typer.Exit's code instead of raising it
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
    except OSError as error:  # a read-only share, a full disk, a path too long: the system's words, in Chinese
        if os.environ.get("TIANDZ_DEBUG"):
            raise
        print_problems([os_problem(error)])
        sys.exit(1)
    except Exception as error:  # the user never sees a traceback unless asking for one
        if os.environ.get("TIANDZ_DEBUG"):
            raise
        console(stderr=True).print(
            f"[red]内部错误：{type(error).__name__}: {error}[/red]\n设置环境变量 TIANDZ_DEBUG=1 可看到详细信息，请反馈给开发者。"
        )
        sys.exit(1)


# Which module defines which command. Building every command's parameters costs each run tens of
# milliseconds, so a run imports only the module of the command it runs and gives Typer that command alone
# (all of them for help or a typo).
COMMAND_MODULES = {
    "ledger_commands": ("init", "new", "import", "check", "list", "show"),
    "step_commands": ("assign", "return", "extend", "contact", "opinion", "reply", "feedback", "promise", "convert", "close"),
    "history_commands": ("log",),
    "report_commands": ("report", "export"),
    "letter_commands": ("letter",),
    "correction_commands": ("undo", "edit"),
    "key_commands": ("key",),
    "merge_commands": ("merge-driver",),
    "server_commands": ("verify-push", "server"),
    "role_commands": ("clone", "whoami"),
    "todo_commands": ("todo", "remind"),
    "sync_commands": ("sync",),
}


def _register_commands(arguments: list[str] | None = None) -> None:
    """The command this run names, or every command (help, a typo): its module imported, given to Typer.

    The modules are imported by name, not by an import statement: they import cli/app.py, never this module.
    """
    wanted = arguments[0] if arguments else None
    modules = [module for module, commands in COMMAND_MODULES.items() if wanted in commands] or list(COMMAND_MODULES)
    for module in modules:
        importlib.import_module(f"tiandz.cli.{module}")
    register([wanted] if wanted in COMMANDS else [name for names in COMMAND_MODULES.values() for name in names])


if __name__ == "__main__":
    run()
