"""tiandz.yaml, templates/ and notes/ belong to the ledger's history as much as its items do.

A step judges an item by tiandz.yaml: committed while tiandz.yaml has uncommitted changes, the history would
hold items that use a unit the committed configuration does not know, and `check` of that history fails. So
a step refuses until the change is committed. A ledger whose first commit `init` could not make (git knew
no author yet) has its own files committed first, as `init` would have, by the first step that commits.
"""

from __future__ import annotations

from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.problems import refuse
from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger

OWN_FILES = (CONFIG_NAME, CALENDAR_NAME, ".gitignore", "templates", "notes")
FIRST_COMMIT = "新建台账"
NO_IDENTITY_YET = (
    '尚未提交：git 还没有设置提交人。请运行 git config --global user.name "姓名" 和 '
    'git config --global user.email "邮箱"；之后第一个要提交的命令（new、import 或办理步骤）会先把 '
    "tiandz.yaml、templates/、notes/ 提交为“新建台账”"
)


def settle_own_files(ledger: Ledger, changed: dict[str, str] | None = None) -> list[str]:
    """Before a step commits: refused while tiandz.yaml has uncommitted changes; a ledger never committed has
    its own files committed first. Returns what to tell the clerk.

    `changed`: what `gitops.uncommitted` said of tiandz.yaml (with the step's files: one git process for both).
    """
    if changed is None:
        changed = gitops.uncommitted(ledger.root, [ledger.config_path])
    status = changed.get(CONFIG_NAME)
    if status is None:
        return []
    if status in ("??", "A "):  # never committed: init could not
        if not gitops.has_identity(ledger.root):
            gitops.refuse_no_identity()
        paths = [ledger.root / name for name in OWN_FILES if _has_files(ledger, name)]
        gitops.commit(ledger.root, paths, FIRST_COMMIT, {"Tiandz-Step": "init"})
        return [f"台账自己的文件（{'、'.join(path.name for path in paths)}）尚未提交，已先提交为“{FIRST_COMMIT}”"]
    refuse_changed_config(changed)


def refuse_changed_config(changed: dict[str, str]) -> None:
    """Refused while tiandz.yaml has changes not committed (a never-committed one is `settle_own_files`'s to
    commit); nothing when it has none. `changed`: what `gitops.uncommitted` said of it."""
    if changed.get(CONFIG_NAME) in (None, "??", "A "):
        return
    refuse(
        f"{CONFIG_NAME} 有未提交的修改：办理步骤依据它，提交的历史里却没有它，日后检查历史会出错",
        path=CONFIG_NAME,
        hint=f'用 git diff {CONFIG_NAME} 查看；要保留就在台账目录提交：git commit -m "修改 {CONFIG_NAME}" -- {CONFIG_NAME}，'
        f"不要就撤销：git checkout -- {CONFIG_NAME}；然后重试",
    )


def _has_files(ledger: Ledger, name: str) -> bool:
    path = ledger.root / name
    if path.is_file():
        return True
    return path.is_dir() and any(entry.is_file() for entry in path.rglob("*"))
