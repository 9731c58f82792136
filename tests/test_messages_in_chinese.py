"""Every message is Chinese and names the file and line where there is one (issue 11).

A hostile or broken file (a billion laughs, ten thousand brackets, a number of 5,000 digits, a key that is
not text), a disk that refuses a write, a path pasted five times over, a list of thousands of bad rows: each
is a clerk's sentence with its file and line, exit 1, nothing written, never "内部错误", a traceback or the
English of the library underneath.
"""

from __future__ import annotations

import errno
import json
import os

import pytest
from conftest import ASSIGNED, ITEM, git

from tiandz.core.problems import TiandzError

PATH = "2024/2024-J-015.yaml"
LONG = "长" * 5000


def chinese_refusal(result, *english: str) -> str:
    """The whole output of a refused command, after asserting it is a refusal a clerk can read."""
    text = result.out + result.err
    assert result.code == 1, text
    for word in ("内部错误", "Traceback", "Errno", *english):
        assert word not in text, text
    assert any("\u4e00" <= character <= "\u9fff" for character in text)
    return text


def unchanged(ledger_dir, head: str) -> None:
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    assert git(ledger_dir.root, "status", "--porcelain", "--untracked-files=all") == ""


def committed(ledger_dir, text: str, path: str = PATH) -> str:
    ledger_dir.write(path, text)
    ledger_dir.commit_all("fixture")
    return git(ledger_dir.root, "rev-parse", "HEAD")


# --- files made to hurt the reader -----------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
)


def test_a_billion_laughs_is_refused_at_its_first_anchor_by_check_show_and_a_step(ledger_dir, cli):
    head = committed(ledger_dir, ITEM + BILLION_LAUGHS)  # ITEM is lines 1-13
    for command in (["check"], ["show", "J-15"], ["assign", "J-15", "--lead", "教体局", "--date", "2024-03-20"]):
        text = chinese_refusal(cli(*command, "--ledger", ledger_dir.root), "alias", "replay")
        assert f"{PATH}:14: 台账文件中不能使用 YAML 锚点和别名（& 和 *）" in text
    unchanged(ledger_dir, head)


def test_an_alias_in_tiandz_yaml_is_refused_with_its_line(ledger_dir, cli):
    config = (ledger_dir.root / "tiandz.yaml").read_text(encoding="utf-8")
    head = committed(ledger_dir, config.replace("机关: 某县人民政府办公室", "机关: &org 某县人民政府办公室") + "抄送: *org\n", "tiandz.yaml")
    text = chinese_refusal(cli("check", "--ledger", ledger_dir.root))
    assert "tiandz.yaml:1: 台账文件中不能使用 YAML 锚点和别名（& 和 *）" in text
    unchanged(ledger_dir, head)


def test_an_ampersand_or_asterisk_inside_text_is_only_text(ledger_dir, cli):
    ledger_dir.item(ITEM.replace("校园周边交通秩序混乱。", "*重点* 交通 & 秩序 &混乱 *1").replace("标题: 关于", "标题: 甲&乙 *丙* 关于"))
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize(
    "value",
    [
        "联名: " + "[" * 10_000 + "李四" + "]" * 10_000 + "\n",
        "备注: " + "{a: " * 10_000 + "x" + "}" * 10_000 + "\n",
        "备注:\n  " + "- " * 10_000 + "x\n",
        "备注:\n" + "".join(" " * level + "a:\n" for level in range(1, 2000)) + " " * 2000 + "x\n",
        "备注:\r" + "".join(" " * level + "a:\r" for level in range(1, 2000)) + " " * 2000 + "x\n",  # old Mac line ends
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "block-mappings", "block-mappings-cr"],
)
def test_nesting_ten_thousand_deep_is_refused_with_its_line_by_both_readers(ledger_dir, cli, value):
    head = committed(ledger_dir, ITEM + value)  # the value starts on line 14
    for command in (["check"], ["assign", "J-15", "--lead", "教体局", "--date", "2024-03-20"]):
        text = chinese_refusal(cli(*command, "--ledger", ledger_dir.root), "recursion", "YAML parse error")
        assert f"{PATH}:" in text and "嵌套太深（超过 50 层）" in text
    unchanged(ledger_dir, head)


def test_a_case_number_of_5000_digits_is_refused_by_check_show_log_and_report(ledger_dir, cli):
    head = committed(ledger_dir, ITEM.replace("案号: 15", "案号: " + "9" * 5000))  # 案号 is line 4
    for command in (["check"], ["show", "J-15"]):
        text = chinese_refusal(cli(*command, "--ledger", ledger_dir.root), "Exceeds the limit", "digits")
        assert f"{PATH}:4: 数字太长（5,000 位）（如果这是编号或文字，给它加上引号）" in text
    log = cli("log", "J-15", "--ledger", ledger_dir.root)
    assert log.code == 0 and "文件无法解析" in log.out and "内部错误" not in log.out + log.err
    report = cli("report", "--format", "json", "-o", "-", "--ledger", ledger_dir.root)
    assert "内部错误" not in report.out + report.err and "Exceeds" not in report.out + report.err
    unchanged(ledger_dir, head)


# --- nothing where a value or a key should be -------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("标题: 关于加强校园周边环境综合治理的建议", "标题:", f"{PATH}:5: 标题: 不能为空（在冒号后写上内容）"),
        ("类型: 建议", "类型: null", f"{PATH}:2: 类型: 不能为空，应为建议、提案之一"),
        ("提出日期: 2024-01-20", "提出日期: ~", f"{PATH}:9: 提出日期: 不能为空（日期写作 2024-03-20）"),
        ("领域: 教育", "领域: 教育\n: 无名", f"{PATH}:11: 冒号前没有字段名（在冒号前写上字段名，或删去这一行）"),
        ("领域: 教育", "领域: 教育\n1: 数字", f"{PATH}:11: 字段名“1”不是文字（字段名是文字，如“标题”；多半是缩进或冒号写错了）"),
        ("领域: 教育", "领域: 教育\n[甲, 乙]: 列表", f"{PATH}:11: 字段名不能是列表或一组“键: 值”（字段名是文字，如“标题”；多半是缩进或冒号写错了）"),
    ],
    ids=["empty-title", "null-type", "null-date", "empty-key", "number-key", "list-key"],
)
def test_a_missing_value_or_key_says_what_is_missing_never_none(ledger_dir, cli, old, new, expected):
    head = committed(ledger_dir, ITEM.replace(old, new))
    text = chinese_refusal(cli("check", "--ledger", ledger_dir.root), "None", "Keys should be strings")
    assert expected in text.splitlines()
    unchanged(ledger_dir, head)


# --- the operating system says no -----------------------------------------------------------------------


def test_a_ledger_path_of_5000_characters_is_too_long_in_chinese(ledger_dir, cli, tmp_path):
    text = chinese_refusal(cli("check", "--ledger", tmp_path / LONG), "File name too long")
    assert "路径太长" in text and "（共 " in text


def test_an_output_path_of_5000_characters_is_too_long_and_nothing_is_written(ledger_dir, cli):
    head = committed(ledger_dir, ASSIGNED)
    for command in (["report", "-o"], ["export", "-o"]):
        text = chinese_refusal(cli(*command, ledger_dir.root / "out" / (LONG + ".xlsx"), "--ledger", ledger_dir.root), "File name too long")
        assert "路径太长" in text
    unchanged(ledger_dir, head)


def test_a_text_file_path_of_5000_characters_is_too_long(ledger_dir, cli, tmp_path):
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    result = cli("new", "--type", "建议", "--title", "测试", "--proposer", "张三", "--text-file", tmp_path / LONG, "--ledger", ledger_dir.root)
    assert "路径太长" in chinese_refusal(result, "File name too long")
    unchanged(ledger_dir, head)


@pytest.mark.parametrize(
    "code, reason", [(errno.EACCES, "没有权限"), (errno.EROFS, "只读文件系统"), (errno.ENOSPC, "磁盘已满")]
)
def test_a_step_on_a_ledger_that_cannot_be_written_names_the_file_and_why(ledger_dir, cli, monkeypatch, code, reason):
    # root ignores permissions, so the refusal of the file system is simulated where the item is written.
    head = committed(ledger_dir, ITEM)
    before = (ledger_dir.root / PATH).read_bytes()
    real_replace = os.replace

    def refuse_to_write(source, target, *arguments, **keywords):
        if str(target).endswith(".yaml"):
            raise OSError(code, os.strerror(code), str(source), None, str(target))
        return real_replace(source, target, *arguments, **keywords)

    monkeypatch.setattr(os, "replace", refuse_to_write)
    result = cli("assign", "J-15", "--lead", "教体局", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    text = chinese_refusal(result, os.strerror(code))
    assert f"{ledger_dir.root / PATH}: 无法读写：{reason}" in text
    assert (ledger_dir.root / PATH).read_bytes() == before
    unchanged(ledger_dir, head)


def test_a_full_disk_while_writing_a_report_is_said_in_chinese(ledger_dir, cli, monkeypatch):
    head = committed(ledger_dir, ASSIGNED)

    def disk_full(handle):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    text = chinese_refusal(cli("report", "--format", "md", "--ledger", ledger_dir.root), "No space left")
    assert "磁盘已满" in text and "out/" in text
    assert not (ledger_dir.root / "out").exists() or not any((ledger_dir.root / "out").iterdir())
    unchanged(ledger_dir, head)


# --- thousands of problems ------------------------------------------------------------------------------


def test_an_import_of_200_bad_rows_lists_50_and_counts_the_rest(ledger_dir, cli, tmp_path):
    sheet = tmp_path / "清单.csv"
    sheet.write_text("标题,提出人\n" + "".join(f",代表{row}\n" for row in range(200)), encoding="utf-8")
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    result = cli("import", sheet, "--type", "建议", "--submitted", "2024-01-20", "--ledger", ledger_dir.root)
    text = chinese_refusal(result)
    lines = text.splitlines()
    assert lines[:2] == ["清单.csv:2: 标题: 不能为空", "清单.csv:3: 标题: 不能为空"]
    assert len(lines) == 51
    assert lines[-1] == "另有 150 行有错误，未列出；共 200 行有错误，一件也未登记"
    unchanged(ledger_dir, head)
    from tiandz import api

    with pytest.raises(TiandzError) as refused:  # a script still gets every problem
        api.import_file(ledger_dir.ledger(), sheet, kind="建议", submitted="2024-01-20")
    assert len(refused.value.problems) == 200


def test_check_lists_50_problems_and_json_gives_all(ledger_dir, cli):
    for number in range(1, 61):
        item_id = f"2024-J-{number:03d}"
        ledger_dir.item(ITEM.replace("2024-J-015", item_id).replace("提出日期: 2024-01-20", "提出日期: 2024-02-30"))
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 51 and lines[0].startswith("2024/2024-J-001.yaml:9: 提出日期:")
    assert lines[-1] == "另有 10 个问题未列出（tiandz check --json 列出全部）"
    assert "发现 60 个错误" in result.err
    listed = json.loads(cli("check", "--json", "--ledger", ledger_dir.root).out)
    assert len(listed["problems"]) == 60
