"""What changed in an item from one version to the next, told field by field, and how a step is named.

`tiandz log` reads an item's versions from git (tiandz/ledger/history.py); what it tells about them is
pure: two parsed versions of the item file are compared key by key, lists of records matched by content,
long texts shortened to one line, and each commit named after its `Tiandz-Step` trailer (手工修改 when it
has none). That part lives here, apart from git and YAML, so it can be tested on plain dicts.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tiandz.core.validation import field_name

STEP_NAMES = {
    "new": "登记",
    "import": "导入",
    "assign": "交办",
    "return": "退回",
    "extend": "延期",
    "key": "重点督办",
    "contact": "沟通",
    "opinion": "协办意见",
    "reply": "答复",
    "feedback": "评价",
    "promise": "承诺完成",
    "convert": "转化",
    "close": "办结",
    "init": "新建台账",
    "edit": "修改",
    "undo": "撤销",
    "return-request": "退回申请",
    "extend-request": "延期申请",
    "return-refuse": "不同意退回",
    "extend-refuse": "不同意延期",
}
HAND_EDIT = "手工修改"

ADDED = "新增"
CHANGED = "修改"
REMOVED = "删除"

EMPTY = "（空）"
# Long enough to recognise a text (the opening of a 正文 or 内容), short enough to keep one change on one line.
TEXT_LIMIT = 30

_STEP_TRAILER = re.compile(r"^Tiandz-Step:[ \t]*(\S.*?)\s*$", re.IGNORECASE | re.MULTILINE)


def step_of(message: str) -> str | None:
    """The step named by a commit message's last `Tiandz-Step` trailer; None for a commit made by hand."""
    # Trailers follow the subject; a subject that merely reads "Tiandz-Step: …" is not one.
    match = _STEP_TRAILER.findall(message.partition("\n")[2])
    return match[-1] if match else None


@dataclass(frozen=True)
class Change:
    """One field that a commit added, changed or removed; values as shown, long texts shortened."""

    action: str  # 新增 | 修改 | 删除
    field: str  # 交办.时限, 答复[2]: list positions from 1, as `tiandz check` names them
    old: str | None
    new: str | None

    def describe(self) -> str:
        if self.action == ADDED:
            return f"{ADDED} {self.field}：{self.new}"
        if self.action == REMOVED:
            return f"{REMOVED} {self.field}：{self.old}"
        return f"{CHANGED} {self.field}：{self.old} → {self.new}"

    def to_json(self) -> dict:
        return {"操作": self.action, "字段": self.field, "原值": self.old, "新值": self.new}


@dataclass
class Entry:
    """One commit that touched the item's file."""

    commit: str
    author: str
    when: dt.datetime  # the author date, in the author's own time zone
    step: str | None  # the Tiandz-Step trailer; None for a commit made by hand
    subject: str
    created: bool = False
    field_count: int = 0  # top-level keys of the file as created
    note: str | None = None  # what the commit did that is not a field change (unreadable, renamed, deleted…)
    changes: list[Change] = field(default_factory=list)

    @property
    def step_name(self) -> str:
        if self.step is None:
            return HAND_EDIT
        return STEP_NAMES.get(self.step, self.step)

    @property
    def title(self) -> str:
        """Step and subject without saying the step twice: step subjects already begin with its name."""
        # A 改办 is the assign step, and its subject says 改办.
        if self.subject.startswith((self.step_name, "改办" if self.step == "assign" else self.step_name)):
            return self.subject
        return f"{self.step_name}：{self.subject}" if self.subject else self.step_name

    def lines(self) -> list[str]:
        details = []
        if self.created:
            details.append(f"新建（{self.field_count} 个字段）" if self.field_count else "新建")
        if self.note:
            details.append(f"（{self.note}）")
        details += [change.describe() for change in self.changes]
        if not details:
            details.append("（内容未变：只改了格式或注释）")
        return [f"{self.when:%Y-%m-%d %H:%M}  {self.author}  {self.title}"] + ["    " + detail for detail in details]

    def to_json(self) -> dict:
        return {
            "提交": self.commit,
            "时间": self.when.isoformat(),
            "提交人": self.author,
            "步骤": self.step,
            "步骤名": self.step_name,
            "说明": self.subject,
            "新建": self.created,
            "字段数": self.field_count if self.created else None,
            "备注": self.note,
            "变化": [change.to_json() for change in self.changes],
        }


@dataclass
class History:
    item_id: str
    path: str  # relative to the ledger, as git commands typed in the ledger folder take it
    entries: list[Entry]  # oldest first
    see_uncommitted: str | None  # the git command that shows uncommitted changes to the file; None when clean

    def lines(self) -> list[str]:
        if not self.entries:
            return [
                f"{self.item_id} 还没有提交到 git，尚无办理记录（{self.path}）。",
                f"提交后即有记录：tiandz edit {self.item_id} --keep --reason 说明（先检查再提交）",
            ]
        lines = [f"{self.item_id} 的办理记录（{self.path}，{len(self.entries)} 次提交，从早到晚）", ""]
        for entry in self.entries:
            lines += entry.lines()
        if self.see_uncommitted:
            lines += ["", f"有未提交的修改：用 {self.see_uncommitted} 查看（在台账目录中运行）"]
        return lines

    def to_json(self) -> dict:
        return {
            "编号": self.item_id,
            "文件": self.path,
            "记录": [entry.to_json() for entry in self.entries],
            "未提交的修改": self.see_uncommitted,
        }


# Comparing two versions of an item: mappings are opened key by key, so a new 交办 shows its 日期, 主办 and
# 时限; an entry of a list of mappings (a 答复, a 沟通) is one line when it comes or goes as a whole; anything
# else (a text, a date, a list of units) is one value, shown old → new.


def compare(old: Any, new: Any, location: tuple = ()) -> list[Change]:
    """The changes from one parsed version to the next, in the order of the newer file."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[Change] = []
        for key, value in new.items():
            if key in old:
                changes += compare(old[key], value, location + (key,))
            else:
                changes += _whole(ADDED, value, location + (key,))
        for key, value in old.items():
            if key not in new:
                changes += _whole(REMOVED, value, location + (key,))
        return changes
    if isinstance(old, list) and isinstance(new, list) and (_is_record_list(old) or _is_record_list(new)):
        return _compare_records(old, new, location)
    old_shown, new_shown = _shown_pair(old, new)
    return [Change(CHANGED, _name(location), old_shown, new_shown)]


def _compare_records(old: list, new: list, location: tuple) -> list[Change]:
    # Matching entries by content, not by position: an entry inserted before the last one (a 沟通 recorded
    # late, kept in date order) is one 新增, not a change to every entry after it.
    keys = [_record_key(entry) for entry in old], [_record_key(entry) for entry in new]
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(old_end - old_start, new_end - new_start)
        for offset in range(paired):
            changes += compare(old[old_start + offset], new[new_start + offset], location + (new_start + offset,))
        for index in range(new_start + paired, new_end):
            changes.append(Change(ADDED, _name(location + (index,)), None, _shown(new[index])))
        for index in range(old_start + paired, old_end):
            changes.append(Change(REMOVED, _name(location + (index,)), _shown(old[index]), None))
    return changes


def _whole(action: str, value: Any, location: tuple) -> list[Change]:
    """A key that came or went with everything under it."""
    if isinstance(value, dict) and value:
        return [change for key, inner in value.items() for change in _whole(action, inner, location + (key,))]
    if _is_record_list(value):
        return [_one(action, location + (index,), entry) for index, entry in enumerate(value)]
    return [_one(action, location, value)]


def _one(action: str, location: tuple, value: Any) -> Change:
    shown = _shown(value)
    return Change(action, _name(location), None, shown) if action == ADDED else Change(action, _name(location), shown, None)


def _name(location: tuple) -> str:
    return field_name(location) or "（整个文件）"


def _is_record_list(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(entry, dict) for entry in value)


def _record_key(entry: Any) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)


def _shown(value: Any) -> str:
    """A value on one line: texts flattened and shortened, lists joined, a mapping summarized."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "true" if value else "false"  # as the file writes it
    if isinstance(value, dict):
        parts = [f"{key} {_summary_value(inner)}" for key, inner in value.items() if inner not in (None, "", [], {})]
        return "，".join(parts) or EMPTY
    if isinstance(value, list):
        if _is_record_list(value):
            return f"{len(value)} 项"
        return _shorten("、".join(_flat(entry) for entry in value))
    return _shorten(_flat(value))


def _summary_value(value: Any) -> str:
    if _is_record_list(value):
        return f"{len(value)} 项"
    if isinstance(value, dict):
        return f"{len(value)} 个字段"
    return _shown(value)


def _flat(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split())  # a block text's lines joined, so one change stays one line


def _shorten(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


def _shown_pair(old: Any, new: Any) -> tuple[str, str]:
    """Old and new value; when two long texts differ only past their openings, show where they differ."""
    old_shown, new_shown = _shown(old), _shown(new)
    if old_shown != new_shown or not (isinstance(old, str) and isinstance(new, str)):
        return old_shown, new_shown
    old_text, new_text = _flat(old), _flat(new)
    start = next(
        (index for index, (left, right) in enumerate(zip(old_text, new_text)) if left != right),
        min(len(old_text), len(new_text)),
    )
    start = max(0, start - TEXT_LIMIT // 3)
    return "…" + _shorten(old_text[start:]), "…" + _shorten(new_text[start:])


def text_diff(shown: str, old: str | None, new: str) -> str:
    """A plain unified diff of one file, as `git diff` shows it (old None: the file is new); "" when equal."""
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{shown}" if old is not None else "/dev/null",
        tofile=f"b/{shown}",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
