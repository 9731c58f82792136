"""A crash or a fault loses nothing and leaves nothing stuck (issue 11).

tiandz is killed (SIGKILL: no clean-up runs) at each git call of a step's commit, by a fake `git` on PATH
that runs the real one and kills its parent, the tiandz process, before or after it. Whatever the instant,
the step is afterwards wholly there or wholly absent, `git status` is clean, `git fsck` finds nothing wrong
(a blob or commit of a step that died before HEAD moved is unreachable: dangling objects are accepted), and
the next step works, saying in Chinese what it finished or undid. A full disk is such a fault too.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ASSIGNED, ITEM, git

REAL_GIT = shutil.which("git")
CONTACT = ["contact", "J-15", "--by", "电话", "--date", "2024-04-01"]
AGAIN = ["contact", "J-15", "--by", "面商", "--date", "2024-04-02"]
ITEM_PATH = "2024/2024-J-015.yaml"

FAKE_GIT = """\
#!{python}
# Runs the real git, and kills the tiandz process that called it at one chosen call.
import os, subprocess, sys
arguments = sys.argv[1:]
rest = list(arguments)
while rest and rest[0] in ("-C", "-c"):
    rest = rest[2:]
subcommand = rest[0] if rest else ""
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(subcommand + ("(temporary index)" if "GIT_INDEX_FILE" in os.environ else "") + "\\n")
wanted, when = os.environ.get("FAKE_GIT_KILL", ":").split(":")
own_index = "GIT_INDEX_FILE" not in os.environ
chosen = subcommand == wanted.split("@")[0] and (not wanted.endswith("@real-index") or own_index)
if chosen and when == "before":
    os.kill(os.getppid(), 9)
    sys.exit(1)
code = subprocess.call([{real!r}, *arguments])
if chosen and when == "after":
    os.kill(os.getppid(), 9)
sys.exit(code)
"""


def run_tiandz(root: Path, tmp_path: Path, arguments: list[str], kill: str = "") -> subprocess.CompletedProcess:
    """`python -m tiandz …` with the fake git first on PATH; `kill` is "subcommand:before" or "subcommand:after"."""
    folder = tmp_path / "fake-git"
    folder.mkdir(exist_ok=True)
    fake = folder / "git"
    fake.write_text(FAKE_GIT.format(python=sys.executable, real=REAL_GIT, log=str(tmp_path / "git-calls.log")))
    fake.chmod(0o755)
    environment = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "TIANDZ_LEDGER": str(root),
                   "FAKE_GIT_KILL": kill or ":"}
    return subprocess.run([sys.executable, "-m", "tiandz", *arguments], env=environment, capture_output=True, text=True,
                          timeout=120)


def reference(ledger_dir, tmp_path: Path, runs: list[list[str]]) -> dict[str, bytes]:
    """The files of a copy of the ledger after these steps ran cleanly: what an interrupted ledger must equal."""
    copy = tmp_path / f"reference-{len(list(tmp_path.glob('reference-*')))}"
    shutil.copytree(ledger_dir.root, copy)
    for arguments in runs:
        assert run_tiandz(copy, tmp_path, arguments).returncode == 0
    return {path.relative_to(copy).as_posix(): path.read_bytes() for path in sorted((copy / "2024").iterdir())}


def files_of(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted((root / "2024").iterdir())}


def assert_whole(root: Path) -> None:
    """Nothing half done: no change outside a commit, git's objects sound, no step left in the state folder."""
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    fsck = subprocess.run(["git", "-C", str(root), "fsck", "--no-dangling"], capture_output=True, text=True)
    assert fsck.returncode == 0 and fsck.stdout == "", fsck.stdout + fsck.stderr
    assert not (root / ".git" / "tiandz" / "step").exists()


# (where tiandz dies, whether the step is there afterwards)
KILLS = [
    ("hash-object:before", False),
    ("commit-tree:before", False),
    ("commit-tree:after", False),
    ("update-ref:before", False),
    ("update-ref:after", True),
    ("update-index@real-index:before", True),  # the files are renamed into place: the next git call is the index
    ("update-index@real-index:after", True),
]


@pytest.mark.parametrize("kill, committed", KILLS, ids=[kill for kill, _ in KILLS])
def test_a_step_killed_at_any_instant_is_wholly_there_or_wholly_absent(ledger_dir, tmp_path, kill, committed):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    head = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    after_one = reference(ledger_dir, tmp_path, [CONTACT])
    after_two = reference(ledger_dir, tmp_path, [CONTACT, AGAIN] if committed else [AGAIN])

    killed = run_tiandz(ledger_dir.root, tmp_path, CONTACT, kill)
    assert killed.returncode == -9, killed.stderr
    now = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    if committed:  # HEAD moved: the commit holds the whole step, the file follows at recovery
        assert git(ledger_dir.root, "rev-parse", "HEAD~1").strip() == head
        assert git(ledger_dir.root, "show", f"HEAD:{ITEM_PATH}").encode() == after_one[ITEM_PATH]
        assert path.read_bytes() in (ASSIGNED.encode(), after_one[ITEM_PATH])
        check = run_tiandz(ledger_dir.root, tmp_path, ["check"])
        assert "上次的办理步骤中断了：沟通 2024-J-015" in check.stdout + check.stderr
    else:  # died before HEAD moved: not a byte changed
        assert now == head
        assert path.read_bytes() == ASSIGNED.encode()
        assert git(ledger_dir.root, "status", "--porcelain") == ""

    following = run_tiandz(ledger_dir.root, tmp_path, AGAIN)
    assert following.returncode == 0, following.stderr
    said = following.stdout + following.stderr
    assert ("上次的办理步骤中断了，已补完：沟通 2024-J-015" in said) if committed else ("已撤销" in said)
    assert files_of(ledger_dir.root) == after_two
    subjects = ledger_dir.log()
    assert [subject.split("：")[0] for subject in subjects] == (
        ["沟通 2024-J-015"] * (2 if committed else 1) + ["fixture", "init"]
    )
    assert_whole(ledger_dir.root)


@pytest.mark.parametrize("kill, committed", [("update-ref:before", False), ("update-index@real-index:before", True)])
def test_new_killed_registers_once_or_not_at_all(ledger_dir, tmp_path, kill, committed):
    new = ["new", "--type", "建议", "--title", "关于修缮校舍的建议", "--proposer", "张三", "--date", "2024-03-01"]
    killed = run_tiandz(ledger_dir.root, tmp_path, new, kill)
    assert killed.returncode == -9
    assert (ledger_dir.root / "2024" / "2024-J-001.yaml").exists() == committed
    again = run_tiandz(ledger_dir.root, tmp_path, [*new[:4], "关于另一件事的建议", *new[5:]])
    assert again.returncode == 0, again.stderr
    assert ("已补完：登记 2024-J-001" if committed else "已撤销") in again.stdout + again.stderr
    names = sorted(files_of(ledger_dir.root))
    assert names == (["2024/2024-J-001.yaml", "2024/2024-J-002.yaml"] if committed else ["2024/2024-J-001.yaml"])
    assert "关于另一件事的建议" in (ledger_dir.root / names[-1]).read_text(encoding="utf-8")
    assert len(ledger_dir.log()) == (3 if committed else 2)
    assert_whole(ledger_dir.root)


@pytest.mark.parametrize("kill, committed", [("commit-tree:before", False), ("update-ref:after", True)])
def test_import_killed_then_run_again_registers_every_row_exactly_once(ledger_dir, tmp_path, kill, committed):
    sheet = tmp_path / "清单.csv"
    sheet.write_text("标题,提出人\n关于修缮校舍的建议,张三\n关于公交线路的建议,李四\n", encoding="utf-8")
    command = ["import", str(sheet), "--type", "建议", "--date", "2024-03-01", "--submitted", "2024-01-20"]
    assert run_tiandz(ledger_dir.root, tmp_path, command, kill).returncode == -9
    again = run_tiandz(ledger_dir.root, tmp_path, command)
    if committed:  # finished by the retry, which then finds both rows registered, skips them and writes nothing
        assert again.returncode == 0 and "已登记为 2024-J-001" in again.stdout and "已补完：导入 清单.csv" in again.stdout
    else:
        assert again.returncode == 0, again.stderr
        assert "已撤销" in again.stdout + again.stderr
    assert sorted(files_of(ledger_dir.root)) == ["2024/2024-J-001.yaml", "2024/2024-J-002.yaml"]
    assert ledger_dir.log()[0] == "导入 清单.csv：登记 2 件"
    assert len(ledger_dir.log()) == 2
    assert_whole(ledger_dir.root)


def two_assigned_items(ledger_dir) -> tuple[Path, Path]:
    first = ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-001"))
    second = ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-002"))
    ledger_dir.commit_all()
    return first, second


ASSIGN = ["assign", "J-1", "J-2", "--lead", "教体局", "--date", "2024-03-20"]


def test_assign_of_two_killed_before_head_moves_changes_neither(ledger_dir, tmp_path):
    first, second = two_assigned_items(ledger_dir)
    before = files_of(ledger_dir.root)
    assert run_tiandz(ledger_dir.root, tmp_path, ASSIGN, "update-ref:before").returncode == -9
    assert files_of(ledger_dir.root) == before and ledger_dir.log()[0] == "fixture"
    assert run_tiandz(ledger_dir.root, tmp_path, ASSIGN).returncode == 0
    assert "交办:" in first.read_text(encoding="utf-8") and "交办:" in second.read_text(encoding="utf-8")
    assert_whole(ledger_dir.root)


def test_assign_of_two_failing_between_its_files_is_finished_by_the_next_command(ledger_dir, tmp_path, cli, monkeypatch):
    """The second rename fails (after the commit): the first file is in place, the second follows at recovery."""
    first, second = two_assigned_items(ledger_dir)
    expected = reference(ledger_dir, tmp_path, [ASSIGN])
    original = os.replace

    def second_rename_fails(source, target):
        if str(target).endswith("2024-J-002.yaml"):
            raise OSError(errno.EIO, "模拟的输入输出错误")
        return original(source, target)

    monkeypatch.setattr("tiandz.ledger.journal.os.replace", second_rename_fails)
    result = cli(*ASSIGN, "--ledger", ledger_dir.root)
    assert result.code == 1 and "本步已提交" in result.err and "2024/2024-J-002.yaml 未能写入" in result.err
    assert first.read_bytes() == expected["2024/2024-J-001.yaml"]
    assert second.read_bytes() == ITEM.replace("2024-J-015", "2024-J-002").encode()
    monkeypatch.setattr("tiandz.ledger.journal.os.replace", original)
    following = cli("contact", "J-2", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert following.code == 0, following.err
    assert "上次的办理步骤中断了，已补完：交办 2024-J-001、2024-J-002" in following.out
    assert first.read_bytes() == expected["2024/2024-J-001.yaml"]
    assert "沟通:" in second.read_text(encoding="utf-8") and "交办:" in second.read_text(encoding="utf-8")
    assert [subject.split(" ")[0] for subject in ledger_dir.log()] == ["沟通", "交办", "fixture", "init"]
    assert_whole(ledger_dir.root)


@pytest.mark.parametrize("failing_write", [1, 2, 3], ids=["first file", "second file", "journal"])
def test_a_full_disk_is_said_in_chinese_and_nothing_is_half_done(ledger_dir, cli, monkeypatch, failing_write):
    first, second = two_assigned_items(ledger_dir)
    before, head = files_of(ledger_dir.root), git(ledger_dir.root, "rev-parse", "HEAD")
    import tiandz.ledger.journal

    writes = []
    original = tiandz.ledger.journal.write_atomic

    def full_disk(path, data):
        writes.append(path)
        if len(writes) == failing_write:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return original(path, data)

    monkeypatch.setattr(tiandz.ledger.journal, "write_atomic", full_disk)
    result = cli(*ASSIGN, "--ledger", ledger_dir.root)
    assert result.code == 1 and "磁盘已满" in result.err and "本步未办理，台账未改动" in result.err
    assert "Traceback" not in result.err
    assert files_of(ledger_dir.root) == before and git(ledger_dir.root, "rev-parse", "HEAD") == head
    assert_whole(ledger_dir.root)
    monkeypatch.setattr(tiandz.ledger.journal, "write_atomic", original)
    assert cli(*ASSIGN, "--ledger", ledger_dir.root).code == 0
    assert_whole(ledger_dir.root)


def test_a_full_disk_outside_git_writes_neither_file(ledger_dir, cli, monkeypatch):
    first, second = two_assigned_items(ledger_dir)
    shutil.rmtree(ledger_dir.root / ".git")
    import tiandz.ledger.journal

    original = tiandz.ledger.journal.write_atomic
    calls = []

    def full_disk(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return original(path, data)

    monkeypatch.setattr(tiandz.ledger.journal, "write_atomic", full_disk)  # the writes without a commit
    result = cli(*ASSIGN, "--ledger", ledger_dir.root)
    assert result.code == 1 and "磁盘已满" in result.err
    assert "交办:" not in first.read_text(encoding="utf-8") and "交办:" not in second.read_text(encoding="utf-8")


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs (needs root and mount); skipped where it cannot be mounted."""
    place = tmp_path / "小磁盘"
    place.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(place)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield place
    subprocess.run(["umount", "-l", str(place)], check=False)


@pytest.mark.parametrize("room", [0, 1, 2, 3, 4, 6, 8, 12], ids=lambda pages: f"{pages} pages free")
def test_a_really_full_disk_leaves_the_step_wholly_there_or_wholly_absent(tiny_disk, tmp_path, room):
    """The disk fills at a different write of the step for each amount of room left."""
    root = tiny_disk / "台账"
    root.mkdir()
    from conftest import CONFIG, LedgerDir

    ledger = LedgerDir(root)
    ledger.write("tiandz.yaml", CONFIG)
    path = ledger.item(ASSIGNED)
    git(root, "init", "-q")
    git(root, "config", "user.name", "测试员")
    git(root, "config", "user.email", "clerk@example.org")
    ledger.commit_all("fixture")
    head = git(root, "rev-parse", "HEAD")
    after = reference(ledger, tmp_path, [CONTACT])[ITEM_PATH]
    filler = tiny_disk / "填满"
    with open(filler, "wb", buffering=0) as stream:
        try:
            while True:
                stream.write(b"\0" * 4096)
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - room * 4096))
    result = run_tiandz(root, tmp_path, CONTACT)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert path.read_bytes() == after and git(root, "rev-parse", "HEAD~1") == head
    else:
        assert "磁盘已满" in result.stderr, result.stderr
        assert path.read_bytes() == ASSIGNED.encode() and git(root, "rev-parse", "HEAD") == head
    filler.unlink()
    assert_whole(root)
    assert run_tiandz(root, tmp_path, AGAIN).returncode == 0
    assert "面商" in path.read_text(encoding="utf-8")
    assert_whole(root)


def test_a_step_runs_no_more_git_processes_than_before(ledger_dir, tmp_path):
    """Eight for a one-item step, as before the commit was made safe (see README, 速度)."""
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    assert run_tiandz(ledger_dir.root, tmp_path, CONTACT).returncode == 0
    calls = (tmp_path / "git-calls.log").read_text(encoding="utf-8").splitlines()
    assert len(calls) <= 8, calls
