"""The workflow at a terminal: each step changes the item file as spec/ledger.md writes it, and makes one
commit of that one file with a Chinese subject and the trailers Tiandz-Step and Tiandz-Item."""

from __future__ import annotations

import json

import yaml_rs
from conftest import ANSWERED, ASSIGNED, ITEM, git


def read(path) -> dict:
    return yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)


def last_commit(root) -> tuple[str, str, list[str]]:
    """(subject, full message, files touched) of HEAD."""
    message = git(root, "log", "-1", "--format=%B")
    files = git(root, "-c", "core.quotePath=false", "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split()
    return message.splitlines()[0], message, files


def test_assign_writes_the_assignment_with_its_due_date_and_commits_that_file(ledger_dir, cli):
    path = ledger_dir.item(ITEM)
    ledger_dir.commit_all()
    result = cli("assign", "J-15", "--lead", "教体局", "--co", "公安局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(path)["交办"] == {
        "日期": "2024-03-20",
        "方式": "会办",
        "主办": ["县教育和体育局"],
        "协办": ["县公安局"],
        "时限": "2024-06-20",
    }
    subject, message, files = last_commit(ledger_dir.root)
    assert subject == "交办 2024-J-015：主办 县教育和体育局，协办 县公安局，时限 2024-06-20，日期 2024-03-20"
    assert "Tiandz-Step: assign" in message and "Tiandz-Item: 2024-J-015" in message
    assert files == ["2024/2024-J-015.yaml"]
    assert "已交办 2024-J-015" in result.out and "时限 2024-06-20" in result.out


def test_the_diff_of_a_step_shows_only_the_change(ledger_dir, cli):
    commented = ITEM.replace("标题:", "# 代表本人要求重点督办\n标题:").replace("提出方式: 大会期间", "提出方式: '大会期间'")
    path = ledger_dir.item(commented)
    ledger_dir.commit_all()
    before = path.read_text(encoding="utf-8")
    assert cli("assign", "J-15", "--lead", "教体局", "--date", "2024-03-20", "--ledger", ledger_dir.root).code == 0
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before), "the lines before the new 交办 are kept byte for byte"
    assert after[len(before) :].startswith("交办:\n")


def test_several_items_are_assigned_in_one_commit(ledger_dir, cli):
    ledger_dir.item(ITEM)
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16"))
    ledger_dir.commit_all()
    result = cli("assign", "J-15", "J-16", "--lead", "教体局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    subject, message, files = last_commit(ledger_dir.root)
    assert subject.startswith("交办 2024-J-015、2024-J-016：")
    assert "Tiandz-Item: 2024-J-015, 2024-J-016" in message
    assert files == ["2024/2024-J-015.yaml", "2024/2024-J-016.yaml"]


def test_reassignment_needs_a_reason_and_keeps_the_old_assignment(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    refused = cli("assign", "J-15", "--lead", "交通局", "--date", "2024-03-25", "--ledger", ledger_dir.root)
    assert refused.code == 1 and "改办须写明理由" in refused.err
    result = cli("assign", "J-15", "--lead", "交通局", "--date", "2024-03-25", "--reason", "职责调整", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    data = read(path)
    assert data["改办"] == [{"日期": "2024-03-25", "原主办": ["县教育和体育局"], "理由": "职责调整"}]
    # The 改办 moves the units, not the dates: the item stays assigned from 03-20, by its original 时限
    # (ASSIGNED writes none: the one tiandz.yaml gives, 3 months, is written now).
    assert data["交办"]["主办"] == ["县交通运输局"] and data["交办"]["日期"] == "2024-03-20"
    assert data["交办"]["时限"] == "2024-06-20"
    assert last_commit(ledger_dir.root)[0].startswith("改办 2024-J-015：主办 县交通运输局")


def test_a_unit_returns_the_item_inside_its_window_and_it_waits_for_a_new_assignment(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    # 2024-03-20 is a Wednesday: 5 working days run to 2024-03-27.
    late = cli("return", "J-15", "--unit", "教体局", "--reason", "不属于本单位职责", "--date", "2024-03-28", "--ledger", ledger_dir.root)
    assert late.code == 1 and "已过退回期限" in late.err and "2024-03-27" in late.err
    result = cli(
        "return", "J-15", "--unit", "教体局", "--reason", "不属于本单位职责", "--suggest", "交通局",
        "--date", "2024-03-27", "--ledger", ledger_dir.root,
    )
    assert result.code == 0, result.err
    data = read(path)
    assert "交办" not in data
    assert data["改办"][0]["理由"] == "县教育和体育局申请退回：不属于本单位职责；建议改由县交通运输局办理"
    assert "待交办" in result.out
    assert cli("assign", "J-15", "--lead", "交通局", "--date", "2024-03-28", "--ledger", ledger_dir.root).code == 0


def test_extension_moves_the_due_date_but_never_past_the_longest_limit(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    too_far = cli("extend", "J-15", "--to", "2024-09-21", "--reason", "协调", "--date", "2024-06-01", "--ledger", ledger_dir.root)
    assert too_far.code == 1 and "超过最长时限 2024-09-20" in too_far.err
    result = cli("extend", "J-15", "--to", "2024-08-20", "--reason", "涉及跨部门协调", "--date", "2024-06-01", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(path)["延期"] == [{"日期": "2024-06-01", "至": "2024-08-20", "理由": "涉及跨部门协调"}]
    shown = cli("show", "J-15", "--ledger", ledger_dir.root)
    assert "2024-08-20" in shown.out


def answer_file(tmp_path, text="经研究，答复如下：\n一、已开展整治。\n"):
    path = tmp_path / "答复.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_reply_is_numbered_per_unit_and_year_and_takes_the_unit_defaults(ledger_dir, cli, tmp_path):
    other = ASSIGNED.replace("2024-J-015", "2024-J-016") + """\
沟通:
  - 日期: 2024-04-01
    方式: 电话
    单位: 县教育和体育局
答复:
  - 单位: 县教育和体育局
    日期: 2024-05-01
    类别: A
    文号: 教体函〔2024〕14号
    正文: 已办。
"""
    ledger_dir.item(other)
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    assert cli("contact", "J-15", "--by", "面商", "--person", "赵六", "--date", "2024-04-02", "--ledger", ledger_dir.root).code == 0
    result = cli(
        "reply", "J-15", "--category", "B", "--text-file", answer_file(tmp_path), "--date", "2024-06-01",
        "--promise", "2025年底前完成校门口交通设施改造@2025-12-31", "--ledger", ledger_dir.root,
    )
    assert result.code == 0, result.err
    reply = read(path)["答复"][0]
    assert reply["文号"] == "教体函〔2024〕15号"
    assert (reply["签发人"], reply["联系人"], reply["电话"]) == ("王五", "赵六", "0937-1234567")
    assert reply["正文"] == "经研究，答复如下：\n一、已开展整治。\n"
    assert reply["承诺"] == [{"事项": "2025年底前完成校门口交通设施改造", "期限": "2025-12-31", "完成": None}]
    assert "正文: |" in path.read_text(encoding="utf-8")
    assert last_commit(ledger_dir.root)[0] == "答复 2024-J-015：县教育和体育局，B类，教体函〔2024〕15号，日期 2024-06-01"
    assert "已答复" in result.out


def test_dissatisfied_feedback_reopens_the_item_and_the_next_answer_ends_it(ledger_dir, cli, tmp_path):
    path = ledger_dir.item(ANSWERED)
    ledger_dir.commit_all()
    result = cli("feedback", "J-15", "--result", "不满意", "--date", "2024-06-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "重新办理" in result.out and "2024-07-20" in result.out  # 2024-06-20 plus 1个月
    assert read(path)["评价"] == [{"日期": "2024-06-20", "评价人": "张三", "结果": "不满意"}]
    assert cli("close", "J-15", "--date", "2024-06-21", "--ledger", ledger_dir.root).code == 1
    assert cli("reply", "J-15", "--category", "A", "--text-file", answer_file(tmp_path), "--date", "2024-07-10", "--ledger", ledger_dir.root).code == 0
    assert cli("feedback", "J-15", "--result", "满意", "--date", "2024-07-15", "--ledger", ledger_dir.root).code == 0
    closed = cli("close", "J-15", "--date", "2024-07-16", "--ledger", ledger_dir.root)
    assert closed.code == 0, closed.err
    assert read(path)["办结"] == "2024-07-16"
    steps = git(ledger_dir.root, "log", "--format=%(trailers:key=Tiandz-Step,valueonly)").split()
    assert steps == ["close", "feedback", "reply", "feedback"]


def test_promises_are_marked_done_and_a_solved_item_converts_after_closing(ledger_dir, cli):
    closed = ANSWERED + """\
    承诺:
      - 事项: 2025年底前完成校门口交通设施改造
        期限: 2025-12-31
        完成: null
评价:
  - 日期: 2024-06-20
    结果: 满意
办结: 2024-07-01
"""
    path = ledger_dir.item(closed)
    ledger_dir.commit_all()
    assert cli("promise", "J-15", "--done", "2", "--date", "2024-10-01", "--ledger", ledger_dir.root).code == 1
    assert cli("promise", "J-15", "--done", "1", "--date", "2024-10-01", "--ledger", ledger_dir.root).code == 0
    assert read(path)["答复"][0]["承诺"][0]["完成"] == "2024-10-01"
    shown = cli("show", "J-15", "--ledger", ledger_dir.root).out
    assert "1. 2025年底前完成校门口交通设施改造（期限 2025-12-31，已完成 2024-10-01）" in shown
    result = cli("convert", "J-15", "--to", "a", "--note", "校门口交通设施改造已完成", "--date", "2024-10-02", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(path)["转化"] == [{"日期": "2024-10-02", "由": "B", "为": "A", "说明": "校门口交通设施改造已完成"}]
    assert last_commit(ledger_dir.root)[0] == "转化 2024-J-015：B→A，日期 2024-10-02"


def test_a_co_unit_writes_an_opinion_and_cannot_answer(ledger_dir, cli, tmp_path):
    path = ledger_dir.item(ASSIGNED.replace("方式: 单办", "方式: 会办") + "  协办: [县公安局]\n")
    ledger_dir.commit_all()
    text = answer_file(tmp_path, "建议增设警示标志。\n")
    refused = cli("reply", "J-15", "--unit", "公安局", "--category", "A", "--text-file", text, "--date", "2024-04-10", "--ledger", ledger_dir.root)
    assert refused.code == 1 and "协办单位写协办意见" in refused.err
    result = cli("opinion", "J-15", "--unit", "公安局", "--text-file", text, "--date", "2024-04-15", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(path)["协办意见"] == [{"单位": "县公安局", "日期": "2024-04-15", "内容": "建议增设警示标志。\n"}]


def test_no_commit_writes_the_file_and_the_next_step_commits_both_changes(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    commits = len(ledger_dir.log())
    assert cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--no-commit", "--ledger", ledger_dir.root).code == 0
    assert len(ledger_dir.log()) == commits and len(read(path)["沟通"]) == 1
    result = cli("contact", "J-15", "--by", "面商", "--date", "2024-04-02", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert len(ledger_dir.log()) == commits + 1
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_ledger_outside_git_works_without_commits_and_says_so_once(tmp_path, cli):
    from conftest import CONFIG

    root = tmp_path / "无git台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "2024" / "2024-J-015.yaml").write_text(ASSIGNED, encoding="utf-8")
    first = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", root)
    assert first.code == 0, first.err
    assert "不在 git 仓库中" in first.out
    second = cli("contact", "J-15", "--by", "面商", "--date", "2024-04-02", "--ledger", root)
    assert second.code == 0 and "不在 git 仓库中" not in second.out
    assert len(read(root / "2024" / "2024-J-015.yaml")["沟通"]) == 2


def test_an_assigned_item_past_its_due_date_is_listed_as_overdue(ledger_dir, cli):
    ledger_dir.item(ITEM)
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-016"))
    ledger_dir.commit_all()
    assert cli("assign", "J-15", "--lead", "教体局", "--date", "2024-03-20", "--ledger", ledger_dir.root).code == 0
    overdue = cli("list", "--overdue", "--json", "--ledger", ledger_dir.root)
    rows = json.loads(overdue.out)
    assert [(row["编号"], row["时限"], row["逾期"]) for row in rows] == [("2024-J-015", "2024-06-20", True)]
    assert cli("list", "--due-within", "30", "--json", "--ledger", ledger_dir.root).out.strip() == "[]"


def test_an_item_registered_without_a_commit_can_be_assigned_and_is_committed_then(ledger_dir, cli):
    registered = cli("new", "--type", "建议", "--title", "关于增设公交站点的建议", "--proposer", "张三", "--topic", "交通",
                     "--source", "大会期间", "--date", "2024-01-20", "--no-commit", "--ledger", ledger_dir.root)
    assert registered.code == 0, registered.err
    result = cli("assign", "J-1", "--lead", "交通局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert last_commit(ledger_dir.root)[2] == ["2024/2024-J-001.yaml"]
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_file_the_clerk_staged_is_left_staged_and_out_of_the_step_commit(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    notes = ledger_dir.write("notes/主要做法.md", "一、领导重视。\n")
    git(ledger_dir.root, "add", str(notes))
    assert cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root).code == 0
    assert last_commit(ledger_dir.root)[2] == ["2024/2024-J-015.yaml"]
    assert git(ledger_dir.root, "-c", "core.quotePath=false", "status", "--porcelain").splitlines() == ["A  notes/主要做法.md"]


def test_a_ledger_in_a_subfolder_of_a_larger_repository_commits_its_own_file(tmp_path, cli):
    from conftest import CONFIG

    repository = tmp_path / "办公室文件"
    root = repository / "建议提案" / "2024台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "2024" / "2024-J-015.yaml").write_text(ASSIGNED, encoding="utf-8")
    git(repository, "init", "-q")
    git(repository, "config", "user.name", "测试员")
    git(repository, "config", "user.email", "clerk@example.org")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "fixture")
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", root)
    assert result.code == 0, result.err
    assert last_commit(repository)[2] == ["建议提案/2024台账/2024/2024-J-015.yaml"]
    assert git(repository, "status", "--porcelain") == ""


def test_a_step_that_computes_a_date_in_a_year_no_calendar_knows_says_so(ledger_dir):
    import datetime as dt

    from conftest import CONFIG

    from tiandz.steps.assign import assign

    ledger_dir.write("tiandz.yaml", CONFIG + "时限:\n  答复: 10个工作日\n")
    ledger_dir.item(ITEM)
    ledger_dir.commit_all()
    outcome = assign(ledger_dir.ledger(), ["J-15"], leads=["教体局"], date="2099-01-05", today=dt.date(2099, 1, 5))
    assert outcome.done[0].due == dt.date(2099, 1, 19)  # Monday to Friday
    assert any("2099 年的法定节假日安排未知" in note for note in outcome.notes)
