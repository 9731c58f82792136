"""`tiandz sync` killed (SIGKILL: no clean-up runs) at each of its git calls, one after another.

A fake `git` first on PATH counts tiandz's git calls and kills tiandz before the Nth one (or after the last).
Whatever the instant, the clone's HEAD is its old commit or the synced one, the server's branch is its old
tip or the pushed one, and the next `tiandz sync` brings the clone level with the server, saying so when it
finished a move a dead sync left: every event there once, `git status` clean, `git fsck` sound.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clones import ITEM_PATH, SHARED, Network, make_network
from conftest import git
from test_sync import contact

from tiandz.files.yamlio import parse

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a shell script as git, and kill -9")

REAL_GIT = shutil.which("git")
# Counts only the calls tiandz makes itself (git's own children, e.g. of a push, are not tiandz's calls).
FAKE_GIT = """\
#!/bin/sh
if grep -q tiandz /proc/$PPID/cmdline 2>/dev/null; then
  n=$(( $(cat "$FAKE_GIT_COUNTER" 2>/dev/null || echo 0) + 1 ))
  echo $n > "$FAKE_GIT_COUNTER"
  if [ "$n" = "$FAKE_GIT_KILL_AT" ] && [ "$FAKE_GIT_WHEN" = before ]; then kill -9 $PPID; exit 1; fi
  "{real}" "$@"; code=$?
  if [ "$n" = "$FAKE_GIT_KILL_AT" ] && [ "$FAKE_GIT_WHEN" = after ]; then kill -9 $PPID; fi
  exit $code
fi
exec "{real}" "$@"
"""


def run_sync(root: Path, fake: Path, kill_at: int = 0, when: str = "before") -> subprocess.CompletedProcess:
    counter = fake / "counter"
    counter.unlink(missing_ok=True)
    environment = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}", "TIANDZ_LEDGER": str(root),
                   "FAKE_GIT_COUNTER": str(counter), "FAKE_GIT_KILL_AT": str(kill_at), "FAKE_GIT_WHEN": when}
    return subprocess.run([sys.executable, "-m", "tiandz", "sync"], env=environment, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def network(ledger_dir, tmp_path) -> Network:
    return make_network(ledger_dir, tmp_path, SHARED)


def test_a_sync_killed_at_any_git_call_leaves_the_clone_before_or_after(network, tmp_path):
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("the fake git tells tiandz's calls by /proc")
    fake = tmp_path / "fake-git"
    fake.mkdir()
    (fake / "git").write_text(FAKE_GIT.format(real=REAL_GIT))
    (fake / "git").chmod(0o755)
    one, other = network.clone("one"), network.clone("other")
    contact(other, "面商", "2024-04-03", unit="公安局")
    git(other, "push", "-q", "origin", "HEAD")
    contact(one, "电话", "2024-04-02")  # the item changed on both sides: replayed with a merge
    start = tmp_path / "start"
    start.mkdir()
    for name in ("server.git", "one"):
        shutil.copytree(tmp_path / name, start / name)

    def fresh(name: str) -> tuple[Path, Network]:
        place = tmp_path / name
        shutil.copytree(start, place)
        git(place / "one", "remote", "set-url", "origin", str(place / "server.git"))
        return place / "one", Network(place / "server.git", place)

    clean, clean_network = fresh("clean")
    assert run_sync(clean, fake).returncode == 0
    calls = int((fake / "counter").read_text())
    expected = (clean / ITEM_PATH).read_bytes()
    assert sorted(c["方式"] for c in parse(expected.decode("utf-8"))["沟通"]) == ["电话", "面商"]
    local, server = git(start / "one", "rev-parse", "HEAD").strip(), git(start / "server.git", "rev-parse", "master").strip()
    before = (start / "one" / ITEM_PATH).read_bytes()

    kills = [(n, "before") for n in range(1, calls + 1)] + [(calls, "after")]
    finished = 0
    for n, when in kills:
        clone, net = fresh(f"kill-{n}-{when}")
        killed = run_sync(clone, fake, n, when)
        assert killed.returncode == -9, (n, killed.stdout + killed.stderr)
        head = git(clone, "rev-parse", "HEAD").strip()
        assert net.head() in (server, head if head != local else net.head()), n
        if head == local:  # the branch did not move: not a file changed
            assert (clone / ITEM_PATH).read_bytes() == before, n
            assert git(clone, "status", "--porcelain", "--untracked-files=all") == "", n
        else:  # moved: to what the server has, with the merged item committed
            assert head == net.head(), n
            assert git(clone, "show", f"HEAD:{ITEM_PATH}").encode() == expected, n
            assert (clone / ITEM_PATH).read_bytes() in (before, expected), n
        left = (clone / ".git" / "tiandz" / "sync" / "journal.json").exists()
        again = run_sync(clone, fake)
        assert again.returncode == 0, (n, again.stdout + again.stderr)
        if left:
            finished += 1
            assert "上次的同步中断了，已补完" in again.stdout + again.stderr, n
        assert (clone / ITEM_PATH).read_bytes() == expected, n
        assert git(clone, "rev-parse", "HEAD").strip() == net.head(), n
        assert git(clone, "status", "--porcelain", "--untracked-files=all") == "", n
        assert git(clone, "rev-list", "--count", "HEAD") == git(clean, "rev-list", "--count", "HEAD"), n
        fsck = subprocess.run(["git", "-C", str(clone), "fsck", "--no-dangling"], capture_output=True, text=True)
        assert fsck.returncode == 0 and fsck.stdout == "", (n, fsck.stdout + fsck.stderr)
        assert not (clone / ".git" / "tiandz" / "sync").exists(), n
        shutil.rmtree(clone.parent)
    assert finished >= 1  # some kill fell between the branch's move and the files'
