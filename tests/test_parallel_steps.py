"""A step on thousands of items (a 交办会) reads, plans and judges them in several processes
(steps/engine.py, `parallel`). What it writes, commits and refuses is exactly what the same step does in
one process: here the threshold is lowered so that sixty items go through the workers, in small chunks."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os

import pytest
from conftest import git, new_ledger
from test_many_appends import COUNT, numbered

from tiandz.core.problems import TiandzError
from tiandz.steps import engine, planbook
from tiandz.steps.assignplan import assign_from_plan

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here: one process only")


def sixty(ledger_dir, tmp_path, rows: str | None = None):
    paths = [ledger_dir.item(numbered(number)) for number in range(1, COUNT + 1)]
    ledger_dir.commit_all("六十件")
    plan = tmp_path / "交办方案.csv"
    rows = rows or "".join(f"{n},J-{n},{'教体局' if n % 3 else '公安局'}\n" for n in range(1, COUNT + 1))
    plan.write_text("序号,编号,主办单位\n" + rows, encoding="utf-8")
    return paths, plan


def run_plan(ledger_dir, plan, parallel: bool, monkeypatch, date: str = "2024-03-20", today=dt.date(2024, 3, 25)):
    """In parallel, the plan is also read in another process while the ledger is scanned (planbook.BIG_PLAN)."""
    monkeypatch.setattr(engine, "PARALLEL_FROM", 2 if parallel else 10**9)
    monkeypatch.setattr(engine, "CHUNK", 7)
    monkeypatch.setattr(planbook, "BIG_PLAN", 0 if parallel else 10**12)
    return assign_from_plan(ledger_dir.ledger(), plan, date=date, today=today)


@pytest.fixture
def twins(tmp_path_factory):
    """Two equal ledgers, one for each way."""
    made = []
    for name in ("one", "many"):
        base = tmp_path_factory.mktemp(name)
        made.append((new_ledger(base / "台账"), base))
    return made


def test_in_several_processes_the_files_and_the_commit_are_those_of_one_process(twins, monkeypatch):
    (one, one_base), (many, many_base) = twins
    one_paths, one_plan = sixty(one, one_base)
    many_paths, many_plan = sixty(many, many_base)
    serial = run_plan(one, one_plan, False, monkeypatch)
    parallel = run_plan(many, many_plan, True, monkeypatch)
    for first, second in zip(one_paths, many_paths):
        assert first.read_bytes() == second.read_bytes(), first.name
        assert "交办:\n  日期: 2024-03-20" in second.read_text(encoding="utf-8")
    assert git(one.root, "rev-parse", "HEAD^{tree}") == git(many.root, "rev-parse", "HEAD^{tree}")
    assert git(one.root, "log", "-1", "--format=%B") == git(many.root, "log", "-1", "--format=%B")
    assert [(done.item_id, done.state, done.due, done.change.done) for done in serial.outcome.done] == \
           [(done.item_id, done.state, done.due, done.change.done) for done in parallel.outcome.done]
    assert git(many.root, "status", "--porcelain") == ""
    assert "error" not in git(many.root, "fsck").lower()


def test_in_several_processes_a_refusal_names_every_item_as_one_process_does(twins, monkeypatch):
    refusals = []
    for (directory, base), parallel in zip(twins, (False, True)):
        paths, plan = sixty(directory, base)
        # Two files with an error (a 提出日期 that is no date): told, the rest not judged.
        for number in (9, 41):
            text = paths[number - 1].read_text(encoding="utf-8").replace("提出日期: 2024-01-20", "提出日期: 2024-13-45")
            paths[number - 1].write_text(text, encoding="utf-8")
        directory.commit_all("两件有错")
        head = git(directory.root, "rev-parse", "HEAD")
        before = {path: path.read_bytes() for path in paths}
        with pytest.raises(TiandzError) as refused:
            run_plan(directory, plan, parallel, monkeypatch)
        refusals.append([(problem.path, problem.field, problem.message) for problem in refused.value.problems])
        assert git(directory.root, "rev-parse", "HEAD") == head
        assert {path: path.read_bytes() for path in paths} == before
    assert refusals[0] == refusals[1]
    named = " ".join(message for _, _, message in refusals[1])
    assert "须先修正才能办理" in named and [path for path, _, _ in refusals[1] if path].count("2024/2024-J-041.yaml") >= 1


def test_in_several_processes_a_step_refused_for_some_items_names_each_of_them(ledger_dir, tmp_path, monkeypatch):
    paths, plan = sixty(ledger_dir, tmp_path)
    # 提出日期 2024-01-20: a 交办 dated before it is refused, item by item.
    with pytest.raises(TiandzError) as refused:
        run_plan(ledger_dir, plan, True, monkeypatch, date="2024-01-10")
    rows = {problem.line for problem in refused.value.problems}
    assert len(rows) == COUNT  # every row of the plan named, not only the first chunk's
    assert all("早于提出日期" in problem.message for problem in refused.value.problems)
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_year_no_calendar_knows_is_said_when_the_workers_met_it(ledger_dir, tmp_path, monkeypatch):
    # A 时限 in working days, from late in a year no calendar knows: only the workers compute the due dates.
    config = ledger_dir.root / "tiandz.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "时限:\n  答复: 30个工作日\n", encoding="utf-8")
    paths, plan = sixty(ledger_dir, tmp_path)
    outcome = run_plan(ledger_dir, plan, True, monkeypatch, date="2099-11-20", today=dt.date(2099, 11, 30))
    assert any("2100 年的法定节假日安排未知" in note for note in outcome.outcome.notes), outcome.outcome.notes
    assert all(done.due.year == 2100 for done in outcome.outcome.done)
    assert git(ledger_dir.root, "status", "--porcelain") == ""


# --- import: its new files judged and rendered in several processes (ops/registration.py judged_new) ---------


def a_list(path, late: tuple[int, ...] = ()) -> None:
    """Twelve rows; those numbered in `late` were submitted after the 交办 date the import gives them."""
    rows = ["类型,案号,标题,提出人,提出日期,主办单位,协办单位"]
    for number in range(1, 13):
        submitted = "2024-04-01" if number in late else "2024-01-18"
        co_unit = "公安局" if number % 4 == 0 else ""
        rows.append(f"建议,{number},关于第{number}件事的建议,代表{number},{submitted},县教体局,{co_unit}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run_import(directory, source, parallel: bool, monkeypatch):
    from tiandz.ops import registration
    from tiandz.ops.importing import import_file

    monkeypatch.setattr(registration, "PARALLEL_FROM", 2 if parallel else 10**9)
    monkeypatch.setattr(registration, "CHUNK", 3)
    return import_file(directory.ledger(), source, assigned=dt.date(2024, 3, 20), today=dt.date(2024, 3, 25))


def test_an_import_in_several_processes_writes_and_commits_what_one_process_does(twins, monkeypatch):
    made = []
    for (directory, base), parallel in zip(twins, (False, True)):
        a_list(base / "清单.csv")
        result = run_import(directory, base / "清单.csv", parallel, monkeypatch)
        assert result.count == 12
        made.append({path.name: path.read_bytes() for path in sorted((directory.root / "2024").glob("*.yaml"))})
        assert git(directory.root, "status", "--porcelain") == ""
    assert made[0] == made[1] and len(made[1]) == 12
    roots = [directory.root for directory, _ in twins]
    assert git(roots[0], "rev-parse", "HEAD^{tree}") == git(roots[1], "rev-parse", "HEAD^{tree}")


def test_an_import_in_several_processes_names_every_bad_row_as_one_process_does(twins, monkeypatch):
    refusals = []
    for (directory, base), parallel in zip(twins, (False, True)):
        a_list(base / "清单.csv", late=(2, 11))
        with pytest.raises(TiandzError) as refused:
            run_import(directory, base / "清单.csv", parallel, monkeypatch)
        refusals.append([problem.format() for problem in refused.value.problems])
        assert list((directory.root / "2024").glob("*.yaml")) == []
        assert directory.log() == ["init"]
    assert refusals[0] == refusals[1]
    assert sorted({line.split(":")[1] for line in refusals[1]}) == ["12", "3"], refusals[1]  # rows 2 and 11, under the header
    assert sum("交办日期 2024-03-20 早于提出日期 2024-04-01" in line for line in refusals[1]) == 2


def test_a_big_plan_is_read_in_another_process_and_a_broken_one_is_refused_as_when_read_here(twins, monkeypatch):
    (one, one_base), (many, many_base) = twins
    readers = many_base / "读方案的进程"
    real_read = planbook.read_sheets

    def reading(*arguments, **options):
        with open(readers, "a", encoding="utf-8") as record:
            record.write(f"{os.getpid()}\n")
        return real_read(*arguments, **options)

    monkeypatch.setattr(planbook, "read_sheets", reading)
    _, plan = sixty(many, many_base)
    run_plan(many, plan, True, monkeypatch)
    assert readers.read_text(encoding="utf-8").split() != [str(os.getpid())]  # not this process
    assert git(many.root, "log", "-1", "--format=%s").startswith("交办")
    refusals = []
    for directory, base, parallel in ((one, one_base, False), (many, many_base, True)):
        broken = base / "坏的交办方案.xlsx"
        broken.write_bytes(b"PK\x03\x04" + b"\x00" * 300_000)  # not a workbook, though it says it is one
        with pytest.raises(TiandzError) as refused:
            run_plan(directory, broken, parallel, monkeypatch)
        refusals.append(str(refused.value).replace(str(base), "…"))
    assert refusals[0] == refusals[1] and "坏的交办方案.xlsx" in refusals[0]


def test_work_in_the_background_whose_process_dies_is_done_here():
    """A worker killed (out of memory, a signal) is no internal error: the work is done in this process."""
    from tiandz.ledger.pool import in_background

    parent = os.getpid()
    result = in_background(lambda: os._exit(9) if os.getpid() != parent else "在本进程做完")
    assert result() == "在本进程做完"


@pytest.mark.parametrize("attributes", ["", "*.yaml ident\n"], ids=["no-attribute", "an-ident-attribute"])
def test_what_the_commit_asks_of_the_paths_is_asked_while_the_workers_work(twins, monkeypatch, attributes):
    """The paths' attributes are asked of git as the workers start (journal.look_ahead), not after them: no
    check-attr is run at the commit; what git answers still decides how the blobs are stored (one fast-import,
    or hash-object as `git add` would where an attribute applies)."""
    from tiandz.ledger import git as gitops

    _, (many, base) = twins
    if attributes:
        (many.root / ".gitattributes").write_text(attributes, encoding="utf-8")
    _, plan = sixty(many, base)
    ran, started = [], []
    real_run, real_start = gitops.run, gitops.start
    monkeypatch.setattr(gitops, "run", lambda root, *arguments, **options: ran.append(arguments) or real_run(root, *arguments, **options))
    monkeypatch.setattr(gitops, "start", lambda root, *arguments, **options: started.append(arguments[0]) or real_start(root, *arguments, **options))
    run_plan(many, plan, True, monkeypatch)
    asked = ("check-attr", "-z", "--stdin", "filter", "ident", "working-tree-encoding")
    assert started[0] == "check-attr" and asked not in ran  # (then the Feed of the index: update-index)
    assert any(arguments[0] == "fast-import" for arguments in ran) == (not attributes)
    assert git(many.root, "status", "--porcelain") == ""
    assert git(many.root, "log", "-1", "--format=%s").startswith("交办")
