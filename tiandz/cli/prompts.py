"""Asking a clerk at a terminal for what `tiandz new` was not told: every field of a new item, each with
its default shown (提出日期 the session's first day when tiandz.yaml gives it, else today; 提出方式 from the
session's dates), so nothing is filled in silently."""

from __future__ import annotations

import datetime as dt
import sys

import typer

from tiandz.core.dates import parse_date
from tiandz.core.names import KINDS, require_kind
from tiandz.core.problems import TiandzError, refuse

SOURCES = ["大会期间", "闭会期间"]


def ask_missing(config, kind, title, proposer, topic, source, *, cosigners=(), number=None, date=None, key=False,
                today: dt.date | None = None) -> dict:
    """Fill missing fields by asking, at a terminal; elsewhere refuse and name what is missing."""
    missing = [name for name, value in (("--type", kind), ("--title", title), ("--proposer", proposer)) if not value]
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if missing and not interactive:
        refuse(f"缺少 {'、'.join(missing)}", hint="在终端中不带选项运行 tiandz new 会逐项询问")
    fields = {"kind": kind, "title": title, "proposer": proposer, "topic": topic, "source": source,
              "cosigners": list(cosigners), "case_number": number, "date": date, "key": key}
    if interactive and missing:
        fields.update(ask_every_field(config, fields, today or dt.date.today()))
    require_kind(fields["kind"])
    return fields


def ask_every_field(config, given: dict, today: dt.date) -> dict:
    """Each field in the order of the item file; what was given on the command line is not asked again."""
    kind = given["kind"] or _choose("类型", list(KINDS))
    title = given["title"] or _text("标题")
    proposer = given["proposer"] or _text("提出人（领衔代表、第一提案人或提案单位）")
    cosigners = given["cosigners"] or _names("联名（用、分隔，回车跳过）")
    number = given["case_number"] or _optional("案号（大会印发的编号，回车跳过）")
    meeting = config.meeting_of(kind)
    default = given["date"] or (meeting[0].isoformat() if meeting else today.isoformat())
    date = _date("提出日期", default, "届次的会议首日" if meeting and not given["date"] else None)
    source = given["source"] or _choose("提出方式", SOURCES, optional=True,
                                       default=config.source_on(kind, parse_date(date)))
    topic = given["topic"] or _choose("领域", config.topics, optional=True)
    key = given["key"] or typer.confirm("重点督办？", default=False)
    return {"kind": kind, "title": title, "proposer": proposer, "cosigners": cosigners, "case_number": number,
            "date": date, "source": source, "topic": topic, "key": key}


def _text(label: str) -> str:
    while True:
        value = typer.prompt(label).strip()
        if value:
            return value


def _optional(label: str) -> str | None:
    return typer.prompt(label, default="", show_default=False).strip() or None


def _names(label: str) -> list[str]:
    answer = _optional(label) or ""
    return [name for name in answer.replace("，", "、").replace(",", "、").replace(" ", "、").split("、") if name]


def _date(label: str, default: str, why: str | None) -> str:
    shown = f"{label}（回车为 {default}{'，' + why if why else ''}）"
    while True:
        answer = typer.prompt(shown, default="", show_default=False).strip() or default
        try:
            parse_date(answer, label)
            return answer
        except TiandzError as error:
            typer.echo(error.problems[0].message)


def _choose(label: str, choices: list[str], optional: bool = False, default: str | None = None) -> str | None:
    listing = "  ".join(f"{number}.{choice}" for number, choice in enumerate(choices, start=1))
    skip = f"，回车为 {default}" if default else ("，回车跳过" if optional else "")
    while True:
        answer = typer.prompt(f"{label}（{listing}{skip}）", default="", show_default=False).strip()
        if not answer and (optional or default):
            return default
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        if answer in choices:
            return answer
        typer.echo(f"请输入 1 到 {len(choices)} 的序号，或其中一项")
