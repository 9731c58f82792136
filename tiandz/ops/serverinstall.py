"""`tiandz server install BARE_REPO`: the guard put into the server's repository as its pre-receive hook.

The hook runs this very Python (`sys.executable`, so the virtual environment tiandz is installed in) with
`-m tiandz verify-push`; git gives it the pushed refs on stdin and refuses the whole push when it fails. A
server that keeps its own pre-receive (Gitea, Forgejo and GitLab run every script of `pre-receive.d/`)
gets the hook there instead. A pre-receive someone else wrote is never overwritten: the refusal says how
to call the guard from it.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from tiandz.core.problems import refuse
from tiandz.files.yamlio import write_atomic
from tiandz.ledger.git import run, text_of

MARK = "# tiandz verify-push:"


def hook_text(python: str, identity_env: str | None) -> str:
    option = f" --identity-env {shlex.quote(identity_env)}" if identity_env else ""
    return (
        "#!/bin/sh\n"
        f"{MARK} the ledger's guard on the server, written by `tiandz server install` (spec/offices.md).\n"
        "# It reads the pushed refs on stdin and refuses the whole push when a unit does what it may not.\n"
        f"exec {shlex.quote(python)} -m tiandz verify-push{option}\n"
    )


def vref_text(python: str | None = None) -> str:
    """gitolite's VREF script (`VREF/TIANDZ` in gitolite's LOCAL_CODE): gitolite gives ref, old, new, …"""
    return (
        "#!/bin/sh\n"
        f"{MARK} the ledger's guard as a gitolite VREF (README: 服务器).\n"
        f'exec {shlex.quote(python or sys.executable)} -m tiandz verify-push "$@"\n'
    )


def install_hook(repo: Path, identity_env: str | None = None, python: str | None = None) -> Path:
    """Write the pre-receive hook into this bare repository; the hook's path. Refused on a foreign hook."""
    if not repo.is_dir():
        refuse(f"找不到仓库 {repo}")
    result = run(repo, "rev-parse", "--is-bare-repository", check=False)
    if result.returncode != 0:
        refuse(f"{repo} 不是 git 仓库", hint="请给出服务器上裸仓库的路径（如 /srv/git/台账.git）")
    if text_of(result.stdout).strip() != "true":
        refuse(f"{repo} 不是裸仓库（它有工作区）", hint="守护程序装在服务器上的裸仓库中：git init --bare 建立的那一个")
    hooks = repo / text_of(run(repo, "rev-parse", "--git-path", "hooks").stdout).strip()  # core.hooksPath too
    folder = hooks / "pre-receive.d"
    hook = folder / "tiandz" if folder.is_dir() else hooks / "pre-receive"
    if hook.exists() and MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        refuse(
            f"{hook} 已有别的 pre-receive 钩子，没有覆盖它",
            hint=f"请在那个钩子中把收到的标准输入交给：{shlex.quote(python or sys.executable)} -m tiandz verify-push",
        )
    hook.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(hook, hook_text(python or sys.executable, identity_env))
    os.chmod(hook, 0o755)
    # Each push kept as the pack the pusher made, not unpacked into loose objects: a unit's push is a commit
    # or two whose folder tree (15,000 entries) the pusher sent as a delta; kept loose, every later fetch of
    # them makes the server find those deltas again (a sync pulling 200 commits: 2.4 s, against 1.2 s).
    run(repo, "config", "receive.unpackLimit", "1")
    return hook
