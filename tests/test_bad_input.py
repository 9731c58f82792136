"""Whatever a clerk's editor leaves in a file, `tiandz check` answers with `path:line: message`, never a crash.

Byte-order marks, tabs, impossible dates, duplicate keys, broken YAML, empty files, lists, GBK, stray files,
a broken tiandz.yaml: each is one exact problem, and every file of the ledger is reported, in file order.
"""

from __future__ import annotations

import json

from conftest import ASSIGNED, CONFIG, ITEM, TODAY

from tiandz.core.problems import Problem
from tiandz.ledger.items import load_item
from tiandz.ops.check import check_ledger

PATH = "2024/2024-J-015.yaml"



def altered(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def check(ledger_dir) -> list[Problem]:
    return check_ledger(ledger_dir.ledger(), today=TODAY)


def write_bytes(ledger_dir, relative: str, data: bytes) -> None:
    path = ledger_dir.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# --- encodings --------------------------------------------------------------------------------------------


def test_a_byte_order_mark_at_the_start_of_a_valid_file_is_accepted(ledger_dir):
    write_bytes(ledger_dir, PATH, ("\ufeff" + ASSIGNED).encode("utf-8"))
    assert check(ledger_dir) == []
    loaded = load_item(ledger_dir.ledger(), ledger_dir.root / PATH, today=TODAY)
    assert loaded.problems == []
    assert loaded.item.id == "2024-J-015"


def test_a_byte_order_mark_does_not_shift_the_lines_of_problems(ledger_dir):
    text = altered(ASSIGNED, "方式: 单办", "方式: 会办")
    write_bytes(ledger_dir, PATH, ("\ufeff" + text).encode("utf-8"))
    assert check(ledger_dir) == [
        Problem(PATH, 16, "交办.方式", "会办须有至少一个协办单位", "没有协办单位时方式为单办"),
    ]


def test_a_file_in_gbk_encoding_is_reported(ledger_dir):
    write_bytes(ledger_dir, PATH, ITEM.encode("gbk"))
    problems = check(ledger_dir)
    assert problems == [
        Problem(PATH, 1, "", "文件不是 UTF-8 编码", "请用 UTF-8 另存（记事本：另存为 → 编码 UTF-8）"),
    ]
    assert problems[0].format() == "2024/2024-J-015.yaml:1: 文件不是 UTF-8 编码（请用 UTF-8 另存（记事本：另存为 → 编码 UTF-8））"


def test_a_file_in_gbk_encoding_is_reported_at_its_first_non_utf8_line(ledger_dir):
    write_bytes(ledger_dir, PATH, ("# 2024-J-015\n" + ITEM).encode("gbk"))
    assert check(ledger_dir) == [
        Problem(PATH, 2, "", "文件不是 UTF-8 编码", "请用 UTF-8 另存（记事本：另存为 → 编码 UTF-8）"),
    ]


# --- YAML that does not read ------------------------------------------------------------------------------


def test_a_tab_in_the_indentation_is_reported_at_its_line(ledger_dir):
    ledger_dir.item(altered(ASSIGNED, "  方式: 单办", "\t方式: 单办"))
    problems = check(ledger_dir)
    assert problems == [Problem(PATH, 16, "", "YAML 格式错误：缩进中有制表符（Tab），YAML 只能用空格缩进")]
    assert problems[0].format() == "2024/2024-J-015.yaml:16: YAML 格式错误：缩进中有制表符（Tab），YAML 只能用空格缩进"


def test_a_duplicate_key_is_reported_at_its_second_occurrence(ledger_dir):
    ledger_dir.item(ITEM + "标题: 关于校园周边环境的建议\n")
    assert check(ledger_dir) == [Problem(PATH, 14, "", "重复的键“标题”", "同一层级每个键只能出现一次")]


def test_a_duplicate_key_inside_a_mapping_is_reported_too(ledger_dir):
    ledger_dir.item(ASSIGNED + "  主办: [县公安局]\n")
    assert check(ledger_dir) == [Problem(PATH, 18, "", "重复的键“主办”", "同一层级每个键只能出现一次")]


def test_a_colon_in_an_unquoted_value_is_a_syntax_error_at_its_line(ledger_dir):
    ledger_dir.item(altered(ITEM, "提出人: 张三", "提出人: 张三: 李四"))
    assert check(ledger_dir) == [
        Problem(PATH, 6, "", "YAML 格式错误：此处不能出现“键: 值”，多半是缩进不对或值中有未加引号的冒号"),
    ]


def test_an_unclosed_bracket_is_a_syntax_error_at_its_line(ledger_dir):
    ledger_dir.item(altered(ITEM, "联名: [李四, 王五]", "联名: [李四, 王五"))
    assert check(ledger_dir) == [Problem(PATH, 8, "", "YAML 格式错误：方括号列表未闭合或缺少逗号")]


def test_an_empty_file_is_reported(ledger_dir):
    ledger_dir.write(PATH, "")
    assert check(ledger_dir) == [Problem(PATH, 1, "", "文件为空")]


def test_a_file_of_comments_only_is_empty(ledger_dir):
    ledger_dir.write(PATH, "# 待登记\n")
    assert check(ledger_dir) == [Problem(PATH, 1, "", "文件为空")]


def test_a_file_that_is_a_list_is_reported(ledger_dir):
    ledger_dir.write(PATH, "- 编号: 2024-J-015\n- 类型: 建议\n")
    problems = check(ledger_dir)
    assert problems == [Problem(PATH, 1, "", "文件应由“键: 值”组成，不是列表或单个值")]
    assert problems[0].format() == "2024/2024-J-015.yaml:1: 文件应由“键: 值”组成，不是列表或单个值"


def test_a_file_that_is_a_single_value_is_reported(ledger_dir):
    ledger_dir.write(PATH, "关于加强校园周边环境综合治理的建议\n")
    assert check(ledger_dir) == [Problem(PATH, 1, "", "文件应由“键: 值”组成，不是列表或单个值")]


# --- values that read but are wrong -----------------------------------------------------------------------


def test_an_impossible_date_is_a_field_problem(ledger_dir):
    ledger_dir.item(altered(ITEM, "提出日期: 2024-01-20", "提出日期: 2024-02-30"))
    problems = check(ledger_dir)
    assert problems == [Problem(PATH, 9, "提出日期", "“2024-02-30”不是有效日期", "日期写作 2024-03-20")]
    assert problems[0].format() == "2024/2024-J-015.yaml:9: 提出日期: “2024-02-30”不是有效日期（日期写作 2024-03-20）"


def test_an_impossible_date_inside_the_assignment_is_a_field_problem(ledger_dir):
    ledger_dir.item(altered(ASSIGNED, "日期: 2024-03-20", "日期: 2024-13-01"))
    assert check(ledger_dir) == [Problem(PATH, 15, "交办.日期", "“2024-13-01”不是有效日期", "日期写作 2024-03-20")]


def test_yaml_1_2_yes_stays_text(ledger_dir):
    path = ledger_dir.item(altered(ITEM, "标题: 关于加强校园周边环境综合治理的建议", "标题: yes"))
    loaded = load_item(ledger_dir.ledger(), path, today=TODAY)
    assert loaded.problems == []
    assert loaded.item.title == "yes"


def test_yaml_1_2_a_leading_zero_is_not_octal(ledger_dir):
    path = ledger_dir.item(altered(ITEM, "案号: 15", "案号: 010"))
    loaded = load_item(ledger_dir.ledger(), path, today=TODAY)
    assert loaded.problems == []
    assert loaded.item.case_number == "10"


def test_yaml_1_2_yes_is_not_a_boolean(ledger_dir):
    ledger_dir.item(altered(ITEM, "重点督办: false", "重点督办: yes"))
    assert check(ledger_dir) == [Problem(PATH, 11, "重点督办", "“yes”应为 true 或 false")]


# --- stray files in a year folder -------------------------------------------------------------------------


def test_a_stray_file_in_a_year_folder_is_reported(ledger_dir):
    ledger_dir.write("2024/notes.txt", "记得催办\n")
    problems = check(ledger_dir)
    assert problems == [Problem("2024/notes.txt", None, "", "年度文件夹中只能有条目文件（如 2024-J-015.yaml）")]
    assert problems[0].format() == "2024/notes.txt: 年度文件夹中只能有条目文件（如 2024-J-015.yaml）"


def test_an_item_file_ending_in_yml_is_reported_with_its_new_name(ledger_dir):
    ledger_dir.write("2024/2024-J-016.yml", altered(ITEM, "2024-J-015", "2024-J-016"))
    problems = check(ledger_dir)
    assert problems == [Problem("2024/2024-J-016.yml", None, "", "条目文件应以 .yaml 结尾", "改名为 2024-J-016.yaml")]
    assert problems[0].format() == "2024/2024-J-016.yml: 条目文件应以 .yaml 结尾（改名为 2024-J-016.yaml）"


def test_an_item_file_named_with_non_ascii_digits_is_not_an_item_file(ledger_dir):
    # an 编号 is ASCII on purpose (paths, commit messages, shell commands): full-width digits are not one
    ledger_dir.write("2024/2024-J-０１５.yaml", altered(ITEM, "2024-J-015", "2024-J-０１５"))
    assert check(ledger_dir) == [
        Problem("2024/2024-J-０１５.yaml", None, "", "年度文件夹中只能有条目文件（如 2024-J-015.yaml）"),
    ]


def test_a_folder_inside_a_year_folder_is_reported(ledger_dir):
    (ledger_dir.root / "2024" / "旧件").mkdir()
    assert check(ledger_dir) == [Problem("2024/旧件", None, "", "年度文件夹中不应有子文件夹")]


# --- every file, in file order ----------------------------------------------------------------------------


def test_problems_of_every_file_are_reported_sorted_by_path_then_line(ledger_dir):
    # 2024-J-015: an unknown unit (line 17) and a type that does not match its letter (line 2)
    ledger_dir.item(altered(altered(ASSIGNED, "主办: [县教育和体育局]", "主办: [农业农村局]"), "类型: 建议", "类型: 提案"))
    # 2024-J-002: an impossible date
    ledger_dir.item(altered(altered(ITEM, "2024-J-015", "2024-J-002"), "提出日期: 2024-01-20", "提出日期: 2024-02-30"))
    # 2023-T-001: written as a list
    ledger_dir.write("2023/2023-T-001.yaml", "- 编号: 2023-T-001\n")
    ledger_dir.write("2024/notes.txt", "记得催办\n")
    problems = check(ledger_dir)
    assert [problem.format() for problem in problems] == [
        "2023/2023-T-001.yaml:1: 文件应由“键: 值”组成，不是列表或单个值",
        "2024/2024-J-002.yaml:9: 提出日期: “2024-02-30”不是有效日期（日期写作 2024-03-20）",
        "2024/2024-J-015.yaml:2: 类型: 类型“提案”与编号中的字母 J 不符（J 为建议，T 为提案）",
        "2024/2024-J-015.yaml:17: 交办.主办[1]: “农业农村局”不是 tiandz.yaml 中的承办单位",
        "2024/notes.txt: 年度文件夹中只能有条目文件（如 2024-J-015.yaml）",
    ]


def test_a_bad_file_does_not_hide_the_problems_of_the_next(ledger_dir):
    write_bytes(ledger_dir, "2024/2024-J-001.yaml", ITEM.replace("2024-J-015", "2024-J-001").encode("gbk"))
    ledger_dir.write("2024/2024-J-002.yaml", "")
    ledger_dir.item(altered(ASSIGNED, "方式: 单办", "方式: 会办"))
    assert check(ledger_dir) == [
        Problem("2024/2024-J-001.yaml", 1, "", "文件不是 UTF-8 编码", "请用 UTF-8 另存（记事本：另存为 → 编码 UTF-8）"),
        Problem("2024/2024-J-002.yaml", 1, "", "文件为空"),
        Problem(PATH, 16, "交办.方式", "会办须有至少一个协办单位", "没有协办单位时方式为单办"),
    ]


# --- a broken tiandz.yaml ---------------------------------------------------------------------------------


def test_an_unknown_key_in_the_configuration_is_reported_with_its_line(ledger_dir):
    ledger_dir.write("tiandz.yaml", altered(CONFIG, "承办单位:", "承办单元:"))
    ledger_dir.item(ITEM)
    problems = check(ledger_dir)
    assert problems == [Problem("tiandz.yaml", 6, "承办单元", "未知字段“承办单元”", "是否为“承办单位”？")]
    assert problems[0].format() == "tiandz.yaml:6: 承办单元: 未知字段“承办单元”（是否为“承办单位”？）"


def test_a_time_limit_in_the_wrong_form_is_reported_with_its_line(ledger_dir):
    ledger_dir.write("tiandz.yaml", CONFIG + "时限:\n  答复: 3月\n")  # CONFIG is lines 1-18
    assert check(ledger_dir) == [
        Problem("tiandz.yaml", 20, "时限.答复", "时限“3月”应写作“N个月”“N天”或“N个工作日”"),
    ]


def test_a_retired_time_limit_is_still_read_with_a_warning_naming_its_line(ledger_dir, cli):
    # 时限.公开 was configured by earlier tiandz.yaml files; nothing records a 公开日期, so no rule can use it.
    ledger_dir.write("tiandz.yaml", CONFIG + "时限:\n  答复: 2个月\n  公开: 20个工作日\n")  # CONFIG is lines 1-18
    ledger_dir.item(ASSIGNED)
    assert check(ledger_dir) == [
        Problem("tiandz.yaml", 21, "时限.公开", "时限.公开 不再使用：台账不记录公开日期，没有规则用到它", "可以删除这一行", "警告"),
    ]
    assert ledger_dir.ledger().config.limits.reply == "2个月"  # the rest of the file is read as before
    assert cli("show", "J-15", "--ledger", ledger_dir.root).code == 0


def test_an_account_named_for_two_owners_is_reported_with_its_line(ledger_dir):
    """The guard would take the account's pushes for the office's, or for the first unit's that names it."""
    config = altered(CONFIG, "    简称: [公安局]\n", "    简称: [公安局]\n    账号: [gongan, duchashi]\n")
    ledger_dir.write("tiandz.yaml", config + "服务器:\n  机关账号: [duchashi]\n")
    ledger_dir.item(ITEM)
    problems = check(ledger_dir)
    assert [problem.format() for problem in problems] == [
        "tiandz.yaml:15: 承办单位[2].账号[2]: 账号“duchashi”已是交办机关的账号（服务器上一个账号只能属于一个单位或交办机关）",
    ]


def test_a_configuration_that_is_not_yaml_is_reported(ledger_dir):
    ledger_dir.write("tiandz.yaml", altered(CONFIG, "年度: 2024", "年度: [2024"))
    problems = check(ledger_dir)
    assert len(problems) == 1
    assert problems[0].path == "tiandz.yaml"
    assert problems[0].line is not None
    assert problems[0].message.startswith("YAML 格式错误")


# --- the command line -------------------------------------------------------------------------------------


def test_check_prints_one_line_per_problem_and_exits_1(ledger_dir, cli):
    ledger_dir.item(altered(ASSIGNED, "方式: 单办", "方式: 会办"))
    ledger_dir.write("2024/notes.txt", "记得催办\n")
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "2024/2024-J-015.yaml:16: 交办.方式: 会办须有至少一个协办单位（没有协办单位时方式为单办）",
        "2024/notes.txt: 年度文件夹中只能有条目文件（如 2024-J-015.yaml）",
    ]
    assert "Traceback" not in result.out + result.err
    assert "发现 2 个错误、0 个警告" in result.err


def test_check_reports_a_broken_file_without_crashing(ledger_dir, cli):
    write_bytes(ledger_dir, PATH, ITEM.encode("gbk"))
    ledger_dir.write("2024/2024-J-016.yaml", "")
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "2024/2024-J-015.yaml:1: 文件不是 UTF-8 编码（请用 UTF-8 另存（记事本：另存为 → 编码 UTF-8））",
        "2024/2024-J-016.yaml:1: 文件为空",
    ]
    assert "内部错误" not in result.err


def test_check_json_gives_the_problems_as_data(ledger_dir, cli):
    ledger_dir.item(altered(ASSIGNED, "方式: 单办", "方式: 会办"))
    result = cli("check", "--json", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert json.loads(result.out) == {
        "problems": [
            {
                "path": PATH,
                "line": 16,
                "field": "交办.方式",
                "message": "会办须有至少一个协办单位",
                "hint": "没有协办单位时方式为单办",
                "severity": "error",
            }
        ],
        "errors": 1,
    }


def test_check_on_a_clean_ledger_exits_0(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0
    assert result.out == ""
    assert "检查通过" in result.err


def test_check_with_warnings_only_exits_0(ledger_dir, cli):
    ledger_dir.item(altered(ASSIGNED, "主办: [县教育和体育局]", "主办: [县教体局]"))
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0
    assert result.out.splitlines() == [
        "2024/2024-J-015.yaml:17: 交办.主办[1]: “县教体局”是简称，文件中应写全称（改为“县教育和体育局”）［警告］",
    ]


def test_check_of_a_broken_configuration_prints_its_line_and_exits_1(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", CONFIG + "时限:\n  答复: 3月\n")
    ledger_dir.item(ITEM)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.out.splitlines() == ["tiandz.yaml:20: 时限.答复: 时限“3月”应写作“N个月”“N天”或“N个工作日”"]
    assert "Traceback" not in result.out + result.err


def test_check_of_one_named_file(ledger_dir, cli):
    ledger_dir.item(altered(ASSIGNED, "方式: 单办", "方式: 会办"))
    ledger_dir.write("2024/2024-J-016.yaml", "")
    result = cli("check", str(ledger_dir.root / PATH), "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "2024/2024-J-015.yaml:16: 交办.方式: 会办须有至少一个协办单位（没有协办单位时方式为单办）",
    ]
