"""Shared fixtures: a real ledger in tmp_path under a real git repository, and the CLI run in-process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

TODAY = dt.date(2024, 12, 31)

CONFIG = """\
机关: 某县人民政府办公室
年度: 2024
届次:
  建议: 县十六届人大三次会议
  提案: 县十三届政协三次会议
承办单位:
  - 名称: 县教育和体育局
    简称: [教体局, 县教体局]
    文号: 教体函
    签发人: 王五
    联系人: 赵六
    电话: 0937-1234567
  - 名称: 县公安局
    简称: [公安局]
  - 名称: 县市场监督管理局
    简称: [县市场监管局, 市场监管局]
  - 名称: 县交通运输局
    简称: [县交通局, 交通局]
"""

ITEM = """\
编号: 2024-J-015
类型: 建议
届次: 县十六届人大三次会议
案号: 15
标题: 关于加强校园周边环境综合治理的建议
提出人: 张三
联名: [李四, 王五]
提出方式: 大会期间
提出日期: 2024-01-20
领域: 教育
重点督办: false
内容: |
  校园周边交通秩序混乱。
"""

# ITEM is lines 1-13; an assignment appended to it is lines 14-17.
ASSIGNED = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 单办
  主办: [县教育和体育局]
"""

# The assigned item after its lead unit's phone call (lines 18-22) and its answer of class B (lines 23-28).
CONTACTED = ASSIGNED + """\
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县教育和体育局
"""
ANSWERED = CONTACTED + """\
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: B
    正文: 已办。
"""


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True, text=True).stdout


@dataclass
class LedgerDir:
    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def item(self, text: str, name: str | None = None) -> Path:
        """Write an item file; its name comes from the 编号 line unless given."""
        text = textwrap.dedent(text)
        if name is None:
            first = next(line for line in text.splitlines() if line.startswith("编号:"))
            name = first.split(":", 1)[1].strip()
        return self.write(f"{name[:4]}/{name}.yaml", text)

    def commit_all(self, message: str = "fixture") -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message)

    def log(self) -> list[str]:
        return git(self.root, "log", "--format=%s").splitlines()

    def ledger(self):
        from tiandz.ledger.folder import Ledger

        return Ledger(self.root)


def new_ledger(root: Path) -> LedgerDir:
    """A ledger with the test configuration and no items, under git with one commit, at `root`."""
    root.mkdir(parents=True)
    directory = LedgerDir(root)
    directory.write("tiandz.yaml", CONFIG)
    directory.write(".gitignore", "out/\n.tiandz/\n")
    (root / "2024").mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.name", "测试员")
    git(root, "config", "user.email", "clerk@example.org")
    directory.commit_all("init")
    return directory


def ledger_in_a_subfolder(tmp_path: Path) -> tuple[Path, Path]:
    """(repository, ledger): a ledger with no items in a folder of a larger git repository (an office's own)."""
    repository = tmp_path / "办公室"
    root = repository / "提案台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    git(repository, "init", "-q")
    git(repository, "config", "user.name", "测试员")
    git(repository, "config", "user.email", "clerk@example.org")
    return repository, root


@pytest.fixture
def ledger_dir(tmp_path: Path) -> LedgerDir:
    return new_ledger(tmp_path / "台账")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `tiandz ARGS…` in this process, as a clerk would type it; returns exit code and output."""
    from tiandz.cli.main import run

    def invoke(*arguments: str, cwd: Path | None = None) -> Result:
        monkeypatch.setattr(sys, "argv", ["tiandz", *map(str, arguments)])
        monkeypatch.delenv("TIANDZ_LEDGER", raising=False)
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = 0
        try:
            run()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("TIANDZ_DEBUG", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _git_identity(tmp_path_factory):
    """A committer for the repositories tiandz makes itself (`init`), where no test sets one.

    On a machine whose git names nobody (a fresh CI runner, an empty HOME) tiandz rightly refuses to commit, so
    the tests get a global config of their own: the user's global config, included, then a user. It is global,
    not GIT_AUTHOR_NAME: tiandz asks `git config` for the identity, and a repository's own user (测试员) must win.
    """
    outside = tmp_path_factory.mktemp("no-repository")
    found = subprocess.run(
        ["git", "config", "--get-regexp", r"^user\.(name|email)$"], cwd=outside, capture_output=True, text=True
    ).stdout
    if {line.split(" ", 1)[0] for line in found.splitlines() if line.partition(" ")[2].strip()} >= {"user.name", "user.email"}:
        yield
        return
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    included = "".join(f"\tpath = {path.as_posix()}\n" for path in (Path.home() / ".gitconfig", xdg / "git" / "config"))
    config = outside / "gitconfig"
    config.write_text(f"[include]\n{included}[user]\n\tname = 测试员\n\temail = clerk@example.org\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", str(config))
        yield


def hold_the_lock(root: Path) -> subprocess.Popen:
    """Another tiandz process holding the ledger's write lock until it is killed (it never lets go by itself)."""
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom tiandz.ledger.folder import Ledger\nfrom tiandz.ledger.lock import writing\n"
        "with writing(Ledger(Path(sys.argv[1])).state_folder):\n    print('held', flush=True)\n    time.sleep(120)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script, str(root)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder
