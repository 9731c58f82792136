"""`tiandz todo`: each office's own list (spec/offices.md, "Each office's own view").

One small ledger as of 2024-06-25 (a Tuesday), `--within 7`:

- J-15: 主办 教体局, 协办 公安局, 时限 06-30, nobody has done anything: 教体局 owes a contact and an answer
  (5 days left), 公安局 a contact and its opinion (due a month after the 交办, 04-20: overdue);
- J-16: 主办 教体局, contacted, 时限 05-31: the answer is 25 days overdue;
- J-17: 主办 公安局, answered with a promise due 06-10 and not done, no 评价 yet;
- J-18: 主办 教体局, contacted, 时限 09-30, a 延期申请 of 教体局 not decided yet, and an older 退回申请 refused;
- J-19: 主办 教体局, answered, rated 不满意 on 05-20: 重新办理, due a month later (06-20), 5 days overdue;
- J-20: 主办 县交通局, 协办 教体局 who gave its opinion: nothing for 教体局; 交通局 owes an answer due 12-31.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import pytest
from conftest import ITEM, git

from tiandz import api
from tiandz.ledger.role import UNIT, Role, write_role

TODAY = dt.date(2024, 6, 25)


def item(number: int, rest: str, title: str | None = None) -> str:
    text = ITEM.replace("2024-J-015", f"2024-J-{number:03d}").replace("案号: 15", f"案号: {number}")
    if title:
        text = text.replace("关于加强校园周边环境综合治理的建议", title)
    return text + rest


ITEMS = {
    15: """\
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公安局]
  时限: 2024-06-30
""",
    16: """\
交办:
  日期: 2024-03-20
  主办: [县教育和体育局]
  时限: 2024-05-31
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县教育和体育局
""",
    17: """\
交办:
  日期: 2024-03-20
  主办: [县公安局]
  时限: 2024-06-30
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县公安局
答复:
  - 单位: 县公安局
    日期: 2024-06-01
    类别: B
    正文: 已办。
    承诺:
      - 事项: 增设护学岗
        期限: 2024-06-10
      - 事项: 安装信号灯
        期限: 2024-09-30
""",
    18: """\
交办:
  日期: 2024-03-20
  主办: [县教育和体育局]
  时限: 2024-09-30
申请:
  - 类型: 退回
    单位: 县教育和体育局
    日期: 2024-03-22
    理由: 不属于本单位职责。
    建议单位: [县交通运输局]
    处理: 不同意
    处理日期: 2024-03-25
    处理意见: 属于教育系统职责。
  - 类型: 延期
    单位: 县教育和体育局
    日期: 2024-06-20
    理由: 需等待年度预算。
    至: 2024-09-15
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县教育和体育局
""",
    19: """\
交办:
  日期: 2024-03-20
  主办: [县教育和体育局]
  时限: 2024-06-30
沟通:
  - 日期: 2024-04-01
    方式: 面商
    单位: 县教育和体育局
答复:
  - 单位: 县教育和体育局
    日期: 2024-05-01
    类别: B
    正文: 已办。
评价:
  - 日期: 2024-05-20
    结果: 不满意
""",
    20: """\
交办:
  日期: 2024-06-03
  方式: 会办
  主办: [县交通运输局]
  协办: [县教育和体育局]
  时限: 2024-12-31
协办意见:
  - 单位: 县教育和体育局
    日期: 2024-06-10
    内容: 同意主办单位意见。
沟通:
  - 日期: 2024-06-04
    方式: 电话
    单位: 县教育和体育局
""",
}


@pytest.fixture
def book(ledger_dir):
    for number, rest in ITEMS.items():
        ledger_dir.item(item(number, rest, f"第{number}号建议"))
    ledger_dir.commit_all("items")
    assert [problem.format() for problem in api.check_ledger(ledger_dir.ledger(), today=TODAY)] == []
    return ledger_dir


def as_unit(book, unit: str = "县教体局") -> None:
    """A unit's clone: a remote and the unit in the clone's git config (as `tiandz clone --unit` leaves it)."""
    git(book.root, "remote", "add", "origin", str(book.root.parent / "server.git"))
    write_role(book.root, Role(UNIT, unit))


def ids(tasks) -> list[str]:
    return [task["编号"] for task in tasks]


def test_a_unit_sees_its_own_work_overdue_first_and_its_requests(book):
    as_unit(book)
    result = api.todo(book.ledger(), today=TODAY).to_json()
    assert result["身份"] == "承办单位" and result["单位"] == "县教育和体育局"
    assert "待处理的申请" not in result  # the office's list is not a unit's
    assert ids(result["待沟通"]) == ["2024-J-015"]
    answers = result["待答复"]
    assert ids(answers) == ["2024-J-016", "2024-J-019", "2024-J-015", "2024-J-018"]  # by due date: overdue first
    assert [(task["时限"], task["剩余天数"], task["逾期"], task["临期"]) for task in answers] == [
        ("2024-05-31", -25, True, False),
        ("2024-06-20", -5, True, False),  # 重新办理: a month from the 不满意
        ("2024-06-30", 5, False, True),
        ("2024-09-30", 97, False, False),
    ]
    assert [task["重新办理"] for task in answers] == [False, True, False, False]
    assert result["待提协办意见"] == []  # J-20's opinion was given
    assert result["待机关处理的申请"] == [{
        "编号": "2024-J-018", "标题": "第18号建议", "类型": "延期", "单位": "县教育和体育局", "日期": "2024-06-20",
        "至": "2024-09-15", "建议单位": [], "已等天数": 5,
    }]  # the refused 退回申请 is decided: not waiting
    assert result["逾期未完成的承诺"] == []


def test_a_co_unit_owes_its_opinion_by_the_opinion_limit_and_a_first_contact(book):
    as_unit(book, "县公安局")
    result = api.todo(book.ledger(), today=TODAY).to_json()
    assert [(task["编号"], task["承办"], task["时限"], task["剩余天数"]) for task in result["待提协办意见"]] == [
        ("2024-J-015", "协办", "2024-04-20", -66),  # 时限.协办意见 1个月 from the 交办
    ]
    assert [(task["编号"], task["时限"]) for task in result["待沟通"]] == [("2024-J-015", "2024-04-20")]
    assert result["待答复"] == []  # J-17 is answered
    assert [(promise["编号"], promise["事项"], promise["逾期天数"]) for promise in result["逾期未完成的承诺"]] == [
        ("2024-J-017", "增设护学岗", 15),  # the one due 09-30 is not late yet
    ]


def test_the_office_sees_requests_to_decide_lateness_by_unit_and_answers_waiting_for_a_rating(book):
    result = api.todo(book.ledger(), today=TODAY).to_json()
    assert result["身份"] == "交办机关（单机台账）"  # no remote, no role: the office alone
    assert "单位" not in result
    assert [(request["编号"], request["类型"], request["单位"]) for request in result["待处理的申请"]] == [
        ("2024-J-018", "延期", "县教育和体育局"),
    ]
    overdue = result["逾期（按单位）"]
    assert list(overdue) == ["县教育和体育局", "县公安局"]  # in tiandz.yaml's order
    assert [(task["编号"], task["事项"]) for task in overdue["县教育和体育局"]] == [("2024-J-016", "答复"), ("2024-J-019", "答复")]
    assert [(task["编号"], task["事项"]) for task in overdue["县公安局"]] == [("2024-J-015", "协办意见")]
    assert {unit: ids(tasks) for unit, tasks in result["临期（按单位）"].items()} == {"县教育和体育局": ["2024-J-015"]}
    assert [(entry["编号"], entry["单位"], entry["已等天数"]) for entry in result["待评价的答复"]] == [
        ("2024-J-017", ["县公安局"], 24),
    ]
    assert ids(result["逾期未完成的承诺"]) == ["2024-J-017"]


def test_within_widens_what_is_due_soon(book):
    result = api.todo(book.ledger(), within=100, today=TODAY).to_json()
    assert {unit: ids(tasks) for unit, tasks in result["临期（按单位）"].items()} == {
        "县教育和体育局": ["2024-J-015", "2024-J-018"],
    }


def test_the_office_sees_a_units_list_as_the_unit_would(book):
    office = api.todo(book.ledger(), unit="教体局", today=TODAY).to_json()
    as_unit(book)
    unit = api.todo(book.ledger(), today=TODAY).to_json()
    assert office.pop("身份") == "交办机关（单机台账）" and unit.pop("身份") == "承办单位"
    assert office == unit


def test_an_answer_rated_and_a_promise_done_leave_the_office_list(book):
    text = (book.root / "2024" / "2024-J-017.yaml").read_text(encoding="utf-8")
    text = text.replace("        期限: 2024-06-10\n", "        期限: 2024-06-10\n        完成: 2024-06-09\n")
    text += "评价:\n  - 日期: 2024-06-20\n    结果: 满意\n"
    (book.root / "2024" / "2024-J-017.yaml").write_text(text, encoding="utf-8")
    result = api.todo(book.ledger(), today=TODAY).to_json()
    assert result["待评价的答复"] == [] and result["逾期未完成的承诺"] == []


def test_the_cached_facts_give_the_same_list(book):
    """The second run reads the 协办意见 and 申请 back from the scan cache, not the files."""
    past = time.time() - 3600
    for path in (book.root / "2024").iterdir():
        os.utime(path, (past, past))
    first = api.todo(book.ledger(), unit="教体局", today=TODAY).to_json()
    facts = json.loads((book.ledger().state_folder / "scan-facts.json").read_text(encoding="utf-8").split("\n", 1)[-1])
    assert "2024-09-15" in json.dumps(facts)  # J-18's 延期申请 is in the cache
    again = api.todo(book.ledger(), unit="教体局", today=TODAY).to_json()
    assert again == first
    assert ids(again["待提协办意见"]) == [] and ids(again["待机关处理的申请"]) == ["2024-J-018"]


def test_an_unknown_unit_is_refused_with_a_hint(book, cli):
    result = cli("todo", "--unit", "教育局", "--ledger", book.root)
    assert result.code == 1
    assert "--unit" in result.err and "不是承办单位" in result.err and "县教育和体育局" in result.err
    as_unit(book, "县教育局")
    result = cli("todo", "--ledger", book.root)
    assert result.code == 1 and "tiandz.unit" in result.err and "tiandz whoami --unit" in result.err


def test_the_command_prints_every_section_and_says_when_one_is_empty(book, cli):
    as_unit(book)
    result = cli("todo", "--ledger", book.root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("县教育和体育局的待办（")
    assert "待沟通（1）" in lines and "待答复（4）" in lines and "待机关处理的申请（1）" in lines
    assert "待提协办意见：无" in lines and "逾期未完成的承诺：无" in lines
    answer_lines = [line for line in lines if line.startswith("  2024-J-0")]
    assert [line.split()[0] for line in answer_lines[1:5]] == ["2024-J-016", "2024-J-019", "2024-J-015", "2024-J-018"]
    assert "延期至 2024-09-15" in result.out and "重新办理" in result.out
    assert git(book.root, "status", "--porcelain") == ""  # reading only


def test_the_office_command_and_its_json(book, cli):
    result = cli("todo", "--json", "--ledger", book.root)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    today = dt.date.today()
    assert data["日期"] == today.isoformat()
    assert data["逾期（按单位）"]["县教育和体育局"][0]["剩余天数"] == (dt.date(2024, 5, 31) - today).days
    text = cli("todo", "--ledger", book.root).out
    assert text.splitlines()[0].startswith("交办机关的待办（")
    assert "逾期未办（按单位）（3 个单位）" in text  # today every item is late, J-20's 交通局 too
    assert "待评价的答复（1）" in text and "待处理的申请（1）" in text


def test_a_negative_within_is_refused(book, cli):
    result = cli("todo", "--within", "-1", "--ledger", book.root)
    assert result.code == 1 and "--within" in result.err


def test_an_office_clone_and_a_clone_of_unknown_role_get_the_office_list(book, cli):
    git(book.root, "remote", "add", "origin", str(book.root.parent / "server.git"))
    result = cli("todo", "--ledger", book.root)
    assert result.code == 0 and result.out.startswith("交办机关的待办（")
    assert "本克隆未登记身份" in result.err and "tiandz whoami --unit" in result.err
    git(book.root, "config", "tiandz.office", "true")
    result = cli("todo", "--json", "--ledger", book.root)
    assert json.loads(result.out)["身份"] == "交办机关" and result.err == ""


def test_a_broken_file_is_left_out_and_counted(book, cli):
    book.write("2024/2024-J-021.yaml", "编号: 2024-J-021\n类型: 建议\n")
    result = cli("todo", "--ledger", book.root)
    assert result.code == 0
    assert "2024-J-021" not in result.out
    assert "台账有 3 个错误" in result.err and "tiandz check" in result.err  # 标题, 提出人, 提出日期 missing
    assert json.loads(cli("todo", "--json", "--ledger", book.root).out)["问题数"] == 3
