"""Writing 答复函 files: one item's letters, every answered item's, the letter of the answer just recorded, or
the year's letters compiled into one volume (答复汇编, volume.py).

Every letter of a run is composed before any is written, and a file check rejects gets none, so a refusal
leaves nothing half done; a letter that cannot be written (open in Word) is named and the others are still
written. Files go to out/答复函/, which git ignores: they can be made again at any time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tiandz.core.config import Config
from tiandz.core.model import Proposal, Reply
from tiandz.core.names import KIND_TITLES
from tiandz.core.oserrors import reason
from tiandz.core.permissions import refuse_step
from tiandz.core.problems import ERROR, Problem, TiandzError, refuse
from tiandz.core.state import current_replies
from tiandz.core.units import unit_name
from tiandz.files.paths import file_in
from tiandz.files.yamlio import write_atomic
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import load_item
from tiandz.ledger.pool import map_jobs
from tiandz.ledger.role import read_role
from tiandz.ledger.scan import scan_ledger
from tiandz.ledger.targets import check_default, check_output
from tiandz.letter.compose import compose, latest_answers
from tiandz.letter.document import letter_bytes
from tiandz.letter.model import Letter
from tiandz.letter.volume import Cover, Entry, volume_bytes

FOLDER = Path("out") / "答复函"
PARALLEL_FROM = 24  # each letter costs tens of milliseconds of python-docx: a yearly compilation uses every core
CHUNK = 8


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    volume: bool = False  # the one path is a 答复汇编


def write_letters(
    ledger: Ledger,
    typed_id: str | None = None,
    *,
    unit: str | None = None,
    output: Path | None = None,
    form: bool = True,
    public: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    volume: bool = False,
) -> Written:
    """Plan every letter (one item, or every answered item when typed_id is None), then write them: a file
    each, or with `volume` one 答复汇编 of them all."""
    config = ledger.config
    if typed_id is None:  # every answered item's letter (--all) is the office's; one item's letter anyone's
        role = read_role(ledger.root)
        refuse_step(role.kind, role.unit, "letter")
    if volume and typed_id:
        refuse("--compile 把全年的答复函汇编成一个文件，只能与 --all 同用", field="--compile")
    unit_full = _unit(config, unit)
    written = Written()
    items = [_one_item(ledger, typed_id, today)] if typed_id else _answered_items(ledger, today)
    planned: list[tuple[Proposal, Reply]] = []
    for item in items:
        answers = latest_answers(item, unit_full)
        if typed_id and not answers:
            _refuse_unanswered(item, unit_full)
        for reply in answers:
            if public and not _publishable(item, reply, single=bool(typed_id), notes=written.notes, volume=volume):
                continue
            planned.append((item, reply))
    if not planned:
        refuse("没有可写的答复函：" + (f"{unit_full}尚未答复任何件" if unit_full else "台账中还没有答复"))
    if volume:
        return _write_volume(ledger, planned, unit_full, output, public, today or dt.date.today(), progress, written)
    paths = _paths(ledger, planned, output, public)
    letters = [compose(item, reply, config, ledger.root, form=form, public=public) for item, reply in planned]
    failed = []
    for path, error in _write_all(list(zip(letters, paths)), progress):
        if error:
            failed.append(Problem(str(path), None, "", f"无法写入：{error}", "文件可能正在 Word 或 WPS 中打开，关闭后再试"))
        else:
            written.paths.append(path)
    if failed:
        raise TiandzError(failed + [Problem("", None, "", f"其余 {len(written.paths)} 封已写好")] if written.paths else failed)
    return written


def _write_one(letter: Letter, path: Path) -> tuple[Path, str | None]:
    """The path and, when it could not be written (a file open in Word is locked on Windows), why."""
    try:
        write_atomic(path, letter_bytes(letter))
    except OSError as error:
        return path, reason(error)
    return path, None


def _write_all(jobs: list[tuple[Letter, Path]], progress) -> list[tuple[Path, str | None]]:
    return map_jobs(lambda job: _write_one(*job), jobs, parallel_from=PARALLEL_FROM, chunk=CHUNK, progress=progress)


def write_reply_letter(ledger: Ledger, typed_id: str, **options) -> Written:
    """The letter of the answer just recorded (`reply --letter`): the item's last 答复 entry."""
    item = _one_item(ledger, typed_id, options.get("today"))
    if not item.replies:
        _refuse_unanswered(item, None)
    return write_letters(ledger, typed_id, unit=item.replies[-1].unit, **options)


def _unit(config: Config, unit: str | None) -> str | None:
    return None if unit is None else unit_name(config, unit, "--unit")


def _one_item(ledger: Ledger, typed_id: str, today: dt.date | None) -> Proposal:
    loaded = load_item(ledger, ledger.item_path(ledger.resolve_id(typed_id)), today)
    errors = [problem for problem in loaded.problems if problem.severity == ERROR]
    if loaded.item is None or errors:  # a letter is signed and sent: not from a file check rejects
        raise TiandzError(errors + [Problem(loaded.shown, None, "", "条目文件有错误，改正后再生成答复函", "tiandz check 可列出全部问题")])
    return loaded.item


def _answered_items(ledger: Ledger, today: dt.date | None) -> list[Proposal]:
    """Every item with an answer; a ledger with broken files is refused whole (check lists them).

    The scan's cached facts tell which items have answers, so only those files are read again.
    """
    scan = scan_ledger(ledger, today)
    errors = [problem for problem in scan.problems if problem.severity == ERROR]
    if errors:
        raise TiandzError(errors + [Problem("", None, "", "台账有错误，先改正再生成答复函（tiandz check 列出全部）")])
    answered = [facts.id for facts in scan.facts if current_replies(facts)]
    return [load_item(ledger, ledger.item_path(ledger.resolve_id(item_id)), today).item for item_id in answered]


def _refuse_unanswered(item: Proposal, unit: str | None) -> None:
    if unit is not None and item.assignment and unit not in item.assignment.lead_units:
        refuse(f"{unit}不是 {item.id} 的主办单位", field="--unit", hint=f"本件主办：{'、'.join(item.assignment.lead_units)}")
    who = unit or "主办单位"
    refuse(f"{item.id} 的{who}尚未答复，没有答复函可写", hint=f"先登记答复：tiandz reply {item.id} --category A --text-file 答复.txt")


def _publishable(item: Proposal, reply: Reply, *, single: bool, notes: list[str], volume: bool = False) -> bool:
    """主动公开 and 摘要公开 are published; 依申请公开 only when asked for one item; 不予公开 never.

    A public volume leaves 摘要公开 out too: its full text is not public, and a summary is the clerk's to write.
    """
    if reply.publicity == "不予公开":
        if single:
            refuse(
                f"{item.id} {reply.unit}的答复公开属性为不予公开，不生成公开稿",
                hint=f"公开说明：{reply.publicity_note}" if reply.publicity_note else None,
            )
        notes.append(f"{item.id} {reply.unit}的答复不予公开，未生成公开稿")
        return False
    if reply.publicity == "依申请公开" and not single:
        notes.append(f"{item.id} {reply.unit}的答复依申请公开，未列入公开稿")
        return False
    if reply.publicity == "摘要公开" and volume:
        notes.append(f"{item.id} {reply.unit}的答复为摘要公开，全文未列入公开汇编（摘要请按公开说明另行整理）")
        return False
    if reply.publicity == "摘要公开":
        notes.append(f"{item.id} {reply.unit}的答复为摘要公开：公开稿是全文，发布前请按公开说明删节")
    return True


def _paths(ledger: Ledger, planned: list[tuple[Proposal, Reply]], output: Path | None, public: bool) -> list[Path]:
    per_item: dict[str, int] = {}
    for item, _ in planned:
        per_item[item.id] = per_item.get(item.id, 0) + 1
    names = [
        item.id + (f"-{reply.unit}" if per_item[item.id] > 1 else "") + ("-公开" if public else "") + ".docx"
        for item, reply in planned
    ]
    if output is not None and output.suffix.lower() == ".docx" and len(names) > 1:
        refuse(f"要写 {len(names)} 封答复函，-o 应指定文件夹而不是一个 .docx 文件", field="-o")
    return _targets(ledger, output, names)


def _targets(ledger: Ledger, output: Path | None, names: list[str]) -> list[Path]:
    """Where these files go: the .docx -o names (one file), the folder -o names, or out/答复函/; each checked."""
    if output is not None and output.suffix.lower() == ".docx":
        return [check_output(ledger, output)]
    if output is None:
        folder = check_default(ledger, ledger.root / FOLDER)
        return [file_in(folder, name) for name in names]
    folder = check_output(ledger, output, folder=True)
    return [check_output(ledger, file_in(folder, name), in_checked_folder=True) for name in names]


def _write_volume(ledger: Ledger, planned: list[tuple[Proposal, Reply]], unit: str | None, output: Path | None,
                  public: bool, today: dt.date, progress, written: Written) -> Written:
    """One .docx of every planned letter, without forms: -o names it, or a folder for it, or out/答复函/."""
    config = ledger.config
    kinds = [kind for kind in KIND_TITLES if any(item.kind == kind for item, _ in planned)]
    title = f"{config.year}年度{'和'.join(KIND_TITLES[kind] for kind in kinds)}答复汇编"
    name = title + (f"-{unit}" if unit else "") + ("-公开" if public else "") + ".docx"
    path = _targets(ledger, output, [name])[0]
    entries = []
    for item, reply in planned:
        letter = compose(item, reply, config, ledger.root, form=False, public=public)
        number = f"{item.kind}第{item.case_number}号" if item.case_number else item.id
        entries.append(Entry(letter, f"{number}　{item.title}（{reply.unit}）"))
    cover = Cover(unit or config.organization, title, "（公开稿）" if public else "", today)
    try:
        write_atomic(path, volume_bytes(cover, entries, progress))
    except OSError as error:
        refuse(f"无法写入：{reason(error)}", path=str(path), hint="文件可能正在 Word 或 WPS 中打开，关闭后再试")
    written.paths.append(path)
    written.volume = True
    return written
