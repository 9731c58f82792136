"""`tiandz key`: 重点督办 marked or lifted after registration, as a step (one commit, Tiandz-Step: key),
and the report's key count follows."""

from __future__ import annotations

import json

import yaml
from conftest import ITEM, git


def read(path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def key_count(cli, ledger_dir) -> int:
    result = cli("report", "--format", "json", "-o", "-", "--as-of", "2024-08-10", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    return json.loads(result.out)["key"]


def two_items(ledger_dir):
    first = ledger_dir.item(ITEM)
    second = ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16").replace("校园周边", "农村公路"))
    ledger_dir.commit_all()
    return first, second


def test_marking_two_items_is_one_commit_and_the_report_counts_them(ledger_dir, cli):
    first, second = two_items(ledger_dir)
    assert key_count(cli, ledger_dir) == 0
    result = cli("key", "J-15", "J-16", "--leader", "李副县长", "--reason", "县政府常务会议确定", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    for path in (first, second):
        data = read(path)
        assert data["重点督办"] == "true" and data["督办领导"] == "李副县长"
    assert list(read(first)).index("督办领导") == list(read(first)).index("重点督办") + 1  # where ledger.md puts it
    message = git(ledger_dir.root, "log", "-1", "--format=%s%n%b")
    assert message.startswith("重点督办 2024-J-015、2024-J-016：督办领导 李副县长，县政府常务会议确定")
    assert "Tiandz-Step: key" in message and "Tiandz-Item: 2024-J-015, 2024-J-016" in message
    assert git(ledger_dir.root, "show", "--name-only", "--format=", "HEAD").split() == ["2024/2024-J-015.yaml", "2024/2024-J-016.yaml"]
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert key_count(cli, ledger_dir) == 2


def test_lifting_drops_the_leader_and_the_report_stops_counting_it(ledger_dir, cli):
    first, _ = two_items(ledger_dir)
    assert cli("key", "J-15", "J-16", "--leader", "李副县长", "--ledger", ledger_dir.root).code == 0
    result = cli("key", "J-15", "--off", "--reason", "已列入县重点项目", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    data = read(first)
    assert data["重点督办"] == "false" and "督办领导" not in data
    message = git(ledger_dir.root, "log", "-1", "--format=%s%n%b")
    assert message.startswith("取消重点督办 2024-J-015：已列入县重点项目") and "Tiandz-Step: key" in message
    assert key_count(cli, ledger_dir) == 1
    log = cli("log", "J-15", "--ledger", ledger_dir.root)
    assert log.code == 0 and "取消重点督办" in log.out


def test_marking_what_is_marked_or_lifting_what_is_not_changes_nothing(ledger_dir, cli):
    first, second = two_items(ledger_dir)
    assert cli("key", "J-15", "--ledger", ledger_dir.root).code == 0
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    before = [first.read_bytes(), second.read_bytes()]
    again = cli("key", "J-15", "J-16", "--ledger", ledger_dir.root)
    assert again.code == 1 and "2024-J-015 已是重点督办件，没有变化" in again.err
    lifted = cli("key", "J-16", "--off", "--ledger", ledger_dir.root)
    assert lifted.code == 1 and "2024-J-016 不是重点督办件" in lifted.err
    assert [first.read_bytes(), second.read_bytes()] == before
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    changed = cli("key", "J-15", "--leader", "王县长", "--ledger", ledger_dir.root)
    assert changed.code == 0, changed.err
    assert read(first)["督办领导"] == "王县长"


def test_an_item_file_without_the_key_field_gets_it_where_it_belongs(ledger_dir, cli):
    path = ledger_dir.item(ITEM.replace("重点督办: false\n", ""))
    ledger_dir.commit_all()
    assert cli("key", "J-15", "--ledger", ledger_dir.root).code == 0
    keys = list(read(path))
    assert keys.index("重点督办") == keys.index("领域") + 1
    assert cli("check", "--ledger", ledger_dir.root).code == 0
