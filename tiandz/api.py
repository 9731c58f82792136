"""tiandz as a Python library: every function the command line calls, for a script or a notebook.

    from tiandz import api

    ledger = api.open_ledger("台账")                      # --ledger, $TIANDZ_LEDGER, or upwards
    problems = api.check_ledger(ledger)                   # [Problem(path, line, field, message, hint)]
    late = api.list_items(ledger, api.Filter(overdue=True)).rows
    view = api.show_item(ledger, "J-15")                  # state, due date, numbered promises, fields
    api.assign(ledger, ["J-15"], leads=["教体局"], date="2024-03-20")   # one commit, as `tiandz assign`
    report = api.build_report(ledger, as_of=datetime.date(2024, 8, 10))
    print(report.figures.answered, report.to_json()["rates"])

A refusal raises `api.TiandzError`, whose `.problems` say what and where, in Chinese, as the command
line prints them. Steps take the options of their command (`date="2024-03-20"`, `commit=False`) and
return an `Outcome` (what was done, the item's state and due date, the commit).

Each name is loaded on first use (PEP 562's module `__getattr__`): `import tiandz.api` costs nothing, so
`tiandz --help`, which imports every command module, stays fast, and a command loads only what it runs.
The imports under TYPE_CHECKING name every function statically, for readers, editors, type checkers and
import-linter (which sees this module import from every layer below it); `_NAMES` is checked against
them by tests/test_layout.py.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tiandz.core.problems import Problem, TiandzError
    from tiandz.files.textfiles import read_text_file
    from tiandz.ledger.folder import Ledger
    from tiandz.ledger.folder import find_ledger as open_ledger
    from tiandz.ledger.history import item_history
    from tiandz.ledger.unchanged import recall_check
    from tiandz.letter.remind import Reminded, remind
    from tiandz.letter.write import write_letters, write_reply_letter
    from tiandz.ops.check import check_ledger
    from tiandz.ops.cloning import clone_ledger, describe_role, whoami
    from tiandz.ops.editing import Edited, edit_item
    from tiandz.ops.importing import import_file
    from tiandz.ops.init import init_ledger
    from tiandz.ops.listing import Filter, list_items
    from tiandz.ops.mergedriver import merge_item_files
    from tiandz.ops.registration import Draft, register, register_typed
    from tiandz.ops.serverinstall import install_hook as install_server_hook
    from tiandz.ops.serverinstall import vref_text as server_vref_text
    from tiandz.ops.showing import show_item
    from tiandz.ops.sync import Synced, sync_ledger
    from tiandz.ops.todo import Todo, todo
    from tiandz.ops.verifypush import Update as PushUpdate
    from tiandz.ops.verifypush import read_updates as read_push_updates
    from tiandz.ops.verifypush import verify_push
    from tiandz.report.build import build_report
    from tiandz.report.docx_out import produce_report_docx
    from tiandz.report.export import export_ledger
    from tiandz.report.layout import cell_text
    from tiandz.report.layout import sections as report_sections
    from tiandz.report.memo import recall_report_json
    from tiandz.report.produce import produce_report, report_format
    from tiandz.steps.assign import assign
    from tiandz.steps.assignplan import assign_from_plan
    from tiandz.steps.close import close
    from tiandz.steps.contact import contact
    from tiandz.steps.convert import convert
    from tiandz.steps.extend import extend
    from tiandz.steps.feedback import feedback
    from tiandz.steps.key import key
    from tiandz.steps.opinion import opinion
    from tiandz.steps.planbook import read_early as read_plan_early
    from tiandz.steps.promise import promise_done
    from tiandz.steps.reply import Answer, reply
    from tiandz.steps.returning import return_item
    from tiandz.steps.undo import Undone, undo

# name in this API: (module, name there)
_NAMES: dict[str, tuple[str, str]] = {
    # errors
    "Problem": ("tiandz.core.problems", "Problem"),
    "TiandzError": ("tiandz.core.problems", "TiandzError"),
    # the ledger, and commands that read or make it
    "Ledger": ("tiandz.ledger.folder", "Ledger"),
    "open_ledger": ("tiandz.ledger.folder", "find_ledger"),
    "init_ledger": ("tiandz.ops.init", "init_ledger"),
    "Draft": ("tiandz.ops.registration", "Draft"),
    "register": ("tiandz.ops.registration", "register"),
    "register_typed": ("tiandz.ops.registration", "register_typed"),
    "import_file": ("tiandz.ops.importing", "import_file"),
    "check_ledger": ("tiandz.ops.check", "check_ledger"),
    "Filter": ("tiandz.ops.listing", "Filter"),
    "list_items": ("tiandz.ops.listing", "list_items"),
    "show_item": ("tiandz.ops.showing", "show_item"),
    "item_history": ("tiandz.ledger.history", "item_history"),
    "read_text_file": ("tiandz.files.textfiles", "read_text_file"),
    # the workflow steps: each one commit of the files it changes
    "assign": ("tiandz.steps.assign", "assign"),
    "return_item": ("tiandz.steps.returning", "return_item"),
    "extend": ("tiandz.steps.extend", "extend"),
    "contact": ("tiandz.steps.contact", "contact"),
    "opinion": ("tiandz.steps.opinion", "opinion"),
    "Answer": ("tiandz.steps.reply", "Answer"),
    "reply": ("tiandz.steps.reply", "reply"),
    "feedback": ("tiandz.steps.feedback", "feedback"),
    "promise_done": ("tiandz.steps.promise", "promise_done"),
    "convert": ("tiandz.steps.convert", "convert"),
    "close": ("tiandz.steps.close", "close"),
    # documents
    "write_letters": ("tiandz.letter.write", "write_letters"),
    "write_reply_letter": ("tiandz.letter.write", "write_reply_letter"),
    "build_report": ("tiandz.report.build", "build_report"),
    "report_format": ("tiandz.report.produce", "report_format"),
    "produce_report": ("tiandz.report.produce", "produce_report"),
    "produce_report_docx": ("tiandz.report.docx_out", "produce_report_docx"),
    "report_sections": ("tiandz.report.layout", "sections"),
    "cell_text": ("tiandz.report.layout", "cell_text"),
    "export_ledger": ("tiandz.report.export", "export_ledger"),
    # corrections: the latest step taken back, the file in the clerk's editor
    "Undone": ("tiandz.steps.undo", "Undone"),
    "undo": ("tiandz.steps.undo", "undo"),
    "Edited": ("tiandz.ops.editing", "Edited"),
    "edit_item": ("tiandz.ops.editing", "edit_item"),
    # answers from the memos when no file has changed (the command line asks before loading anything)
    "recall_check": ("tiandz.ledger.unchanged", "recall_check"),
    "recall_report_json": ("tiandz.report.memo", "recall_report_json"),
    "key": ("tiandz.steps.key", "key"),
    "assign_from_plan": ("tiandz.steps.assignplan", "assign_from_plan"),
    "read_plan_early": ("tiandz.steps.planbook", "read_early"),
    "merge_item_files": ("tiandz.ops.mergedriver", "merge_item_files"),
    "verify_push": ("tiandz.ops.verifypush", "verify_push"),
    "read_push_updates": ("tiandz.ops.verifypush", "read_updates"),
    "PushUpdate": ("tiandz.ops.verifypush", "Update"),
    "install_server_hook": ("tiandz.ops.serverinstall", "install_hook"),
    "server_vref_text": ("tiandz.ops.serverinstall", "vref_text"),
    "clone_ledger": ("tiandz.ops.cloning", "clone_ledger"),
    "whoami": ("tiandz.ops.cloning", "whoami"),
    "describe_role": ("tiandz.ops.cloning", "describe_role"),
    "Todo": ("tiandz.ops.todo", "Todo"),
    "todo": ("tiandz.ops.todo", "todo"),
    "Reminded": ("tiandz.letter.remind", "Reminded"),
    "remind": ("tiandz.letter.remind", "remind"),
    "sync_ledger": ("tiandz.ops.sync", "sync_ledger"),
    "Synced": ("tiandz.ops.sync", "Synced"),
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _NAMES[name]
    except KeyError:
        raise AttributeError(f"module 'tiandz.api' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later uses are plain attribute look-ups
    return value


def __dir__() -> list[str]:
    return __all__
