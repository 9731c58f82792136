"""A real year's rules at the step commands (issue 12): 分办 rated per unit, 办后回访, late answers, what a
转化 is, promises with their dates, and event lists kept in date order when a step is back-dated."""

from __future__ import annotations

import json

import yaml_rs
from conftest import ANSWERED, ASSIGNED, CONTACTED, ITEM, git


def read(path) -> dict:
    return yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)


def report_json(cli, ledger_dir, as_of: str) -> dict:
    result = cli("report", "--format", "json", "-o", "-", "--as-of", as_of, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def head(ledger_dir) -> str:
    return git(ledger_dir.root, "rev-parse", "HEAD").strip()


def refused_unchanged(ledger_dir, path, result) -> None:
    """A refusal: exit 1, the file not touched, no commit, nothing left uncommitted."""
    assert result.code == 1
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert path.read_text(encoding="utf-8") == path.read_bytes().decode("utf-8")


# --- 逾期答复 and dates that conflict ---------------------------------------------------------------------


def test_an_answer_after_its_due_date_is_recorded_with_a_warning_and_counted_late(ledger_dir, cli, tmp_path):
    path = ledger_dir.item(CONTACTED)  # assigned 2024-03-20, due three months later: 2024-06-20
    ledger_dir.commit_all()
    (tmp_path / "答复.txt").write_text("经研究，答复如下：……\n", encoding="utf-8")
    result = cli("reply", "J-15", "--category", "B", "--text-file", tmp_path / "答复.txt", "--date", "2024-07-01",
                 "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "逾期答复" in result.out and "时限 2024-06-20" in result.out and "晚 11 天" in result.out
    assert read(path)["答复"][0]["日期"] == "2024-07-01"
    assert ledger_dir.log()[0].startswith("答复 2024-J-015")
    data = report_json(cli, ledger_dir, "2024-08-10")
    assert (data["answered"], data["answered_on_time"]) == (1, 0)
    assert data["units"][0]["on_time"] == 0


def test_an_answer_dated_before_the_contact_names_both_dates(ledger_dir, cli, tmp_path):
    path = ledger_dir.item(CONTACTED)  # the phone call was on 2024-04-02
    ledger_dir.commit_all()
    before = head(ledger_dir)
    (tmp_path / "答复.txt").write_text("经研究，答复如下：……\n", encoding="utf-8")
    result = cli("reply", "J-15", "--category", "B", "--text-file", tmp_path / "答复.txt", "--date", "2024-03-25",
                 "--ledger", ledger_dir.root)
    refused_unchanged(ledger_dir, path, result)
    assert "答复日期 2024-03-25 早于沟通日期 2024-04-02" in result.err
    assert "尚未与提出人沟通" not in result.err
    assert head(ledger_dir) == before and "答复" not in read(path)


# --- 承诺 with their dates -------------------------------------------------------------------------------


def test_a_promise_without_its_date_is_refused_with_the_form_to_use(ledger_dir, cli, tmp_path):
    path = ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    before = head(ledger_dir)
    (tmp_path / "答复.txt").write_text("经研究，答复如下：……\n", encoding="utf-8")
    command = ["reply", "J-15", "--category", "B", "--text-file", tmp_path / "答复.txt", "--date", "2024-06-01",
               "--ledger", ledger_dir.root]
    result = cli(*command, "--promise", "年底前完成校门口改造")
    refused_unchanged(ledger_dir, path, result)
    assert "没有期限" in result.err and "事项@" in result.err and "@2025-12-31" in result.err
    assert head(ledger_dir) == before
    assert cli(*command, "--promise", "年底前完成校门口改造@2024-12-31").code == 0
    assert read(path)["答复"][0]["承诺"] == [{"事项": "年底前完成校门口改造", "期限": "2024-12-31", "完成": None}]


def test_an_old_file_with_a_promise_without_a_date_is_warned_about_not_rejected(ledger_dir, cli):
    ledger_dir.item(ANSWERED + "    承诺:\n      - 事项: 年底前完成校门口改造\n        完成: null\n")
    ledger_dir.commit_all()
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0, result.out + result.err
    assert "答复[0].承诺[0]" in result.out or "承诺" in result.out
    assert "没有期限" in result.out
    # a step is not blocked by the warning
    assert cli("feedback", "J-15", "--result", "满意", "--date", "2024-06-20", "--ledger", ledger_dir.root).code == 0


# --- event lists in date order ----------------------------------------------------------------------------


COMMENTED_CONTACTS = ASSIGNED + """\
沟通:
  - 日期: 2024-04-02  # 第一次
    方式: 电话
    单位: 县教育和体育局
  # 代表要求当面商谈
  - 日期: 2024-05-10
    方式: 面商
    单位: 县教育和体育局
"""


def test_a_back_dated_contact_is_inserted_at_its_date_and_the_comments_stay_where_they_were(ledger_dir, cli):
    path = ledger_dir.item(COMMENTED_CONTACTS)
    ledger_dir.commit_all()
    result = cli("contact", "J-15", "--by", "信函", "--date", "2024-04-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8") == ASSIGNED + """\
沟通:
  - 日期: 2024-04-02  # 第一次
    方式: 电话
    单位: 县教育和体育局
  - 日期: 2024-04-20
    方式: 信函
    单位: 县教育和体育局
  # 代表要求当面商谈
  - 日期: 2024-05-10
    方式: 面商
    单位: 县教育和体育局
"""
    assert ledger_dir.log()[0] == "沟通 2024-J-015：县教育和体育局 信函"
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_contact_dated_after_the_last_one_is_still_appended(ledger_dir, cli):
    path = ledger_dir.item(COMMENTED_CONTACTS)
    ledger_dir.commit_all()
    assert cli("contact", "J-15", "--by", "走访", "--date", "2024-05-11", "--ledger", ledger_dir.root).code == 0
    assert path.read_text(encoding="utf-8") == COMMENTED_CONTACTS + """\
  - 日期: 2024-05-11
    方式: 走访
    单位: 县教育和体育局
"""


def test_a_back_dated_answer_goes_before_a_later_one_in_the_list(ledger_dir, cli, tmp_path):
    split = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 分办
  主办: [县教育和体育局, 县交通运输局]
沟通:
  - 日期: 2024-04-02
    方式: 电话
答复:
  - 单位: 县交通运输局
    日期: 2024-06-10
    类别: A
    正文: |
      已办。
    # 交通局的答复
"""
    path = ledger_dir.item(split)
    ledger_dir.commit_all()
    (tmp_path / "答复.txt").write_text("经研究，答复如下：……\n", encoding="utf-8")
    result = cli("reply", "J-15", "--unit", "教体局", "--category", "B", "--text-file", tmp_path / "答复.txt",
                 "--number", "教体函〔2024〕3号", "--date", "2024-06-01", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    text = path.read_text(encoding="utf-8")
    assert [reply["日期"] for reply in read(path)["答复"]] == ["2024-06-01", "2024-06-10"]
    assert text.endswith("""\
    正文: |
      经研究，答复如下：……
  - 单位: 县交通运输局
    日期: 2024-06-10
    类别: A
    正文: |
      已办。
    # 交通局的答复
""")
