"""The words offices write in a list's headers and cells, read one way by every command that takes a sheet.

`import` (the lists) and `assign --from` (the 交办方案) read the same kinds of columns under the same
names: a header's notes in brackets and its stray spaces or colons do not matter (`主办单位（牵头单位）`,
`标题：`); the columns both read (类型, 标题, 案号, 主办单位, 协办单位, 时限) have one set of synonyms; a cell of
units is split one way, and a unit written with its role (`县财政局（协办）`) goes to that role whatever the
column; a sheet named 建议 or 提案 says its rows' type.
"""

from __future__ import annotations

import re

from tiandz.core.names import KINDS

# The columns both commands read, each with the names real lists give it. A list's 编号 is its own number
# (the 案号) for `import`, but a tiandz 编号 for a plan: each command adds it where it means it.
SHARED_COLUMNS = {
    "类型": ["类型", "建议提案类型", "件别"],
    "标题": ["标题", "案由", "题目", "建议题目", "提案题目", "建议标题", "提案标题", "建议名称", "提案名称"],
    "案号": ["案号", "建议号", "提案号", "建议编号", "提案编号", "建议案号", "提案案号"],
    "主办单位": ["主办单位", "主办", "牵头单位", "牵头", "承办单位", "主办部门", "牵头部门", "承办部门"],
    "协办单位": ["协办单位", "协办", "会办单位", "会办", "配合单位", "配合", "协办部门", "会办部门", "配合部门"],
    "时限": ["时限", "办理时限", "答复时限", "办结时限", "完成时限"],
}
SERIAL = "序号"  # numbers the rows of the sheet: never an item's number, however the office heads it

_NOTE = re.compile(r"[（(][^）)]*[）)]")
_NOISE = re.compile(r"[\s*＊:：]")
_SPLIT = re.compile(r"[、，,;；\s]+")
_ROLE = re.compile(r"^(.+?)\s*[（(]\s*(主办|牵头|分办|协办|会办|配合)(?:单位)?\s*[）)]$")
_LEAD_ROLES = {"主办", "牵头", "分办"}


def normalize_header(text: str) -> str:
    """A header as the synonym tables hold it: `主办单位（牵头单位）：` is 主办单位."""
    return _NOISE.sub("", _NOTE.sub("", text))


def split_names(text: str) -> list[str]:
    """The names of a cell: separated by 、，,;； or line breaks and spaces."""
    return [name for name in _SPLIT.split(text) if name]


def units_by_role(lead_text: str, co_text: str) -> tuple[list[str], list[str]]:
    """The 主办 and 协办 units of a row: each unit's written role first, else its column's."""
    leads: list[str] = []
    co_units: list[str] = []
    for text, default in ((lead_text, leads), (co_text, co_units)):
        for name in split_names(text):
            match = _ROLE.match(name)
            target = default
            if match:
                name = match.group(1)
                target = leads if match.group(2) in _LEAD_ROLES else co_units
            if name not in target:
                target.append(name)
    return leads, co_units


def kind_of(text: str) -> str | None:
    """The type a cell or a sheet's name says (建议, 代表建议, 政协提案清单); None when it says neither or both."""
    found = [kind for kind in KINDS if kind in text]
    return found[0] if len(found) == 1 else None
