"""Git as the audit trail: each step is one commit of the files it wrote, with trailers.

Git is run as a subprocess (no library): what a clerk's own `git log` shows is exactly what tiandz made.
A ledger outside git still works; its steps are simply not recorded.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tiandz.problems import refuse


def _git(root: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    environment = {**os.environ, "LC_ALL": "C.UTF-8", "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *arguments], capture_output=True, text=True, env=environment
        )
    except FileNotFoundError:
        refuse("找不到 git 命令", hint="请先安装 git，或用 --no-commit")
    if check and result.returncode != 0:
        refuse(f"git {arguments[0]} 失败：{(result.stderr or result.stdout).strip()}")
    return result


def is_repository(root: Path) -> bool:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True
        )
    except FileNotFoundError:
        return False
    return result.returncode == 0 and result.stdout.strip() == "true"


def init(root: Path) -> None:
    _git(root, "init", "-q")


def has_identity(root: Path) -> bool:
    return bool(_git(root, "config", "user.name", check=False).stdout.strip()) and bool(
        _git(root, "config", "user.email", check=False).stdout.strip()
    )


def require_identity(root: Path) -> None:
    """Refuse before anything is written when a commit could not be made."""
    if not has_identity(root):
        refuse(
            "git 尚未设置提交人，无法留痕",
            hint='先运行 git config --global user.name "姓名" 和 git config --global user.email "邮箱"，或用 --no-commit',
        )


def commit(root: Path, paths: list[Path], subject: str, trailers: dict[str, str]) -> str:
    """Commit exactly these paths; returns the new commit id."""
    require_identity(root)
    relative = [str(path.relative_to(root)) if path.is_absolute() else str(path) for path in paths]
    _git(root, "add", "--", *relative)
    message = subject + "\n\n" + "\n".join(f"{key}: {value}" for key, value in trailers.items()) + "\n"
    _git(root, "commit", "-q", "-m", message, "--", *relative)
    return _git(root, "rev-parse", "HEAD").stdout.strip()

