"""`tiandz verify-push`: the server's guard (spec/offices.md, "The guard on the server").

Run by git as the bare repository's pre-receive hook (stdin: `old new ref` lines) or by gitolite as a VREF
(its arguments: ref, old, new, …), it judges a push before any ref moves and refuses it whole when any part
breaks a rule. Who pushes is the account in the environment variable tiandz.yaml names (服务器.身份变量); the
rules are tiandz.yaml as it stands on the server's main branch before the push, never as the push brings it,
so a push cannot grant itself rights. A unit may only fast-forward the main branch with commits that append
its own events to items it handles (core/ownership.py), each commit's trailers telling the truth and every
item passing `check`; the office may do anything on a fast-forward of the main branch whose items pass `check`.
Nobody may push what no clone should check out: a path into `.git` or out of the ledger, an item file that is
no plain file (a symlink or a submodule, whose text would pass as an item here).
Each refusal is one Chinese line naming the commit, the file and the rule.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from tiandz.core.config import Config
from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.ownership import judge_unit_change
from tiandz.core.problems import ERROR, TiandzError
from tiandz.files.yamlio import YamlError, parse
from tiandz.ledger.commits import Change, is_safe_path
from tiandz.ledger.folder import Ledger
from tiandz.ledger.git import text_of
from tiandz.ledger.items import check_data
from tiandz.ledger.pushed import (
    COMMIT_LIMIT,
    FILE_MODES,
    PushedCommit,
    blobs,
    is_fast_forward,
    is_zero,
    item_id_of,
    ledger_at,
    main_branch,
    pushed_commits,
    tip,
    touches,
)

OFFICE = "交办机关"
NOT_A_FILE = "不是普通文件（子模块等），或大于 4 MB"
NOT_PLAIN = "不是普通文件（文件模式 {mode}：符号链接、子模块等），件只能是普通文件"
SHOWN_ERRORS = 3  # a broken item's first errors; the clerk's own `check` tells the rest


@dataclass(frozen=True)
class Update:
    old: str
    new: str
    ref: str


def read_updates(text: str) -> list[Update]:
    """The pre-receive hook's stdin: one `old new ref` line per ref."""
    return [Update(*line.split()[:3]) for line in text.splitlines() if len(line.split()) >= 3]


def verify_push(
    repo: Path, updates: list[Update], environ: Mapping[str, str], identity_env: str | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """Every refusal of this push as one Chinese line; [] when the push may go through."""
    main = main_branch(repo)
    current = tip(repo, main)
    if current is None:
        return []  # an empty repository: the first push brings the ledger (the server's own access rules say who)
    with tempfile.TemporaryDirectory(prefix="tiandz-guard-") as scratch:
        ledger = ledger_at(repo, current, Path(scratch) / "rules")
        if ledger is None:
            return [_line(main, "没有规则", f"服务器主分支上没有 {CONFIG_NAME}，无法判断谁可以推送什么")]
        try:
            config = ledger.config
        except TiandzError as error:
            return [_line(CONFIG_NAME, "规则有误", f"服务器主分支上的 {CONFIG_NAME} 有错误：{error.problems[0].message}")]
        variable = identity_env or config.server.identity_variable
        account = (environ.get(variable) or "").strip()
        if not account:
            return [_line(variable, "推送者不明", f"环境变量 {variable} 没有设置，不知道是谁在推送")]
        pusher = OFFICE if account in config.server.office_accounts else _unit_name(config, account)
        if pusher is None:
            return [_line(account, "未知账号", f"账号“{account}”不在 {CONFIG_NAME} 的承办单位.账号或服务器.机关账号中")]
        guard = _Guard(repo, ledger, pusher, Path(scratch), today or dt.date.today(), current)
        lines: list[str] = []
        for update in updates:
            lines += guard.update(update, main)
        return lines


def _unit_name(config: Config, account: str) -> str | None:
    unit = config.unit_of_account(account)
    return unit.name if unit else None


def _line(where: str, rule: str, text: str) -> str:
    return f"拒绝：{where}：【{rule}】{text}"


class _Guard:
    """One push's judge: the pusher, the rules before the push, the ledgers a pushed tiandz.yaml makes."""

    def __init__(self, repo: Path, ledger: Ledger, pusher: str, scratch: Path, today: dt.date, current: str):
        self.repo, self.rules, self.pusher, self.scratch, self.today = repo, ledger, pusher, scratch, today
        self.current = current  # where the main branch stands now: a push must build on it
        self.office = pusher == OFFICE

    def update(self, update: Update, main: str) -> list[str]:
        name = update.ref.removeprefix("refs/heads/")
        if update.ref != main:
            if self.office:
                return []  # the office's own branches and tags are its business
            return [_line(name, "只能推主分支", f"单位只能推送主分支 {main.removeprefix('refs/heads/')}，不得推送 {update.ref}")]
        if is_zero(update.new):
            return [_line(name, "删除主分支", "不得删除主分支")]
        if is_zero(update.old) or not (update.old == self.current and is_fast_forward(self.repo, update.old, update.new)):
            return [_line(name, "不是快进", "推送的不是服务器主分支的后续（强制推送，或别人已先推送）：请先 tiandz sync 再推送")]
        commits = pushed_commits(self.repo, update.old, update.new)
        contents = blobs(self.repo, [change for commit in commits for change in commit.changes if item_id_of(change.path)])
        lines: list[str] = []
        ledger = self.rules
        for number, commit in enumerate(commits):
            if self.office and touches(commit, (CONFIG_NAME, CALENDAR_NAME)):
                # The office may change the rules; its items are checked by the rules it pushes with them.
                ledger = ledger_at(self.repo, commit.id, self.scratch / f"at-{number}") or ledger
                try:
                    ledger.config, ledger.holidays  # noqa: B018 - read now: a broken file is this commit's refusal
                except TiandzError as error:
                    problem = error.problems[0]
                    lines.append(_line(f"{commit.short} {problem.path}", "规则有误", f"第 {problem.line or '?'} 行：{problem.message}"))
                    break
            lines += self.commit(commit, contents, ledger)
        return lines

    def commit(self, commit: PushedCommit, contents: dict[str, bytes], ledger: Ledger) -> list[str]:
        if commit.message is None:
            return [_line(commit.short, "提交过大", f"提交对象大于 {COMMIT_LIMIT / 1024 / 1024:g} MB（说明过长等），不予读取")]
        if self.office:
            lines = []
            for change in commit.changes:
                where = f"{commit.short} {change.path}"
                unfit = _unfit(change)
                if unfit:
                    lines.append(_line(where, *unfit))
                elif change.after and item_id_of(change.path):
                    blob = change.after[1]
                    lines += self.check(commit, change.path, self.data(blob, contents), contents.get(blob, b""), ledger)
            return lines
        if len(commit.parents) > 1:
            return [_line(commit.short, "合并提交", "单位不得推送合并提交：请用 tiandz sync（它把本地提交接在服务器的提交之后）")]
        lines: list[str] = []
        steps: set[str] = set()
        items: set[str] = set()
        for change in commit.changes:
            where = f"{commit.short} {change.path}"
            item = item_id_of(change.path)
            if item:
                items.add(item)
            unfit = _unfit(change)
            if unfit or item is None:
                lines.append(_line(where, *unfit) if unfit else _line(where, "非件文件", "单位只能改动件的文件（年度文件夹/编号.yaml）"))
                continue
            before = self.data(change.before and change.before[1], contents)
            after = self.data(change.after and change.after[1], contents)
            if isinstance(before, str) or isinstance(after, str):
                lines.append(_line(where, "通不过检查", before if isinstance(before, str) else after))
                continue
            judged = judge_unit_change(before, after, self.pusher, ledger.config)
            lines += [_line(where, breach.rule, breach.text) for breach in judged.breaches]
            steps |= judged.steps
            if not judged.breaches and change.after:
                lines += self.check(commit, change.path, after, contents[change.after[1]], ledger)
        return lines + self.trailers(commit, steps, items)

    def trailers(self, commit: PushedCommit, steps: set[str], items: set[str]) -> list[str]:
        """The commit's trailers against what it did: the unit, the step, the items."""
        trailers, lines = commit.trailers, []
        unit, step = trailers.get("Tiandz-Unit"), trailers.get("Tiandz-Step")
        named = {part.strip() for part in trailers.get("Tiandz-Item", "").replace("，", ",").split(",") if part.strip()}
        if unit != self.pusher:
            lines.append(f"Tiandz-Unit 是“{unit or '（未写）'}”，推送者是{self.pusher}")
        if step is None or (steps and steps != {step}):
            lines.append(f"Tiandz-Step 是“{step or '（未写）'}”，改动却是 {'、'.join(sorted(steps)) or '（无）'}")
        if named != items:
            lines.append(f"Tiandz-Item 是“{'、'.join(sorted(named)) or '（未写）'}”，改动的件是 {'、'.join(sorted(items)) or '（无）'}")
        return [_line(commit.short, "说明不符", line) for line in lines]

    def data(self, blob: str | None, contents: dict[str, bytes]) -> Any:
        """The item's data, None when absent, or a Chinese reason (a str) when the file is no item."""
        if blob is None:
            return None
        if blob not in contents:
            return NOT_A_FILE
        try:
            data = parse(text_of(contents[blob]))
        except YamlError as error:
            return f"第 {error.line} 行：{error.message}" if error.line else error.message
        return data if isinstance(data, dict) else "文件应由“键: 值”组成"

    def check(self, commit: PushedCommit, path: str, data: Any, content: bytes, ledger: Ledger) -> list[str]:
        """The item as `check` judges it, given what `data` made of its file; its first errors as refusals."""
        where = f"{commit.short} {path}"
        if isinstance(data, str):
            return [_line(where, "通不过检查", data)]
        _, problems = check_data(ledger, ledger.root / path, data, self.today, text_of(content))
        errors = [problem for problem in problems if problem.severity == ERROR]
        shown = [_line(where, "通不过检查", f"第 {problem.line or '?'} 行 {problem.field}：{problem.message}")
                 for problem in errors[:SHOWN_ERRORS]]
        if len(errors) > SHOWN_ERRORS:
            shown.append(_line(where, "通不过检查", f"另有 {len(errors) - SHOWN_ERRORS} 处错误（tiandz check 可列出全部）"))
        return shown


def _unfit(change: Change) -> tuple[str, str] | None:
    """(rule, text) when anyone's change puts there what no clone may check out: a path into `.git` or out of
    the clone, or an item file that is no plain file (a symlink's target, or a submodule, read as an item).
    Removing such a path is no breach: that is how one that came before the guard is taken away."""
    if change.after is None:
        return None
    if not is_safe_path(change.path):
        return "路径不安全", "路径含 .git、..、. 或空的一段：检出时会写进版本库本身或台账之外"
    if item_id_of(change.path) and change.after[0] not in FILE_MODES:
        return "通不过检查", NOT_PLAIN.format(mode=change.after[0])
    return None
