"""`tiandz check`: every problem in tiandz.yaml, calendar.yaml and the item files, in file order.

The years whose holidays nobody knows are warned about here, from the years themselves (the ledger's and its
due dates'), so a cached scan warns as a fresh one does. Today's year is not among them: an old ledger
whose dates all lie in known years has nothing to fear from the new year (a step that computes a date in
an unknown year says so itself).

A whole check's problems are remembered under the stamp of the files they were found in (ledger/unchanged.py):
with nothing changed, the command line answers from that memo (`recall_check`) before it loads any model.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from tiandz.core.names import CALENDAR_NAME
from tiandz.core.problems import WARNING, Problem, refuse
from tiandz.files.calendarfile import load_calendar_file, unknown_year_problems
from tiandz.files.configfile import load_config
from tiandz.ledger import journal, remote, syncmove
from tiandz.ledger.docnumbers import repeated_number_problems
from tiandz.ledger.folder import Ledger
from tiandz.ledger.scan import scan_ledger
from tiandz.ledger.unchanged import remember_check


def check_ledger(
    ledger: Ledger,
    paths: list[Path] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Problem]:
    """tiandz.yaml and calendar.yaml first (no item can be judged without them), then every item file.

    Items are not scanned while calendar.yaml is broken: their due dates would be computed with a wrong
    calendar, and the cache would keep them.
    """
    today = today or dt.date.today()
    ledger.reread()  # check says what the files say now, and keys what it keeps on them as they are now
    ledger.read_as  # noqa: B018 - taken before they are read
    config, problems = load_config(ledger.config_path)
    holidays, calendar_problems = load_calendar_file(ledger.root / CALENDAR_NAME)
    problems = problems + calendar_problems
    if config is None or holidays is None:
        return problems
    ledger.config = config
    ledger.holidays = holidays
    if paths is not None:
        paths = [_item_path(ledger, path) for path in paths]
        paths = [path for path in paths if path is not None]
    scan = scan_ledger(ledger, today, paths, progress)
    years = {config.year} | scan.due_years
    limits = config.limits.model_dump(by_alias=True).values()
    if paths is None:  # the numbers the scan found, cached with each item
        repeated = repeated_number_problems(ledger, [(entry.shown, entry.reply_numbers) for entry in scan.entries])
    else:
        repeated = repeated_number_problems(ledger, only={ledger.relative(path) for path in paths})
    found = unknown_year_problems(limits, holidays, years) + scan.problems + repeated
    if paths is None:  # all of it depends on the files alone: the same answer while none changes
        remember_check(ledger.state_folder, scan.stamp, scan.latest, problems + found)
    return problems + _interrupted(ledger) + _unregistered(ledger) + found


def _unregistered(ledger: Ledger) -> list[Problem]:
    """A clone with a server whose `git pull` would merge item files line by line (spec/offices.md)."""
    if not remote.unregistered_driver(ledger.root):
        return []
    return [Problem("", None, "", "本克隆尚未登记 tiandz 的条目合并程序：git pull、git rebase 会按文字行合并条目文件",
                    "运行 tiandz sync 即会登记（tiandz clone 取得的克隆已登记）；只用 git 的办法见 README“合并”一节",
                    severity=WARNING)]


def _interrupted(ledger: Ledger) -> list[Problem]:
    """A step a dead process left is told, not touched: check only reads (the next writing command mends it)."""
    subject = journal.pending(ledger)
    synced = [Problem("", None, "", syncmove.INTERRUPTED, "下一个写台账的 tiandz 命令（办理步骤、sync）会补完它", severity=WARNING)
              ] if syncmove.pending(ledger) else []
    if subject is None:
        return synced
    return synced + [Problem("", None, "", f"{journal.INTERRUPTED}：{subject}",
                    "下一个写台账的 tiandz 命令（办理步骤、new、import）会补完或撤销它", severity=WARNING)]


def _item_path(ledger: Ledger, path: Path) -> Path | None:
    """A path named on the command line (or by git's pre-commit hook); tiandz.yaml is always checked."""
    path = path if path.is_absolute() else Path.cwd() / path
    if path.name == "tiandz.yaml":
        return None
    if not path.exists():
        refuse(f"找不到文件 {path}")
    return path.resolve()
