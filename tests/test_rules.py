"""The rules a valid item file keeps (spec/ledger.md, "Rules a valid file keeps").

Each test writes one small item that breaks one rule and states the exact problem `tiandz check` reports:
the file, the line, the field, the Chinese message and the hint.
"""

from __future__ import annotations

from conftest import ASSIGNED, CONFIG, ITEM, TODAY

from tiandz.core.problems import ERROR, WARNING, Problem, has_errors
from tiandz.ops.check import check_ledger

PATH = "2024/2024-J-015.yaml"


# A complete, valid item: 交办 (会办), 协办意见, 沟通, 答复, 评价, 办结.
ASSIGNMENT = """\
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公安局]
"""  # lines 14-18
OPINION = """\
协办意见:
  - 单位: 县公安局
    日期: 2024-04-15
    内容: 加强上下学时段校门口巡逻。
"""  # lines 19-22
CONTACT = """\
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县教育和体育局
    人员: 赵六
    内容: 了解建议主旨
"""  # lines 23-28
REPLY = """\
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
    文号: 教体函〔2024〕15号
    公开: 主动公开
    正文: |
      已完成校门口交通设施改造。
"""  # lines 29-36
EVALUATION = """\
评价:
  - 日期: 2024-06-20
    评价人: 张三
    工作: 满意
    结果: 满意
"""  # lines 37-41
CLOSED = "办结: 2024-07-01\n"  # line 42

FULL = ITEM + ASSIGNMENT + OPINION + CONTACT + REPLY + EVALUATION + CLOSED


def altered(text: str, old: str, new: str) -> str:
    """The text with one exact passage changed (and it must be there exactly once)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def check(ledger_dir, text: str, name: str | None = None) -> list[Problem]:
    ledger_dir.item(text, name)
    return check_ledger(ledger_dir.ledger(), today=TODAY)


# --- a valid item ----------------------------------------------------------------------------------------


def test_a_complete_valid_item_has_no_problems(ledger_dir):
    assert check(ledger_dir, FULL) == []


def test_a_registered_item_not_yet_assigned_has_no_problems(ledger_dir):
    assert check(ledger_dir, ITEM) == []


# --- 编号, 类型 and the year folder ---------------------------------------------------------------------------


def test_the_id_must_match_the_file_name(ledger_dir):
    problems = check(ledger_dir, ITEM, name="2024-J-016")
    assert problems == [
        Problem("2024/2024-J-016.yaml", 1, "编号", "编号“2024-J-015”与文件名“2024-J-016.yaml”不一致"),
    ]
    assert problems[0].format() == "2024/2024-J-016.yaml:1: 编号: 编号“2024-J-015”与文件名“2024-J-016.yaml”不一致"


def test_the_id_must_follow_the_pattern(ledger_dir):
    text = altered(ITEM, "编号: 2024-J-015", "编号: 2024-J-15")
    assert check(ledger_dir, text, name="2024-J-015") == [
        Problem(PATH, 1, "编号", "编号“2024-J-15”格式不对", "应为 年度-J或T-三或四位序号，如 2024-J-015"),
    ]


def test_the_id_is_written_in_ascii_digits(ledger_dir):
    text = altered(ITEM, "编号: 2024-J-015", "编号: 2024-J-０１５")
    assert check(ledger_dir, text, name="2024-J-015") == [
        Problem(PATH, 1, "编号", "编号“2024-J-０１５”格式不对", "应为 年度-J或T-三或四位序号，如 2024-J-015"),
    ]


def test_the_type_must_match_the_letter_in_the_id(ledger_dir):
    text = altered(ITEM, "类型: 建议", "类型: 提案")
    problems = check(ledger_dir, text)
    assert problems == [Problem(PATH, 2, "类型", "类型“提案”与编号中的字母 J 不符", "J 为建议，T 为提案")]
    assert problems[0].format() == "2024/2024-J-015.yaml:2: 类型: 类型“提案”与编号中的字母 J 不符（J 为建议，T 为提案）"


def test_the_year_of_the_id_must_match_its_folder(ledger_dir):
    text = altered(ITEM, "编号: 2024-J-015", "编号: 2023-J-015")
    ledger_dir.write("2024/2023-J-015.yaml", text)
    assert check_ledger(ledger_dir.ledger(), today=TODAY) == [
        Problem("2024/2023-J-015.yaml", 1, "编号", "编号的年度 2023 与所在文件夹“2024”不一致"),
    ]


# --- units -----------------------------------------------------------------------------------------------


def test_an_unknown_unit_is_an_error_with_a_did_you_mean(ledger_dir):
    text = altered(ASSIGNED, "主办: [县教育和体育局]", "主办: [县教体]")
    problems = check(ledger_dir, text)
    assert problems == [
        Problem(PATH, 17, "交办.主办[1]", "“县教体”不是 tiandz.yaml 中的承办单位", "是否为“县教育和体育局”？"),
    ]
    assert problems[0].format() == (
        "2024/2024-J-015.yaml:17: 交办.主办[1]: “县教体”不是 tiandz.yaml 中的承办单位（是否为“县教育和体育局”？）"
    )


def test_an_unknown_unit_far_from_every_name_has_no_guess(ledger_dir):
    text = altered(ASSIGNED, "主办: [县教育和体育局]", "主办: [农业农村局]")
    assert check(ledger_dir, text) == [
        Problem(PATH, 17, "交办.主办[1]", "“农业农村局”不是 tiandz.yaml 中的承办单位", None),
    ]


def test_units_are_checked_wherever_they_are_named(ledger_dir):
    text = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公按局]
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县教育局
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
"""
    assert check(ledger_dir, text) == [
        Problem(PATH, 18, "交办.协办[1]", "“县公按局”不是 tiandz.yaml 中的承办单位", "是否为“县公安局”？"),
        Problem(PATH, 22, "沟通[1].单位", "“县教育局”不是 tiandz.yaml 中的承办单位", "是否为“县教育和体育局”？"),
    ]


def test_a_short_name_in_a_file_is_a_warning_not_an_error(ledger_dir):
    text = altered(ASSIGNED, "主办: [县教育和体育局]", "主办: [县教体局]")
    problems = check(ledger_dir, text)
    assert problems == [
        Problem(PATH, 17, "交办.主办[1]", "“县教体局”是简称，文件中应写全称", "改为“县教育和体育局”", WARNING),
    ]
    assert problems[0].severity == "警告"
    assert not has_errors(problems)
    assert problems[0].format() == (
        "2024/2024-J-015.yaml:17: 交办.主办[1]: “县教体局”是简称，文件中应写全称（改为“县教育和体育局”）［警告］"
    )


# --- values that tiandz.yaml or the spec allows ------------------------------------------------------------


def test_the_topic_must_be_one_of_the_configured_topics(ledger_dir):
    text = altered(ITEM, "领域: 教育", "领域: 卫生")
    problems = check(ledger_dir, text)
    assert problems == [Problem(PATH, 10, "领域", "领域“卫生”不在 tiandz.yaml 的领域中", "是否为“卫生健康”？")]
    assert problems[0].format() == "2024/2024-J-015.yaml:10: 领域: 领域“卫生”不在 tiandz.yaml 的领域中（是否为“卫生健康”？）"


def test_the_reply_class_must_be_a_key_of_the_configured_classes(ledger_dir):
    text = altered(FULL, "类别: A", "类别: D")
    assert check(ledger_dir, text) == [
        Problem(PATH, 32, "答复[1].类别", "类别“D”不在 tiandz.yaml 的分类中，应为A、B、C之一", None),
    ]


def test_the_contact_method_must_be_a_configured_method(ledger_dir):
    text = altered(FULL, "方式: 电话", "方式: 打电话")
    assert check(ledger_dir, text) == [
        Problem(
            PATH, 25, "沟通[1].方式",
            "沟通方式“打电话”不在 tiandz.yaml 中，应为电话、信函、面商、走访、座谈、其他之一",
            "是否为“电话”？",
        ),
    ]


def test_the_assignment_mode_is_one_of_three_words(ledger_dir):
    text = altered(ASSIGNED, "方式: 单办", "方式: 会办理")
    problems = check(ledger_dir, text)
    assert problems == [
        Problem(PATH, 16, "交办.方式", "“会办理”不是允许的值，应为单办、会办、分办之一", "是否为“会办”？"),
    ]
    assert problems[0].format() == (
        "2024/2024-J-015.yaml:16: 交办.方式: “会办理”不是允许的值，应为单办、会办、分办之一（是否为“会办”？）"
    )


def test_the_assignment_mode_far_from_every_choice_has_no_guess(ledger_dir):
    text = altered(ASSIGNED, "方式: 单办", "方式: 合办")
    assert check(ledger_dir, text) == [
        Problem(PATH, 16, "交办.方式", "“合办”不是允许的值，应为单办、会办、分办之一", None),
    ]


def test_the_publicity_of_a_reply_is_one_of_four_words(ledger_dir):
    text = altered(FULL, "公开: 主动公开", "公开: 公开")
    assert check(ledger_dir, text) == [
        Problem(
            PATH, 34, "答复[1].公开",
            "“公开”不是允许的值，应为主动公开、摘要公开、依申请公开、不予公开之一",
            "是否为“主动公开”？",
        ),
    ]


def test_the_work_rating_is_one_of_three_words(ledger_dir):
    text = altered(FULL, "工作: 满意", "工作: 很满意")
    assert check(ledger_dir, text) == [
        Problem(PATH, 40, "评价[1].工作", "“很满意”不是允许的值，应为满意、基本满意、不满意之一", "是否为“满意”？"),
    ]


def test_the_result_rating_is_one_of_three_words(ledger_dir):
    text = altered(FULL, "结果: 满意", "结果: 一般")
    assert check(ledger_dir, text) == [
        Problem(PATH, 41, "评价[1].结果", "“一般”不是允许的值，应为满意、基本满意、不满意之一", None),
    ]


# --- dates keep their order, and none is in the future ----------------------------------------------------


def test_the_assignment_cannot_come_before_the_submission(ledger_dir):
    text = altered(ASSIGNED, "日期: 2024-03-20", "日期: 2024-01-10")
    assert check(ledger_dir, text) == [
        Problem(PATH, 15, "交办.日期", "交办日期 2024-01-10 早于提出日期 2024-01-20"),
    ]


def test_a_contact_cannot_come_before_the_assignment(ledger_dir):
    text = altered(FULL, "  - 日期: 2024-04-02", "  - 日期: 2024-03-01")
    problems = check(ledger_dir, text)
    assert problems == [Problem(PATH, 24, "沟通[1].日期", "日期 2024-03-01 早于交办日期 2024-03-20")]
    assert problems[0].format() == "2024/2024-J-015.yaml:24: 沟通[1].日期: 日期 2024-03-01 早于交办日期 2024-03-20"


def test_an_evaluation_cannot_come_before_the_first_reply(ledger_dir):
    text = altered(FULL, "  - 日期: 2024-06-20", "  - 日期: 2024-05-20")
    assert check(ledger_dir, text) == [
        Problem(PATH, 38, "评价[1].日期", "评价日期 2024-05-20 早于第一次答复 2024-06-01"),
    ]


def test_closing_cannot_come_before_a_reply(ledger_dir):
    text = altered(FULL, "办结: 2024-07-01", "办结: 2024-05-01")
    assert check(ledger_dir, text) == [
        Problem(PATH, 42, "办结", "办结日期 2024-05-01 早于答复的日期 2024-06-01"),
    ]


def test_no_date_is_after_today(ledger_dir):
    text = altered(FULL, "办结: 2024-07-01", "办结: 2025-01-02")
    problems = check(ledger_dir, text)
    assert problems == [
        Problem(PATH, 42, "办结", "日期 2025-01-02 晚于今天（2024-12-31）", "不能预先登记尚未发生的事"),
    ]
    assert problems[0].format() == (
        "2024/2024-J-015.yaml:42: 办结: 日期 2025-01-02 晚于今天（2024-12-31）（不能预先登记尚未发生的事）"
    )


def test_today_itself_is_not_in_the_future(ledger_dir):
    text = altered(FULL, "办结: 2024-07-01", f"办结: {TODAY}")
    assert check(ledger_dir, text) == []


# --- the shape of the assignment --------------------------------------------------------------------------


def test_a_unit_cannot_be_both_lead_and_co_unit(ledger_dir):
    text = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公安局, 县教育和体育局]
"""
    assert check(ledger_dir, text) == [
        Problem(PATH, 18, "交办.协办", "县教育和体育局既是主办又是协办", "同一单位只能担任一种角色"),
    ]


def test_a_short_name_counts_as_its_unit_when_looking_for_overlap(ledger_dir):
    text = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公安局, 教体局]
"""
    problems = check(ledger_dir, text)
    assert Problem(PATH, 18, "交办.协办", "县教育和体育局既是主办又是协办", "同一单位只能担任一种角色") in problems
    assert Problem(PATH, 18, "交办.协办[2]", "“教体局”是简称，文件中应写全称", "改为“县教育和体育局”", WARNING) in problems


def test_split_handling_needs_two_or_more_lead_units(ledger_dir):
    text = altered(ASSIGNED, "方式: 单办", "方式: 分办")
    assert check(ledger_dir, text) == [
        Problem(PATH, 16, "交办.方式", "分办须有两个或以上主办单位", "只有一个主办单位时方式为单办或会办"),
    ]


def test_joint_handling_needs_at_least_one_co_unit(ledger_dir):
    text = altered(ASSIGNED, "方式: 单办", "方式: 会办")
    problems = check(ledger_dir, text)
    assert problems == [Problem(PATH, 16, "交办.方式", "会办须有至少一个协办单位", "没有协办单位时方式为单办")]
    assert problems[0].format() == "2024/2024-J-015.yaml:16: 交办.方式: 会办须有至少一个协办单位（没有协办单位时方式为单办）"


def test_sole_handling_has_no_co_units(ledger_dir):
    text = altered(ASSIGNMENT, "方式: 会办", "方式: 单办")
    assert check(ledger_dir, ITEM + text) == [
        Problem(PATH, 16, "交办.方式", "单办不设协办单位", "有协办单位时方式为会办"),
    ]


def test_sole_and_joint_handling_have_one_lead_unit(ledger_dir):
    text = altered(ASSIGNMENT, "主办: [县教育和体育局]", "主办: [县教育和体育局, 县交通运输局]")
    assert check(ledger_dir, ITEM + text) == [
        Problem(PATH, 16, "交办.方式", "会办只能有一个主办单位", "各自答复的多个主办单位，方式为分办"),
    ]


# --- who answers, and publicity ---------------------------------------------------------------------------


def test_a_co_unit_does_not_reply_it_writes_an_opinion(ledger_dir):
    text = ITEM + ASSIGNMENT + """\
答复:
  - 单位: 县公安局
    日期: 2024-06-01
    类别: A
"""
    problems = check(ledger_dir, text)
    assert problems == [
        Problem(PATH, 20, "答复[1].单位", "“县公安局”不是本件的主办单位", "协办单位应写协办意见，不作答复"),
    ]
    assert problems[0].format() == (
        "2024/2024-J-015.yaml:20: 答复[1].单位: “县公安局”不是本件的主办单位（协办单位应写协办意见，不作答复）"
    )


def test_a_unit_outside_the_item_does_not_reply(ledger_dir):
    text = ITEM + ASSIGNMENT + """\
答复:
  - 单位: 县交通运输局
    日期: 2024-06-01
    类别: A
"""
    assert check(ledger_dir, text) == [
        Problem(PATH, 20, "答复[1].单位", "“县交通运输局”不是本件的主办单位", "答复只能来自主办单位"),
    ]


def test_a_reply_not_published_in_full_needs_a_publicity_note(ledger_dir):
    text = ASSIGNED + """\
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
    公开: 依申请公开
"""
    # the missing key has no line of its own: the problem points at the reply it belongs to
    assert check(ledger_dir, text) == [
        Problem(PATH, 19, "答复[1].公开说明", "公开属性为依申请公开时须写公开说明"),
    ]


def test_a_publicity_note_satisfies_the_rule(ledger_dir):
    text = ASSIGNED + """\
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
    公开: 不予公开
    公开说明: 涉及个人隐私
"""
    assert check(ledger_dir, text) == []


# --- closing ----------------------------------------------------------------------------------------------


def test_closing_needs_a_reply_from_every_lead_unit(ledger_dir):
    text = ITEM + """\
交办:
  日期: 2024-03-20
  方式: 分办
  主办: [县教育和体育局, 县公安局]
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
评价:
  - 日期: 2024-06-20
    结果: 满意
办结: 2024-07-01
"""
    problems = check(ledger_dir, text)
    assert problems == [Problem(PATH, 25, "办结", "县公安局尚未答复，不能办结")]
    assert problems[0].format() == "2024/2024-J-015.yaml:25: 办结: 县公安局尚未答复，不能办结"


def test_closing_needs_an_evaluation(ledger_dir):
    text = ITEM + ASSIGNMENT + OPINION + CONTACT + REPLY + CLOSED
    assert check(ledger_dir, text) == [
        Problem(PATH, 37, "办结", "尚无评价，不能办结", "tiandz.yaml 规则.办结须评价 为 true"),
    ]


def test_closing_is_refused_when_the_latest_result_is_unsatisfied(ledger_dir):
    text = altered(FULL, "结果: 满意", "结果: 不满意")
    assert check(ledger_dir, text) == [
        Problem(PATH, 42, "办结", "最近一次评价结果为不满意，须重新办理后才能办结"),
    ]


def test_closing_is_allowed_when_the_result_is_basically_satisfied(ledger_dir):
    text = altered(FULL, "结果: 满意", "结果: 基本满意")
    assert check(ledger_dir, text) == []


def test_a_ledger_may_waive_the_evaluation_before_closing(ledger_dir):
    ledger_dir.write("tiandz.yaml", CONFIG + "规则:\n  办结须评价: false\n")
    text = ITEM + ASSIGNMENT + OPINION + CONTACT + REPLY + CLOSED
    assert check(ledger_dir, text) == []


# --- extensions -------------------------------------------------------------------------------------------


EXTENDED = ASSIGNED + """\
延期:
  - 日期: 2024-06-10
    至: 2024-10-01
    理由: 涉及跨部门协调
"""


def test_an_extension_cannot_go_past_the_longest_limit(ledger_dir):
    problems = check(ledger_dir, EXTENDED)
    assert problems == [
        Problem(PATH, 20, "延期[1].至", "延期至 2024-10-01 超过最长时限 2024-09-20（交办日期加6个月）"),
    ]
    assert problems[0].format() == "2024/2024-J-015.yaml:20: 延期[1].至: 延期至 2024-10-01 超过最长时限 2024-09-20（交办日期加6个月）"


def test_an_extension_up_to_the_longest_limit_itself_is_allowed(ledger_dir):
    text = altered(EXTENDED, "至: 2024-10-01", "至: 2024-09-20")
    assert check(ledger_dir, text) == []


# --- unknown keys -----------------------------------------------------------------------------------------


def test_an_unknown_key_is_an_error_with_a_did_you_mean(ledger_dir):
    text = altered(ITEM, "标题:", "标提:")
    problems = check(ledger_dir, text)
    assert problems == [
        Problem(PATH, 1, "标题", "缺少必填字段"),
        Problem(PATH, 5, "标提", "未知字段“标提”", "是否为“标题”？"),
    ]
    assert problems[1].format() == "2024/2024-J-015.yaml:5: 标提: 未知字段“标提”（是否为“标题”？）"


def test_an_unknown_key_far_from_every_key_has_no_guess(ledger_dir):
    text = ITEM + "备注: 由县人大代表工委转来\n"
    assert check(ledger_dir, text) == [Problem(PATH, 14, "备注", "未知字段“备注”", None)]


def test_an_unknown_key_inside_the_assignment_is_an_error_with_a_did_you_mean(ledger_dir):
    text = altered(ASSIGNED, "主办:", "主持:")
    problems = check(ledger_dir, text)
    assert problems == [
        Problem(PATH, 14, "交办.主办", "缺少必填字段"),
        Problem(PATH, 17, "交办.主持", "未知字段“主持”", "是否为“主办”？"),
    ]


def test_an_unknown_key_inside_a_list_entry_is_named_by_its_position(ledger_dir):
    text = altered(FULL, "    评价人: 张三", "    评价者: 张三")
    assert check(ledger_dir, text) == [
        Problem(PATH, 39, "评价[1].评价者", "未知字段“评价者”", "是否为“评价人”？"),
    ]


def test_problems_are_errors_unless_said_otherwise(ledger_dir):
    problems = check(ledger_dir, altered(ASSIGNED, "方式: 单办", "方式: 会办"))
    assert [problem.severity for problem in problems] == [ERROR]
