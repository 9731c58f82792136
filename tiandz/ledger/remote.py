"""The clone's server as `tiandz sync` talks to it: which remote and branch, fetch, push.

Git does the talking (ssh, https, a path); here its answers are sorted into what the clerk must be told: the
server cannot be reached (the local commits stay for the next sync), someone pushed first (sync tries again),
or the server refused the push (its guard's words, as it said them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tiandz.core.problems import refuse
from tiandz.ledger import git as gitops
from tiandz.ledger.gitconfig import parse_config
from tiandz.ledger.mergesetup import driver_registered, has_attribute_line
from tiandz.ledger.place import common_git_directory, git_directory

KEPT = "本地的提交都在，下次 tiandz sync 时再推送"


@dataclass(frozen=True)
class Upstream:
    remote: str  # the remote's name in this clone (origin)
    branch: str  # the branch's name on the server
    local: str  # the local branch's ref (refs/heads/main)

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"


def upstream(root: Path) -> Upstream:
    """The current branch's upstream (its `branch.*.remote`/`merge`), else the one remote (or origin) and the
    branch of the same name; refused when the clone has no remote."""
    local = gitops.text_of(gitops.run(root, "symbolic-ref", "-q", "HEAD", check=False).stdout).strip()
    if not local.startswith("refs/heads/"):
        refuse("当前不在任何分支上，无法同步", hint="先切换到台账的分支，如 git switch main，然后重试")
    name = local.removeprefix("refs/heads/")
    pattern = rf"^(remote\..*\.url|branch\.{re.escape(name)}\.(remote|merge))$"
    found = gitops.text_of(gitops.run(root, "config", "--get-regexp", pattern, check=False).stdout)
    remotes, branch_remote, merge = [], None, None
    for line in found.splitlines():
        key, _, value = line.partition(" ")
        if key.startswith("remote.") and key.endswith(".url"):
            remotes.append(key[len("remote."):-len(".url")])
        elif key.endswith(".remote"):
            branch_remote = value.strip()
        elif key.endswith(".merge"):
            merge = value.strip()
    if branch_remote in remotes:
        return Upstream(branch_remote, (merge or local).removeprefix("refs/heads/"), local)
    if not remotes:
        refuse("这个台账没有服务器（git remote），无法同步", path=str(root),
               hint="单位和交办机关的克隆用 tiandz clone 服务器地址 取得；一个机关独用的台账不必同步")
    remote = "origin" if "origin" in remotes else remotes[0]
    if len(remotes) > 1 and remote != "origin":
        refuse(f"这个台账有多个服务器（{'、'.join(remotes)}），不知道与哪一个同步",
               hint=f"指定当前分支的上游：git branch --set-upstream-to={remotes[0]}/{name}")
    return Upstream(remote, name, local)


def fetch(root: Path, up: Upstream) -> str | None:
    """The server's tip of the branch (kept as the remote-tracking ref); None when the server has no such branch."""
    result = gitops.run(root, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", up.remote,
                        f"+refs/heads/{up.branch}:{up.tracking}", check=False)
    said = gitops.text_of(result.stderr).strip()
    if result.returncode != 0:
        if "couldn't find remote ref" in said:
            return None
        refuse_unreachable(up, said)
    return gitops.text_of(gitops.run(root, "rev-parse", "--verify", "-q", up.tracking).stdout).strip()


def refuse_unreachable(up: Upstream, said: str) -> None:
    refuse(f"连不上服务器（{up.remote}）：{_last_line(said)}；{KEPT}", hint="检查网络和服务器地址（git remote -v）后重试")


AHEAD = "ahead"  # pushed
BEHIND = "behind"  # someone pushed first: fetch and replay again


def push(root: Path, up: Upstream, commit: str) -> str:
    """Push `commit` as the server's branch (a fast-forward only); AHEAD, or BEHIND when someone pushed first."""
    result = gitops.run(root, "push", "--porcelain", "--quiet", up.remote, f"{commit}:refs/heads/{up.branch}", check=False)
    if result.returncode == 0:
        return AHEAD
    out, said = gitops.text_of(result.stdout), gitops.text_of(result.stderr).strip()
    rejected = [line for line in out.splitlines() if line.startswith("!")]
    if any("[remote rejected]" in line for line in rejected):
        lines = [line.removeprefix("remote:").strip() for line in said.splitlines() if line.startswith("remote:")]
        reason = "；".join(line for line in lines if line) or _last_line(out)
        refuse(f"服务器拒绝了这次推送：{reason}；{KEPT}",
               hint="服务器只接受本单位可以做的改动；用 tiandz log 查看本地的提交，tiandz undo 撤销被拒的一步后再同步")
    if rejected:
        return BEHIND
    refuse_unreachable(up, said or out)
    return BEHIND  # not reached: refused above


def _last_line(said: str) -> str:
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    return lines[-1] if lines else "git 未说明原因"


def has_remote(root: Path) -> bool:
    found = gitops.run(root, "config", "--get-regexp", r"^remote\..*\.url$", check=False)
    return found.returncode == 0 and bool(found.stdout.strip())


def unregistered_driver(root: Path) -> bool:
    """For `check`: a clone with a server whose merges would not use tiandz's merge of item files. Its own
    files are read first: a ledger with no server, or one registered as tiandz registers, costs no git process.
    Only a ledger that is its repository (as `tiandz clone` makes it): the driver's attribute names the year
    folders at the top, and a ledger inside another project's repository (the example ledger in tiandz's own
    source) is no shared clone."""
    found = git_directory(root)
    if found is None or not is_top(found, root) or not driver_maybe_unregistered(found[0]):
        return False
    return has_remote(root) and not driver_registered(root)


def is_top(found: tuple[Path, Path], root: Path) -> bool:
    """Whether the ledger's folder is the top of the work tree `git_directory` found."""
    return found[1].resolve() == root.resolve()


def driver_maybe_unregistered(git_dir: Path) -> bool:
    """The same question read from the clone's own files, no git process (check's memo answers without one):
    True when its config names a remote and does not name tiandz's driver, or its attributes lack the line.
    A driver set elsewhere (the user's global config), or a config only git reads faithfully, makes this say
    True: check then asks git itself."""
    common = common_git_directory(git_dir)
    try:
        values = parse_config((common / "config").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return True
    if values is None:
        return True
    if not any(key.startswith("remote.") and key.endswith(".url") for key in values):
        return False
    if "merge-driver" not in values.get("merge.tiandz.driver", ""):
        return True
    return not has_attribute_line(common / "info" / "attributes")
