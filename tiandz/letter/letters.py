"""答复函: which answers get a letter, what each letter says, and where it is written.

A letter is made from the item file alone (the answer, the proposer, the unit in tiandz.yaml) and the
office's wording template, so it can be made again at any time: out/ is not kept in git. Every letter of a
run is composed before any is written; a refusal leaves nothing half done. The layout is letterdocx's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tiandz.core.config import Config
from tiandz.ledger.folder import Ledger
from tiandz.core.model import Proposal, Reply
from tiandz.core.dates import chinese_date
from tiandz.core.problems import Problem, TiandzError, refuse
from tiandz.core.state import current_replies

TEMPLATE = "答复函.j2"
LETTER_BLOCKS = ("标题", "称呼", "开头", "结尾", "附注", "抄送")
FORM_BLOCKS = ("表题", "表注")
FOLDER = Path("out") / "答复函"
# A 集体提案 comes from a body, not a person: no 代表/委员 after its name.
_GROUP = re.compile(r"(委员会|委会|总支|支部|界别|小组|联组|工商联|协会|商会|学会|联合会|民革|民盟|民建|民进|农工|致公|九三|台盟|党)")


@dataclass(frozen=True)
class FeedbackForm:
    """征询意见表: what the proposer ticks and signs after reading the answer."""

    title: str
    rows: list[tuple[str, str]]
    contacts: list[str]
    signature_label: str
    note: str


@dataclass(frozen=True)
class Letter:
    item_id: str
    unit: str
    category: str
    letterhead: str
    number: str | None
    title: str
    salutation: str
    opening: str
    body: str
    closing: str
    date: dt.date
    notes: list[str]
    carbon_copy: str
    form: FeedbackForm | None = None


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_group(proposer: str) -> bool:
    return bool(_GROUP.search(proposer)) or len(proposer) > 6


def latest_answers(item: Proposal, unit: str | None = None) -> list[Reply]:
    """The latest answer of each 主办 in the current round (one per 主办 for 分办), in 主办 order."""
    latest: dict[str, Reply] = {}
    for reply in current_replies(item):
        latest[reply.unit] = reply
    order = list(item.assignment.lead_units) if item.assignment else []
    answers = sorted(latest.values(), key=lambda reply: order.index(reply.unit) if reply.unit in order else len(order))
    if unit is not None:
        answers = [reply for reply in answers if reply.unit == unit]
    return answers


def template_values(item: Proposal, reply: Reply, config: Config) -> dict:
    """What the wording template can use, by the names clerks know."""
    setting = config.letters.cosigner_salutation
    salutation = item.proposer
    if item.cosigners:
        salutation = "、".join([item.proposer, *item.cosigners]) if setting == "全部" else f"{item.proposer}等"
    return {
        "类型": item.kind,
        "届次": item.session or config.session_of(item.kind) or "",
        "案号": item.case_number or "",
        "标题": item.title,
        "提出人": item.proposer,
        "联名": list(item.cosigners),
        "称呼": salutation,
        "集体": is_group(item.proposer),
        "多人": bool(item.cosigners),
        "单位": reply.unit,
        "机关": config.organization,
        "年度": config.year,
        "类别": reply.category,
        "类别说明": config.classes.get(reply.category, ""),
        "文号": reply.number or "",
        "日期": chinese_date(reply.date),
        "联系人": reply.contact_person or "",
        "电话": reply.phone or "",
        "公开": reply.publicity,
        "公开说明": reply.publicity_note or "",
        "领域": item.topic or "",
        "抄送": list(config.carbon_copy.suggestion if item.kind == "建议" else config.carbon_copy.proposal),
    }


def compose(item: Proposal, reply: Reply, config: Config, ledger_root: Path | None, *, form: bool, public: bool) -> Letter:
    """The letter of one answer, its words from the template; the public copy leaves out the form."""
    from tiandz.files.wording import render_blocks

    from tiandz.letter.body import split_letter_text

    values = template_values(item, reply, config)
    needed = LETTER_BLOCKS + (FORM_BLOCKS if form and not public else ())
    words = render_blocks(TEMPLATE, values, ledger_root, needed)
    unit = config.unit(reply.unit)
    letterhead = unit.letterhead if unit and unit.letterhead else reply.unit
    typed = split_letter_text(reply.text or "", (reply.unit, letterhead, *(unit.abbreviations if unit else ())))
    return Letter(
        item_id=item.id,
        unit=reply.unit,
        category=reply.category,
        letterhead=letterhead,
        number=reply.number,
        title=words["标题"],
        salutation=typed.salutation or words["称呼"],
        opening="" if typed.has_opening else words["开头"],
        body=typed.body,
        closing="" if typed.has_closing else words["结尾"],
        date=reply.date,
        notes=[line.strip() for line in words["附注"].splitlines() if line.strip()],
        carbon_copy=words["抄送"],
        form=_form(item, reply, words, public) if form and not public else None,
    )


def _form(item: Proposal, reply: Reply, words: dict[str, str], public: bool) -> FeedbackForm:
    assignment = item.assignment
    units = f"主办：{'、'.join(assignment.lead_units)}"
    if assignment.co_units:
        units += f"；协办：{'、'.join(assignment.co_units)}"
    proposer = item.proposer + (f"（联名：{'、'.join(item.cosigners)}）" if item.cosigners else "")
    rows = [("编号", item.id), ("案号", str(item.case_number or "")), ("标题", item.title), ("提出人", proposer)]
    if item.contact_info and not public:
        rows.append(("联系方式", str(item.contact_info)))
    rows += [("承办单位", units), ("答复", "，".join(part for part in (reply.unit, reply.number, chinese_date(reply.date)) if part))]
    contacts = [
        f"{chinese_date(contact.date)} {contact.method}"
        + (f"（{'，'.join(part for part in (contact.unit, contact.person) if part)}）" if contact.unit or contact.person else "")
        for contact in item.contacts
        if contact.unit in (reply.unit, None) or len(assignment.lead_units) == 1
    ]
    signature = "代表签名" if item.kind == "建议" else "委员签名"
    if is_group(item.proposer):
        signature = "提出单位（盖章）"
    return FeedbackForm(words["表题"], rows, contacts, signature, words["表注"])


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
) -> Written:
    """Plan every letter (one item, or every answered item when typed_id is None), then write them."""
    config = ledger.config
    unit_full = _unit(config, unit)
    written = Written()
    items = [_one_item(ledger, typed_id, today)] if typed_id else _answered_items(ledger, today)
    planned: list[tuple[Proposal, Reply]] = []
    for item in items:
        answers = latest_answers(item, unit_full)
        if typed_id and not answers:
            _refuse_unanswered(item, unit_full)
        for reply in answers:
            if public and not _publishable(item, reply, single=bool(typed_id), notes=written.notes):
                continue
            planned.append((item, reply))
    if not planned:
        refuse("没有可写的答复函：" + (f"{unit_full}尚未答复任何件" if unit_full else "台账中还没有答复"))
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


PARALLEL_FROM = 24
CHUNK = 8


def _write_one(letter: Letter, path: Path) -> tuple[Path, str | None]:
    """The path and, when it could not be written (a file open in Word is locked on Windows), why."""
    from tiandz.letter.document import letter_bytes
    from tiandz.files.yamlio import write_atomic

    try:
        write_atomic(path, letter_bytes(letter))
    except OSError as error:
        return path, error.strerror or str(error)
    return path, None


def _write_chunk(chunk: list[tuple[Letter, Path]]) -> list[tuple[Path, str | None]]:
    return [_write_one(letter, path) for letter, path in chunk]


def _write_all(jobs: list[tuple[Letter, Path]], progress) -> list[tuple[Path, str | None]]:
    """Each letter costs tens of milliseconds of python-docx: a yearly compilation uses every core."""
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, 8)
    # Windows has no fork: there the letters are written one after the other.
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        done = []
        for letter, path in jobs:
            done.append(_write_one(letter, path))
            if progress:
                progress(len(done), len(jobs))
        return done
    from concurrent.futures import ProcessPoolExecutor

    chunks = [jobs[start:start + CHUNK] for start in range(0, len(jobs), CHUNK)]
    done: list[tuple[Path, str | None]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for paths in pool.map(_write_chunk, chunks):
            done += paths
            if progress:
                progress(len(done), len(jobs))
    return done


def write_reply_letter(ledger: Ledger, typed_id: str, **options) -> Written:
    """The letter of the answer just recorded (`reply --letter`): the item's last 答复 entry."""
    item = _one_item(ledger, typed_id, options.get("today"))
    if not item.replies:
        _refuse_unanswered(item, None)
    return write_letters(ledger, typed_id, unit=item.replies[-1].unit, **options)


def _unit(config: Config, unit: str | None) -> str | None:
    if unit is None:
        return None
    from tiandz.steps.common import unit_name

    return unit_name(config, unit, "--unit")


def _one_item(ledger: Ledger, typed_id: str, today: dt.date | None) -> Proposal:
    from tiandz.ledger.scan import load_item

    from tiandz.core.problems import ERROR

    loaded = load_item(ledger, ledger.item_path(ledger.resolve_id(typed_id)), today)
    errors = [problem for problem in loaded.problems if problem.severity == ERROR]
    if loaded.item is None or errors:  # a letter is signed and sent: not from a file check rejects
        raise TiandzError(errors + [Problem(loaded.shown, None, "", "条目文件有错误，改正后再生成答复函", "tiandz check 可列出全部问题")])
    return loaded.item


def _answered_items(ledger: Ledger, today: dt.date | None) -> list[Proposal]:
    """Every item with an answer; a ledger with broken files is refused whole (check lists them).

    The scan's cached facts tell which items have answers, so only those files are read again.
    """
    from tiandz.ledger.scan import load_item, scan_ledger
    from tiandz.core.problems import ERROR

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


def _publishable(item: Proposal, reply: Reply, *, single: bool, notes: list[str]) -> bool:
    """主动公开 and 摘要公开 are published; 依申请公开 only when asked for one item; 不予公开 never."""
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
    if output is not None and output.suffix.lower() == ".docx":
        if len(names) > 1:
            refuse(f"要写 {len(names)} 封答复函，-o 应指定文件夹而不是一个 .docx 文件", field="-o")
        return [output]
    folder = output if output is not None else ledger.root / FOLDER
    if folder.exists() and not folder.is_dir():
        refuse(f"{folder} 不是文件夹", field="-o")
    return [folder / name for name in names]
