"""`tiandz log`: an item's history as git recorded it, told field by field, oldest first.

The commits are made here by hand in the form the step commands write them (a Chinese subject, then the
`Tiandz-Step` and `Tiandz-Item` trailers), so these tests do not depend on the step commands.
"""

from __future__ import annotations

import json

import pytest
from conftest import ASSIGNED, CONFIG, ITEM, git, ledger_in_a_subfolder

from tiandz.core.changes import ADDED, CHANGED, REMOVED, Change, compare
from tiandz.core.problems import TiandzError
from tiandz.ledger.folder import Ledger
from tiandz.ledger.history import item_history

LONG_TEXT = "您提出的关于加强校园周边环境综合治理的建议收悉，我局高度重视，会同县公安局、县市场监督管理局进行了认真研究。" * 3
DUE = "  时限: 2024-06-20\n"
REPLY = f"""\
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
    文号: 教体函〔2024〕15号
    公开: 主动公开
    正文: |
      {LONG_TEXT}
"""


def commit(root, message: str, date: str = "2024-03-20T09:15:00+08:00") -> None:
    git(root, "add", "--all", "2024")
    git(root, "commit", "-q", "--date", date, "-m", message)


def step(name: str, subject: str, items: str = "2024-J-015") -> str:
    return f"{subject}\n\nTiandz-Step: {name}\nTiandz-Item: {items}"


@pytest.fixture
def assigned(ledger_dir):
    """An item registered on 1月22日 and assigned on 3月20日, each by its step."""
    ledger_dir.item(ITEM)
    commit(ledger_dir.root, step("new", "登记 2024-J-015：关于加强校园周边环境综合治理的建议"), "2024-01-22T10:02:00+08:00")
    ledger_dir.item(ASSIGNED + DUE)
    commit(ledger_dir.root, step("assign", "交办 2024-J-015：主办 县教育和体育局，时限 2024-06-20"))
    return ledger_dir


def test_each_commit_is_one_entry_oldest_first_with_date_author_and_step_in_chinese(assigned, cli):
    history = item_history(assigned.ledger(), "J-15")

    assert history.item_id == "2024-J-015" and history.path == "2024/2024-J-015.yaml"
    assert [entry.step for entry in history.entries] == ["new", "assign"]
    assert [entry.step_name for entry in history.entries] == ["登记", "交办"]
    first, second = history.entries
    assert first.author == "测试员" and f"{first.when:%Y-%m-%d %H:%M}" == "2024-01-22 10:02"
    assert first.created and first.field_count == 12 and first.changes == []
    assert second.changes == [
        Change(ADDED, "交办.日期", None, "2024-03-20"),
        Change(ADDED, "交办.方式", None, "单办"),
        Change(ADDED, "交办.主办", None, "县教育和体育局"),
        Change(ADDED, "交办.时限", None, "2024-06-20"),
    ]

    result = cli("log", "J-15", "--ledger", assigned.root)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "2024-J-015 的办理记录（2024/2024-J-015.yaml，2 次提交，从早到晚）"
    assert lines[2:] == [
        "2024-01-22 10:02  测试员  登记 2024-J-015：关于加强校园周边环境综合治理的建议",
        "    新建（12 个字段）",
        "2024-03-20 09:15  测试员  交办 2024-J-015：主办 县教育和体育局，时限 2024-06-20",
        "    新增 交办.日期：2024-03-20",
        "    新增 交办.方式：单办",
        "    新增 交办.主办：县教育和体育局",
        "    新增 交办.时限：2024-06-20",
    ]


def test_a_changed_field_is_shown_with_its_old_and_new_value(assigned, cli):
    assigned.item(ASSIGNED + DUE + "延期:\n  - 日期: 2024-06-10\n    至: 2024-08-20\n    理由: 涉及跨部门协调\n")
    commit(assigned.root, step("extend", "延期 2024-J-015：至 2024-08-20"), "2024-06-10T16:40:00+08:00")
    text = (ASSIGNED + DUE).replace("主办: [县教育和体育局]", "主办: [县交通运输局]")
    assigned.item(text.replace("  日期: 2024-03-20", "  日期: 2024-03-25"))
    commit(assigned.root, step("assign", "交办 2024-J-015：改办 县交通运输局"), "2024-06-11T08:00:00+08:00")

    extend, reassign = item_history(assigned.ledger(), "J-15").entries[2:]
    assert extend.changes == [Change(ADDED, "延期[1]", None, "日期 2024-06-10，至 2024-08-20，理由 涉及跨部门协调")]
    assert reassign.changes == [
        Change(CHANGED, "交办.日期", "2024-03-20", "2024-03-25"),
        Change(CHANGED, "交办.主办", "县教育和体育局", "县交通运输局"),
        Change(REMOVED, "延期[1]", "日期 2024-06-10，至 2024-08-20，理由 涉及跨部门协调", None),
    ]
    out = cli("log", "J-15", "--ledger", assigned.root).out
    assert "    修改 交办.主办：县教育和体育局 → 县交通运输局\n" in out
    assert "2024-06-10 16:40  测试员  延期 2024-J-015：至 2024-08-20\n    新增 延期[1]：日期 2024-06-10，至 2024-08-20" in out


def test_a_commit_without_the_step_trailer_is_a_hand_edit_shown_with_its_subject(assigned, cli):
    assigned.item((ASSIGNED + DUE).replace("提出日期: 2024-01-20", "提出日期: 2024-01-19"))
    commit(assigned.root, "改正提出日期\n\n按原件核对", "2024-04-02T11:30:00+08:00")

    hand = item_history(assigned.ledger(), "J-15").entries[-1]
    assert hand.step is None and hand.step_name == "手工修改"
    assert hand.changes == [Change(CHANGED, "提出日期", "2024-01-20", "2024-01-19")]
    out = cli("log", "J-15", "--ledger", assigned.root).out
    assert out.endswith(
        "2024-04-02 11:30  测试员  手工修改：改正提出日期\n    修改 提出日期：2024-01-20 → 2024-01-19\n"
    )


def test_a_new_reply_is_one_line_and_long_texts_are_shortened_never_shown_whole(assigned, cli):
    assigned.item(ASSIGNED + DUE + REPLY)
    commit(assigned.root, step("reply", "答复 2024-J-015：县教育和体育局，A类，教体函〔2024〕15号"), "2024-06-01T14:03:00+08:00")
    # The text changes only near its end: the opening alone would show two equal values.
    assigned.item(ASSIGNED + DUE + REPLY.replace(LONG_TEXT, LONG_TEXT[:-6] + "进行了研究。"))
    commit(assigned.root, "改正答复正文的错字", "2024-06-02T09:00:00+08:00")

    reply, fix = item_history(assigned.ledger(), "J-15").entries[2:]
    assert [(change.action, change.field) for change in reply.changes] == [(ADDED, "答复[1]")]
    assert reply.changes[0].new.startswith("单位 县教育和体育局，日期 2024-06-01，类别 A，文号 教体函〔2024〕15号，")
    assert reply.changes[0].new.endswith("正文 " + LONG_TEXT[:30] + "…")
    [change] = fix.changes
    assert change.field == "答复[1].正文" and change.old != change.new
    assert change.old.startswith("…") and "认真研究" in change.old and "认真研究" not in change.new
    assert len(change.old) <= 32 and len(change.new) <= 32

    out = cli("log", "J-15", "--ledger", assigned.root).out
    assert LONG_TEXT[:30] + "…" in out
    assert LONG_TEXT[:40] not in out


def test_a_commit_of_several_items_appears_in_the_history_of_each_and_other_items_commits_do_not(assigned, cli):
    other = ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16")
    assigned.item(other)
    commit(assigned.root, step("new", "登记 2024-J-016：另一件", "2024-J-016"))
    assigned.item(other + "交办:\n  日期: 2024-03-21\n  方式: 单办\n  主办: [县公安局]\n")
    assigned.item(ASSIGNED + "  时限: 2024-07-20\n")
    commit(assigned.root, step("assign", "交办 2 件：主办 县公安局", "2024-J-015, 2024-J-016"), "2024-03-21T10:00:00+08:00")

    fifteen = item_history(assigned.ledger(), "J-15")
    sixteen = item_history(assigned.ledger(), "J-16")
    assert [entry.subject for entry in fifteen.entries][-1] == "交办 2 件：主办 县公安局"
    assert "登记 2024-J-016：另一件" not in [entry.subject for entry in fifteen.entries]
    assert [entry.subject for entry in sixteen.entries] == ["登记 2024-J-016：另一件", "交办 2 件：主办 县公安局"]
    assert fifteen.entries[-1].changes == [Change(CHANGED, "交办.时限", "2024-06-20", "2024-07-20")]


def test_json_output_is_parseable_and_carries_the_same_history(assigned, cli):
    result = cli("log", "J-15", "--json", "--ledger", assigned.root)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["编号"] == "2024-J-015" and data["文件"] == "2024/2024-J-015.yaml"
    assert data["未提交的修改"] is None
    first, second = data["记录"]
    assert (first["步骤"], first["步骤名"], first["新建"], first["字段数"]) == ("new", "登记", True, 12)
    assert first["时间"] == "2024-01-22T10:02:00+08:00" and first["提交人"] == "测试员"
    assert len(first["提交"]) >= 40
    assert second["变化"][-1] == {"操作": "新增", "字段": "交办.时限", "原值": None, "新值": "2024-06-20"}


def test_a_version_that_cannot_be_parsed_is_noted_and_the_repair_is_compared_with_the_last_good_one(assigned, cli):
    assigned.item(ASSIGNED + DUE + "协办: [县公安局\n")
    commit(assigned.root, "加协办", "2024-03-22T09:00:00+08:00")
    assigned.item(ASSIGNED + DUE + "  协办: [县公安局]\n")
    commit(assigned.root, "改正格式", "2024-03-22T09:05:00+08:00")

    broken, repaired = item_history(assigned.ledger(), "J-15").entries[2:]
    assert broken.note == "文件无法解析" and broken.changes == []
    assert repaired.note == "上一版文件无法解析，与 2024-03-20 09:15 的版本比较"
    assert repaired.changes == [Change(ADDED, "交办.协办", None, "县公安局")]
    result = cli("log", "J-15", "--ledger", assigned.root)
    assert result.code == 0 and "手工修改：加协办\n    （文件无法解析）\n" in result.out


def test_a_commit_that_changes_only_comments_or_layout_changes_no_field(assigned, cli):
    assigned.item("# 手工加的注释\n" + (ASSIGNED + DUE).replace("联名: [李四, 王五]", "联名:\n  - 李四\n  - 王五"))
    commit(assigned.root, "整理格式", "2024-03-23T09:00:00+08:00")

    assert item_history(assigned.ledger(), "J-15").entries[-1].changes == []
    assert cli("log", "J-15", "--ledger", assigned.root).out.endswith("手工修改：整理格式\n    （内容未变：只改了格式或注释）\n")


def test_uncommitted_changes_end_the_log_with_the_command_that_shows_them(assigned, cli):
    path = assigned.item(ASSIGNED + "  时限: 2024-06-30\n")
    assert item_history(assigned.ledger(), "J-15").see_uncommitted == "git diff 2024/2024-J-015.yaml"
    out = cli("log", "J-15", "--ledger", assigned.root).out
    assert out.endswith("\n有未提交的修改：用 git diff 2024/2024-J-015.yaml 查看（在台账目录中运行）\n")

    # Once staged, plain `git diff` shows nothing: the hint says where the change is.
    git(assigned.root, "add", str(path))
    assert item_history(assigned.ledger(), "J-15").see_uncommitted == "git diff --cached 2024/2024-J-015.yaml"
    git(assigned.root, "commit", "-q", "-m", "手工改时限")
    assert item_history(assigned.ledger(), "J-15").see_uncommitted is None
    assert "有未提交的修改" not in cli("log", "J-15", "--ledger", assigned.root).out


def test_an_item_never_committed_has_no_history_yet_which_is_an_answer_not_an_error(ledger_dir, cli):
    ledger_dir.item(ITEM)

    history = item_history(ledger_dir.ledger(), "J-15")
    assert history.entries == []
    result = cli("log", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 0
    assert result.out.startswith("2024-J-015 还没有提交到 git，尚无办理记录")
    assert json.loads(cli("log", "J-15", "--json", "--ledger", ledger_dir.root).out)["记录"] == []


def test_a_ledger_outside_git_is_refused_because_it_has_no_history(tmp_path, cli):
    root = tmp_path / "无git台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "2024" / "2024-J-015.yaml").write_text(ITEM, encoding="utf-8")

    with pytest.raises(TiandzError, match="不在 git 仓库中"):
        item_history(Ledger(root), "J-15")
    result = cli("log", "J-15", "--ledger", root)
    assert result.code == 1
    assert "台账不在 git 仓库中，没有办理记录可查" in result.err and "Traceback" not in result.err
    assert result.out == ""


def test_an_unknown_or_malformed_id_is_refused_in_chinese(assigned, cli):
    missing = cli("log", "J-99", "--ledger", assigned.root)
    assert missing.code == 1 and "找不到 2024-J-099" in missing.err
    bad = cli("log", "../../etc/passwd", "--ledger", assigned.root)
    assert bad.code == 1 and "不是编号" in bad.err and "Traceback" not in bad.err


def test_a_renamed_file_keeps_its_history(ledger_dir, cli):
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-051"))
    commit(ledger_dir.root, step("new", "登记 2024-J-051：关于加强校园周边环境综合治理的建议", "2024-J-051"))
    git(ledger_dir.root, "mv", "2024/2024-J-051.yaml", "2024/2024-J-015.yaml")
    ledger_dir.item(ITEM)
    commit(ledger_dir.root, "编号录错，改为 2024-J-015", "2024-03-21T09:00:00+08:00")

    entries = item_history(ledger_dir.ledger(), "J-15").entries
    assert [entry.subject for entry in entries] == ["登记 2024-J-051：关于加强校园周边环境综合治理的建议", "编号录错，改为 2024-J-015"]
    assert entries[1].note == "文件改名：2024/2024-J-051.yaml → 2024/2024-J-015.yaml"
    assert entries[1].changes == [Change(CHANGED, "编号", "2024-J-051", "2024-J-015")]


def test_a_ledger_in_a_subfolder_of_a_larger_repository_works_the_same(tmp_path, cli):
    repository, root = ledger_in_a_subfolder(tmp_path)
    (root / "2024" / "2024-J-015.yaml").write_text(ITEM, encoding="utf-8")
    git(repository, "add", "--all")
    git(repository, "commit", "-q", "-m", step("new", "登记 2024-J-015：关于加强校园周边环境综合治理的建议"))
    git(repository, "mv", "提案台账/2024/2024-J-015.yaml", "提案台账/2024/2024-J-016.yaml")
    git(repository, "commit", "-q", "-m", "试改编号")
    git(repository, "mv", "提案台账/2024/2024-J-016.yaml", "提案台账/2024/2024-J-015.yaml")
    git(repository, "commit", "-q", "-m", "改回编号")
    (root / "2024" / "2024-J-015.yaml").write_text(ASSIGNED, encoding="utf-8")

    history = item_history(Ledger(root), "J-15")
    assert history.path == "2024/2024-J-015.yaml"
    assert [entry.step_name for entry in history.entries] == ["登记", "手工修改", "手工修改"]
    # Paths are named from the ledger, not from the top of the repository.
    assert history.entries[-1].note == "文件改名：2024/2024-J-016.yaml → 2024/2024-J-015.yaml"
    assert history.see_uncommitted == "git diff 2024/2024-J-015.yaml"


def test_entries_of_a_list_are_matched_by_content_so_an_inserted_entry_is_one_addition():
    contact = {"日期": "2024-04-02", "方式": "电话", "单位": "县教育和体育局"}
    late = {"日期": "2024-03-25", "方式": "面商", "单位": "县教育和体育局"}
    later = {"日期": "2024-05-02", "方式": "走访", "单位": "县教育和体育局"}

    assert compare({"沟通": [contact, later]}, {"沟通": [late, contact, later]}) == [
        Change(ADDED, "沟通[1]", None, "日期 2024-03-25，方式 面商，单位 县教育和体育局")
    ]
    assert compare({"沟通": [contact]}, {"沟通": [{**contact, "人员": "赵六"}]}) == [
        Change(ADDED, "沟通[1].人员", None, "赵六")
    ]
    assert compare({"联名": ["李四", "王五"]}, {}) == [Change(REMOVED, "联名", "李四、王五", None)]
    assert compare({"重点督办": False}, {"重点督办": True}) == [Change(CHANGED, "重点督办", "false", "true")]
