"""Names (标题, 提出人, 联名, the units) are cleaned of control characters, must not be empty, and are stripped of
surrounding spaces, each reported at its own line and field; pydantic checks them in one validator a value
(tiandz/core/fields.py), which must say exactly what the three steps it replaced said."""

from __future__ import annotations

import pytest
from conftest import ASSIGNED

CASES = [
    ("an empty title", ("标题: 关于加强校园周边环境综合治理的建议", '标题: ""'), "2024/2024-J-015.yaml:5: 标题: “”无效"),
    ("a proposer that is only a control character", ("提出人: 张三", '提出人: "\\a"'), "2024/2024-J-015.yaml:6: 提出人: “␇”无效"),  # shown visibly
    ("a cosigner that is a number", ("联名: [李四, 王五]", "联名: [李四, 5]"), "2024/2024-J-015.yaml:7: 联名[2]: 应为文字，而不是“5”"),
    ("an empty cosigner", ("联名: [李四, 王五]", "联名: [李四, '']"), "2024/2024-J-015.yaml:7: 联名[2]: “”无效"),
    ("a proposer of spaces only", ("提出人: 张三", '提出人: "   "'), "2024/2024-J-015.yaml:6: 提出人: “   ”无效"),
]


@pytest.mark.parametrize(("change", "said"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_bad_name_is_an_error_at_its_line_and_field(ledger_dir, cli, change, said):
    path = ledger_dir.item(ASSIGNED.replace(*change))
    ledger_dir.commit_all()
    before = path.read_bytes()
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    lines = [line for line in (result.out + result.err).splitlines() if line.startswith("2024/")]
    assert len(lines) == 1 and lines[0].startswith(said), lines
    assert path.read_bytes() == before


def test_a_unit_written_with_spaces_around_it_is_the_unit(ledger_dir, cli):
    ledger_dir.item(ASSIGNED.replace("主办: [县教育和体育局]", '主办: ["  县教育和体育局  "]'))
    ledger_dir.commit_all()
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    listed = cli("list", "--unit", "县教育和体育局", "--ledger", ledger_dir.root)
    assert "2024-J-015" in listed.out
