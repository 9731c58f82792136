"""The workflow step commands: assign, return, extend, contact, opinion, reply, feedback, promise, convert, close.

Each parses its options, calls the one core function of its step (tiandz/steps/), and prints what was done
and what comes next. The options every step shares are declared once here.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import List, Optional

import typer

from tiandz import api
from tiandz.cli.app import LedgerOption, command, open_ledger
from tiandz.cli.letter_commands import show_written
from tiandz.cli.plan_view import assign_from_plan_command, usage
from tiandz.core.display import visible
from tiandz.core.names import IN_PROGRESS, REDO

DateOption = typer.Option(None, "--date", help="日期，如 2024-03-20、2024/3/20 或 2024年3月20日（默认今天）")
NoCommitOption = typer.Option(False, "--no-commit", help="只写文件，不提交 git")


def show_outcome(outcome) -> None:
    """One line per item: what was done and where it now stands; then what to do next.

    Plain text with colour codes only at a terminal: rich costs a step tens of milliseconds to import.
    """
    colour = sys.stdout.isatty()
    red, yellow, dim, reset = ("\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m") if colour else ("", "", "", "")
    today = dt.date.today()
    lines = []
    for done in outcome.done:
        what = visible(done.change.done)  # names and titles from the file: shown, never obeyed
        if done.state in (IN_PROGRESS, REDO) and done.due:
            standing = f"{done.state}，时限 {done.due}{days_left_text(done.due, today)}"
            lines.append(f"{what} → " + (f"{red}{standing}{reset}" if done.due < today else standing))
        else:
            lines.append(f"{what} → {done.state}")
        lines += [f"  {yellow}{visible(note)}{reset}" for note in done.change.notes]
        if done.change.next_step:
            lines.append(f"  下一步：{visible(done.change.next_step)}")
    lines += [f"{yellow}{visible(note)}{reset}" for note in outcome.notes]
    if outcome.commit:
        lines.append(f"{dim}已提交 git {outcome.commit[:7]}{reset}")
    sys.stdout.write("\n".join(lines) + "\n")


def days_left_text(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return ""
    days = (due - today).days
    if days > 0:
        return f"（还有 {days} 天）"
    if days == 0:
        return "（今天到期）"
    return f"（已逾期 {-days} 天）"


@command("assign")
def assign_command(
    ids: List[str] = typer.Argument(None, help="编号，可写多个（J-15 J-16）"),
    leads: List[str] = typer.Option([], "--lead", help="主办单位（全称或简称），可重复（分办）"),
    co_units: List[str] = typer.Option([], "--co", help="协办单位，可重复"),
    mode: Optional[str] = typer.Option(None, "--mode", help="单办、会办 或 分办（默认按单位数推定）"),
    due: Optional[str] = typer.Option(None, "--due", help="时限（默认交办日期加 tiandz.yaml 时限.答复）"),
    reason: Optional[str] = typer.Option(None, "--reason", help="改办理由（已交办的件必填）"),
    plan: Optional[Path] = typer.Option(None, "--from", help="交办方案（.xlsx 或 .csv）：每行一件，各有主办、协办和时限"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查交办方案并列出每行怎样交办，不写入"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="只读交办方案的这一个工作表（默认：每个有表头的工作表）"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """交办：指定主办、协办单位和时限；已交办的件即为改办，须写理由。多件一次提交。

    示例：tiandz assign J-15 J-16 --lead 教体局 --co 公安局 --date 2024-03-20；
    交办会：tiandz assign --from 交办方案.xlsx --date 2024-03-20 --dry-run
    """
    if plan is not None or dry_run or sheet is not None:
        assign_from_plan_command(ledger, plan, ids, leads, co_units, mode, due, reason, date, dry_run, no_commit, sheet)
        return
    if not ids:
        usage("缺少参数 编号（或用 --from 交办方案.xlsx 按交办方案交办）")
    book = open_ledger(ledger)
    show_outcome(
        api.assign(book, ids, leads=leads, co_units=co_units, mode=mode, due=due, date=date, reason=reason, commit=not no_commit)
    )


@command("return")
def return_command(
    item: str = typer.Argument(..., help="编号"),
    unit: Optional[str] = typer.Option(None, "--unit", help="申请退回的单位（承办单位的副本中默认本单位）"),
    reason: str = typer.Option(..., "--reason", help="退回理由（--refuse 时为不同意的理由）"),
    suggest: Optional[str] = typer.Option(None, "--suggest", help="建议改由哪个单位办理"),
    refuse_request: bool = typer.Option(False, "--refuse", help="交办机关不同意该单位待处理的退回申请"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """退回：承办单位在退回期限内申请退回（tiandz.yaml 时限.退回），过期不受理。交办机关的副本中即退回；
    承办单位的副本中是退回申请，由交办机关改办（assign --reason）或不同意（return --refuse）。

    示例：tiandz return J-15 --unit 交通局 --reason 不属于本单位职责 --suggest 教体局；
    tiandz return J-15 --unit 交通局 --refuse --reason 属于本单位职责
    """
    book = open_ledger(ledger)
    show_outcome(api.return_item(book, item, unit=unit, reason=reason, suggest=suggest, refuse_request=refuse_request, date=date,
                                 commit=not no_commit))


@command("extend")
def extend_command(
    item: str = typer.Argument(..., help="编号"),
    until: Optional[str] = typer.Option(None, "--to", help="延至哪天"),
    reason: str = typer.Option(..., "--reason", help="延期理由（--refuse 时为不同意的理由）"),
    refuse_request: bool = typer.Option(False, "--refuse", help="交办机关不同意待处理的延期申请"),
    unit: Optional[str] = typer.Option(None, "--unit", help="--refuse 时：不同意哪个单位的延期申请（多个单位申请时必填）"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """延期：延长本轮办理的时限，不超过交办日期加 tiandz.yaml 时限.最长；待处理的延期申请随之同意。
    承办单位的副本中是延期申请，由交办机关同意（extend）或不同意（extend --refuse）。

    示例：tiandz extend J-15 --to 2024-08-20 --reason 涉及跨部门协调；tiandz extend J-15 --refuse --reason 时间充足
    """
    book = open_ledger(ledger)
    show_outcome(api.extend(book, item, until=until, reason=reason, refuse_request=refuse_request, unit=unit, date=date,
                            commit=not no_commit))


@command("contact")
def contact_command(
    item: str = typer.Argument(..., help="编号"),
    method: str = typer.Option(..., "--by", help="沟通方式，如 电话、面商、走访（见 tiandz.yaml 沟通方式）"),
    unit: Optional[str] = typer.Option(None, "--unit", help="沟通的单位（只有一个主办时可省略；承办单位的副本中默认本单位）"),
    person: Optional[str] = typer.Option(None, "--person", help="经办人员"),
    note: Optional[str] = typer.Option(None, "--note", help="沟通内容"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """沟通：登记一次与提出人的联系（电话、信函、面商、走访、座谈……）。

    示例：tiandz contact J-15 --by 面商 --person 赵六 --note 了解建议主旨 --date 2024-04-02
    """
    book = open_ledger(ledger)
    show_outcome(api.contact(book, item, method=method, unit=unit, person=person, note=note, date=date, commit=not no_commit))


@command("opinion")
def opinion_command(
    item: str = typer.Argument(..., help="编号"),
    unit: Optional[str] = typer.Option(None, "--unit", help="协办单位（承办单位的副本中默认本单位）"),
    text_file: Path = typer.Option(..., "--text-file", help="协办意见全文所在的文本文件"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """协办意见：登记协办单位给主办单位的书面意见。

    示例：tiandz opinion J-15 --unit 公安局 --text-file 公安局意见.txt
    """
    book = open_ledger(ledger)
    text = api.read_text_file(text_file, "--text-file")
    show_outcome(api.opinion(book, item, unit=unit, text=text, date=date, commit=not no_commit))


@command("reply")
def reply_command(
    item: str = typer.Argument(..., help="编号"),
    category: str = typer.Option(..., "--category", help="答复类别（tiandz.yaml 分类，如 A、B、C）"),
    text_file: Path = typer.Option(..., "--text-file", help="答复正文所在的文本文件"),
    unit: Optional[str] = typer.Option(None, "--unit", help="答复单位（只有一个主办待答复时可省略）"),
    signer: Optional[str] = typer.Option(None, "--signer", help="签发人（默认取 tiandz.yaml 中该单位的）"),
    contact_person: Optional[str] = typer.Option(None, "--contact-person", help="联系人（默认取该单位的）"),
    phone: Optional[str] = typer.Option(None, "--phone", help="联系电话（默认取该单位的）"),
    public: str = typer.Option("主动公开", "--public", help="主动公开、摘要公开、依申请公开 或 不予公开"),
    public_note: Optional[str] = typer.Option(None, "--public-note", help="公开说明（非主动公开时必填）"),
    promises: List[str] = typer.Option([], "--promise", help="承诺事项，写作 “事项@2025-12-31”，可重复"),
    number: Optional[str] = typer.Option(None, "--number", help="文号（默认按单位和年度自动编号）"),
    letter: bool = typer.Option(False, "--letter", help="同时生成答复函（Word，out/答复函/，见 tiandz letter）"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """答复：登记主办单位的答复，自动编文号，签发人、联系人、电话默认取自 tiandz.yaml。

    示例：tiandz reply J-15 --category B --text-file 答复.txt --promise "2025年底前完成校门口改造@2025-12-31" --letter
    """
    book = open_ledger(ledger)
    answer = api.Answer(
        category=category,
        text=api.read_text_file(text_file, "--text-file"),
        unit=unit,
        signer=signer,
        contact_person=contact_person,
        phone=phone,
        publicity=public,
        publicity_note=public_note,
        promises=tuple(promises),
        number=number,
        date=date,
    )
    outcome = api.reply(book, item, answer, commit=not no_commit)
    show_outcome(outcome)
    if letter:
        show_written(book, api.write_reply_letter(book, str(outcome.done[0].item_id)))


@command("feedback")
def feedback_command(
    item: str = typer.Argument(..., help="编号"),
    result: str = typer.Option(..., "--result", help="对办理结果的评价：满意、基本满意 或 不满意"),
    unit: Optional[str] = typer.Option(None, "--unit", help="评价的是哪个主办单位的答复（分办件必填，每个主办一份征询意见表）"),
    work: Optional[str] = typer.Option(None, "--work", help="对办理工作的评价：满意、基本满意 或 不满意"),
    by: Optional[str] = typer.Option(None, "--by", help="评价人（默认提出人）"),
    note: Optional[str] = typer.Option(None, "--note", help="意见"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """评价：登记提出人的征询意见表。不满意即转入重新办理，并给出新的时限；分办件按主办单位分别评价（--unit），
    不满意只退回该单位的答复。

    示例：tiandz feedback J-15 --result 满意 --work 满意 --date 2024-06-20
    """
    book = open_ledger(ledger)
    show_outcome(
        api.feedback(book, item, result=result, unit=unit, work=work, by=by, note=note, date=date, commit=not no_commit)
    )


@command("promise")
def promise_command(
    item: str = typer.Argument(..., help="编号"),
    done: int = typer.Option(..., "--done", help="完成的是第几项承诺（tiandz show 中的序号）"),
    unit: Optional[str] = typer.Option(None, "--unit", help="只数这个单位的答复中的承诺（分办时）"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """承诺完成：登记答复中的某项承诺已经兑现（回头看），序号见 tiandz show 的“承诺事项”。

    示例：tiandz promise J-15 --done 1 --date 2025-10-01
    """
    book = open_ledger(ledger)
    show_outcome(api.promise_done(book, item, number=done, unit=unit, date=date, commit=not no_commit))


@command("convert")
def convert_command(
    item: str = typer.Argument(..., help="编号"),
    to: str = typer.Option(..., "--to", help="转化后的类别，如 A"),
    note: str = typer.Option(..., "--note", help="说明（如：校门口交通设施改造已完成）"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """类别转化：答复时承诺的事项办成后改变类别（如 B 转 A）。

    示例：tiandz convert J-15 --to A --note 校门口交通设施改造已完成
    """
    book = open_ledger(ledger)
    show_outcome(api.convert(book, item, to=to, note=note, date=date, commit=not no_commit))


@command("close")
def close_command(
    ids: List[str] = typer.Argument(..., help="编号，可写多个"),
    date: Optional[str] = DateOption,
    no_commit: bool = NoCommitOption,
    ledger: Optional[Path] = LedgerOption,
) -> None:
    """办结：每个主办单位都已答复、且最近一次评价不是不满意时办结；否则拒绝并说明原因。

    示例：tiandz close J-15 J-16 --date 2024-07-01
    """
    book = open_ledger(ledger)
    show_outcome(api.close(book, ids, date=date, commit=not no_commit))
