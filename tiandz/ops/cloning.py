"""`tiandz clone` and `tiandz whoami`: a clerk's own clone of the city's ledger, and whose clone it is.

`clone` is `git clone`, then the role written into the clone's git config (ledger/role.py: a unit by full
name or 简称, checked against the clone's own tiandz.yaml, or the office), then tiandz registered as the
merge driver for item files (ledger/mergesetup.py). A clone that fails at any point is removed whole: a
clerk never finds a half-made ledger with no role, which would then refuse every step.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tiandz.core.names import CONFIG_NAME
from tiandz.core.oserrors import reason as os_reason
from tiandz.core.problems import TiandzError, refuse
from tiandz.core.units import unit_name
from tiandz.ledger import commitgraph
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.mergesetup import register_merge_driver
from tiandz.ledger.role import ALONE, OFFICE, UNIT, Role, read_role, write_role


@dataclass
class Cloned:
    root: Path
    role: Role
    driver_registered: bool  # tiandz's merge driver newly registered in the clone


def clone_ledger(url: str, directory: Path | None = None, *, unit: str | None = None, office: bool = False) -> Cloned:
    """`tiandz clone URL [DIR] --unit 单位 | --office`: the clone, its role and its merge driver, or nothing.

    >>> clone_ledger("git@督查室:台账.git", unit="教体局")  # doctest: +SKIP
    """
    _refuse_two_roles(unit, office)
    url = url.strip()
    if not url:
        refuse("请写明服务器上台账仓库的地址", field="URL", hint="如 tiandz clone git@服务器:台账.git --unit 教体局")
    root = Path(directory) if directory is not None else Path(_default_folder(url))
    existed = root.exists()
    if existed and (not root.is_dir() or any(root.iterdir())):
        refuse(f"{root} 已存在且不是空文件夹，不能克隆到这里", field="DIR", hint="换一个文件夹名，如 tiandz clone 地址 新文件夹")
    try:
        result = gitops.run(Path.cwd(), "clone", "-q", "--", url, str(root), check=False)
        if result.returncode != 0:
            said = gitops.text_of(result.stderr).strip().splitlines()
            hint = (f"git：{said[-1]}；" if said else "") + "请核对地址、网络和账号"
            refuse(f"无法从 {url} 克隆台账", field="URL", hint=hint)
        if not (root / CONFIG_NAME).is_file():
            refuse(f"{url} 不是 tiandz 台账：仓库中没有 {CONFIG_NAME}", field="URL", hint="请向交办机关核对台账仓库的地址")
        role = _role(Ledger(root), unit, office)
        write_role(root, role)
        registered = register_merge_driver(root)
        commitgraph.prepare(root)  # the first `tiandz log` in the new clone is quick too
    except (TiandzError, OSError, KeyboardInterrupt):
        _remove(root, existed)
        raise
    return Cloned(root, role, registered)


def whoami(ledger: Ledger, *, unit: str | None = None, office: bool = False) -> Role:
    """`tiandz whoami`: the clone's role; `--unit 单位` / `--office` changes it (the clone's git config only)."""
    _refuse_two_roles(unit, office, needed=False)
    if unit is None and not office:
        return read_role(ledger.root)
    if not gitops.is_repository(ledger.root):
        refuse("台账不在 git 仓库中：没有可记录角色的副本", hint="独自使用的台账不必设置角色")
    role = _role(ledger, unit, office)
    write_role(ledger.root, role)
    return read_role(ledger.root)


def _role(ledger: Ledger, unit: str | None, office: bool) -> Role:
    if office:
        return Role(OFFICE)
    return Role(UNIT, unit_name(ledger.config, unit or "", "--unit"))


def _refuse_two_roles(unit: str | None, office: bool, needed: bool = True) -> None:
    if unit is not None and office:
        refuse("--unit 和 --office 只能选一个：一个副本属于交办机关或某一个承办单位", field="--unit")
    if needed and unit is None and not office:
        refuse("请说明这个副本属于谁：--unit 单位（承办单位）或 --office（交办机关）", field="--unit",
               hint="如 tiandz clone 地址 --unit 教体局")


def _default_folder(url: str) -> str:
    """The folder `git clone` itself would make: the URL's last part without `.git`."""
    name = url.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    name = name.removesuffix(".git") or "台账"
    return name


def _remove(root: Path, existed: bool) -> None:
    """Nothing left behind: the clone removed, an empty folder the clerk gave emptied again."""
    if not root.exists():
        return
    try:
        if existed:
            for child in root.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        else:
            shutil.rmtree(root)
    except OSError as error:
        refuse(f"克隆失败后未能删除 {root}：{os_reason(error)}", hint="请手工删除这个文件夹")


def describe_role(role: Role) -> str:
    """The role as `whoami` says it, in Chinese."""
    if role.kind == UNIT:
        return f"{role.unit}的副本（承办单位）：可登记本单位的沟通、协办意见、答复、承诺完成，申请退回、延期"
    if role.kind == OFFICE:
        return "交办机关的副本：可办理全部步骤"
    if role.kind == ALONE:
        return "交办机关独自使用的台账（没有远程仓库）：可办理全部步骤"
    return "从服务器克隆的副本，尚未说明属于谁，不能办理；用 tiandz whoami --unit 单位 或 tiandz whoami --office 说明"
