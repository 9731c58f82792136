"""Asking a clerk at a terminal for what `tiandz new` was not told."""

from __future__ import annotations

import sys

import typer

from tiandz.core.names import KINDS, require_kind
from tiandz.core.problems import refuse


def ask_missing(config, kind, title, proposer, topic, source) -> dict:
    """Fill missing fields by asking, at a terminal; elsewhere refuse and name what is missing."""
    missing = [name for name, value in (("--type", kind), ("--title", title), ("--proposer", proposer)) if not value]
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if missing and not interactive:
        refuse(f"缺少 {'、'.join(missing)}", hint="在终端中不带选项运行 tiandz new 会逐项询问")
    if interactive and missing:
        kind = kind or _choose("类型", list(KINDS))
        title = title or _text("标题")
        proposer = proposer or _text("提出人")
        topic = topic or _choose("领域", config.topics, optional=True)
        source = source or _choose("提出方式", ["大会期间", "闭会期间"], optional=True)
    require_kind(kind)
    return {"kind": kind, "title": title, "proposer": proposer, "topic": topic, "source": source}


def _text(label: str) -> str:
    while True:
        value = typer.prompt(label).strip()
        if value:
            return value


def _choose(label: str, choices: list[str], optional: bool = False) -> str | None:
    listing = "  ".join(f"{number}.{choice}" for number, choice in enumerate(choices, start=1))
    while True:
        answer = typer.prompt(f"{label}（{listing}{'，回车跳过' if optional else ''}）", default="", show_default=False).strip()
        if not answer and optional:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        if answer in choices:
            return answer
        typer.echo(f"请输入 1 到 {len(choices)} 的序号，或其中一项")
