"""退回申请 and 延期申请 (spec/offices.md "What each may do"): a unit asks, the office decides.

In a unit's clone `return` and `extend` append one `申请` entry (steps return-request, extend-request) and
change nothing else; the office refuses one (`--refuse`: 处理 不同意) or grants it by the 改办 or 延期 it
asked for (处理 同意 in the same commit). `check` keeps the rules of a 申请; `show` marks pending ones;
`log` names the new steps.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml_rs
from clones import J15, J15_PATH, clone_as, make_server, snapshot, trailers
from conftest import git


def read(path: Path) -> dict:
    return yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)


@pytest.fixture
def server(tmp_path: Path) -> Path:
    return make_server(tmp_path)


def push(folder: Path) -> None:
    git(folder, "push", "-q", "origin", "HEAD:main")


def pull(folder: Path) -> None:
    git(folder, "pull", "-q", "--ff-only")


# 退回申请


def test_a_unit_asks_to_return_the_item_and_the_office_grants_it_by_a_reassignment(cli, server, tmp_path):
    unit = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    before = read(unit / J15_PATH)
    asked = cli("return", "J-15", "--reason", "不属于本单位职责", "--suggest", "交通局", "--date", "2024-03-22", "--ledger", unit)
    assert asked.code == 0, asked.err
    after = read(unit / J15_PATH)
    assert after["申请"] == [
        {"类型": "退回", "单位": "县教育和体育局", "日期": "2024-03-22", "理由": "不属于本单位职责", "建议单位": ["县交通运输局"]}
    ]
    assert after["交办"] == before["交办"] and "改办" not in after  # only the office gives the item back
    assert trailers(unit) == {"Tiandz-Step": "return-request", "Tiandz-Item": "2024-J-015", "Tiandz-Unit": "县教育和体育局"}
    assert "待处理" in cli("show", "J-15", "--ledger", unit).out
    assert "退回申请" in cli("log", "J-15", "--ledger", unit).out
    push(unit)

    office = clone_as(cli, server, tmp_path / "督查室", "--office")
    granted = cli("assign", "J-15", "--lead", "交通局", "--co", "公安局", "--reason", "同意退回，改由交通局办理",
                  "--date", "2024-03-25", "--ledger", office)
    assert granted.code == 0, granted.err
    assert "同意县教育和体育局的退回申请" in granted.out
    decided = read(office / J15_PATH)
    assert decided["申请"] == [{
        "类型": "退回", "单位": "县教育和体育局", "日期": "2024-03-22", "理由": "不属于本单位职责", "建议单位": ["县交通运输局"],
        "处理": "同意", "处理日期": "2024-03-25", "处理意见": "同意退回，改由交通局办理",
    }]
    assert decided["交办"]["主办"] == ["县交通运输局"]
    assert trailers(office) == {"Tiandz-Step": "assign", "Tiandz-Item": "2024-J-015"}
    assert cli("check", "--ledger", office).code == 0
    assert "待处理" not in cli("show", "J-15", "--ledger", office).out


def test_the_office_refuses_a_return_request(cli, server, tmp_path):
    unit = clone_as(cli, server, tmp_path / "公安局", "--unit", "公安局")
    assert cli("return", "J-15", "--reason", "非本单位职责", "--date", "2024-03-21", "--ledger", unit).code == 0
    push(unit)
    office = clone_as(cli, server, tmp_path / "督查室", "--office")
    refused = cli("return", "J-15", "--unit", "公安局", "--refuse", "--reason", "涉及校园周边治安，属公安职责",
                  "--date", "2024-03-26", "--ledger", office)
    assert refused.code == 0, refused.err
    data = read(office / J15_PATH)
    assert data["申请"][0] | {} == {
        "类型": "退回", "单位": "县公安局", "日期": "2024-03-21", "理由": "非本单位职责",
        "处理": "不同意", "处理日期": "2024-03-26", "处理意见": "涉及校园周边治安，属公安职责",
    }
    assert data["交办"] == read(tmp_path / "公安局" / J15_PATH)["交办"]  # still the 协办
    assert trailers(office) == {"Tiandz-Step": "return-refuse", "Tiandz-Item": "2024-J-015"}
    assert "不同意退回" in cli("log", "J-15", "--ledger", office).out
    again = snapshot(office)
    twice = cli("return", "J-15", "--unit", "公安局", "--refuse", "--reason", "再次", "--ledger", office)
    assert twice.code == 1 and "没有县公安局的待处理的退回申请" in twice.err
    assert snapshot(office) == again


def test_the_offices_own_return_grants_the_units_pending_request(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "台账", "--unit", "公安局")
    assert cli("return", "J-15", "--reason", "非本单位职责", "--date", "2024-03-21", "--ledger", folder).code == 0
    assert cli("whoami", "--office", "--ledger", folder).code == 0
    done = cli("return", "J-15", "--unit", "公安局", "--reason", "同意", "--date", "2024-03-22", "--ledger", folder)
    assert done.code == 0, done.err
    data = read(folder / J15_PATH)
    assert data["申请"][0]["处理"] == "同意" and data["申请"][0]["处理日期"] == "2024-03-22"
    assert data["交办"]["方式"] == "单办" and "协办" not in data["交办"]
    assert trailers(folder)["Tiandz-Step"] == "return"


def test_one_pending_return_request_per_unit_and_only_inside_the_window(cli, server, tmp_path):
    unit = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    late = snapshot(unit)
    refused = cli("return", "J-15", "--reason", "太晚", "--date", "2024-04-15", "--ledger", unit)
    assert refused.code == 1 and "已过退回期限" in refused.err
    assert snapshot(unit) == late
    assert cli("return", "J-15", "--reason", "不属于本单位", "--date", "2024-03-21", "--ledger", unit).code == 0
    before = snapshot(unit)
    second = cli("return", "J-15", "--reason", "再申请", "--date", "2024-03-22", "--ledger", unit)
    assert second.code == 1 and "已于 2024-03-21 申请退回，尚待交办机关处理" in second.err
    assert snapshot(unit) == before
    other = cli("return", "J-15", "--unit", "公安局", "--reason", "替别人", "--date", "2024-03-22", "--ledger", unit)
    assert other.code == 1 and "这是县教育和体育局的副本，不能替县公安局办理" in other.err
    assert snapshot(unit) == before


def test_a_unit_cannot_decide_a_request(cli, server, tmp_path):
    unit = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    assert cli("return", "J-15", "--reason", "不属于本单位", "--date", "2024-03-21", "--ledger", unit).code == 0
    before = snapshot(unit)
    for arguments in (("return", "J-15", "--refuse", "--reason", "自己不同意"), ("extend", "J-15", "--refuse", "--reason", "x")):
        result = cli(*arguments, "--ledger", unit)
        assert result.code == 1 and "由交办机关办理" in result.err
        assert snapshot(unit) == before


# 延期申请


def test_a_unit_asks_for_more_time_and_the_office_grants_it_by_extending(cli, server, tmp_path):
    unit = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    asked = cli("extend", "J-15", "--to", "2024-08-20", "--reason", "涉及跨部门协调", "--date", "2024-06-01", "--ledger", unit)
    assert asked.code == 0, asked.err
    data = read(unit / J15_PATH)
    assert data["申请"] == [{"类型": "延期", "单位": "县教育和体育局", "日期": "2024-06-01", "理由": "涉及跨部门协调", "至": "2024-08-20"}]
    assert "延期" not in data  # the 时限 moves only when the office grants it
    assert trailers(unit) == {"Tiandz-Step": "extend-request", "Tiandz-Item": "2024-J-015", "Tiandz-Unit": "县教育和体育局"}
    push(unit)
    office = clone_as(cli, server, tmp_path / "督查室", "--office")
    granted = cli("extend", "J-15", "--to", "2024-08-20", "--reason", "同意", "--date", "2024-06-03", "--ledger", office)
    assert granted.code == 0, granted.err
    data = read(office / J15_PATH)
    assert data["延期"] == [{"日期": "2024-06-03", "至": "2024-08-20", "理由": "同意"}]
    assert data["申请"][0]["处理"] == "同意" and data["申请"][0]["处理日期"] == "2024-06-03"
    assert data["申请"][0]["处理意见"] == "延至 2024-08-20：同意"
    assert trailers(office) == {"Tiandz-Step": "extend", "Tiandz-Item": "2024-J-015"}
    pull(unit)
    assert cli("check", "--ledger", unit).code == 0


def test_the_office_refuses_an_extension_request(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "台账", "--unit", "教体局")
    assert cli("extend", "J-15", "--to", "2024-08-20", "--reason", "协调", "--date", "2024-06-01", "--ledger", folder).code == 0
    assert cli("whoami", "--office", "--ledger", folder).code == 0
    refused = cli("extend", "J-15", "--refuse", "--reason", "时间充足", "--date", "2024-06-02", "--ledger", folder)
    assert refused.code == 0, refused.err
    data = read(folder / J15_PATH)
    assert data["申请"][0]["处理"] == "不同意" and data["申请"][0]["处理意见"] == "时间充足"
    assert "延期" not in data
    assert trailers(folder) == {"Tiandz-Step": "extend-refuse", "Tiandz-Item": "2024-J-015"}


def test_when_several_units_asked_for_more_time_the_office_names_the_one_it_refuses(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "台账", "--unit", "教体局")
    assert cli("extend", "J-15", "--to", "2024-08-20", "--reason", "协调", "--date", "2024-06-01", "--ledger", folder).code == 0
    assert cli("whoami", "--unit", "公安局", "--ledger", folder).code == 0
    assert cli("extend", "J-15", "--to", "2024-08-01", "--reason", "调研", "--date", "2024-06-01", "--ledger", folder).code == 0
    assert cli("whoami", "--office", "--ledger", folder).code == 0
    before = snapshot(folder)
    unnamed = cli("extend", "J-15", "--refuse", "--reason", "时间充足", "--date", "2024-06-02", "--ledger", folder)
    assert unnamed.code == 1 and "有多份待处理的延期申请" in unnamed.err and "县教育和体育局、县公安局" in unnamed.err
    assert snapshot(folder) == before
    named = cli("extend", "J-15", "--refuse", "--unit", "公安局", "--reason", "时间充足", "--date", "2024-06-02", "--ledger", folder)
    assert named.code == 0, named.err
    decided = {entry["单位"]: entry.get("处理") for entry in read(folder / J15_PATH)["申请"]}
    assert decided == {"县教育和体育局": None, "县公安局": "不同意"}


def test_an_extension_request_is_never_past_the_longest_limit_and_one_at_a_time(cli, server, tmp_path):
    unit = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    before = snapshot(unit)
    too_far = cli("extend", "J-15", "--to", "2024-12-31", "--reason", "协调", "--date", "2024-06-01", "--ledger", unit)
    assert too_far.code == 1 and "超过最长时限 2024-09-20" in too_far.err
    assert snapshot(unit) == before
    assert cli("extend", "J-15", "--to", "2024-08-20", "--reason", "协调", "--date", "2024-06-01", "--ledger", unit).code == 0
    before = snapshot(unit)
    again = cli("extend", "J-15", "--to", "2024-09-01", "--reason", "再协调", "--date", "2024-06-02", "--ledger", unit)
    assert again.code == 1 and "尚待交办机关处理" in again.err
    assert snapshot(unit) == before
    other = cli("extend", "J-15", "--to", "2024-09-01", "--reason", "替别人", "--unit", "公安局", "--date", "2024-06-02",
                "--ledger", unit)
    assert other.code == 1 and "不能替县公安局办理" in other.err
    assert snapshot(unit) == before


# check


def item_with(requests: str) -> str:
    return J15 + textwrap.dedent(requests)


@pytest.mark.parametrize(
    ("requests", "said"),
    [
        ("申请:\n  - 类型: 退回\n    单位: 县交通运输局\n    日期: 2024-03-21\n    理由: x\n", "不是本件的承办单位"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    至: 2024-08-01\n", "“至”只用于延期申请"),
        ("申请:\n  - 类型: 延期\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n", "延期申请须写明延至哪天"),
        ("申请:\n  - 类型: 延期\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    至: 2024-12-31\n", "超过最长时限"),
        ("申请:\n  - 类型: 延期\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    至: 2024-08-01\n    建议单位: [县交通运输局]\n",
         "建议单位只用于退回申请"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    建议单位: [县水利局]\n", "不是 tiandz.yaml 中的承办单位"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    处理: 同意\n", "须同时写明"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    处理日期: 2024-03-22\n", "须同时写明"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    处理: 同意\n    处理日期: 2024-03-20\n",
         "处理日期 2024-03-20 早于申请日期 2024-03-21"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-19\n    理由: x\n", "早于交办日期"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2099-03-19\n    理由: x\n", "晚于今天"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    处理: 同意\n    处理日期: 2099-01-01\n",
         "晚于今天"),
        ("申请:\n  - 类型: 退回\n    单位: 县公安局\n    日期: 2024-03-21\n    理由: x\n    处理意见: 好\n", "尚未处理的申请不应有处理意见"),
    ],
    ids=["not-handling", "until-on-return", "no-until", "past-longest", "suggest-on-extend", "unknown-suggested",
         "decision-without-date", "date-without-decision", "decided-before-asked", "before-assignment", "future",
         "decided-in-future", "note-without-decision"],
)
def test_check_keeps_the_rules_of_a_request(ledger_dir, cli, requests, said):
    ledger_dir.item(item_with(requests))
    ledger_dir.commit_all()
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1, result.out
    assert said in result.out + result.err


def test_check_accepts_a_decided_request_of_a_unit_that_no_longer_handles_the_item(ledger_dir, cli):
    ledger_dir.item(J15.replace("主办: [县教育和体育局]", "主办: [县交通运输局]") + textwrap.dedent("""\
        改办:
          - 日期: 2024-03-25
            原主办: [县教育和体育局]
            原协办: [县公安局]
            理由: 同意退回
        申请:
          - 类型: 退回
            单位: 县教育和体育局
            日期: 2024-03-22
            理由: 不属于本单位职责
            建议单位: [交通局]
            处理: 同意
            处理日期: 2024-03-25
        """))
    ledger_dir.commit_all()
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0, result.out + result.err
