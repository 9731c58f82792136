"""`tiandz sync`: this clone's work put on top of the server's, pushed, and the clone brought level with it.

spec/offices.md, "Exchanging work". Fetch; replay the clone's own commits on the server's tip (a linear
history: the server refuses a unit's merge commit), each keeping its message, trailers and author; push;
when someone pushed first, all of it again, a bounded number of times. An item file changed on both sides
is merged as an item (ops/mergedriver.py, the same merge git's driver does): events added on either side all
kept, none doubled, a field changed on one side taken, a field changed differently on both sides a conflict
that stops the sync. Any other file changed on both sides stops it too. A stopped sync leaves the clone
exactly as it was: the replayed commits are built aside (ledger/commits.py) and the branch and the work tree
move only after the push (ledger/syncmove.py), all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tiandz.core.problems import Problem, TiandzError, refuse
from tiandz.ledger import git as gitops
from tiandz.ledger import handedits, journal, remote, syncmove
from tiandz.ledger.commits import Builder, Change, Original, count, entries_at, merge_base, originals, own_commits, text
from tiandz.ledger.folder import Ledger
from tiandz.ledger.lock import writing
from tiandz.ledger.mergesetup import register_merge_driver
from tiandz.ledger.place import git_directory
from tiandz.ledger.repository import ready_for_step
from tiandz.ops.mergedriver import merge_item_texts

ATTEMPTS = 5  # pushes tried while others push first
UNCHANGED = "本地和服务器都未改动"
REGISTERED = "已把 tiandz 登记为本克隆的条目合并程序：git pull、git rebase 也按件合并"


@dataclass
class Synced:
    """What a sync did: commits taken from the server, commits of this clone pushed, tries, notes."""

    pulled: int = 0
    pushed: int = 0
    attempts: int = 1
    commit: str | None = None  # the clone's (and the server's) commit afterwards
    notes: list[str] = field(default_factory=list)


def sync_ledger(ledger: Ledger, today: dt.date | None = None, attempts: int = ATTEMPTS) -> Synced:
    """Fetch, replay, push, move; refused (nothing changed here, local commits kept) on any stop."""
    with writing(ledger.state_folder):
        if not ready_for_step(ledger.root):
            refuse("台账不在 git 仓库中，无法同步", path=str(ledger.root), hint="单位和交办机关的克隆用 tiandz clone 服务器地址 取得")
        _, top = git_directory(ledger.root)
        notes = journal.recover(ledger)
        up = remote.upstream(top)
        if register_merge_driver(top):
            notes.append(REGISTERED)
        status = gitops.status_of(top)
        _refuse_hand_edits(ledger, top, status)
        for attempt in range(1, attempts + 1):
            server = remote.fetch(top, up)
            local = text(gitops.run(top, "rev-parse", "--verify", "HEAD"))
            new, pulled, pushed = _replayed(ledger, top, local, server, today)
            _refuse_overwrite(top, status, local, new)
            if new != server and remote.push(top, up, new) == remote.BEHIND:
                continue
            done = syncmove.move(ledger, top, up.local, local, new) if new != local else syncmove.Moved()
            if done.left:
                notes.append(f"这些文件有未提交的修改，未更新：{'、'.join(done.left)}（用 git status 查看）")
            if done.refused:
                notes.append(syncmove.refused_note(done.refused))
            return Synced(pulled, pushed, attempt, new, notes)
        refuse(f"服务器上的台账一直在被别人更新，试了 {attempts} 次仍未推送成功；{remote.KEPT}", hint="稍后再运行 tiandz sync")
    raise AssertionError("not reached")


def _replayed(ledger: Ledger, top: Path, local: str, server: str | None, today: dt.date | None) -> tuple[str, int, int]:
    """(the commit the clone and the server will both be at, commits pulled, commits of ours on top)."""
    if server is None:  # the server has no branch yet: this clone's history is the first
        return local, 0, count_all(top, local)
    base = merge_base(top, local, server)
    if base is None:
        refuse("本地台账与服务器上的台账没有共同的历史，不是同一个台账", hint="用 tiandz clone 重新取得服务器上的台账")
    pulled = count(top, local, server)
    if base == local:  # nothing of ours: the server's tip as it is
        return server, pulled, 0
    if base == server and not merges(top, server, local):  # nothing new on the server, ours linear already
        return local, 0, count(top, server, local)
    folder = syncmove.folder_of(ledger) / "build"
    builder = Builder(top, folder, server)
    try:
        made = 0
        for original in originals(top, own_commits(top, server, local)):
            made += builder.commit(_entries(ledger, top, builder, original, today), original)
        return builder.head, pulled, made
    finally:
        builder.close()


def merges(top: Path, since: str, until: str) -> int:
    """Merge commits of ours (a `git pull` that merged): the server refuses a unit's, so they are linearised."""
    return int(text(gitops.run(top, "rev-list", "--count", "--merges", f"{since}..{until}")) or 0)


def count_all(top: Path, commit: str) -> int:
    return int(text(gitops.run(top, "rev-list", "--count", commit)) or 0)


def _entries(ledger: Ledger, top: Path, builder: Builder, original: Original, today: dt.date | None) -> dict:
    """The paths this commit changed, as they are to be in its replayed commit (None: removed)."""
    now = entries_at(top, builder.head, [change.path for change in original.changes])
    wanted: dict = {}
    both = []
    for change in original.changes:
        there = now[change.path]
        if there == change.before or there == change.after:  # the server's side did not touch it, or did the same
            wanted[change.path] = change.after
        else:
            both.append(change)
    if not both:
        return wanted
    problems: list[Problem] = []
    blobs = [entry[1] for change in both for entry in (change.before, change.after, now[change.path]) if entry]
    contents = gitops.read_blobs(top, blobs)
    for change in both:
        merged, found = _merged(ledger, top, change, now[change.path], contents, today)
        if merged is None:
            problems += found
        else:
            wanted[change.path] = (now[change.path][0], builder.blob(merged.encode("utf-8"), change.path))
    if problems:
        said = f"同步未完成：本地的提交“{_subject(original)}”与服务器上的修改冲突"
        raise TiandzError([Problem("", None, "", said)] + problems)
    return wanted


def _merged(ledger: Ledger, top: Path, change: Change, there, contents: dict, today: dt.date | None) -> tuple[str | None, list]:
    """A file both sides changed: an item merged as an item (the server's side as ours, as `git rebase`
    hands the driver the upstream as ours), or the conflicts; any other file a conflict."""
    shown = _ledger_path(ledger, top, change.path)
    if shown is None or not _is_item(shown) or change.after is None or there is None:
        return None, [Problem(shown or change.path, None, "", f"本地和服务器上都改了这个文件（{_how(change, there)}），tiandz 只合并条目文件；{UNCHANGED}",
                              "请与改它的人商定，在一边撤销或改成一致后再同步")]
    base = gitops.text_of(contents.get(change.before[1], b"")) if change.before else ""
    ours, theirs = gitops.text_of(contents[there[1]]), gitops.text_of(contents[change.after[1]])
    hint = f"同步未完成，{UNCHANGED}。可先撤销本地这一步（tiandz undo {Path(shown).stem}），同步后按需重新办理；或与对方商定"
    return merge_item_texts(ledger, ledger.root / shown, base, ours, theirs, today, names=("服务器上", "本地"), hint=hint)


def _how(change, there) -> str:
    if change.after is None:
        return "本地删除，服务器上修改"
    if there is None:
        return "服务器上删除，本地修改"
    return "两边改得不同"


def _subject(original: Original) -> str:
    return gitops.text_of(original.message.split(b"\n", 1)[0]).strip()


def _ledger_path(ledger: Ledger, top: Path, path: str) -> str | None:
    """A path from the repository's top as the ledger names it; None when it is outside the ledger."""
    prefix = gitops.git_path(top.resolve(), ledger.root.resolve())
    if prefix in ("", "."):
        return path
    return path[len(prefix) + 1:] if path.startswith(prefix + "/") else None


def _is_item(shown: str) -> bool:
    """An item file: `20*/*.yaml`, the files git's merge driver is registered for (mergesetup.py)."""
    parts = shown.split("/")
    return len(parts) == 2 and parts[0].startswith("20") and parts[1].endswith(".yaml")


def _refuse_hand_edits(ledger: Ledger, top: Path, status: dict[str, str]) -> None:
    """Item files edited by hand and not committed: refused as a step refuses them (they would be neither
    sent nor safe from the files the sync brings)."""
    items = {}
    for path, code in status.items():
        shown = _ledger_path(ledger, top, path)
        if shown is not None and _is_item(shown):
            items[shown] = code
    if items:
        handedits.refuse_hand_edits(ledger, [ledger.root / shown for shown in items], then="然后再同步", changed=items)


def _refuse_overwrite(top: Path, status: dict[str, str], local: str, new: str) -> None:
    """Any uncommitted file (tiandz.yaml, a note, an item tiandz wrote with --no-commit) the sync would change."""
    if not status or new == local:
        return
    changed = gitops.changed_between(top, local, new) or []
    hit = sorted(set(changed) & set(status))
    if hit:
        refuse(f"这些文件有未提交的修改，而同步要更新它们：{'、'.join(hit)}；{UNCHANGED}",
               hint="先提交（tiandz edit 编号 --keep --reason 说明，或 git commit）或撤销（git checkout -- 文件）这些修改，然后再同步")
