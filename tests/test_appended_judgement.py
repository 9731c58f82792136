"""A step that only appends a key to a file its scan found sound (the 交办 of a 交办会) has the item judged
after the change without reading the whole file again: only the new text is parsed and validated, and every
rule of `check` still runs on the whole item. The outcome is the full judgement's: the same items, states and
due dates when all is well, the same refusal, word for word and line for line, when something is wrong."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from conftest import ITEM, git

from tiandz.core import rules
from tiandz.core.problems import TiandzError
from tiandz.core.rules import Finding
from tiandz.ledger.scan import scan_ledger
from tiandz.steps import engine
from tiandz.steps.common import add_key
from tiandz.steps.engine import Change, perform

TODAY = dt.date(2024, 3, 20)
ASSIGNMENT = {"日期": "2024-03-20", "方式": "单办", "主办": ["县教育和体育局"], "时限": "2024-06-20"}


def assigning(assignment: dict):
    def plan(target) -> Change:
        add_key(target, "交办", assignment)
        return Change("交办", "主办 县教育和体育局", "已交办")
    return plan


@pytest.fixture
def scanned(ledger_dir):
    paths = [ledger_dir.item(ITEM), ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16"))]
    ledger_dir.commit_all("两件")
    past = time.time() - 60  # a file written in the last seconds is never taken from the cache
    for path in paths:
        os.utime(path, (past, past))
    ledger = ledger_dir.ledger()
    return paths, ledger, scan_ledger(ledger, TODAY)


@pytest.fixture
def full_judgements(monkeypatch):
    """How many items were judged after the change by reading their whole file again."""
    calls = []
    real = engine.check_data
    monkeypatch.setattr(engine, "check_data", lambda *arguments, **options: (calls.append(1), real(*arguments, **options))[1])
    return calls


def outcome_of(ledger, scan, assignment=ASSIGNMENT, **options):
    return perform(ledger, "assign", ["J-15", "J-16"], assigning(assignment), today=TODAY, scan=scan, **options)


def test_an_appended_assignment_is_judged_without_reading_the_file_again(ledger_dir, scanned, full_judgements):
    paths, ledger, scan = scanned

    outcome = outcome_of(ledger, scan)

    assert full_judgements == []
    assert [(str(done.item_id), done.state, done.due) for done in outcome.done] == [
        ("2024-J-015", "办理中", dt.date(2024, 6, 20)), ("2024-J-016", "办理中", dt.date(2024, 6, 20))]
    assert paths[0].read_text(encoding="utf-8") == ITEM + "交办:\n  日期: 2024-03-20\n  方式: 单办\n  主办: [县教育和体育局]\n  时限: 2024-06-20\n"
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_the_outcome_is_the_full_judgements(ledger_dir, scanned, monkeypatch):
    paths, ledger, scan = scanned
    quick = outcome_of(ledger, scan, dry_run=True).done

    monkeypatch.setattr(engine, "judged_appended", lambda *arguments: None)
    full = outcome_of(ledger, scan, dry_run=True).done

    assert quick == full


def test_a_file_not_found_sound_is_judged_in_full(ledger_dir, scanned, full_judgements):
    paths, ledger, scan = scanned

    outcome_of(ledger, None, dry_run=True)

    assert len(full_judgements) == 2


def wrong_after_assignment(item, context):
    if item.assignment is not None and item.id.endswith("016"):
        yield Finding(("交办", "时限"), "测试用的规则：时限不对", "改正时限")


@pytest.mark.parametrize("assignment, rule", [
    (ASSIGNMENT, wrong_after_assignment),  # a rule that finds an error only in the changed item
    ({**ASSIGNMENT, "主办": ["县不存在局"]}, None),  # a unit tiandz.yaml does not have
    ({**ASSIGNMENT, "时限": "2024-02-30"}, None),  # a part that does not validate
])
def test_an_error_after_the_change_refuses_as_the_full_judgement_does(ledger_dir, scanned, monkeypatch, assignment, rule):
    paths, ledger, scan = scanned
    if rule is not None:
        monkeypatch.setattr(rules, "RULES", [*rules.RULES, rule])
    with pytest.raises(TiandzError) as quick:
        outcome_of(ledger, scan, assignment)

    monkeypatch.setattr(engine, "judged_appended", lambda *arguments: None)
    with pytest.raises(TiandzError) as full:
        outcome_of(ledger, scan, assignment)

    assert quick.value.problems == full.value.problems
    assert all(problem.line for problem in quick.value.problems if problem.path)  # named by the line, as `check` names it
    assert [path.read_text(encoding="utf-8") for path in paths][0] == ITEM  # nothing written
    assert git(ledger_dir.root, "status", "--porcelain") == ""
