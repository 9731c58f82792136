"""`tiandz init NEW --from OLD`: next year's ledger keeps what does not change with the year.

Units with their 简称, 文号 prefixes, signers, contacts and phones, the 领域, the 分类, the 时限 and the 规则,
the cc lists, calendar.yaml, templates/ and notes/ are the office's, not the year's: they are carried over,
tiandz.yaml as its text (the clerk's comments kept), with 年度 moved on. The items stay in the old ledger,
and 届次 is emptied, since the meetings of a new year have new names that only the clerk knows.
"""

from __future__ import annotations

import os
from pathlib import Path

from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.oserrors import reason
from tiandz.core.problems import ERROR, Problem, TiandzError, refuse
from tiandz.files.configfile import load_config
from tiandz.files.reading import TEXT_LIMIT, read_bytes
from tiandz.files.yamlio import dump_edited, load_for_edit, write_atomic

CARRIED_FOLDERS = ("templates", "notes")


def carry_over(root: Path, source: Path, organization: str | None, year: int | None) -> tuple[int, list[str]]:
    """Write into `root` what the ledger at `source` carries into a new year; (the new 年度, notes)."""
    old = source.expanduser().resolve()
    if not (old / CONFIG_NAME).is_file():
        refuse(f"{source} 不是台账（没有 {CONFIG_NAME}）", field="--from", hint="--from 写上一年度台账的文件夹")
    if old == root:
        refuse("--from 与新台账是同一个文件夹", field="--from")
    config, problems = load_config(old / CONFIG_NAME, f"{source}/{CONFIG_NAME}")
    if config is None:
        errors = [problem for problem in problems if problem.severity == ERROR]
        raise TiandzError([Problem("", None, "--from", f"{source} 的 {CONFIG_NAME} 有错误，先修正再结转"), *errors])
    new_year = year or config.year + 1
    root.mkdir(parents=True, exist_ok=True)  # only now: a refusal leaves no folder behind
    data, original = load_for_edit(old / CONFIG_NAME)
    data["年度"] = new_year
    if organization:
        data["机关"] = organization
    notes = []
    sessions = data.get("届次")
    if isinstance(sessions, dict) and any(sessions.values()):
        for kind in sessions:
            sessions[kind] = ""
        notes.append(f"届次已清空：请在 {CONFIG_NAME} 中写上 {new_year} 年度的会议（如 县十六届人大四次会议）")
    write_atomic(root / CONFIG_NAME, dump_edited(data, original))
    if (old / CALENDAR_NAME).exists():
        notes += _copy_file(old / CALENDAR_NAME, root / CALENDAR_NAME, CALENDAR_NAME)
    for folder in CARRIED_FOLDERS:
        notes += _copy_folder(old / folder, root / folder, folder)
    (root / str(new_year)).mkdir(exist_ok=True)
    return new_year, notes


def _copy_folder(source: Path, target: Path, shown: str) -> list[str]:
    """Regular files only: a link in someone's ledger could point at any file of this computer."""
    if os.path.islink(source):
        return [f"{shown} 是符号链接，未结转"]
    if not source.is_dir():
        return []
    notes = []
    for folder, subfolders, files in os.walk(source):
        here = Path(folder)
        for name in [name for name in subfolders if os.path.islink(here / name)]:
            subfolders.remove(name)
            notes.append(f"{shown}/{(here / name).relative_to(source).as_posix()} 是符号链接，未结转")
        for name in sorted(files):
            relative = (here / name).relative_to(source)
            notes += _copy_file(here / name, target / relative, f"{shown}/{relative.as_posix()}")
    return notes


def _copy_file(source: Path, target: Path, shown: str) -> list[str]:
    try:
        data = read_bytes(source, TEXT_LIMIT)
    except OSError as error:
        return [f"{shown} 未结转：{reason(error)}"]
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return []
