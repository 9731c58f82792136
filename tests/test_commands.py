"""init, new, list and show as a clerk uses them, checked on the files and on git log."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from conftest import ITEM, git

from tiandz.ledger.folder import Ledger
from tiandz.ops.listing import Filter, list_items

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ledger"
EXAMPLE_DAY = dt.date(2026, 11, 23)


def test_init_makes_a_ledger_under_git_and_refuses_to_overwrite_one(tmp_path, cli):
    root = tmp_path / "县台账"
    result = cli("init", root, "--org", "某县人民政府办公室", "--year", "2024")
    assert result.code == 0
    assert (root / "2024").is_dir() and (root / ".gitignore").read_text() == "out/\n.tiandz/\n"
    config = (root / "tiandz.yaml").read_text(encoding="utf-8")
    assert "机关: 某县人民政府办公室\n年度: 2024\n" in config
    assert git(root, "log", "--format=%B").splitlines()[:3] == ["新建台账", "", "Tiandz-Step: init"]
    assert cli("check", "--ledger", root).code == 0
    again = cli("init", root)
    assert again.code == 1 and "已经是台账" in again.err
    assert len(git(root, "log", "--format=%h").split()) == 1


def test_init_example_copies_the_example_ledger(tmp_path, cli):
    root = tmp_path / "示例"
    result = cli("init", root, "--example", "--org", "宁和县人民政府办公室")
    assert result.code == 0 and "示例件 60 件" in result.out
    assert len(list((root / "2026").glob("*.yaml"))) == 60
    assert "机关: 宁和县人民政府办公室" in (root / "tiandz.yaml").read_text(encoding="utf-8")
    assert git(root, "status", "--porcelain") == ""
    assert cli("check", "--ledger", root).code == 0


def test_new_takes_the_next_number_and_commits_with_trailers(ledger_dir, cli):
    ledger_dir.item(ITEM)
    ledger_dir.commit_all("第15号")
    result = cli(
        "new", "--type", "建议", "--title", "关于增设路灯的建议", "--proposer", "李四", "--cosigner", "王五",
        "--topic", "教育", "--date", "2024年3月1日", "--number", "16", "--ledger", ledger_dir.root,
    )
    assert result.code == 0, result.err
    assert "已登记 2024-J-016：关于增设路灯的建议" in result.out
    text = (ledger_dir.root / "2024" / "2024-J-016.yaml").read_text(encoding="utf-8")
    assert text == (
        "编号: 2024-J-016\n类型: 建议\n届次: 县十六届人大三次会议\n案号: 16\n标题: 关于增设路灯的建议\n提出人: 李四\n"
        "联名: [王五]\n提出日期: 2024-03-01\n领域: 教育\n重点督办: false\n"
    )
    message = git(ledger_dir.root, "log", "-1", "--format=%B")
    assert message.startswith("登记 2024-J-016：关于增设路灯的建议\n")
    assert "Tiandz-Step: new\nTiandz-Item: 2024-J-016" in message
    assert git(ledger_dir.root, "show", "--name-only", "--format=", "HEAD").split() == ["2024/2024-J-016.yaml"]


def test_new_without_a_terminal_names_what_is_missing_and_writes_nothing(ledger_dir, cli):
    result = cli("new", "--type", "提案", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "缺少 --title、--proposer" in result.err
    assert list((ledger_dir.root / "2024").iterdir()) == []


def test_new_refuses_an_unknown_topic_with_a_suggestion(ledger_dir, cli):
    result = cli("new", "--type", "建议", "--title", "关于某事的建议", "--proposer", "张三", "--topic", "教育卫生",
                 "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "领域: 领域“教育卫生”不在 tiandz.yaml 的领域中" in result.err
    assert ledger_dir.log() == ["init"]


def test_a_ledger_is_found_from_a_subfolder_and_a_missing_one_says_how_to_make_one(ledger_dir, tmp_path, cli):
    assert cli("list", cwd=ledger_dir.root / "2024").code == 0
    elsewhere = tmp_path / "空"
    elsewhere.mkdir()
    result = cli("list", cwd=elsewhere)
    assert result.code == 1
    assert "找不到台账" in result.err and "tiandz init" in result.err


def test_list_filters_on_the_example_ledger():
    ledger = Ledger(EXAMPLE)
    overdue = [row.id for row in list_items(ledger, Filter(overdue=True), EXAMPLE_DAY).rows]
    assert overdue == ["2026-J-007", "2026-J-019", "2026-J-024", "2026-T-009"]
    redo = [row.id for row in list_items(ledger, Filter(state="重新办理"), EXAMPLE_DAY).rows]
    assert redo == ["2026-J-030"]
    unassigned = list_items(ledger, Filter(state="待交办", kind="提案"), EXAMPLE_DAY).rows
    assert [row.id for row in unassigned] == ["2026-T-024", "2026-T-025"]
    by_abbreviation = list_items(ledger, Filter(unit="县教体局"), EXAMPLE_DAY).rows
    assert by_abbreviation and all(
        "县教育和体育局" in row.lead_units + row.co_units for row in by_abbreviation
    )
    soon = list_items(ledger, Filter(due_within=15), EXAMPLE_DAY).rows
    assert soon and all(0 <= row.days_left(EXAMPLE_DAY) <= 15 for row in soon)


def test_list_json_and_table(cli):
    result = cli("list", "--overdue", "--json", "--ledger", EXAMPLE)
    rows = json.loads(result.out)
    assert {"2026-J-007", "2026-J-019", "2026-J-024", "2026-T-009"} <= {row["编号"] for row in rows}
    assert all(row["逾期"] and row["剩余天数"] < 0 for row in rows)
    table = cli("list", "--key", "--ledger", EXAMPLE)
    assert table.out.splitlines()[0].split() == ["编号", "标题", "主办", "状态", "时限", "剩余天数"]
    assert "2026-J-003" in table.out and "2026-J-001" not in table.out


def test_list_refuses_an_unknown_state_with_a_suggestion(cli):
    result = cli("list", "--state", "办理", "--ledger", EXAMPLE)
    assert result.code == 1
    assert "--state: 状态“办理”应为待交办、办理中、重新办理、已答复、已办结之一（是否为“办理中”？）" in result.err


def test_show_lays_out_one_item_with_its_state(cli):
    result = cli("show", "J-7", "--ledger", EXAMPLE)
    assert result.code == 0
    assert "2026-J-007" in result.out and "办理中，时限 2026-06-10，已逾期" in result.out
    assert "重点督办" in result.out and "张副县长" in result.out


def test_no_traceback_for_a_bad_id(cli):
    result = cli("show", "../../etc/passwd", "--ledger", EXAMPLE)
    assert result.code == 1
    assert "“../../etc/passwd”不是编号" in result.err and "Traceback" not in result.err


def test_usage_errors_are_chinese_and_exit_2(cli):
    result = cli("list", "--statee", "x", "--ledger", EXAMPLE)
    assert result.code == 2
    assert "用法错误：没有选项 --statee" in result.err


def test_help_is_chinese_and_has_examples():
    output = subprocess.run([sys.executable, "-m", "tiandz", "check", "--help"], capture_output=True, text=True, env={"COLUMNS": "200", "PATH": __import__("os").environ["PATH"]}).stdout
    assert "用法：" in output and "示例：tiandz check" in output and "显示本帮助并退出" in output


def test_every_command_is_listed_with_its_module_so_a_run_loads_only_that_module():
    from tiandz.cli.main import COMMAND_MODULES, _register_commands, app

    _register_commands()
    registered = sorted(command.name for command in app.registered_commands)
    listed = sorted(name for names in COMMAND_MODULES.values() for name in names)
    assert registered == listed


def test_a_mistyped_command_gets_a_chinese_did_you_mean(cli):
    result = cli("shw", "J-1")
    assert result.code == 2
    assert "没有命令 shw（是否为 show？）" in result.err


def test_show_prints_a_long_answer_in_full_wrapped_to_the_terminal_with_its_indent():
    from tiandz import api
    from tiandz.cli.views import display_width, item_lines

    view = api.show_item(Ledger(EXAMPLE), "J-10")
    answer = next(value for key, value in view.fields if key == "答复")[0]["正文"]
    lines = item_lines(view, 60, color=False)
    assert all(display_width(line) <= 60 for line in lines)
    assert not any("…" in line for line in lines)
    first_paragraph = answer.split("\n")[0]
    start = next(index for index, line in enumerate(lines) if "正文：" in line)
    assert "".join(line.strip() for line in lines[start:start + 4]).startswith("正文：" + first_paragraph)
    assert lines[start + 1].startswith(" " * 19) and not lines[start + 1].startswith(" " * 20)  # under the text
    unwrapped = item_lines(view, None, color=False)  # piped: one line per line of the file, for grep
    assert f"             正文：{answer.splitlines()[0]}" in unwrapped
