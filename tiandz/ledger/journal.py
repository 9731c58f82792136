"""A step's files and commit, all or nothing, whatever instant tiandz dies (kill -9, a power cut, a full disk).

Writing the file first and committing after left, when tiandz died in between, a change without a commit,
and every later step refused it as a hand edit. So the commit is built first, beside the work tree: the new
contents are staged in the state folder (`step/`), hashed into git's objects, a tree is written from a
temporary index (HEAD's tree with these paths replaced: like `git commit -- paths`, nothing else the clerk
staged is committed) and the commit object made. Then the intent is recorded (`step/journal.json`: the
step, the paths, the old HEAD, the new commit, the blobs), HEAD is moved from the old commit to the new one
by one `update-ref` (which fails rather than lose a commit made meanwhile), the files are renamed into
place, the real index gets their entries, and the staging folder is deleted.

Until HEAD moves nothing the clerk sees has changed; once it has moved, the journal says what to finish.
The next command that writes (`recover`) finishes the step (HEAD is the new commit, or a later one that
still holds the step's files: the files put in place, the index updated) or drops it (HEAD is still the old commit: nothing was committed, no file touched). A
commit object or blob left by a step that died before HEAD moved is unreachable and harmless (git's gc
removes it).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import orjson

from tiandz.core.oserrors import hint, reason, shown_path
from tiandz.core.problems import TiandzError, refuse
from tiandz.files.reading import UnsafeFile
from tiandz.files.yamlio import write_atomic
from tiandz.ledger import git as gitops
from tiandz.ledger import placing, syncmove
from tiandz.ledger.blobs import Attributes, hash_blobs, settled, start_hashing
from tiandz.ledger.folder import Ledger
from tiandz.ledger.manyfiles import appendable
from tiandz.ledger.place import STAGING, common_git_directory, git_directory, read_journal
from tiandz.ledger.placing import MANY, bytes_of, clear, digest
from tiandz.ledger.unchanged import RACY_NANOSECONDS, file_key

JOURNAL = "journal.json"
INTERRUPTED = "上次的办理步骤中断了"
COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def read_key(status: os.stat_result | None) -> tuple[int, int, int, int] | None:
    """(size, mtime, ctime, inode) of a regular file as a step stats it before reading it, or None when that
    would not tell a later change (no file, not a regular one, changed in the last seconds: within one tick of
    the clock it could change again with every field the same). `placing.finish` compares it with the file as it
    finds it: the same, and the file is as the step read it, without reading it again."""
    if status is None or not stat.S_ISREG(status.st_mode) or time.time_ns() - status.st_ctime_ns < RACY_NANOSECONDS:
        return None
    return file_key(status)


def refuse_full_disk(error: OSError, shown: str) -> None:
    """An OSError while writing: a full disk (or quota) said as such, anything else with its reason."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        refuse(f"{gitops.DISK_FULL}，无法写入 {shown}：本步未办理，台账未改动", hint="腾出磁盘空间后重试")
    refuse(f"无法写入 {shown}：{reason(error)}，本步未办理，台账未改动", hint=hint(error) or "请检查该文件夹是否可写")


def write_files(ledger: Ledger, files: list[tuple[Path, bytes]]) -> None:
    """Without a commit (outside git, or --no-commit) the files are simply written, each atomically; if one
    cannot be, the ones written before it are put back as they were (a new one removed) and it is refused."""
    written: list[tuple[Path, bytes | None]] = []
    try:
        for path, data in files:
            before = bytes_of(path)
            write_atomic(path, data)
            written.append((path, before))
    except OSError as error:
        for done, before in reversed(written):
            with suppress(OSError):  # one that cannot be put back does not stop the others, nor the refusal
                if before is None:
                    done.unlink(missing_ok=True)
                else:
                    write_atomic(done, before)
        refuse_full_disk(error, ledger.relative(path))


@dataclass
class Ahead:
    """What a big step's commit asks about its paths, asked before the step works on its items (`look_ahead`)."""

    paths: list[Path]
    tops: list[str]
    attributes: Attributes


def look_ahead(ledger: Ledger, paths: list[Path]) -> Ahead | None:
    """For a step of MANY files or more, about to work on them for a while (a 交办会's items read and judged in
    workers): each path as git names it, and whether an attribute filters any (`blobs.Attributes`, git asked
    now and left to answer), for `commit_files` to take up instead of asking then. None outside git."""
    found = git_directory(ledger.root) if len(paths) >= MANY else None
    if found is None:
        return None
    folders: dict[str, str] = {}
    tops = [_top_path(found[1], path, None, folders) for path in paths]
    return Ahead(paths, tops, Attributes(found[1], tops))


def commit_files(
    ledger: Ledger, files: list[tuple[Path, bytes]], subject: str, trailers: dict[str, str], read: list[bytes] | None = None,
    read_keys: list[tuple | None] | None = None, ahead: Ahead | None = None,
) -> str:
    """Put these contents at these paths and commit exactly them, as one step: all of it or none of it.

    The caller holds the write lock, has recovered any step left by a dead process, and has refused hand
    edits on these paths. `read`: each file as the caller read it to make its new contents (not read again
    here); a file found otherwise when it is put in place was edited meanwhile and is left alone. `read_keys`:
    each file's `read_key` as the caller statted it before reading it, where it has one. `ahead`: `look_ahead`
    of these paths, where the caller asked it. Returns the new commit id.
    """
    git_dir, top = git_directory(ledger.root)  # the caller knows the ledger is in git
    staging = ledger.state_folder / STAGING
    clear(staging)
    entries = []
    folders: dict[str, str] = {}  # each folder resolved once, not each of 15,000 files
    contents = [data for _, data in files]
    hashing = None
    try:
        staging.mkdir(parents=True, exist_ok=True)
        # git stores a big step's blobs (an import's, a 交办会's) while this process stats the files, works out
        # the journal's entries and writes the staged copies: two cores at work, where one after the other
        # cost the sum. Started before the stats, with the paths of files that are not links (which a step
        # never writes through); should one be a link after all, git is asked again with its real path.
        taken = ahead is not None and len(ahead.paths) == len(files) and all(
            given is path or given == path for given, (path, _) in zip(ahead.paths, files))
        tops = list(ahead.tops) if taken else [_top_path(top, path, None, folders) for path, _ in files]
        attributes = ahead.attributes if taken else None
        hashing = start_hashing(ledger, top, staging, tops, contents, attributes) if len(files) >= MANY else None
        statuses = [_lstat(path) for path, _ in files]
        modes = [status.st_mode if status is not None else None for status in statuses]
        if any(mode is not None and stat.S_ISLNK(mode) for mode in modes):
            settled(hashing)
            tops = [_top_path(top, path, mode, folders) for (path, _), mode in zip(files, modes)]
            hashing = start_hashing(ledger, top, staging, tops, contents) if len(files) >= MANY else None
        for number, ((path, data), status, mode, top_path) in enumerate(zip(files, statuses, modes, tops)):
            if status is None:  # a stat, not a failed open, for new files
                before = None
            else:
                before = read[number] if read is not None else bytes_of(path)
            appended = len(files) >= MANY and appendable(status, before, data)
            executable = before is not None and (os.stat(path) if stat.S_ISLNK(mode or 0) else status).st_mode & 0o100
            entries.append({
                "path": ledger.relative(path),
                "top": top_path,
                "mode": "100755" if executable else "100644",
                "staged": f"{number}.new",
                "sha256": digest(data),
                "before": digest(before) if before is not None else None,
                **({"appended": len(before)} if appended else {}),  # written in place after these bytes: no staged copy
            })
        for entry, data in zip(entries, contents):
            staged = staging / entry["staged"]
            if len(files) < MANY:
                write_atomic(staged, data)
            elif "appended" not in entry:  # no fsync for each of thousands: a staged copy lost in a crash is put in place from its blob
                staged.write_bytes(data)
    except OSError as error:
        settled(hashing)
        clear(staging)
        refuse_full_disk(error, ledger.relative(Path(error.filename)) if error.filename else "暂存文件")
    except BaseException:
        settled(hashing)
        clear(staging)
        raise
    try:
        hash_blobs(ledger, top, staging, entries, contents, hashing)
        head = head_in_files(git_dir) or _text(gitops.run(top, "rev-parse", "--verify", "-q", "HEAD", check=False)) or None
        index = {"GIT_INDEX_FILE": str(staging / "index")}
        gitops.run(top, "read-tree", *([head] if head else ["--empty"]), env=index)
        # On standard input, not as arguments: thousands of paths overflow a command line (32 K on Windows).
        listed = "".join(f"{entry['mode']} {entry['blob']}\t{entry['top']}\0" for entry in entries)
        gitops.run(top, "update-index", "-z", "--index-info", input=listed.encode("utf-8"), env=index)
        tree = _text(gitops.run(top, "write-tree", env=index))
        message = gitops.commit_message(subject, trailers)
        made = gitops.run(top, "commit-tree", tree, *(["-p", head] if head else []), "-F", "-", input=message.encode(),
                          check=False)
        if made.returncode != 0 and re.search(rb"identity unknown|tell me who you are|empty ident", made.stderr):
            gitops.refuse_no_identity()  # asked of commit-tree itself: no git process spent on asking first
        gitops.refuse_failed(made, top, "commit-tree")
        new = _text(made)
        journal = {"version": 1, "subject": subject, "old": head or "", "new": new, "files": entries}
        try:
            write_atomic(staging / JOURNAL, orjson.dumps(journal))  # 15,000 entries in a hundredth of json's time
        except OSError as error:
            refuse_full_disk(error, "办理日志")
    except BaseException:
        clear(staging)  # HEAD did not move: the step did not happen, and no file was touched
        raise
    # The old value makes the update fail rather than lose a commit someone made in between. Outside the
    # clean-up above: a Ctrl-C reaching git and tiandz together may come after git moved HEAD, and then the
    # journal must stay for `recover`, which finishes the step or drops it by where HEAD is.
    moved = gitops.run(top, "update-ref", "-m", f"commit: {subject}", "HEAD", new, head or "", check=False)
    if moved.returncode != 0:
        clear(staging)  # refused by git: HEAD did not move
        gitops.refuse_failed(moved, top, "update-ref")
    try:
        unchanged = {entry["path"]: key for entry, key in zip(entries, read_keys) if key is not None} if read_keys else None
        placing.finish(ledger, top, journal, fresh=True, contents={entry["blob"]: data for entry, (_, data) in zip(entries, files)},
                       unchanged=unchanged)
    except OSError as error:
        # Refused by the file system before any file changed (read-only, no permission, a full disk): the
        # commit is taken back, and the step did not happen at all, as the clerk would expect.
        if not _any_placed(ledger, journal) and _take_back(top, journal):
            clear(staging)
            raise
        refuse(f"本步已提交（{new[:12]}），但{_not_written(error)}", hint="下一个写台账的 tiandz 命令会补完它；如磁盘已满，先腾出空间")
    except TiandzError as error:
        refuse(f"本步已提交（{new[:12]}），但{error.problems[0].message}", hint="下一个写台账的 tiandz 命令会补完它")
    return new


def _top_path(top: Path, path: Path, mode: int | None, folders: dict[str, str]) -> str:
    """The file's path as git names it from the top of the work tree (`git_path` of `path.resolve()`), each
    folder resolved once a step (an lstat a part, a pathlib `relative_to`: an import writes 15,000 files into
    one or two folders; the file's own by text); a file that is itself a symlink is resolved as it is."""
    if mode is not None and stat.S_ISLNK(mode):
        return gitops.git_path(top, path.resolve())
    parent, name = os.path.split(os.fspath(path))
    folder = folders.get(parent)
    if folder is None:
        folder = folders[parent] = gitops.git_path(top, Path(parent).resolve())
    return name if folder in ("", ".") else f"{folder}/{name}"


def _any_placed(ledger: Ledger, journal: dict) -> bool:
    """Whether a file of the step already has its new content (and had other content before)."""
    for entry in journal["files"]:
        try:
            now = bytes_of(ledger.root / entry["path"])
        except UnsafeFile:
            continue
        if now is not None and digest(now) == entry["sha256"] != entry["before"]:
            return True
    return False


def _take_back(top: Path, journal: dict) -> bool:
    """HEAD back from the step's commit to the one before (only if it is still the step's)."""
    if not journal["old"]:
        return False
    moved = gitops.run(top, "update-ref", "-m", "tiandz: 未能写入，撤回", "HEAD", journal["old"], journal["new"], check=False)
    return moved.returncode == 0


def _not_written(error: OSError) -> str:
    path = getattr(error, "ledger_path", None) or (error.filename2 if error.filename2 is not None else error.filename)
    return f"{shown_path(path) if path is not None else '文件'} 未能写入：{reason(error)}"


def head_in_files(git_dir: Path) -> str | None:
    """HEAD's commit read from the git directory as git keeps it (a loose ref, else packed-refs), saving a git
    process on every step; None when it is not found so (reftable, an unborn branch, anything odd): then git
    is asked. A wrong answer cannot do harm: `update-ref` with this old value refuses unless it is HEAD."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head if COMMIT_ID.fullmatch(head) else None
        ref = head[len("ref: "):].strip()
        common = common_git_directory(git_dir)  # a linked worktree's branches live in the main one
        for base in (git_dir, common):
            loose = base / ref
            if loose.is_file():
                value = loose.read_text(encoding="utf-8").strip()
                return value if COMMIT_ID.fullmatch(value) else None
        for line in (common / "packed-refs").read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref) and COMMIT_ID.fullmatch(line.split(" ", 1)[0]):
                return line.split(" ", 1)[0]
    except (OSError, UnicodeDecodeError):
        return None
    return None


def recover(ledger: Ledger) -> list[str]:
    """Finish or drop a step a dead process left (under the write lock); what was done, said in Chinese.
    A `tiandz sync` a dead process left halfway is finished first (syncmove.py)."""
    found = git_directory(ledger.root) if syncmove.folder_of(ledger).exists() else None
    synced = syncmove.recover(ledger, found[1]) if found else []
    return synced + _recover_step(ledger)


def _recover_step(ledger: Ledger) -> list[str]:
    staging = ledger.state_folder / STAGING
    if not staging.exists():
        return []
    journal = _read(staging / JOURNAL)
    found = git_directory(ledger.root)
    if journal is None or found is None:  # died before the intent was recorded: nothing was committed
        clear(staging)
        return [f"{INTERRUPTED}（尚未提交），已撤销：台账未改动"] if found else []
    top = found[1]
    head = _text(gitops.run(top, "rev-parse", "--verify", "-q", "HEAD", check=False))
    subject = journal["subject"]
    if head == journal["new"] or _descends_from(top, head, journal):
        # HEAD moved on from the step's commit (a clerk's own commit since): the step is still committed,
        # and its files belong in the work tree, or git status would show it undone.
        try:
            placing.finish(ledger, top, journal)
        except OSError as error:
            refuse(f"{INTERRUPTED}，补完时 {_not_written(error)}", hint="腾出磁盘空间或改正权限后重试")
        return [f"{INTERRUPTED}，已补完：{subject}"]
    clear(staging)
    if head == journal["old"]:
        return [f"{INTERRUPTED}，已撤销：{subject}（尚未提交，文件未改动）"]
    return [f"{INTERRUPTED}：{subject}；此后 HEAD 已改变（现为 {head[:12] or '无'}），tiandz 未改动任何文件，请用 git status 和 git log 查看"]


def _descends_from(top: Path, head: str, journal: dict) -> bool:
    """Whether HEAD came after the step's commit and still holds the step's files as the step wrote them
    (a later commit that changed or reverted one of them decides that file, and tiandz leaves it alone)."""
    if not head or not COMMIT_ID.fullmatch(journal["new"]):
        return False
    if gitops.run(top, "merge-base", "--is-ancestor", journal["new"], head, check=False).returncode != 0:
        return False
    blobs = gitops.run(top, "rev-parse", *(f"{head}:{entry['top']}" for entry in journal["files"]), check=False)
    return blobs.returncode == 0 and _text(blobs).split() == [entry["blob"] for entry in journal["files"]]


def pending(ledger: Ledger) -> str | None:
    """For `check`: the subject of a step a dead process left, or None (nothing is changed here)."""
    staging = ledger.state_folder / STAGING
    if not staging.exists():
        return None
    journal = _read(staging / JOURNAL)
    return journal["subject"] if journal else "（尚未提交）"


def _read(path: Path) -> dict | None:
    """The journal, if it is one; anything else counts as no journal (the step never recorded its intent)."""
    journal = read_journal(path)
    if journal is None:
        return None
    files = journal.get("files")
    strings = all(isinstance(journal.get(key), str) for key in ("subject", "old", "new"))
    if not strings or not isinstance(files, list) or not files:
        return None
    keys = ("path", "top", "mode", "staged", "sha256", "blob")
    for entry in files:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) for key in keys):
            return None
        if entry.get("before") is not None and not isinstance(entry["before"], str):
            return None
        appended = entry.get("appended", 0)
        if type(appended) is not int or appended < 0 or "appended" in entry and entry.get("before") is None:
            return None
        path = Path(entry["path"])
        if entry["mode"] not in ("100644", "100755") or "/" in entry["staged"] or ".." in path.parts or path.is_absolute():
            return None
    return journal


def _text(result) -> str:
    return gitops.text_of(result.stdout).strip()
