"""`tiandz sync` writes into the clone only what `git pull` would: plain files inside the work tree.

The server's commits come from anyone who can push (or from a server someone broke into): a path into
`.git` (a hook, run on the clerk's next commit), out of the clone (`..`), or a symlink is not written, and the
sync says so. A file left alone (edited by hand since) gets the server's index entry, so `git status` shows
the clerk's edit against the server's commit, not a staged undoing of it that `git commit` would record.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from clones import SHARED, Network, make_network
from conftest import git
from test_sync import sync

from tiandz.ledger import syncmove

HOOK = b"#!/bin/sh\ntouch \"$HOME/pwned\"\n"


@pytest.fixture
def network(ledger_dir, tmp_path) -> Network:
    return make_network(ledger_dir, tmp_path, SHARED)


def push_made_by_hand(server: Path, files: dict[str, tuple[str, bytes]]) -> str:
    """A commit on the server's master adding `files` (path: (mode, bytes)), its trees made with `git mktree`,
    which (unlike `git add` or `update-index`) takes any name: `.git`, `..`, `.GIT`."""
    tree: dict = {}
    for path, (mode, data) in files.items():
        folder = tree
        *parents, name = path.split("/")
        for part in parents:
            folder = folder.setdefault(part, {})
        folder[name] = (mode, git_input(server, "hash-object", "-w", "--stdin", data=data))
    listed = git(server, "ls-tree", "-z", "master").split("\0")
    top = "".join(line + "\0" for line in listed if line and line.split("\t", 1)[1] not in tree)
    commit = git_input(server, "commit-tree", "-p", "master", "-m", "服务器上的提交",
                       made_tree(server, tree, top))
    git(server, "update-ref", "refs/heads/master", commit)
    return commit


def made_tree(server: Path, tree: dict, kept: str = "") -> str:
    """A tree of `tree`'s files and folders (and `kept`: entries as `ls-tree -z` gives them), its id."""
    entries = kept
    for name, value in tree.items():
        if isinstance(value, dict):
            entries += f"040000 tree {made_tree(server, value)}\t{name}\0"
        else:
            entries += f"{value[0]} blob {value[1]}\t{name}\0"
    return git_input(server, "mktree", "-z", data=entries.encode("utf-8"))


def git_input(root: Path, *arguments: str, data: bytes = b"") -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], input=data, check=True, capture_output=True).stdout.decode().strip()


@pytest.mark.skipif(sys.platform == "win32", reason="`.GIT` and `.git` are one folder on Windows")
def test_a_server_commit_into_git_out_of_the_clone_or_with_a_symlink_is_not_written(network, tmp_path):
    clone = network.clone("one")
    hooks = sorted(path.name for path in (clone / ".git" / "hooks").iterdir())
    push_made_by_hand(network.server, {
        ".git/hooks/post-commit": ("100755", HOOK),
        ".GIT/hooks/post-commit": ("100755", HOOK),
        ".git. /hooks/post-commit": ("100755", HOOK),  # Windows drops the dot and space: `.git` again
        "../outside.txt": ("100644", b"outside\n"),
        "sub/../../escaped.txt": ("100644", b"escaped\n"),
        "link": ("120000", b"/etc/passwd"),
        "notes.txt": ("100644", b"plain\n"),
    })

    synced = sync(clone)

    assert git(clone, "rev-parse", "HEAD").strip() == network.head()
    assert sorted(path.name for path in (clone / ".git" / "hooks").iterdir()) == hooks
    assert not os.path.lexists(clone / ".GIT") and not os.path.lexists(clone / ".git. ")
    assert not os.path.lexists(tmp_path / "outside.txt") and not os.path.lexists(tmp_path / "escaped.txt")
    assert not os.path.lexists(clone / "sub")
    assert not os.path.lexists(clone / "link")
    assert (clone / "notes.txt").read_bytes() == b"plain\n"  # a plain file of the same commit is written
    said = "\n".join(synced.notes)
    assert "未写入" in said
    for path in (".git/hooks/post-commit", ".GIT/hooks/post-commit", ".git. /hooks/post-commit", "../outside.txt", "sub/../../escaped.txt", "link"):
        assert path in said
    index = git(clone, "ls-files", "-s").splitlines()
    assert not [line for line in index if line.split("\t")[1].lower().startswith((".git/", "..", "sub/"))]  # never in the index
    assert [line.split()[0] for line in index if line.endswith("\tlink")] == ["120000"]  # the commit's entry: not a staged removal


def notes_in_two_clones(network) -> tuple[Path, Path]:
    """Two clones that both have notes.txt ("first"), the second having pushed it."""
    clone, other = network.clone("one"), network.clone("other")
    (other / "notes.txt").write_bytes(b"first\n")
    git(other, "add", "notes.txt")
    git(other, "commit", "-q", "-m", "说明")
    git(other, "push", "-q", "origin", "HEAD")
    sync(clone)
    return clone, other


def notes_changed_on_the_server(other: Path) -> None:
    (other / "notes.txt").write_bytes(b"second\n")
    git(other, "commit", "-q", "-am", "说明改了")
    git(other, "push", "-q", "origin", "HEAD")


class Killed(BaseException):
    """A sync dying between moving the branch and writing the files (as a SIGKILL there would)."""


def test_a_file_edited_by_hand_after_a_sync_died_keeps_the_edit_against_the_server_commit(network, monkeypatch):
    clone, other = notes_in_two_clones(network)
    notes_changed_on_the_server(other)

    def dies(*arguments):
        raise Killed

    with monkeypatch.context() as patched:
        patched.setattr(syncmove, "_files", dies)
        with pytest.raises(Killed):
            sync(clone)
    assert git(clone, "rev-parse", "HEAD").strip() == network.head()  # the branch moved, the file did not
    (clone / "notes.txt").write_bytes(b"by hand\n")

    synced = sync(clone)

    assert "这些文件此后被手工改过，未更新：notes.txt" in "\n".join(synced.notes)
    assert (clone / "notes.txt").read_bytes() == b"by hand\n"
    assert git(clone, "rev-parse", "HEAD").strip() == network.head()
    assert git(clone, "status", "--porcelain", "--untracked-files=all") == " M notes.txt\n"
    assert git(clone, "diff", "--cached", "--name-only") == ""


def test_a_file_checked_out_with_crlf_is_brought_to_the_servers_commit(network):
    """With core.autocrlf (Git for Windows' default) the clone's files have CRLF where the blobs have LF: a file
    is compared as git compares it (hashed with its filters), not byte for byte, and is not taken for a hand
    edit."""
    clone, other = notes_in_two_clones(network)
    git(clone, "config", "core.autocrlf", "true")
    (clone / "notes.txt").unlink()
    git(clone, "checkout", "--", "notes.txt")
    assert (clone / "notes.txt").read_bytes() == b"first\r\n"  # as a checkout on Windows writes it
    notes_changed_on_the_server(other)

    synced = sync(clone)

    assert not [note for note in synced.notes if "未更新" in note], synced.notes
    assert (clone / "notes.txt").read_bytes().replace(b"\r\n", b"\n") == b"second\n"
    assert git(clone, "rev-parse", "HEAD").strip() == network.head()
    assert git(clone, "status", "--porcelain", "--untracked-files=all") == ""
