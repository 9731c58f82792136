"""Where letter, report and export write: names from the ledger stay file names, and -o overwrites nothing
it must not (git's folder, the ledger's own files, devices, pipes, links, folders that do not exist).

Every test makes the attack in tmp_path and asserts on the files afterwards: the target's bytes or kind
unchanged, nothing written, nothing created outside the ledger.
"""

from __future__ import annotations

import os
import stat

import pytest
from conftest import ANSWERED, CONFIG, ITEM

from tiandz.files.paths import safe_file_name

pytest.importorskip("docx")

ESCAPE = "../../../../../逃逸/x"  # from out/答复函/ up and out of tmp_path/台账


def run(cli, ledger_dir, command: str, target) -> object:
    """`command` with -o target: letter J-15, report as JSON, export."""
    arguments = {
        "letter": ("letter", "J-15"),
        "report": ("report", "--format", "json", "--as-of", "2024-12-31"),
        "export": ("export",),
    }[command]
    return cli(*arguments, "-o", target, "--ledger", ledger_dir.root)


def files_under(folder) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


@pytest.fixture
def answered(ledger_dir):
    ledger_dir.item(ANSWERED)
    ledger_dir.commit_all()
    return ledger_dir


# names from data


@pytest.mark.parametrize(
    "text, name",
    [
        ("2024-J-016-县教育和体育局.docx", "2024-J-016-县教育和体育局.docx"),  # Chinese stays
        ("2024-J-016-../../../tmp/x.docx", "2024-J-016-_tmp_x.docx"),
        ("..", "_"),
        ("a\\b/c", "a_b_c"),
        ('县<局>:"|?*.docx', "县_局_.docx"),
        ("县局\x00\n\t\x1b.docx", "县局_.docx"),
        ("县局\u202e.docx", "县局_.docx"),  # a right-to-left override would disguise the name
        ("县局. . ", "县局"),
        ("CON.docx", "_CON.docx"),
        ("nul", "_nul"),
        ("lpt1.xlsx", "_lpt1.xlsx"),
        (".git", "_git"),
        ("", "_"),
    ],
)
def test_a_name_from_data_becomes_one_plain_file_name(text, name):
    assert safe_file_name(text) == name


def test_a_very_long_name_keeps_its_extension_and_fits_a_file_system():
    name = safe_file_name("局" * 300 + ".docx")
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= 240


def test_a_unit_named_like_a_path_gets_its_letter_inside_the_letters_folder(ledger_dir, cli, tmp_path):
    config = CONFIG.replace("  - 名称: 县公安局\n", f"  - 名称: 县公安局\n  - 名称: \"{ESCAPE}\"\n")
    ledger_dir.write("tiandz.yaml", config)
    ledger_dir.item(
        ITEM
        + f"""\
交办:
  日期: 2024-03-20
  方式: 分办
  主办: [县教育和体育局, "{ESCAPE}"]
沟通:
  - 日期: 2024-04-02
    方式: 面商
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
    正文: 教体局的答复。
  - 单位: "{ESCAPE}"
    日期: 2024-06-03
    类别: B
    正文: 另一单位的答复。
"""
    )
    ledger_dir.commit_all()
    before = files_under(tmp_path)
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    letters = ledger_dir.root / "out" / "答复函"
    assert sorted(path.name for path in letters.iterdir()) == ["2024-J-015-_逃逸_x.docx", "2024-J-015-县教育和体育局.docx"]
    created = files_under(tmp_path) - before
    assert all(name.startswith("台账/out/答复函") or name in ("台账/out",) for name in created), created
    assert not (tmp_path / "逃逸").exists()


# -o: the ledger's own files and git's folder


@pytest.mark.parametrize("command", ["letter", "report", "export"])
@pytest.mark.parametrize(
    "relative",
    ["tiandz.yaml", "calendar.yaml", "2024/2024-J-015.yaml", ".git/config", ".git/hooks/pre-commit", "templates/答复函.j2"],
)
def test_o_never_overwrites_the_ledgers_own_files_or_git(answered, cli, command, relative):
    target = answered.root / relative
    if not target.exists():
        answered.write(relative, "2027:\n  放假: [2027-01-01]\n" if relative == "calendar.yaml" else "原有内容\n")
    before = target.read_bytes()
    result = run(cli, answered, command, target)
    assert result.code == 1
    assert "不写入" in result.err or "不能覆盖" in result.err or "不是文件夹" in result.err, result.err
    assert target.read_bytes() == before
    assert not (answered.root / "out").exists()


@pytest.mark.parametrize(
    "command, relative",
    [
        ("letter", "2024/2024-J-015.docx"),  # a new file, but in a year folder, where check would complain of it
        ("report", "2024/进展.json"),
        ("export", "2024/台账.xlsx"),
        ("report", ".git/进展.json"),
        ("export", ".git/hooks/post-checkout"),
        ("report", "notes/主要做法.md"),
    ],
)
def test_o_writes_no_new_file_into_a_year_folder_or_git(answered, cli, command, relative):
    target = answered.root / relative
    result = run(cli, answered, command, target)
    assert result.code == 1, result.out
    assert "-o" in result.err and ("不写入" in result.err)
    assert not target.exists()


def test_letters_to_a_year_folder_or_into_git_are_refused(answered, cli):
    for folder in (answered.root / "2024", answered.root / ".git" / "hooks"):
        before = files_under(folder)
        result = cli("letter", "--all", "-o", folder, "--ledger", answered.root)
        assert result.code == 1 and "不写入" in result.err
        assert files_under(folder) == before


def test_the_git_folder_of_a_worktree_is_guarded_too(answered, cli, tmp_path):
    """In a worktree .git is a file naming the real git folder; -o into that folder is refused all the same."""
    from conftest import git

    git(answered.root, "worktree", "add", "-q", str(tmp_path / "工作树"))
    worktree = tmp_path / "工作树"
    real = worktree.joinpath(".git").read_text(encoding="utf-8").split(":", 1)[1].strip()
    target = os.path.join(real, "进展.json")
    result = run(cli, type(answered)(worktree), "report", target)
    assert result.code == 1 and ".git" in result.err
    assert not os.path.exists(target)


# -o: what is not a regular file


@pytest.mark.parametrize("command, suffix", [("letter", ".docx"), ("report", ".json"), ("export", ".xlsx")])
def test_o_never_writes_over_a_pipe(answered, cli, tmp_path, command, suffix):
    pipe = tmp_path / f"管道{suffix}"
    os.mkfifo(pipe)
    result = run(cli, answered, command, pipe)
    assert result.code == 1
    assert "不是普通文件" in result.err and "管道" in result.err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


@pytest.mark.parametrize("command, suffix", [("report", ".json"), ("export", ".xlsx")])
def test_o_naming_a_folder_where_a_file_is_expected_is_refused(answered, cli, tmp_path, command, suffix):
    folder = tmp_path / f"文件夹{suffix}"
    folder.mkdir()
    result = run(cli, answered, command, folder)
    assert result.code == 1 and "不是普通文件" in result.err and "文件夹" in result.err
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_o_naming_a_device_is_refused_and_the_device_stays(answered, cli):
    null = "/dev/null"
    if not os.path.exists(null):
        pytest.skip("no /dev/null here")
    result = run(cli, answered, "report", null)
    assert result.code == 1 and "设备" in result.err
    assert stat.S_ISCHR(os.lstat(null).st_mode)


@pytest.mark.parametrize("command, suffix", [("letter", ".docx"), ("report", ".json"), ("export", ".xlsx")])
def test_o_never_writes_through_a_link(answered, cli, tmp_path, command, suffix):
    victim = tmp_path / "别人的文件.txt"
    victim.write_text("别人的内容\n", encoding="utf-8")
    link = tmp_path / f"链接{suffix}"
    link.symlink_to(victim)
    result = run(cli, answered, command, link)
    assert result.code == 1 and "符号链接" in result.err
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "别人的内容\n"


def test_a_letter_in_a_folder_given_by_o_is_not_written_through_a_link_standing_at_its_name(answered, cli, tmp_path):
    folder = tmp_path / "汇编"
    folder.mkdir()
    victim = tmp_path / "别人的文件.txt"
    victim.write_text("别人的内容\n", encoding="utf-8")
    (folder / "2024-J-015.docx").symlink_to(victim)
    result = cli("letter", "J-15", "-o", folder, "--ledger", answered.root)
    assert result.code == 1
    assert victim.read_text(encoding="utf-8") == "别人的内容\n" and (folder / "2024-J-015.docx").is_symlink()


# -o: folders that do not exist


@pytest.mark.parametrize("command, suffix", [("letter", ".docx"), ("report", ".json"), ("export", ".xlsx")])
def test_o_in_a_folder_that_does_not_exist_outside_the_ledger_is_refused(answered, cli, tmp_path, command, suffix):
    target = tmp_path / "没有的文件夹" / "更深" / f"文件{suffix}"
    result = run(cli, answered, command, target)
    assert result.code == 1 and "不存在" in result.err
    assert not (tmp_path / "没有的文件夹").exists()


@pytest.mark.parametrize("command, suffix", [("letter", ".docx"), ("report", ".json"), ("export", ".xlsx")])
def test_o_under_the_ledgers_out_folder_makes_the_folders_it_needs(answered, cli, command, suffix):
    target = answered.root / "out" / "2024年" / "十二月" / f"文件{suffix}"
    result = run(cli, answered, command, target)
    assert result.code == 0, result.err
    assert target.is_file() and target.stat().st_size > 0


# the default out/ folder


def test_an_out_folder_that_is_a_link_elsewhere_is_not_written_through(answered, cli, tmp_path):
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (answered.root / "out").symlink_to(elsewhere)
    for arguments in (("letter", "J-15"), ("report", "--format", "json"), ("export",)):
        result = cli(*arguments, "--ledger", answered.root)
        assert result.code == 1 and "链接" in result.err, arguments
    assert list(elsewhere.iterdir()) == []


def test_an_out_folder_linked_into_git_is_not_written_through(answered, cli):
    (answered.root / "out").symlink_to(answered.root / ".git")
    before = files_under(answered.root / ".git")
    for arguments in (("letter", "J-15"), ("report", "--format", "json"), ("export",)):
        assert cli(*arguments, "--ledger", answered.root).code == 1, arguments
    assert files_under(answered.root / ".git") == before


def test_a_link_standing_at_a_letters_default_name_is_not_written_through(answered, cli, tmp_path):
    victim = tmp_path / "别人的文件.txt"
    victim.write_text("别人的内容\n", encoding="utf-8")
    letters = answered.root / "out" / "答复函"
    letters.mkdir(parents=True)
    (letters / "2024-J-015.docx").symlink_to(victim)
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 1 and "链接" in result.err
    assert victim.read_text(encoding="utf-8") == "别人的内容\n"
