"""`assign --from` a big plan: the command line's first stop starts reading the plan in another process
before Typer and the models are loaded (cli/quick.py, steps/planbook.py). The step then takes up that
reading, never reads the plan twice, and never uses a reading of another file, another sheet, or of the file
as it was before it changed."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from conftest import git
from test_parallel_steps import sixty

from tiandz.cli import quick
from tiandz.steps import planbook

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here: read in this process")


@pytest.fixture
def readings(monkeypatch, tmp_path):
    """Every plan read from here on, as (process, file, sheet), recorded in a file (a forked reader's too)."""
    record = tmp_path / "读方案.txt"
    real = planbook.read_sheets

    def reading(path, *arguments, **options):
        with open(record, "a", encoding="utf-8") as written:
            written.write(f"{os.getpid()}\t{path.name}\t{arguments[1]}\n")
        return real(path, *arguments, **options)

    monkeypatch.setattr(planbook, "read_sheets", reading)
    monkeypatch.setattr(planbook, "BIG_PLAN", 0)  # every plan is a big one
    monkeypatch.setattr(planbook, "_early", {})
    return lambda: [line.split("\t") for line in record.read_text(encoding="utf-8").splitlines()] if record.exists() else []


def test_the_plan_is_read_once_in_another_process_started_before_the_command_is_loaded(ledger_dir, tmp_path, cli, readings,
                                                                                        monkeypatch):
    _, plan = sixty(ledger_dir, tmp_path)
    started = []
    real_early = planbook.read_early
    monkeypatch.setattr(quick.api, "read_plan_early", lambda path, sheet=None: (started.append((path, sheet)), real_early(path, sheet)),
                        raising=False)
    result = cli("assign", "--date", "2024-03-20", "--from", plan, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert started == [(plan, None)]  # by the first stop, before Typer parsed the line
    assert [(name, sheet) for _, name, sheet in readings()] == [(plan.name, "None")]  # once, not again by the step
    assert readings()[0][0] != str(os.getpid())  # in another process
    assert planbook._early == {}  # taken up
    assert git(ledger_dir.root, "log", "-1", "--format=%s").startswith("交办")
    assert (ledger_dir.root / "2024" / "2024-J-060.yaml").read_text(encoding="utf-8").endswith("时限: 2024-06-20\n")


def test_a_plan_changed_after_its_early_reading_is_read_again_as_it_now_is(ledger_dir, tmp_path, readings, monkeypatch):
    _, plan = sixty(ledger_dir, tmp_path)
    quick.read_plan_early(["assign", "--from", str(plan), "--date", "2024-03-20"])
    # The clerk saves the plan again, all rows to 公安局, before the command got to it.
    plan.write_text("序号,编号,主办单位\n" + "".join(f"{n},J-{n},公安局\n" for n in range(1, 61)), encoding="utf-8")
    os.utime(plan, ns=(1, 1))  # and its time differs whatever the clock's grain
    from tiandz.steps.assignplan import assign_from_plan

    assign_from_plan(ledger_dir.ledger(), plan, date="2024-03-20")
    assert len(readings()) == 2  # the early reading left unused
    assert "主办: [县公安局]" in (ledger_dir.root / "2024" / "2024-J-001.yaml").read_text(encoding="utf-8")


def test_another_sheet_or_file_is_not_served_by_an_early_reading(ledger_dir, tmp_path, readings):
    _, plan = sixty(ledger_dir, tmp_path)
    quick.read_plan_early(["assign", "--from", str(plan)])
    reading, beside = planbook.reading_of(plan, "建议")
    assert beside and planbook._early  # a reading of its own; the early one is still there, of the whole file
    other = tmp_path / "另一个方案.csv"
    other.write_bytes(plan.read_bytes())
    planbook.reading_of(other, None)[0]()
    assert (os.path.abspath(plan), None) in planbook._early
    names = [name for _, name, _ in readings()]
    assert names.count(plan.name) == 2 and names.count(other.name) == 1


@pytest.mark.parametrize("arguments, expected", [
    (["assign", "--from", "P"], [("P", None)]),
    (["assign", "--from=P", "--sheet=建议", "--date", "2024-03-20"], [("P", "建议")]),
    (["assign", "--sheet", "提案", "--from", "P"], [("P", "提案")]),
    (["assign", "--from", "P", "--help"], []),  # help reads nothing
    (["assign", "--from", "P", "--from", "Q"], []),  # Typer says what is wrong: nothing guessed here
    (["assign", "J-15", "--lead", "教体局"], []),
    (["import", "--from", "P"], []),
    (["assign", "--from"], []),
])
def test_only_the_plain_forms_of_the_command_line_start_an_early_reading(arguments, expected, tmp_path, monkeypatch):
    plan = tmp_path / "P"
    plan.write_text("序号,编号,主办单位\n1,J-1,教体局\n", encoding="utf-8")
    started = []
    monkeypatch.setattr(quick.api, "read_plan_early", lambda path, sheet=None: started.append((path.name, sheet)), raising=False)
    monkeypatch.chdir(tmp_path)
    quick.read_plan_early(arguments)
    assert started == expected
