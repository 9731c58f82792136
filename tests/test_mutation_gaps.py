"""Behaviours a mutation run found unguarded, each pinned through the command line only.

1. 规则.基本满意需重新办理: 基本满意 reopens the item (重新办理, a new due date) only when tiandz.yaml says so.
2. 并案: the named items must exist (check), are well formed and not the item itself; each item keeps its
   own state and counts on its own.
3. The scan cache (.tiandz/) sees an edit that keeps the file's size, and a file written in the last
   seconds is not trusted to the cache at all.
4. A 延期 granted after the answer does not make a late answer timely, and does not change a report for
   a date before it was granted.
5. On its due date an item is not yet overdue; the day after it is.

Everything goes through `tiandz …` (the `cli` fixture) and is judged on the files, on `git log` and on the
JSON the commands print. `list` has no as-of option: it judges against the real today, so the due dates of
its tests are written relative to the real today.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import pytest
from conftest import ANSWERED, ASSIGNED, CONFIG, CONTACTED, ITEM

ID = "2024-J-015"
PATH = f"2024/{ID}.yaml"
UNIT = "县教育和体育局"
BASIC_REDO_CONFIG = CONFIG + "规则:\n  基本满意需重新办理: true\n"


def ok(cli, ledger_dir, *arguments):
    result = cli(*arguments, "--ledger", ledger_dir.root)
    assert result.code == 0, (arguments, result.out, result.err)
    return result


def listed(cli, ledger_dir, *options) -> dict:
    """`tiandz list --json`, by 编号."""
    return {row["编号"]: row for row in json.loads(ok(cli, ledger_dir, "list", "--json", *options).out)}


def report(cli, ledger_dir, as_of: str) -> dict:
    return json.loads(ok(cli, ledger_dir, "report", "--format", "json", "-o", "-", "--as-of", as_of).out)


def check_json(cli, ledger_dir, *paths) -> tuple[int, list[dict]]:
    result = cli("check", "--json", *paths, "--ledger", ledger_dir.root)
    assert result.code in (0, 1), (result.out, result.err)
    return result.code, json.loads(result.out)["problems"]


def unit_row(data: dict, unit: str = UNIT) -> dict:
    return next(row for row in data["units"] if row["unit"] == unit)


def other(number: int, *, assigned: bool = True, merged: str | None = None) -> str:
    """Another 建议 of the same ledger, 2024-J-NNN, assigned to the 教体局 on 2024-03-20 unless not."""
    text = ITEM.replace("编号: 2024-J-015", f"编号: 2024-J-{number:03d}").replace("案号: 15", f"案号: {number}")
    text = text.replace("关于加强校园周边环境综合治理的建议", f"关于第{number}件事的建议")
    if merged:
        text = text.replace("重点督办: false\n", f"重点督办: false\n并案: [{merged}]\n")
    if assigned:
        text += "交办:\n  日期: 2024-03-20\n  方式: 单办\n  主办: [县教育和体育局]\n"
    return text


def with_merged(text: str, merged: str) -> str:
    return text.replace("重点督办: false\n", f"重点督办: false\n并案: [{merged}]\n")


# 1. 基本满意需重新办理 ------------------------------------------------------------------------------------


def test_basic_satisfaction_reopens_the_item_when_the_rule_says_so_and_the_next_answer_ends_it(ledger_dir, cli, tmp_path):
    ledger_dir.write("tiandz.yaml", BASIC_REDO_CONFIG)
    ledger_dir.item(ANSWERED)
    ledger_dir.commit_all("已答复")
    said = ok(cli, ledger_dir, "feedback", "J-15", "--result", "基本满意", "--date", "2024-06-20").out
    assert "转入重新办理" in said and "2024-07-20" in said  # 评价日期 plus 重新办理 (1个月)
    assert "基本满意" in ledger_dir.log()[0]
    row = listed(cli, ledger_dir)[ID]
    assert (row["状态"], row["时限"]) == ("重新办理", "2024-07-20")
    assert ID in [row["编号"] for row in json.loads(ok(cli, ledger_dir, "list", "--json", "--state", "重新办理").out)]
    # The new due date is the 重新办理 round's: not overdue on it, overdue the day after.
    assert report(cli, ledger_dir, "2024-07-20")["overdue"] == []
    late = report(cli, ledger_dir, "2024-07-21")
    assert late["overdue"] == [ID]
    assert late["overdue_items"][0]["state"] == "重新办理" and late["overdue_items"][0]["due"] == "2024-07-20"
    # Not closable until answered again; nothing written by the refusal.
    before = (ledger_dir.root / PATH).read_text(encoding="utf-8")
    refused = cli("close", "J-15", "--date", "2024-06-25", "--ledger", ledger_dir.root)
    assert refused.code == 1 and "须重新答复后再办结" in refused.out + refused.err
    assert (ledger_dir.root / PATH).read_text(encoding="utf-8") == before
    # The next answer ends the round: 已答复 again, then evaluated and closed.
    text_file = tmp_path / "再次答复.txt"
    text_file.write_text("已重新办理。\n", encoding="utf-8")
    ok(cli, ledger_dir, "reply", "J-15", "--category", "A", "--text-file", text_file, "--date", "2024-07-10")
    row = listed(cli, ledger_dir)[ID]
    assert (row["状态"], row["逾期"]) == ("已答复", False)
    ok(cli, ledger_dir, "feedback", "J-15", "--result", "满意", "--date", "2024-07-15")
    ok(cli, ledger_dir, "close", "J-15", "--date", "2024-07-20")
    assert listed(cli, ledger_dir)[ID]["状态"] == "已办结"
    assert len(ledger_dir.log()) == 6  # init, fixture, feedback, reply, feedback, close


def test_basic_satisfaction_leaves_the_item_answered_and_closable_by_default(ledger_dir, cli):
    ledger_dir.item(ANSWERED)
    ledger_dir.commit_all("已答复")
    said = ok(cli, ledger_dir, "feedback", "J-15", "--result", "基本满意", "--date", "2024-06-20").out
    assert "重新办理" not in said and "tiandz close" in said
    row = listed(cli, ledger_dir)[ID]
    assert (row["状态"], row["时限"], row["逾期"]) == ("已答复", None, False)
    assert report(cli, ledger_dir, "2024-12-31")["overdue"] == []
    ok(cli, ledger_dir, "close", "J-15", "--date", "2024-06-25")
    assert "办结: 2024-06-25" in (ledger_dir.root / PATH).read_text(encoding="utf-8")
    assert listed(cli, ledger_dir)[ID]["状态"] == "已办结"


def test_the_basic_satisfaction_rule_decides_the_state_of_a_file_already_written(ledger_dir, cli):
    """The same file is 已答复 or 重新办理 by tiandz.yaml alone (state is derived, never stored)."""
    ledger_dir.item(ANSWERED + "评价:\n  - 日期: 2024-06-20\n    结果: 基本满意\n")
    ledger_dir.commit_all()
    assert listed(cli, ledger_dir)[ID]["状态"] == "已答复"
    ledger_dir.write("tiandz.yaml", BASIC_REDO_CONFIG)
    assert listed(cli, ledger_dir)[ID]["状态"] == "重新办理"


# 2. 并案 ----------------------------------------------------------------------------------------------


def test_check_requires_the_merged_item_to_exist(ledger_dir, cli):
    ledger_dir.item(with_merged(ASSIGNED, "2024-J-021"))
    code, problems = check_json(cli, ledger_dir)
    assert code == 1
    assert [(p["path"], p["field"], p["message"]) for p in problems] == [
        (PATH, "并案", "并案的 2024-J-021 在台账中不存在")
    ]
    ledger_dir.item(other(21, merged=ID))
    assert check_json(cli, ledger_dir) == (0, [])


def test_check_sees_a_merged_item_disappear_even_when_the_scan_is_cached(ledger_dir, cli):
    ledger_dir.item(with_merged(ASSIGNED, "2024-J-021"))
    ledger_dir.item(other(21))
    _age(ledger_dir.root / PATH, 100)
    _age(ledger_dir.root / "2024/2024-J-021.yaml", 100)
    assert check_json(cli, ledger_dir) == (0, [])
    assert (ledger_dir.ledger().state_folder / "scan-cache.json").is_file()  # the scan was cached
    (ledger_dir.root / "2024/2024-J-021.yaml").unlink()
    code, problems = check_json(cli, ledger_dir)
    assert code == 1 and [p["message"] for p in problems] == ["并案的 2024-J-021 在台账中不存在"]


@pytest.mark.parametrize(
    ("merged", "message"),
    [("J-21", "“J-21”不是有效的编号"), (ID, "不能与自身并案")],
)
def test_check_rejects_a_malformed_or_self_merge(ledger_dir, cli, merged, message):
    ledger_dir.item(with_merged(ASSIGNED, merged))
    code, problems = check_json(cli, ledger_dir)
    assert code == 1
    assert [(p["path"], p["field"], p["message"]) for p in problems] == [(PATH, "并案[1]", message)]
    assert problems[0]["line"] == 12  # the 并案 line, right after 重点督办


def test_merged_items_each_keep_their_own_state_and_count_on_their_own(ledger_dir, cli, tmp_path):
    """"Each still gets its own reply": answering one does not answer the other; both are counted."""
    ledger_dir.item(with_merged(CONTACTED, "2024-J-021"))
    ledger_dir.item(other(21, merged=ID) + "沟通:\n  - 日期: 2024-04-02\n    方式: 电话\n    单位: 县教育和体育局\n")
    ledger_dir.commit_all()
    text_file = tmp_path / "答复.txt"
    text_file.write_text("已办。\n", encoding="utf-8")
    ok(cli, ledger_dir, "reply", "J-15", "--category", "A", "--text-file", text_file, "--date", "2024-06-01")
    rows = listed(cli, ledger_dir)
    assert (rows[ID]["状态"], rows["2024-J-021"]["状态"]) == ("已答复", "办理中")
    data = report(cli, ledger_dir, "2024-06-30")
    assert (data["total"], data["assigned"], data["answered"], data["overdue"]) == (2, 2, 1, ["2024-J-021"])
    assert unit_row(data)["lead"] == 2


def test_check_of_one_named_file_finds_a_merged_item_that_exists_in_the_ledger(ledger_dir, cli):
    """`tiandz check FILE` is the pre-commit hook: the merged item exists, but was not named."""
    ledger_dir.item(with_merged(ASSIGNED, "2024-J-021"))
    ledger_dir.item(other(21))
    assert check_json(cli, ledger_dir, ledger_dir.root / PATH) == (0, [])


# 3. The scan cache ------------------------------------------------------------------------------------


def _age(path, seconds: int) -> int:
    """Give the file an mtime `seconds` in the past (out of the racy window); returns it in ns."""
    mtime = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(mtime, mtime))
    return mtime


def _same_size_edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1 and len(old.encode()) == len(new.encode())
    size = path.stat().st_size
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert path.stat().st_size == size


def test_a_same_size_edit_of_the_title_shows_in_the_next_list(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    _age(path, 100)
    assert listed(cli, ledger_dir)[ID]["标题"] == "关于加强校园周边环境综合治理的建议"
    assert (ledger_dir.ledger().state_folder / "scan-cache.json").is_file()
    assert listed(cli, ledger_dir)[ID]["标题"] == "关于加强校园周边环境综合治理的建议"  # now from the cache
    _same_size_edit(path, "综合治理", "专项整治")
    _age(path, 50)  # a later edit: same size, another mtime
    assert listed(cli, ledger_dir)[ID]["标题"] == "关于加强校园周边环境专项整治的建议"


def test_a_same_size_edit_that_breaks_a_date_shows_in_the_next_check(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    _age(path, 100)
    assert check_json(cli, ledger_dir) == (0, [])
    assert check_json(cli, ledger_dir) == (0, [])  # now from the cache
    _same_size_edit(path, "日期: 2024-03-20", "日期: 2024-01-10")  # 交办 before 提出日期 (2024-01-20)
    _age(path, 50)
    code, problems = check_json(cli, ledger_dir)
    assert code == 1
    assert [(p["field"], p["message"]) for p in problems] == [("交办.日期", "交办日期 2024-01-10 早于提出日期 2024-01-20")]
    assert problems[0]["line"] == 15


def test_a_file_written_moments_ago_is_not_trusted_to_the_cache(ledger_dir, cli):
    """Within the racy window an edit can keep both size and mtime; such a file is read again every time.

    Its mtime is put a minute ahead, so that the window holds however slow the machine: only the rule
    "written in the last seconds: do not cache" is tested, not the speed of the test.
    """
    path = ledger_dir.item(ASSIGNED)
    mtime = time.time_ns() + 60 * 1_000_000_000
    os.utime(path, ns=(mtime, mtime))
    assert check_json(cli, ledger_dir) == (0, [])
    _same_size_edit(path, "日期: 2024-03-20", "日期: 2024-01-10")
    os.utime(path, ns=(mtime, mtime))  # the very same size and mtime
    code, problems = check_json(cli, ledger_dir)
    assert code == 1 and [p["field"] for p in problems] == ["交办.日期"]


def test_an_edit_of_tiandz_yaml_is_seen_by_items_the_cache_already_knows(ledger_dir, cli):
    path = ledger_dir.item(ANSWERED + "评价:\n  - 日期: 2024-06-20\n    结果: 基本满意\n")
    _age(path, 100)
    assert listed(cli, ledger_dir)[ID]["状态"] == "已答复"
    assert listed(cli, ledger_dir)[ID]["状态"] == "已答复"  # now from the cache
    config = ledger_dir.write("tiandz.yaml", BASIC_REDO_CONFIG)
    _age(config, 100)
    assert listed(cli, ledger_dir)[ID]["状态"] == "重新办理"


# 4. A 延期 after the answer ---------------------------------------------------------------------------


def test_an_extension_granted_after_a_late_answer_does_not_make_it_on_time(ledger_dir, cli, tmp_path):
    """Due 2024-06-20 (交办 2024-03-20 plus 3个月), answered 2024-07-01; 不满意 on 2024-07-05 reopens it and the
    重新办理 round is extended on 2024-07-06: the first answer stays late."""
    ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    text_file = tmp_path / "答复.txt"
    text_file.write_text("已办。\n", encoding="utf-8")
    ok(cli, ledger_dir, "reply", "J-15", "--category", "B", "--text-file", text_file, "--date", "2024-07-01")
    ok(cli, ledger_dir, "feedback", "J-15", "--result", "不满意", "--date", "2024-07-05")
    said = ok(cli, ledger_dir, "extend", "J-15", "--to", "2024-08-31", "--reason", "涉及跨部门协调", "--date", "2024-07-06").out
    assert "2024-08-31" in said
    assert "至: 2024-08-31" in (ledger_dir.root / PATH).read_text(encoding="utf-8")
    assert listed(cli, ledger_dir)[ID]["时限"] == "2024-08-31"  # the extension holds for the new round
    data = report(cli, ledger_dir, "2024-07-31")
    assert (data["answered"], data["answered_on_time"]) == (1, 0)
    assert data["rates"]["on_time"] == {"rate": 0.0, "numerator": 0, "denominator": 1}
    assert (unit_row(data)["answered"], unit_row(data)["on_time"]) == (1, 0)
    assert data["overdue"] == []  # the 重新办理 round is due 2024-08-31


def test_a_hand_written_extension_dated_after_the_answer_does_not_make_it_on_time(ledger_dir, cli):
    late = ANSWERED.replace("日期: 2024-06-01", "日期: 2024-07-01")
    ledger_dir.item(late + "延期:\n  - 日期: 2024-07-05\n    至: 2024-08-20\n    理由: 涉及跨部门协调\n")
    ledger_dir.commit_all()
    assert check_json(cli, ledger_dir) == (0, [])
    data = report(cli, ledger_dir, "2024-12-31")
    assert (data["answered"], data["answered_on_time"], unit_row(data)["on_time"]) == (1, 0, 0)


def test_an_extension_granted_before_the_answer_makes_it_on_time(ledger_dir, cli):
    """The control: the same late answer is on time when the 延期 came first."""
    late = ANSWERED.replace("日期: 2024-06-01", "日期: 2024-07-01")
    ledger_dir.item(late + "延期:\n  - 日期: 2024-06-10\n    至: 2024-08-20\n    理由: 涉及跨部门协调\n")
    ledger_dir.commit_all()
    data = report(cli, ledger_dir, "2024-12-31")
    assert (data["answered"], data["answered_on_time"], unit_row(data)["on_time"]) == (1, 1, 1)


def test_an_extension_does_not_change_a_report_for_a_day_before_it_was_granted(ledger_dir, cli):
    """Overdue since 2024-06-21, extended on 2024-06-28 to 2024-08-20: a report for 2024-06-25 stays as it was."""
    ledger_dir.item(CONTACTED + "延期:\n  - 日期: 2024-06-28\n    至: 2024-08-20\n    理由: 涉及跨部门协调\n")
    ledger_dir.commit_all()
    before = report(cli, ledger_dir, "2024-06-25")
    assert before["overdue"] == [ID]
    assert (before["overdue_items"][0]["due"], before["overdue_items"][0]["days_overdue"]) == ("2024-06-20", 5)
    assert unit_row(before)["overdue"] == 1
    after = report(cli, ledger_dir, "2024-06-30")
    assert after["overdue"] == [] and unit_row(after)["overdue"] == 0


# 5. The due date itself -------------------------------------------------------------------------------


def test_list_an_item_due_today_is_not_overdue_and_one_due_yesterday_is(ledger_dir, cli):
    today = dt.date.today()
    ledger_dir.item(ASSIGNED + f"  时限: {today.isoformat()}\n")
    ledger_dir.item(other(16) + f"  时限: {(today - dt.timedelta(days=1)).isoformat()}\n")
    rows = listed(cli, ledger_dir)
    assert (rows[ID]["剩余天数"], rows[ID]["逾期"]) == (0, False)
    assert (rows["2024-J-016"]["剩余天数"], rows["2024-J-016"]["逾期"]) == (-1, True)
    assert list(listed(cli, ledger_dir, "--overdue")) == ["2024-J-016"]
    assert list(listed(cli, ledger_dir, "--due-within", "0")) == [ID]


def test_report_an_item_is_overdue_from_the_day_after_its_due_date(ledger_dir, cli):
    ledger_dir.item(CONTACTED)  # due 2024-06-20: 交办 2024-03-20 plus 3个月
    ledger_dir.commit_all()
    on_the_day = report(cli, ledger_dir, "2024-06-20")
    assert (on_the_day["overdue"], on_the_day["overdue_items"], unit_row(on_the_day)["overdue"]) == ([], [], 0)
    day_after = report(cli, ledger_dir, "2024-06-21")
    assert day_after["overdue"] == [ID] and day_after["notify"] == [UNIT]
    assert day_after["overdue_items"][0]["days_overdue"] == 1
