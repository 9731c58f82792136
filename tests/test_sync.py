"""`tiandz sync` (spec/offices.md, "Exchanging work"): clones of one ledger exchange work through a server.

The server is a bare repository in tmp_path; the clones are made by plain `git clone`. Each test asserts on
the files, HEAD, the server's branch, `git status` and `git log`, not only on what tiandz says.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from pathlib import Path

import pytest
from clones import ITEM_PATH, SHARED, Network, make_network
from conftest import ASSIGNED, CONFIG, CONTACTED, ITEM, git

from tiandz import api
from tiandz.core.problems import TiandzError
from tiandz.files.yamlio import parse
from tiandz.ledger.folder import Ledger
from tiandz.ledger.mergesetup import driver_registered, register_merge_driver

TODAY = dt.date(2024, 12, 31)


@pytest.fixture
def network(ledger_dir, tmp_path) -> Network:
    """A server (bare) holding the ledger with one item handled by two units."""
    return make_network(ledger_dir, tmp_path, SHARED)


def contact(root: Path, method: str, date: str, unit: str = "教体局") -> None:
    api.contact(Ledger(root), "J-15", method=method, unit=unit, date=date, today=TODAY)


def sync(root: Path) -> api.Synced:
    return api.sync_ledger(Ledger(root), today=TODAY)


def item(root: Path) -> dict:
    return parse((root / ITEM_PATH).read_text(encoding="utf-8"))


def state(root: Path) -> tuple[str, dict[str, bytes], str]:
    """HEAD, every file of the work tree, `git status`: what "the clone is exactly as before" compares."""
    files = {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
             if path.is_file() and ".git" not in path.relative_to(root).parts}
    return git(root, "rev-parse", "HEAD").strip(), files, git(root, "status", "--porcelain", "--untracked-files=all")


def assert_level(root: Path, network: Network) -> None:
    """The clone is the server's tip, clean, with a linear history."""
    assert git(root, "rev-parse", "HEAD").strip() == network.head()
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "rev-list", "--merges", "HEAD") == ""
    fsck = subprocess.run(["git", "-C", str(root), "fsck", "--no-dangling"], capture_output=True, text=True)
    assert fsck.returncode == 0 and fsck.stdout == "", fsck.stdout + fsck.stderr


def test_contacts_added_on_both_sides_are_all_kept_once(network):
    one, other = network.clone("one"), network.clone("other")
    contact(one, "电话", "2024-04-02")
    contact(other, "面商", "2024-04-03", unit="公安局")
    contact(other, "走访", "2024-04-01")
    assert sync(one).pushed == 1
    synced = sync(other)
    assert (synced.pulled, synced.pushed) == (1, 2)
    assert sync(one).pulled == 2
    for clone in (one, other):
        assert_level(clone, network)
        contacts = item(clone)["沟通"]
        assert sorted((c["日期"], c["方式"], c["单位"]) for c in contacts) == [
            ("2024-04-01", "走访", "县教育和体育局"),
            ("2024-04-02", "电话", "县教育和体育局"),
            ("2024-04-03", "面商", "县公安局"),
        ]
    assert (one / ITEM_PATH).read_bytes() == (other / ITEM_PATH).read_bytes()
    # each commit replayed with its own message, trailers and author
    log = git(one, "log", "--format=%an|%s|%(trailers:key=Tiandz-Step,valueonly,separator=)", "-3").splitlines()
    assert [line.split("|")[0] for line in log] == ["other", "other", "one"]
    assert all(line.endswith("|contact") and line.split("|")[1].startswith("沟通 2024-J-015") for line in log)


def test_the_same_contact_on_both_sides_is_kept_once(network):
    one, other = network.clone("one"), network.clone("other")
    contact(one, "电话", "2024-04-02")
    contact(other, "电话", "2024-04-02")
    sync(one)
    synced = sync(other)
    assert synced.pushed == 0  # its change is on the server already: no empty commit
    assert len(item(other)["沟通"]) == 1
    assert_level(other, network)


def test_a_field_changed_on_one_side_only_is_taken(network):
    one, other = network.clone("one"), network.clone("other")
    path = one / ITEM_PATH
    path.write_text(path.read_text(encoding="utf-8").replace("重点督办: false", "重点督办: true"), encoding="utf-8")
    git(one, "commit", "-q", "-am", "重点督办")
    sync(one)
    contact(other, "电话", "2024-04-02")
    sync(other)
    assert item(other)["重点督办"] is True and len(item(other)["沟通"]) == 1
    sync(one)
    assert (one / ITEM_PATH).read_bytes() == (other / ITEM_PATH).read_bytes()
    assert_level(one, network)


def test_a_field_changed_differently_on_both_sides_stops_and_leaves_the_clone_as_it_was(network):
    one, other = network.clone("one"), network.clone("other")
    for clone, title in ((one, "关于校园周边交通的建议"), (other, "关于校园周边治安的建议")):
        path = clone / ITEM_PATH
        path.write_text(path.read_text(encoding="utf-8").replace("关于加强校园周边环境综合治理的建议", title), encoding="utf-8")
        git(clone, "commit", "-q", "-am", "标题")
    contact(other, "电话", "2024-04-02")
    sync(one)
    server, before = network.head(), state(other)
    with pytest.raises(TiandzError) as raised:
        sync(other)
    said = "\n".join(f"{p.path} {p.field} {p.message} {p.hint}" for p in raised.value.problems)
    assert "2024-J-015" in said and "标题" in said and "关于校园周边交通的建议" in said
    assert "<<<<<<<" not in said
    assert state(other) == before
    assert network.head() == server
    assert not (other / ".git" / "tiandz" / "sync").exists()


def test_another_file_changed_on_both_sides_stops_naming_it(network):
    one, other = network.clone("one"), network.clone("other")
    for clone, text in ((one, "一"), (other, "二")):
        (clone / "notes").mkdir()
        (clone / "notes" / "readme.md").write_text(text, encoding="utf-8")
        git(clone, "add", "notes")
        git(clone, "commit", "-q", "-m", "说明")
    sync(one)
    before = state(other)
    with pytest.raises(TiandzError) as raised:
        sync(other)
    assert any(p.path == "notes/readme.md" and "只合并条目文件" in p.message for p in raised.value.problems)
    assert state(other) == before


def test_the_network_gone_keeps_the_local_commits(network):
    one = network.clone("one")
    contact(one, "电话", "2024-04-02")
    before, server = state(one), network.head()
    git(one, "remote", "set-url", "origin", str(network.tmp / "nowhere.git"))
    with pytest.raises(TiandzError) as raised:
        sync(one)
    message = raised.value.problems[0].message
    assert "连不上服务器" in message and "本地的提交都在" in message
    assert state(one) == before and network.head() == server
    git(one, "remote", "set-url", "origin", str(network.server))
    assert sync(one).pushed == 1
    assert_level(one, network)


def test_sync_refuses_uncommitted_hand_edits_in_item_files(network, cli):
    one = network.clone("one")
    (one / ITEM_PATH).write_text(CONTACTED, encoding="utf-8")
    result = cli("sync", "--ledger", str(one))
    assert result.code == 1 and "未提交的手工修改" in result.err
    assert "Traceback" not in result.err


def test_sync_refuses_a_ledger_without_a_server(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    result = cli("sync", "--ledger", str(ledger_dir.root))
    assert result.code == 1 and "没有服务器" in result.err


def test_sync_refuses_during_a_rebase(network):
    one = network.clone("one")
    (one / ".git" / "rebase-merge").mkdir()
    with pytest.raises(TiandzError, match="正在变基"):
        sync(one)


def test_sync_registers_the_merge_driver_and_a_plain_pull_rebase_agrees(network):
    one, other, third = network.clone("one"), network.clone("other"), network.clone("third")
    assert not driver_registered(other)
    contact(one, "电话", "2024-04-02")
    sync(one)
    contact(other, "面商", "2024-04-03", unit="公安局")
    contact(third, "面商", "2024-04-03", unit="公安局")
    assert register_merge_driver(other)
    subprocess.run(["git", "-C", str(other), "pull", "-q", "--rebase"], check=True, capture_output=True)
    sync(third)
    assert driver_registered(third)
    assert (other / ITEM_PATH).read_bytes() == (third / ITEM_PATH).read_bytes()
    assert "<<<<<<<" not in (other / ITEM_PATH).read_text(encoding="utf-8")


def test_someone_pushing_first_makes_sync_try_again(network, monkeypatch):
    from tiandz.ledger import remote

    one, other = network.clone("one"), network.clone("other")
    contact(one, "电话", "2024-04-02")
    contact(other, "面商", "2024-04-03", unit="公安局")
    real_push = remote.push
    raced = []

    def push_after_other(top, up, commit):
        if not raced:  # the other clone pushes between this fetch and this push
            raced.append(commit)
            sync(other)
        return real_push(top, up, commit)

    monkeypatch.setattr(remote, "push", push_after_other)
    synced = sync(one)
    assert synced.attempts == 2 and len(item(one)["沟通"]) == 2
    assert_level(one, network)


def test_check_warns_when_a_clone_has_no_merge_driver(network, cli):
    one = network.clone("one")
    past = time.time() - 60  # files younger than two seconds are never remembered: these are old
    for path in [*one.rglob("*.yaml")]:
        os.utime(path, (past, past))
    for _ in range(2):  # the second time too, when check's memo would answer
        result = cli("check", "--ledger", str(one))
        assert result.code == 0 and "尚未登记 tiandz 的条目合并程序" in result.out + result.err
        assert "tiandz sync" in result.out + result.err
    sync(one)
    result = cli("check", "--ledger", str(one))
    assert "合并程序" not in result.out + result.err


def test_a_ledger_inside_another_projects_repository_is_no_clone_to_warn_about(tmp_path, cli):
    # The example ledger in a clone of tiandz's own source: the repository has a remote, but the ledger is a
    # folder inside it, which the driver's attribute (year folders at the top) could never name.
    project = tmp_path / "项目"
    ledger = project / "examples" / "ledger"
    (ledger / "2024").mkdir(parents=True)
    (ledger / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (ledger / "2024" / "2024-J-015.yaml").write_text(ITEM, encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "项目")
    git(project, "remote", "add", "origin", str(tmp_path / "elsewhere.git"))
    result = cli("check", "--ledger", str(ledger))
    assert result.code == 0, result.out + result.err
    assert "合并程序" not in result.out + result.err


def test_a_push_the_server_refuses_is_said_with_the_servers_words_and_nothing_moves(network):
    one = network.clone("one")
    hook = network.server / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho '提交 abc 改了交办：单位不能改交办机关的字段' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    contact(one, "电话", "2024-04-02")
    before, server = state(one), network.head()
    with pytest.raises(TiandzError) as raised:
        sync(one)
    message = raised.value.problems[0].message
    assert "服务器拒绝了这次推送" in message and "单位不能改交办机关的字段" in message and "本地的提交都在" in message
    assert state(one) == before and network.head() == server


def test_a_pull_of_many_items_puts_every_file_in_place(ledger_dir, tmp_path):
    """From 50 files on, they are not fsynced one by one (one os.sync after them): all are in place all the same."""
    items = [ASSIGNED.replace("2024-J-015", f"2024-J-{number:03d}").replace("案号: 15", f"案号: {number}")
             for number in range(100, 160)]
    network = make_network(ledger_dir, tmp_path, *items)
    one, other = network.clone("one"), network.clone("other")
    for path in sorted((other / "2024").iterdir()):
        path.write_text(path.read_text(encoding="utf-8") + CONTACTED[len(ASSIGNED):], encoding="utf-8")
    git(other, "commit", "-q", "-am", "沟通")
    git(other, "push", "-q", "origin", "HEAD")
    assert sync(one).pulled == 1
    assert_level(one, network)
    assert {path.name: path.read_bytes() for path in (one / "2024").iterdir()} == {
        path.name: path.read_bytes() for path in (other / "2024").iterdir()}
    assert not list((one / "2024").glob(".*"))


def test_the_network_gone_at_the_push_keeps_the_local_commits(network):
    one, other = network.clone("one"), network.clone("other")
    contact(other, "面商", "2024-04-03", unit="公安局")
    sync(other)
    contact(one, "电话", "2024-04-02")
    git(one, "remote", "set-url", "--push", "origin", str(network.tmp / "nowhere.git"))  # fetch works, push does not
    before, server = state(one), network.head()
    with pytest.raises(TiandzError) as raised:
        sync(one)
    assert "连不上服务器" in raised.value.problems[0].message
    assert state(one) == before and network.head() == server
    assert not (one / ".git" / "tiandz" / "sync").exists()


def test_a_merge_commit_of_a_plain_git_pull_is_made_linear(network):
    one, other = network.clone("one"), network.clone("other")
    contact(other, "面商", "2024-04-03", unit="公安局")
    sync(other)
    contact(one, "电话", "2024-04-02")
    register_merge_driver(one)
    subprocess.run(["git", "-C", str(one), "pull", "-q", "--no-rebase", "--no-edit"], check=True, capture_output=True)
    assert git(one, "rev-list", "--merges", "HEAD") != ""
    synced = sync(one)
    assert (synced.pulled, synced.pushed) == (0, 1)
    assert_level(one, network)  # no merge commit reached the server
    assert len(item(one)["沟通"]) == 2
