"""改办 moves the units, not the dates (issue 12): the item was assigned from its original 交办 on, by its
original 时限, so a report as of a day between the 交办 and the 改办 counts it assigned then."""

from __future__ import annotations

import json
import subprocess

import yaml
from conftest import ASSIGNED


def report_json(cli, ledger_dir, as_of: str) -> dict:
    result = cli("report", "--format", "json", "-o", "-", "--as-of", as_of, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_report_between_the_assignment_and_the_reassignment_counts_the_item_assigned(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED.replace("  主办: [县教育和体育局]\n", "  主办: [县教育和体育局]\n  时限: 2024-06-30\n"))
    ledger_dir.commit_all()
    moved = cli("assign", "J-15", "--lead", "交通局", "--date", "2024-04-10", "--reason", "职责调整", "--ledger", ledger_dir.root)
    assert moved.code == 0, moved.err
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert data["交办"] == {"日期": "2024-03-20", "方式": "单办", "主办": ["县交通运输局"], "时限": "2024-06-30"}
    assert data["改办"] == [{"日期": "2024-04-10", "原主办": ["县教育和体育局"], "理由": "职责调整"}]
    subject = subprocess.run(["git", "-C", ledger_dir.root, "log", "-1", "--format=%s%n%b"], capture_output=True, text=True).stdout
    assert subject.startswith("改办 2024-J-015：主办 县交通运输局，时限 2024-06-30") and "Tiandz-Step: assign" in subject
    between = report_json(cli, ledger_dir, "2024-04-01")
    assert between["assigned"] == 1 and between["total"] == 1
    assert report_json(cli, ledger_dir, "2024-03-19")["assigned"] == 0


def test_a_reassignment_with_a_new_due_date_writes_it(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    moved = cli("assign", "J-15", "--lead", "交通局", "--due", "2024-07-31", "--date", "2024-04-10", "--reason", "职责调整",
                "--ledger", ledger_dir.root)
    assert moved.code == 0, moved.err
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert data["交办"]["日期"] == "2024-03-20" and data["交办"]["时限"] == "2024-07-31"


def test_the_unit_an_item_is_moved_to_may_return_it_within_its_window_from_the_reassignment(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    moved = cli("assign", "J-15", "--lead", "交通局", "--date", "2024-04-10", "--reason", "职责调整", "--ledger", ledger_dir.root)
    assert moved.code == 0, moved.err
    # 5 working days from the 交办 (03-20) ended long before; from the 改办 (04-10) they have not.
    returned = cli("return", "J-15", "--unit", "交通局", "--reason", "不属于本单位职责", "--date", "2024-04-12",
                   "--ledger", ledger_dir.root)
    assert returned.code == 0, returned.err
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "交办" not in data and [entry["原主办"] for entry in data["改办"]] == [["县教育和体育局"], ["县交通运输局"]]
    late = cli("assign", "J-15", "--lead", "公安局", "--date", "2024-04-15", "--ledger", ledger_dir.root)
    assert late.code == 0, late.err


def test_a_reassignment_keeps_an_extension_and_refuses_a_new_due_date_over_it(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    extended = cli("extend", "J-15", "--to", "2024-08-20", "--reason", "涉及跨部门协调", "--date", "2024-06-10", "--ledger", ledger_dir.root)
    assert extended.code == 0, extended.err
    head = subprocess.run(["git", "-C", ledger_dir.root, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    refused = cli("assign", "J-15", "--lead", "交通局", "--due", "2024-09-30", "--date", "2024-06-15", "--reason", "职责调整",
                  "--ledger", ledger_dir.root)
    assert refused.code == 1 and "已延期至 2024-08-20" in refused.err
    assert subprocess.run(["git", "-C", ledger_dir.root, "rev-parse", "HEAD"], capture_output=True, text=True).stdout == head
    moved = cli("assign", "J-15", "--lead", "交通局", "--date", "2024-06-15", "--reason", "职责调整", "--ledger", ledger_dir.root)
    assert moved.code == 0, moved.err
    assert "时限 2024-08-20" in moved.out  # the 延期 still holds after the 改办
    assert yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["交办"]["日期"] == "2024-03-20"
