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
    assert ledger_dir.log()[0] == "沟通 2024-J-015：县教育和体育局 信函，日期 2024-04-20"
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


# --- 分办: one 评价 per 主办 ------------------------------------------------------------------------------

SPLIT_ANSWERED = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 分办
  主办: [县教育和体育局, 县交通运输局]
沟通:
  - 日期: 2024-04-02
    方式: 座谈
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: B
    正文: 已办。
  - 单位: 县交通运输局
    日期: 2024-06-05
    类别: A
    正文: 已办。
"""


def test_a_split_item_is_rated_per_unit_and_a_bad_rating_reopens_that_unit_only(ledger_dir, cli, tmp_path):
    path = ledger_dir.item(SPLIT_ANSWERED)
    ledger_dir.commit_all()
    root = ["--ledger", ledger_dir.root]

    before = head(ledger_dir)
    refused = cli("feedback", "J-15", "--result", "满意", "--date", "2024-06-20", *root)
    refused_unchanged(ledger_dir, path, refused)
    assert "分办" in refused.err and "--unit" in refused.err
    assert "县教育和体育局、县交通运输局" in refused.err
    assert head(ledger_dir) == before and "评价" not in read(path)

    result = cli("feedback", "J-15", "--unit", "交通局", "--result", "不满意", "--date", "2024-06-20", *root)
    assert result.code == 0, result.err
    assert read(path)["评价"] == [{"日期": "2024-06-20", "单位": "县交通运输局", "评价人": "张三", "结果": "不满意"}]
    assert "县交通运输局的答复转入重新办理" in result.out and "2024-07-20" in result.out
    assert ledger_dir.log()[0] == "评价 2024-J-015：县交通运输局，结果 不满意，日期 2024-06-20"

    # The other 主办's answer stands: it is rated on its own form, and cannot be answered again.
    assert cli("feedback", "J-15", "--unit", "教体局", "--result", "满意", "--date", "2024-06-21", *root).code == 0
    refused = cli("close", "J-15", "--date", "2024-06-22", *root)
    assert refused.code == 1 and "县交通运输局的答复最近一次评价要求重新办理" in refused.err
    (tmp_path / "答复.txt").write_text("再次答复：……\n", encoding="utf-8")
    again = ["reply", "J-15", "--category", "A", "--text-file", tmp_path / "答复.txt", "--date", "2024-07-01", *root]
    refused = cli(*again, "--unit", "教体局")
    assert refused.code == 1 and "县教育和体育局已于 2024-06-01 答复" in refused.err
    assert cli(*again).code == 0, "only 县交通运输局 answers again: no --unit needed"
    assert [reply["单位"] for reply in read(path)["答复"]][-1] == "县交通运输局"

    # 办结 needs every 主办's latest rating, and none 不满意.
    refused = cli("close", "J-15", "--date", "2024-07-02", *root)
    assert refused.code == 1 and "县交通运输局的答复最近一次评价结果为不满意" in refused.err
    assert cli("feedback", "J-15", "--unit", "交通局", "--result", "满意", "--date", "2024-07-05", *root).code == 0
    assert cli("close", "J-15", "--date", "2024-07-06", *root).code == 0
    assert read(path)["办结"] == "2024-07-06"
    assert cli("check", *root).code == 0

    # The report: the item counts as evaluated once every 主办's answer is, by its worst rating; the unit
    # table counts each unit's own.
    units = lambda data: {row["unit"]: (row["满意"], row["基本满意"], row["不满意"]) for row in data["units"]}
    one_rated = report_json(cli, ledger_dir, "2024-06-20")
    assert one_rated["evaluated"] == 0 and one_rated["rates"]["evaluated"]["denominator"] == 1
    assert units(one_rated) == {"县教育和体育局": (0, 0, 0), "县交通运输局": (0, 0, 1)}
    both_rated = report_json(cli, ledger_dir, "2024-06-22")
    assert both_rated["evaluated"] == 1
    assert both_rated["satisfaction"] == {"满意": 0, "基本满意": 0, "不满意": 1}
    assert units(both_rated) == {"县教育和体育局": (1, 0, 0), "县交通运输局": (0, 0, 1)}
    closed = report_json(cli, ledger_dir, "2024-07-10")
    assert closed["satisfaction"] == {"满意": 1, "基本满意": 0, "不满意": 0} and closed["closed"] == 1
    assert units(closed) == {"县教育和体育局": (1, 0, 0), "县交通运输局": (1, 0, 0)}


def test_a_rating_naming_no_unit_in_an_old_split_file_still_rates_every_unit(ledger_dir, cli):
    ledger_dir.item(SPLIT_ANSWERED + "评价:\n  - 日期: 2024-06-20\n    结果: 不满意\n")
    ledger_dir.commit_all()
    listed = cli("list", "--json", "--state", "重新办理", "--ledger", ledger_dir.root)
    assert [row["编号"] for row in json.loads(listed.out)] == ["2024-J-015"]
    data = report_json(cli, ledger_dir, "2024-06-22")
    assert data["evaluated"] == 1 and data["satisfaction"]["不满意"] == 1
    assert {row["unit"]: row["不满意"] for row in data["units"]} == {"县教育和体育局": 1, "县交通运输局": 1}


def test_a_rating_for_a_unit_that_is_not_a_lead_is_refused(ledger_dir, cli):
    path = ledger_dir.item(SPLIT_ANSWERED)
    ledger_dir.commit_all()
    result = cli("feedback", "J-15", "--unit", "公安局", "--result", "满意", "--date", "2024-06-20", "--ledger", ledger_dir.root)
    refused_unchanged(ledger_dir, path, result)
    assert "县公安局不是 2024-J-015 的主办单位" in result.err


# --- 办后回访 ---------------------------------------------------------------------------------------------

CLOSED_ITEM = ANSWERED + """\
评价:
  - 日期: 2024-06-20
    结果: 满意
办结: 2024-07-01
"""


def test_a_contact_after_closing_is_recorded_as_a_visit_and_counted_apart(ledger_dir, cli):
    path = ledger_dir.item(CLOSED_ITEM)
    ledger_dir.commit_all()
    result = cli("contact", "J-15", "--by", "走访", "--person", "赵六", "--date", "2024-09-01", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "办后回访" in result.out
    assert read(path)["沟通"][-1] == {"日期": "2024-09-01", "方式": "走访", "单位": "县教育和体育局", "人员": "赵六"}
    assert read(path)["办结"] == "2024-07-01"
    assert ledger_dir.log()[0] == "办后回访 2024-J-015：县教育和体育局 走访，日期 2024-09-01"
    assert "Tiandz-Step: contact" in git(ledger_dir.root, "log", "-1", "--format=%B")
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    # 见面率 is of the handling: the 走访 after 办结 does not make the item met; it is a 办后回访.
    data = report_json(cli, ledger_dir, "2024-12-31")
    assert (data["contacted"], data["met"], data["revisited"]) == (1, 0, 1)
    assert data["rates"]["met"] == {"rate": 0.0, "numerator": 0, "denominator": 1}
    assert data["units"][0]["met"] == 0
    assert report_json(cli, ledger_dir, "2024-08-01")["revisited"] == 0


# --- 转化 is from unsolved to solved ---------------------------------------------------------------------


def test_a_move_to_a_lower_or_unsolved_class_is_refused_as_no_conversion(ledger_dir, cli):
    path = ledger_dir.item(ANSWERED)  # answered B
    ledger_dir.commit_all()
    before = head(ledger_dir)
    result = cli("convert", "J-15", "--to", "C", "--note", "经费未落实", "--date", "2024-07-01", "--ledger", ledger_dir.root)
    refused_unchanged(ledger_dir, path, result)
    assert "由 B 类改为 C 类不是类别转化" in result.err
    assert "tiandz undo" in result.err and "更正" in result.err
    assert head(ledger_dir) == before and "转化" not in read(path)
    assert cli("convert", "J-15", "--to", "A", "--note", "已完成", "--date", "2024-07-01", "--ledger", ledger_dir.root).code == 0
    assert read(path)["转化"] == [{"日期": "2024-07-01", "由": "B", "为": "A", "说明": "已完成"}]
    downward = cli("convert", "J-15", "--to", "B", "--note", "又没办成", "--date", "2024-07-02", "--ledger", ledger_dir.root)
    assert downward.code == 1 and "由 A 类改为 B 类不是类别转化" in downward.err
    assert len(read(path)["转化"]) == 1


def test_an_old_file_with_a_downward_conversion_is_warned_about_and_not_counted(ledger_dir, cli):
    answered_a = ANSWERED.replace("类别: B", "类别: A")
    ledger_dir.item(answered_a + "转化:\n  - 日期: 2024-07-01\n    由: A\n    为: B\n    说明: 类别登记错了\n")
    ledger_dir.commit_all()
    checked = cli("check", "--ledger", ledger_dir.root)
    assert checked.code == 0 and "不是类别转化" in checked.out
    data = report_json(cli, ledger_dir, "2024-08-01")
    assert data["category_now"] == {"A": 1, "B": 0, "C": 0} and data["converted"] == 0


def test_the_report_and_the_spreadsheet_say_how_a_split_item_is_rated(ledger_dir, cli, tmp_path):
    from openpyxl import load_workbook

    ledger_dir.item(SPLIT_ANSWERED + """\
评价:
  - 日期: 2024-06-20
    单位: 县教育和体育局
    结果: 满意
  - 日期: 2024-06-21
    单位: 县交通运输局
    结果: 基本满意
""")
    ledger_dir.commit_all()
    markdown = cli("report", "--format", "md", "-o", "-", "--as-of", "2024-08-01", "--ledger", ledger_dir.root)
    assert markdown.code == 0, markdown.err
    assert "各主办单位都满意才计满意" in markdown.out
    assert report_json(cli, ledger_dir, "2024-08-01")["satisfaction"] == {"满意": 0, "基本满意": 1, "不满意": 0}
    path = tmp_path / "台账.xlsx"
    assert cli("export", "-o", path, "--ledger", ledger_dir.root).code == 0
    header, row = list(load_workbook(path)["办理台账"].iter_rows(values_only=True))[:2]
    assert row[header.index("评价")] == "县教育和体育局：满意、县交通运输局：基本满意"


def test_a_visit_after_closing_is_said_in_the_report(ledger_dir, cli):
    ledger_dir.item(CLOSED_ITEM)
    ledger_dir.commit_all()
    assert cli("contact", "J-15", "--by", "电话", "--date", "2024-09-01", "--ledger", ledger_dir.root).code == 0
    markdown = cli("report", "--format", "md", "-o", "-", "--as-of", "2024-12-31", "--ledger", ledger_dir.root)
    assert [line for line in markdown.out.splitlines() if "办后回访" in line] == ["| 　办后回访 | 1 |"]


def test_an_overdue_split_item_in_redo_names_only_the_unit_sent_back(ledger_dir, cli):
    ledger_dir.item(SPLIT_ANSWERED + """\
评价:
  - 日期: 2024-06-20
    单位: 县交通运输局
    结果: 不满意
""")
    ledger_dir.commit_all()
    data = report_json(cli, ledger_dir, "2024-08-01")  # due 2024-07-20, a month after the 不满意
    assert data["overdue"] == ["2024-J-015"] and data["overdue_items"][0]["due"] == "2024-07-20"
    assert {row["unit"]: row["overdue"] for row in data["units"]} == {"县交通运输局": 1, "县教育和体育局": 0}
    assert data["notify"] == ["县交通运输局"]
