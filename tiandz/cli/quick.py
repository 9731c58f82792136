"""The command line's first stop: `check` and `report --format json -o -` answered from their memos when no
file has changed, before Typer, pydantic, rich or any model is loaded, and the server's `verify-push` run
without Typer at all; everything else goes to main.py.

With nothing changed, `check` on 15,000 items is the stat of every file and one small file read (the memo,
ledger/unchanged.py); loading Typer, which parses options with pydantic, would take longer than that. So the
few forms of these two commands are recognised here by hand: only those, with plain options; anything else
(a path, --help, an unknown or repeated option, an odd value) goes to Typer as before, and so does a run whose
memo is missing, damaged or of other files; but `check` with nothing to draw (no terminal, so no progress bar:
a hook, a script) reads the files here, since Typer and rich would add a tenth of a second to it, and leaves any
error to the full command. What is printed is what the full command prints: the same lines,
through rich only where rich would draw anything or change a character (a terminal, FORCE_COLOR, TTY_COMPATIBLE,
an emoji code, a tab or a backslash in a line).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import re
import sys
import types
from pathlib import Path

# pydantic looks for plugins through every installed package's entry points on first use: tens of
# milliseconds of `tiandz show` for nothing, since tiandz uses none. PYDANTIC_DISABLE_PLUGINS makes it find
# none, but its loader module imports importlib.metadata (26 ms, a tenth of `show`) before it reads that
# variable; when plugins are off, a loader that knows there are none stands in for it. Only the command line
# does this (this module is its first stop): a script that imports tiandz.api keeps pydantic as it is. The
# variable is only read, never set: the processes tiandz starts (the clerk's editor, git's hooks) keep theirs.
if os.environ.get("PYDANTIC_DISABLE_PLUGINS", "__all__") in ("__all__", "1", "true") and "pydantic.plugin._loader" not in sys.modules:
    _no_plugins = types.ModuleType("pydantic.plugin._loader", "tiandz: pydantic plugins are disabled")
    _no_plugins.get_plugins = lambda: ()
    sys.modules["pydantic.plugin._loader"] = _no_plugins

from tiandz import api
from tiandz.core.dates import parse_date
from tiandz.core.display import visible
from tiandz.core.names import KINDS
from tiandz.core.oserrors import os_problem
from tiandz.core.problems import ERROR, Problem, TiandzError

SHOWN_PROBLEMS = 50  # as cli/app.py's print_problems
CHECK_OPTIONS = {"--json": False, "--ledger": True}  # option: takes a value
REPORT_OPTIONS = {"--as-of": True, "--type": True, "--year": True, "--format": True, "-o": True, "--output": True, "--ledger": True}
EMOJI_CODE = re.compile(r":(\S*?)(?:-(?:emoji|text))?:")  # what rich would turn into an emoji


VERIFY_OPTIONS = {"--identity-env": True, "--repo": True}


def run() -> None:
    """Entry point of the console script."""
    if sys.argv[1:2] == ["verify-push"] and verify_push(sys.argv[2:]):
        return
    if not answer(sys.argv[1:]):
        read_plan_early(sys.argv[1:])
        importlib.import_module("tiandz.cli.main")._run()  # by name: main.py imports this module


def read_plan_early(arguments: list[str]) -> None:
    """`assign --from 交办方案.xlsx`: a big plan's reading started in another process before Typer and the
    models are loaded (a fifth of a second in which the plan is half read; steps/planbook.py). Only the plain
    forms are recognised; the command itself then parses the line as always and takes up the reading only
    if it is of the same file and sheet. Nothing is said here, whatever happens."""
    if arguments[:1] != ["assign"]:
        return
    found: dict[str, str] = {}
    words = iter(arguments[1:])
    for word in words:
        name, equals, value = word.partition("=")
        if name in ("--help", "-h") or name in found:
            return
        if name in ("--from", "--sheet"):
            found[name] = value if equals else next(words, "")
    if found.get("--from"):
        try:
            api.read_plan_early(Path(found["--from"]), found.get("--sheet") or None)
        except Exception:  # a shortcut never costs a user an answer: the full command gives it
            if os.environ.get("TIANDZ_DEBUG"):
                raise


def answer(arguments: list[str]) -> bool:
    """True when the run was answered here (and printed); SystemExit carries check's exit code 1."""
    if not arguments or arguments[0] not in ("check", "report"):
        return False
    options = _options(arguments[1:], CHECK_OPTIONS if arguments[0] == "check" else REPORT_OPTIONS)
    if options is None:
        return False
    try:
        if arguments[0] == "check":
            return _check(options)
        return _report(options)
    except (TiandzError, OSError, ValueError):
        return False  # the full command says what is wrong
    except KeyboardInterrupt:
        sys.stderr.write("已中止。\n")
        raise SystemExit(1) from None
    except Exception:  # a shortcut never costs a user an answer: the full command gives it
        if os.environ.get("TIANDZ_DEBUG"):
            raise
        return False


def verify_push(given: list[str]) -> bool:
    """`tiandz verify-push` as the server's hook runs it, on every push: Typer and rich (a tenth of a second,
    a third of the whole) are not loaded. False, before anything is read, for a form it does not know (--help,
    another option): the full command answers. Once standard input is read there is no going back (the full
    command would find it empty and pass the push), so every failure from there refuses the push here."""
    words, positional = iter(given), []
    option_words: list[str] = []
    for word in words:
        if not word.startswith("-"):
            positional.append(word)
            continue
        if word.partition("=")[0] not in VERIFY_OPTIONS:
            return False
        option_words.append(word)
        if "=" not in word:
            option_words.append(next(words, "-"))
    options = _options(option_words, VERIFY_OPTIONS)
    if options is None or 0 < len(positional) < 3:
        return False
    try:
        if positional:  # a gitolite VREF: ref, old, new, …
            updates = [api.PushUpdate(positional[1], positional[2], positional[0])]
        else:
            updates = api.read_push_updates(sys.stdin.read())
        refusals = api.verify_push(Path(str(options.get("--repo", "."))), updates, os.environ, options.get("--identity-env"))
    except TiandzError as error:
        refusals = [problem.format() for problem in error.problems]
    except Exception as error:  # the guard fails closed: a push it could not judge is refused
        if os.environ.get("TIANDZ_DEBUG"):
            raise
        refusals = [f"tiandz 无法检查这次推送：{type(error).__name__}: {error}"]
    if refusals:
        for line in refusals:
            _write(sys.stderr, visible(line) + "\n")
        _write(sys.stderr, "tiandz：推送被整个拒绝，服务器上的台账没有改动。\n")
        raise SystemExit(1)
    return True


def check_json(problems: list[Problem], errors: int) -> str:
    """`check --json`'s output, here and in ledger_commands.py alike."""
    return json.dumps({"problems": [problem.to_json() for problem in problems], "errors": errors}, ensure_ascii=False, indent=2)


def more_in_check(shown: list, problems: list) -> str:
    return f"另有 {len(problems) - len(shown):,} 个问题未列出（tiandz check --json 列出全部）"


def check_summary(problems: list[Problem], errors: int) -> str:
    return "检查通过" if not problems else f"发现 {errors:,} 个错误、{len(problems) - errors:,} 个警告"


def _options(given: list[str], known: dict[str, bool]) -> dict[str, str | bool] | None:
    """--name value, --name=value and flags, each at most once; None for anything else."""
    found: dict[str, str | bool] = {}
    words = iter(given)
    for word in words:
        name, equals, value = word.partition("=")
        if name not in known or name in found or (equals and not known[name]):
            return None
        if known[name] and not equals:
            value = next(words, None)
            if value is None:
                return None
        if known[name] and (not value or value.startswith("-") and value != "-"):
            return None  # "-o -" is the one value that starts with "-"; Typer decides the rest
        found[name] = value if known[name] else True
    return found


def _check(options: dict) -> bool:
    today = dt.date.today()
    problems = api.recall_check(options.get("--ledger"), today)
    if problems is None:
        if _is_terminal(sys.stderr):
            return False  # the full command draws a progress bar while the files are read
        # Nothing to draw (a hook, a script): the files are read here, without Typer and rich (a tenth of a
        # second of a first check of 15,000 items); any error and the full command says what is wrong.
        problems = api.check_ledger(api.open_ledger(options.get("--ledger")), today=today)
    errors = sum(1 for problem in problems if problem.severity == ERROR)
    if options.get("--json"):
        _write(sys.stdout, check_json(problems, errors) + "\n")
    else:
        shown = problems[:SHOWN_PROBLEMS]
        lines = [(visible(problem.format()), "yellow" if problem.severity == "警告" else "red") for problem in shown]
        if len(shown) < len(problems):
            lines.append((more_in_check(shown, problems), "red"))
        _print(sys.stdout, lines)
        _print(sys.stderr, [(check_summary(problems, errors), "green" if not errors else "red")])
    if errors:
        raise SystemExit(1)
    return True


def _report(options: dict) -> bool:
    output, fmt = options.get("-o", options.get("--output")), options.get("--format")
    if "-o" in options and "--output" in options or output != "-" or fmt not in (None, "json"):
        return False
    kind, year = options.get("--type"), options.get("--year")
    if kind is not None and kind not in KINDS or year is not None and not re.fullmatch(r"[0-9]{1,6}", year):
        return False
    today = dt.date.today()
    as_of = parse_date(options["--as-of"], "--as-of") if "--as-of" in options else today
    if as_of > today:
        return False
    found = api.recall_report_json(options.get("--ledger"), as_of, kind, int(year) if year else None, today)
    if found is None:
        return False
    text, warnings = found
    _write(sys.stdout, visible(text, lines=True) if sys.stdout.isatty() else text)
    _write(sys.stderr, "".join(f"提示：{visible(warning)}\n" for warning in warnings))
    return True


def _print(stream, lines: list[tuple[str, str]]) -> None:
    """Lines in a colour, as rich's console prints them: plain text unless rich would draw something."""
    plain = not _is_terminal(stream) and not any(
        "\t" in text or "\\" in text or any(not code.isdigit() for code in EMOJI_CODE.findall(text)) for text, _ in lines
    )
    if plain:
        _write(stream, "".join(text + "\n" for text, _ in lines))
        return
    from rich.console import Console
    from rich.markup import escape

    out = Console(stderr=stream is sys.stderr, highlight=False, soft_wrap=True)
    for text, style in lines:
        out.print(f"[{style}]{escape(text)}[/{style}]")


def _is_terminal(stream) -> bool:
    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
        return True
    try:
        return stream.isatty()
    except ValueError:
        return False


def _write(stream, text: str) -> None:
    """What main.py does with an OSError (a closed pipe, a full disk): its path and reason in Chinese, exit 1."""
    try:
        stream.write(text)
        stream.flush()
    except OSError as error:
        problem: Problem = os_problem(error)
        sys.stderr.write(visible(problem.format()) + "\n")
        raise SystemExit(1) from None
