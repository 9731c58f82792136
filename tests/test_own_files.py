"""tiandz.yaml, templates/ and notes/ are under git like the items: committed by `init` (or by the first step
once git knows an author), never left behind by a step, and counted by a report when they differ."""

from __future__ import annotations

import json

import pytest
from conftest import ASSIGNED, CONFIG, ITEM, git


@pytest.fixture
def nobody(monkeypatch, tmp_path):
    """A machine whose git names no author: no global or system config."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def test_init_commits_the_configuration_templates_and_notes(tmp_path, cli):
    result = cli("init", tmp_path / "台账", "--org", "某县人民政府办公室", "--year", "2024")
    assert result.code == 0, result.err
    root = tmp_path / "台账"
    assert git(root, "log", "--format=%s").splitlines() == ["新建台账"]
    assert "tiandz.yaml" in git(root, "ls-files").splitlines()
    assert git(root, "status", "--porcelain") == ""


def test_init_without_a_git_author_says_what_to_do_and_the_next_command_commits_the_configuration(tmp_path, cli, nobody):
    root = tmp_path / "台账"
    result = cli("init", root, "--org", "某县人民政府办公室", "--year", "2024")
    assert result.code == 0, result.err
    said = result.out + result.err
    assert "git config --global user.name" in said and "git config --global user.email" in said
    assert "新建台账" in said
    assert git(root, "ls-files") == ""
    (root / "notes").mkdir()
    (root / "notes" / "主要做法.md").write_text("一是……\n", encoding="utf-8")
    refused = cli("new", "--type", "建议", "--title", "关于增设路灯的建议", "--proposer", "张三",
                  "--date", "2024-01-20", "--ledger", root)
    assert refused.code == 1 and "user.name" in refused.err
    assert git(root, "ls-files") == "" and not list((root / "2024").iterdir())
    git(root, "config", "user.name", "测试员")
    git(root, "config", "user.email", "clerk@example.org")
    result = cli("new", "--type", "建议", "--title", "关于增设路灯的建议", "--proposer", "张三",
                 "--date", "2024-01-20", "--ledger", root)
    assert result.code == 0, result.err
    assert [line.split("：")[0] for line in git(root, "log", "--format=%s").splitlines()] == ["登记 2024-J-001", "新建台账"]
    tracked = git(root, "-c", "core.quotePath=false", "ls-files").splitlines()
    assert {"tiandz.yaml", ".gitignore", "notes/主要做法.md", "2024/2024-J-001.yaml"} <= set(tracked)
    assert git(root, "status", "--porcelain") == ""


NEW_UNIT = CONFIG + "  - 名称: 县水利局\n    简称: [水利局]\n"


def test_a_step_refuses_while_tiandz_yaml_has_uncommitted_changes(ledger_dir, cli):
    path = ledger_dir.item(ITEM)
    ledger_dir.commit_all()
    ledger_dir.write("tiandz.yaml", NEW_UNIT)
    result = cli("assign", "J-15", "--lead", "水利局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "tiandz.yaml" in result.err and "git commit" in result.err
    assert path.read_text(encoding="utf-8") == ITEM
    assert ledger_dir.log()[0] == "fixture"
    git(ledger_dir.root, "commit", "-q", "-m", "增加县水利局", "--", "tiandz.yaml")
    result = cli("assign", "J-15", "--lead", "水利局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert ledger_dir.log()[:2] == ["交办 2024-J-015：主办 县水利局，时限 2024-06-20，日期 2024-03-20", "增加县水利局"]


def test_new_refuses_too_while_tiandz_yaml_has_uncommitted_changes(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", NEW_UNIT)
    result = cli("new", "--type", "建议", "--title", "关于增设路灯的建议", "--proposer", "张三",
                 "--date", "2024-01-20", "--ledger", ledger_dir.root)
    assert result.code == 1 and "tiandz.yaml" in result.err
    assert not list((ledger_dir.root / "2024").iterdir()) and ledger_dir.log()[0] == "init"


def test_untracked_notes_count_as_uncommitted_in_the_report(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    ledger_dir.write("notes/主要做法.md", "一是……\n")
    result = cli("report", "--as-of", "2024-08-10", "--format", "json", "-o", "-", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert json.loads(result.out)["uncommitted"] == 1


def test_undo_and_edit_refuse_too_while_tiandz_yaml_has_uncommitted_changes(ledger_dir, cli, tmp_path, monkeypatch):
    """Their commits are judged by tiandz.yaml like a step's: the committed history must not outrun it."""
    path = ledger_dir.item(ITEM)
    ledger_dir.commit_all()
    assert cli("assign", "J-15", "--lead", "教体局", "--date", "2024-03-20", "--ledger", ledger_dir.root).code == 0
    assigned = path.read_bytes()
    ledger_dir.write("tiandz.yaml", NEW_UNIT)
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    opened = tmp_path / "editor-opened"
    monkeypatch.setenv("EDITOR", f"touch {opened}")
    monkeypatch.delenv("VISUAL", raising=False)

    undone = cli("undo", "J-15", "--reason", "主办录错", "--ledger", ledger_dir.root)
    edited = cli("edit", "J-15", "--reason", "改正", "--ledger", ledger_dir.root)

    for result in (undone, edited):
        assert result.code == 1 and "tiandz.yaml 有未提交的修改" in result.err
    assert not opened.exists()  # refused before the clerk spent time in the editor
    assert path.read_bytes() == assigned
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
