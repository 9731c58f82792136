"""A step over many items may take a file the scan just found without errors, as it still is, without
running the rules on it again before the change (every item is judged in full after it). A file that
changed since the scan is judged again: its errors refuse the step as before."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from conftest import ITEM, git

from tiandz.core.problems import TiandzError
from tiandz.ledger.scan import scan_ledger
from tiandz.steps.engine import Change, perform

TODAY = dt.date(2024, 3, 20)
SHOWN = "2024/2024-J-015.yaml"


def unchanged(target) -> Change:
    return Change("交办", "", "")


@pytest.fixture
def scanned(ledger_dir):
    path = ledger_dir.item(ITEM)
    ledger_dir.commit_all("一件")
    past = time.time() - 60  # a file written in the last seconds is never taken from the cache
    os.utime(path, (past, past))
    ledger = ledger_dir.ledger()
    return path, ledger, scan_ledger(ledger, TODAY)


def test_a_sound_file_unchanged_since_the_scan_is_taken_as_found(ledger_dir, scanned):
    path, ledger, scan = scanned
    assert scan.found_sound(SHOWN, os.stat(path))
    outcome = perform(ledger, "assign", ["J-15"], unchanged, today=TODAY, dry_run=True, scan=scan)
    assert [str(done.item_id) for done in outcome.done] == ["2024-J-015"]


def test_a_file_changed_after_the_scan_is_judged_again_and_refused(ledger_dir, scanned):
    path, ledger, scan = scanned
    path.write_text(ITEM.replace("编号: 2024-J-015", "编号: 2024-J-016"), encoding="utf-8")  # not its file's name
    git(ledger_dir.root, "commit", "-q", "-am", "改错了编号")
    assert not scan.found_sound(SHOWN, os.stat(path))
    with pytest.raises(TiandzError) as refused:
        perform(ledger, "assign", ["J-15"], unchanged, today=TODAY, dry_run=True, scan=scan)
    assert "条目文件有错误，须先修正才能办理" in str(refused.value.problems[0].message)
