"""Git as the audit trail: each step is one commit of the files it wrote, with trailers.

Git is run as a subprocess (no library): what a clerk's own `git log` shows is exactly what tiandz made.
A ledger outside git still works; its steps are simply not recorded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path, PurePath

from tiandz.core.problems import refuse

DISK_FULL = "磁盘已满"
# glibc's malloc gives memory back to the system whenever the top of the heap is free, and asks for it again
# on the next allocation: `git fast-import` storing an import's 15,000 blobs made 60,000 brk calls, 0.8 of
# its 1.2 seconds. Keeping 4 MB at the top (no more memory in use: fast-import stays at 6 MB) takes it to
# 0.35 s. Other C libraries ignore the variable; one the clerk set is kept.
_QUIET_MALLOC = {"MALLOC_TOP_PAD_": str(4 * 1024 * 1024)}


def run(
    root: Path, *arguments: str, input: bytes | None = None, check: bool = True, env: dict[str, str] | None = None,
    input_path: Path | None = None,
) -> subprocess.CompletedProcess:
    """Git with bytes out: `cat-file --batch` counts in bytes, and nothing depends on the local code page.
    `input_path`: a file git reads as its standard input (instead of `input`)."""
    environment = _environment(env)
    command = ["git", "-C", str(root), *arguments]
    given = open(input_path, "rb") if input_path is not None else None  # closed below, whatever happens
    try:
        if given is not None:
            result = subprocess.run(command, stdin=given, capture_output=True, env=environment)
        else:
            result = subprocess.run(command, input=input, capture_output=True, env=environment)
    except FileNotFoundError:
        refuse("找不到 git 命令", hint="请安装 git 或把它加入 PATH")
    finally:
        if given is not None:
            given.close()
    if check:
        refuse_failed(result, root, arguments[0])
    return result


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    return {**_QUIET_MALLOC, **os.environ, "LC_ALL": "C.UTF-8", "GIT_TERMINAL_PROMPT": "0", **(env or {})}


def start(root: Path, *arguments: str, stdin=None, stdout=None, stderr=None) -> subprocess.Popen:
    """Git started and left to run beside this process, for its caller to wait for; a git that cannot be
    started is the OSError of the start (the caller falls back to `run`, which says so in Chinese)."""
    return subprocess.Popen(["git", "-C", str(root), *arguments], stdin=stdin, stdout=stdout,
                            stderr=subprocess.DEVNULL if stderr is None else stderr, env=_environment(None))


class Feed:
    """Git reading its standard input while this process still writes it: `git update-index --stdin` storing
    each file as soon as it is placed, not all of them after the last one (two cores at work, not one after
    the other). `give` writes one record; `close` ends the input and refuses, as `run` does, if git failed.
    A git that stopped early (it refuses on the first path it cannot take) is not written to again: what it
    said is told by `close`."""

    def __init__(self, root: Path, *arguments: str):
        self.root, self.subcommand = root, arguments[0]
        try:
            self.process = start(root, *arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            refuse("找不到 git 命令", hint="请安装 git 或把它加入 PATH")
        self.open = True

    def give(self, record: bytes) -> None:
        if self.open:
            try:
                self.process.stdin.write(record)
            except (BrokenPipeError, ValueError):  # git has stopped: close() says why
                self.open = False

    def close(self) -> None:
        output, errors = self.process.communicate()  # a closed pipe on git's side is no error here
        refuse_failed(subprocess.CompletedProcess(self.process.args, self.process.returncode, output, errors),
                      self.root, self.subcommand)


def read_blobs(root: Path, blobs: list[str], kind: bytes = b"blob") -> dict[str, bytes]:
    """The contents of these blobs (or other objects of this kind, such as commits) from one `git cat-file
    --batch`; one git does not have, or of another kind, is left out."""
    if not blobs:
        return {}
    output = run(root, "cat-file", "--batch", input="".join(blob + "\n" for blob in blobs).encode()).stdout
    found: dict[str, bytes] = {}
    position = 0
    for blob in blobs:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) == 3 and header[2].isdigit():  # "<id> <type> <size>", then the content and a newline
            size = int(header[2])
            if header[1] == kind:
                found[blob] = output[position : position + size]
            position += size + 1
        # otherwise "<id> missing" (a shallow clone)
    return found


def refuse_failed(result: subprocess.CompletedProcess, root: Path, subcommand: str) -> None:
    """A git command that failed, refused with what git said (a full disk in Chinese); nothing if it worked.

    Git does not always name a full disk ("couldn't write …lock"), so the free space is looked at too.
    """
    if result.returncode == 0:
        return
    said = text_of(result.stderr or result.stdout).strip()
    if any(words in said for words in ("No space left on device", "Out of diskspace", "Disk quota exceeded")) or _disk_full(root):  # git says it in English: we run it with LC_ALL=C.UTF-8
        refuse(f"{DISK_FULL}，git {subcommand} 无法写入：本步未办理，台账未改动（{said}）", hint="腾出磁盘空间后重试")
    refuse(f"git {subcommand} 失败：{said}")


def _disk_full(root: Path) -> bool:
    try:
        return shutil.disk_usage(root).free < 64 * 1024
    except OSError:
        return False


def git_path(root: PurePath, path: PurePath) -> str:
    """A path as git writes and reads it (pathspecs, `git status` names): relative, with `/` on every system.

    `str()` of a Windows path has backslashes, which git's output never has: a comparison would never match
    (the hand-edit check would pass everything) and a pathspec would depend on git's leniency.
    """
    text, base = str(path), str(root)
    if text.startswith(base + os.sep):  # by text, as a step on 15,000 items asks it of each
        return text[len(base) + 1 :].replace(os.sep, "/")
    return (path.relative_to(root) if path.is_absolute() else path).as_posix()


def text_of(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _git(root: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    """Git with text out, decoded as UTF-8 whatever the system's code page (GBK on a Chinese Windows)."""
    result = run(root, *arguments, check=check)
    return subprocess.CompletedProcess(result.args, result.returncode, text_of(result.stdout), text_of(result.stderr))


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
    found = _git(root, "config", "--get-regexp", r"^user\.(name|email)$", check=False).stdout
    keys = {line.split(" ", 1)[0] for line in found.splitlines() if " " in line and line.split(" ", 1)[1].strip()}
    return {"user.name", "user.email"} <= keys


def refuse_no_identity() -> None:
    """A step's commit could not be made for want of an author (told by `commit-tree`, before any file moved)."""
    refuse(
        "git 尚未设置提交人，无法留痕",
        hint='先运行 git config --global user.name "姓名" 和 git config --global user.email "邮箱"，或用 --no-commit',
    )


def commit_message(subject: str, trailers: dict[str, str]) -> str:
    """A step's commit message: the subject, a blank line, the trailers (`Tiandz-Step: assign` …)."""
    return subject + "\n\n" + "\n".join(f"{key}: {value}" for key, value in trailers.items()) + "\n"


def commit(root: Path, paths: list[Path], subject: str, trailers: dict[str, str]) -> str:
    """`tiandz init`'s first commit of the new ledger's folder; returns the new commit id.

    A step's commit is not made here but in `journal.py`, all or nothing, before its files are put in place.
    """
    relative = [git_path(root, path) for path in paths]
    message = commit_message(subject, trailers)
    _git(root, "add", "--", *relative)
    _git(root, "commit", "-q", "-m", message, "--", *relative)
    return _git(root, "rev-parse", "HEAD").stdout.strip()


MANY_PATHS = 100


def uncommitted(root: Path, paths: list[Path]) -> dict[str, str]:
    """Files among these that differ from HEAD (staged, changed or untracked): relative path → status.

    Porcelain output names paths from the repository's top, which is above the ledger when the ledger is a
    subfolder of a larger repository, so the names are matched on the ledger-relative end.
    """
    relative = [git_path(root, path) for path in paths]
    # Thousands of paths (a 交办会) would overflow a command line and make git match each against each: then
    # their folders are asked about, and the answer sifted here.
    specs = relative if len(relative) <= MANY_PATHS else sorted({path.rpartition("/")[0] or "." for path in relative})
    wanted_set = set(relative)
    changed: dict[str, str] = {}
    for name, status in status_of(root, *specs).items():
        parts = name.split("/")
        for start in range(len(parts)):  # the name itself, or its end below the ledger's folder
            if "/".join(parts[start:]) in wanted_set:
                changed["/".join(parts[start:])] = status
    return changed


def status_of(root: Path, *pathspecs: str) -> dict[str, str]:
    """Every uncommitted path (from the repository's top; untracked ones too) and its `git status` code, in
    one call; `pathspecs` limit it."""
    raw = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", *(("--", *pathspecs) if pathspecs else ())).stdout
    found: dict[str, str] = {}
    entries = raw.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        found[entry[3:]] = entry[:2]
        if "R" in entry[:2] or "C" in entry[:2]:
            index += 1  # a rename is followed by its old name
    return found


def grep(root: Path, fixed_text: str, pathspecs: list[str]) -> str:
    """Lines of the working tree (tracked and untracked files) that contain this text; no match is ""."""
    result = _git(root, "grep", "-h", "-F", "--untracked", "-e", fixed_text, "--", *pathspecs, check=False)
    if result.returncode not in (0, 1):
        refuse(f"git grep 失败：{result.stderr.strip()}")
    return result.stdout


def top_and_head(root: Path) -> tuple[Path, str | None]:
    """The repository's top folder and its HEAD commit (None before the first commit)."""
    result = _git(root, "rev-parse", "--show-toplevel", "HEAD", check=False)
    lines = result.stdout.splitlines()
    top = Path(lines[0]) if lines else root
    head = lines[1].strip() if len(lines) > 1 and re.fullmatch(r"[0-9a-f]{40,64}", lines[1].strip()) else None
    return top, head


def changed_between(root: Path, old: str, new: str) -> list[str] | None:
    """Files changed from commit `old` to `new` (names from the repository's top); None if `old` is gone."""
    if old == new:
        return []
    result = _git(root, "diff", "--name-only", "-z", "--no-renames", old, new, "--", ".", check=False)
    if result.returncode != 0:
        return None
    return [name for name in result.stdout.split("\0") if name]


def grep_lines(root: Path, fixed_text: str, pathspecs: list[str]) -> list[tuple[str, int, str]]:
    """(path relative to root, line number, line) of every working-tree line holding this text."""
    result = _git(root, "grep", "-n", "-z", "-F", "--untracked", "-e", fixed_text, "--", *pathspecs, check=False)
    if result.returncode not in (0, 1):
        refuse(f"git grep 失败：{result.stderr.strip()}")
    found = []
    for row in result.stdout.splitlines():
        parts = row.split("\0", 2)
        if len(parts) == 3 and parts[1].isdigit():
            found.append((parts[0], int(parts[1]), parts[2]))
    return found
