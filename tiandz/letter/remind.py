"""`tiandz remind`: the office's 催办通知 to each unit with items overdue or due soon, and their due dates as
one calendar file (spec/offices.md, "Each office's own view").

A notice is a GB/T 9704 信函 from the office (tiandz.yaml's 机关, its letterhead in red) to the unit: what it
owes, in a ruled table (编号, 标题, 主办 or 协办, 时限, days overdue or left), asking it to answer in time or
to ask for a 延期 or a 退回. The items are those `tiandz todo` lists in the office's clone (core/todo.py
answers both), so the list the office reads and the notices it sends agree. Every notice is composed before
any file is written; files go to out/催办通知/ (git ignores out/) or the folder -o names.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from tiandz.core.config import Config
from tiandz.core.dates import chinese_date
from tiandz.core.oserrors import reason
from tiandz.core.problems import ERROR, Problem, TiandzError, refuse
from tiandz.core.todo import CO, DEFAULT_WITHIN, LEAD, Judge, Task, owed_by_unit
from tiandz.core.units import unit_name
from tiandz.files.icsfile import due_calendar
from tiandz.files.paths import file_in
from tiandz.files.yamlio import write_atomic
from tiandz.ledger.folder import Ledger
from tiandz.ledger.role import UNIT, read_role
from tiandz.ledger.scan import scan_ledger
from tiandz.ledger.targets import check_default, check_output
from tiandz.letter.document import letter_seal, letter_top
from tiandz.letter.model import Letter
from tiandz.officialdoc.page import new_document
from tiandz.officialdoc.table import grid_table

FOLDER = Path("out") / "催办通知"
CALENDAR_NAME = "催办时限.ics"


@dataclass(frozen=True)
class Notice:
    """One unit's 催办通知, as data."""

    unit: str
    tasks: list[Task]
    letter: Letter  # letterhead, title, salutation, opening, closing, signature and date; the table is `tasks`

    @property
    def overdue(self) -> int:
        return sum(task.overdue for task in self.tasks)


@dataclass
class Reminded:
    notices: list[Notice] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # the notices' .docx, then the .ics
    calendar: Path | None = None
    problem_count: int = 0  # files with errors, left out (check lists them)


def remind(ledger: Ledger, unit: str | None = None, within: int = DEFAULT_WITHIN, output: Path | None = None,
           date: dt.date | None = None, today: dt.date | None = None) -> Reminded:
    """A 催办通知 for each unit (or `unit`) with answers or opinions overdue or due within `within` days as of
    `date` (the notices' date, today by default), and the calendar of their due dates."""
    if read_role(ledger.root).kind == UNIT:
        refuse("催办通知由交办机关发出，承办单位的克隆不能生成", hint="本单位的待办用 tiandz todo 查看")
    if within < 0:
        refuse(f"{within} 不是有效的天数", field="--within", hint="写作 0 或正整数，如 --within 7")
    config = ledger.config
    unit_full = None if unit is None else unit_name(config, unit, "--unit")
    day = date or today or dt.date.today()
    scan = scan_ledger(ledger, day)
    judge = Judge(config, day, ledger.holidays)
    chased = owed_by_unit(judge, scan.facts, within, unit_full)
    done = Reminded(problem_count=sum(problem.severity == ERROR for problem in scan.problems))
    done.notices = [Notice(name, tasks, _compose(config, name, tasks, within, day)) for name, tasks in chased.items()]
    if not done.notices:
        return done
    folder = _folder(ledger, output)
    paths = [check_output(ledger, file_in(folder, f"催办通知-{notice.unit}.docx"), in_checked_folder=True) for notice in done.notices]
    calendar = check_output(ledger, file_in(folder, CALENDAR_NAME), in_checked_folder=True)
    failed = []
    for notice, path in zip(done.notices, paths):
        error = _write(path, notice_bytes(notice))
        if error:
            failed.append(Problem(str(path), None, "", f"无法写入：{error}", "文件可能正在 Word 或 WPS 中打开，关闭后再试"))
        else:
            done.paths.append(path)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    error = _write(calendar, due_calendar(config.organization, [task for notice in done.notices for task in notice.tasks], stamp))
    if error:
        failed.append(Problem(str(calendar), None, "", f"无法写入：{error}"))
    else:
        done.paths.append(calendar)
        done.calendar = calendar
    if failed:
        raise TiandzError(failed + ([Problem("", None, "", f"其余 {len(done.paths)} 个文件已写好")] if done.paths else []))
    return done


def _folder(ledger: Ledger, output: Path | None) -> Path:
    if output is None:
        folder = check_default(ledger, ledger.root / FOLDER)
    else:
        if output.suffix.lower() in (".docx", ".ics"):
            refuse("催办通知每个单位一个文件，另有一个日历文件：-o 应指定文件夹", field="-o")
        folder = check_output(ledger, output, folder=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(path: Path, data: bytes) -> str | None:
    try:
        write_atomic(path, data)
    except OSError as error:
        return reason(error)
    return None


def _compose(config: Config, unit: str, tasks: list[Task], within: int, day: dt.date) -> Letter:
    """The notice's words: who is asked, how many are late or near, and what to do."""
    late = sum(task.overdue for task in tasks)
    near = len(tasks) - late
    counts = "、".join(part for part in (
        f"{late}件已超过办理时限" if late else "", f"{near}件将在{within}日内到期" if near else "") if part)
    asked = "、".join(part for part in (
        "主办件按时答复" if any(task.role == LEAD for task in tasks) else "",
        "协办件及时向主办单位提出协办意见" if any(task.role == CO for task in tasks) else "") if part)
    opening = (
        f"截至{chinese_date(day)}，你单位承办的{config.year}年度建议提案中，有{counts}（见下表）。"
        f"请抓紧办理，{asked}；确需延期或不属于你单位职责的，请在时限前提出延期或退回申请。"
    )
    return Letter(
        item_id="", unit=unit, category="", letterhead=config.organization, number=None,
        title=f"关于加快办理{config.year}年度建议提案的通知", salutation=f"{unit}：",
        opening=opening, body="", closing="特此通知。", date=day, notes=[], carbon_copy="",
    )


def notice_bytes(notice: Notice) -> bytes:
    document = notice_document(notice)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_document(notice: Notice):
    letter = notice.letter
    document = new_document()
    letter_top(document, document.sections[0], letter)
    rows = [["编号", "标题", "承办", "时限", "逾期或剩余"]] + [
        [task.item_id, task.title, task.role, task.due.isoformat(),
         f"逾期{-task.days_left}天" if task.overdue else f"剩余{task.days_left}天"]
        for task in notice.tasks
    ]
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    grid_table(document, [Mm(27), Mm(67), Mm(14), Mm(24), Mm(24)], rows,
               alignments=[center, left, center, center, center], cell_margin=Mm(1))
    letter_seal(document, letter)
    return document
