"""`tiandz log` on a long history: git's commit-graph with changed-path Bloom filters, written and kept up to
date by `log` itself, checked before it is used, and never changing what `log` shows.

Each test builds a history (steps, hand edits, an undo, merges, renames, a rewrite, a damaged graph), reads
the item's history the fast way and the plain way (git told not to use any commit-graph), and asserts both
are the same, and that the fast way really had the graph: every commit in it, each with its Bloom filter, as
git's own trace says when it walks.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ASSIGNED, CONTACTED, ITEM, git, ledger_in_a_subfolder

from tiandz.ledger import commitgraph, history
from tiandz.ledger.folder import Ledger
from tiandz.ledger.history import item_history

OTHER = ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16")
CONTACT = "  - 日期: 2024-04-{day:02d}\n    方式: 电话\n    单位: 县教育和体育局\n    人员: 赵六\n    内容: 第 {day} 次沟通\n"


def commit(root: Path, message: str, date: str = "2024-03-20T09:15:00+08:00") -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), "add", "--all"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "--date", date, "-m", message], check=True, env=env)


def step(name: str, subject: str, item: str = "2024-J-015") -> str:
    return f"{subject}\n\nTiandz-Step: {name}\nTiandz-Item: {item}"


def plain_walk(root: Path, typed_id: str = "J-15") -> dict:
    """The history as git's walk gives it without any commit-graph: what the fast way must equal."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history, "graph_options", lambda root: commitgraph.WITHOUT_GRAPH)
        return shown(root, typed_id)


def fast(root: Path, typed_id: str = "J-15") -> dict:
    return shown(root, typed_id)


def shown(root: Path, typed_id: str) -> dict:
    """Everything `log` shows, as JSON and as the lines of its text."""
    found = item_history(Ledger(root), typed_id)
    return {**found.to_json(), "行": found.lines()}


def graph_info(root: Path) -> Path:
    return Path(git(root, "rev-parse", "--path-format=absolute", "--git-path", "objects/info").strip())


def bloom_statistics(root: Path, path: str = "2024/2024-J-015.yaml") -> dict:
    """What git's walk of the item's path says of the Bloom filters it used (its trace2 statistics)."""
    trace = root.parent / "trace.json"
    trace.unlink(missing_ok=True)
    env = {**os.environ, "GIT_TRACE2_EVENT": str(trace)}
    subprocess.run(["git", "-C", str(root), "log", "--format=%H", "--", path], check=True, capture_output=True, env=env)
    for line in trace.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        if event.get("category") == "bloom" and event.get("key") == "statistics":
            return event["value"]
    return {}


def graph_files(root: Path) -> dict[str, tuple[int, int]]:
    """Each file of the graph with its inode and modification time: what a rewrite would change."""
    info = graph_info(root)
    files = [info / "commit-graph", *sorted((info / "commit-graphs").glob("*"))]
    return {file.name: (file.stat().st_ino, file.stat().st_mtime_ns) for file in files if file.exists()}


def graph_covers_head(root: Path) -> bool:
    """Whether every commit of HEAD's history is in the graph, in a layer with Bloom filters."""
    layers = commitgraph._read_layers(graph_info(root))
    if not layers or not all(layer.blooms for layer in layers):
        return False
    commits = git(root, "rev-list", "HEAD").split()
    return all(any(layer.holds(bytes.fromhex(commit)) for layer in layers) for commit in commits)


def assert_graph_used(root: Path) -> None:
    """The graph covers HEAD, and git's walk of the item's path used its Bloom filters."""
    assert graph_covers_head(root)
    found = bloom_statistics(root)
    assert found, "git walked without Bloom filters"
    assert found["filter_not_present"] == 0 and found["definitely_not"] > 0
    git(root, "commit-graph", "verify")


def history_of_steps(ledger_dir) -> Path:
    """Registered, assigned, contacted by steps, a date corrected by hand, and the contact undone."""
    root = ledger_dir.root
    ledger_dir.item(ITEM)
    commit(root, step("new", "登记 2024-J-015：关于加强校园周边环境综合治理的建议"), "2024-01-22T10:02:00+08:00")
    ledger_dir.item(OTHER)
    commit(root, step("new", "登记 2024-J-016：另一件", "2024-J-016"), "2024-01-22T10:05:00+08:00")
    ledger_dir.item(ASSIGNED)
    commit(root, step("assign", "交办 2024-J-015：主办 县教育和体育局"), "2024-03-20T09:15:00+08:00")
    ledger_dir.item(CONTACTED)
    commit(root, step("contact", "沟通 2024-J-015：电话 县教育和体育局"), "2024-04-02T09:15:00+08:00")
    ledger_dir.item(CONTACTED.replace("提出日期: 2024-01-20", "提出日期: 2024-01-19"))
    commit(root, "改正提出日期", "2024-04-03T11:30:00+08:00")
    ledger_dir.item(ASSIGNED.replace("提出日期: 2024-01-20", "提出日期: 2024-01-19"))
    commit(root, step("undo", "撤销 2024-J-015 的沟通"), "2024-04-04T08:00:00+08:00")
    return root


def test_steps_hand_edits_and_an_undo_read_the_same_with_the_graph_and_it_is_written_and_kept_up_to_date(ledger_dir):
    root = history_of_steps(ledger_dir)
    assert not (graph_info(root) / "commit-graph").exists() and not (graph_info(root) / "commit-graphs").exists()

    first = fast(root)
    assert first == plain_walk(root)
    assert [entry["步骤名"] for entry in first["记录"]] == ["登记", "交办", "沟通", "手工修改", "撤销"]
    assert_graph_used(root)
    assert commitgraph.covers_head(root)
    written = graph_files(root)
    assert fast(root) == first and graph_files(root) == written  # up to date: used as it is, not written again

    # New commits after the graph was written: the next `log` adds them, as a layer of their own.
    for day in (10, 11, 12):
        ledger_dir.item(ASSIGNED + "沟通:\n" + CONTACT.format(day=day))
        commit(root, step("contact", f"沟通 2024-J-015：第 {day} 次"), f"2024-04-{day}T09:00:00+08:00")
    ledger_dir.item(OTHER + "# 手工加的注释\n")
    commit(root, "给另一件加注释", "2024-04-13T09:00:00+08:00")
    assert not graph_covers_head(root) and not commitgraph.covers_head(root)  # the graph is behind HEAD now

    again = fast(root)
    assert again == plain_walk(root) and len(again["记录"]) == 8
    assert_graph_used(root)


def test_a_merge_of_another_clones_work_reads_the_same(ledger_dir):
    root = history_of_steps(ledger_dir)
    fast(root)  # the graph, written before the other clone's work comes in
    main = git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
    # The unit's clone contacts J-15 and edits its end; meanwhile the office edits J-016 and J-15's top line.
    git(root, "checkout", "-q", "-b", "unit")
    ledger_dir.item(ASSIGNED.replace("提出日期: 2024-01-20", "提出日期: 2024-01-19") + "沟通:\n" + CONTACT.format(day=20))
    commit(root, step("contact", "沟通 2024-J-015：单位记录"), "2024-04-20T09:00:00+08:00")
    git(root, "checkout", "-q", main)
    ledger_dir.item(OTHER + "# 办公室的注释\n")
    commit(root, step("edit", "修改 2024-J-016", "2024-J-016"), "2024-04-19T09:00:00+08:00")
    text = (root / "2024" / "2024-J-015.yaml").read_text(encoding="utf-8")
    (root / "2024" / "2024-J-015.yaml").write_text("# 办公室核对过\n" + text, encoding="utf-8")
    commit(root, "办公室加注", "2024-04-19T10:00:00+08:00")
    git(root, "merge", "-q", "--no-ff", "--no-edit", "unit")
    # A second merge that only brings a change of another item: TREESAME for J-15, left out of its history.
    git(root, "checkout", "-q", "-b", "unit2")
    ledger_dir.item(OTHER + "# 办公室的注释\n# 单位的注释\n")
    commit(root, step("edit", "修改 2024-J-016", "2024-J-016"), "2024-04-21T09:00:00+08:00")
    git(root, "checkout", "-q", main)
    git(root, "merge", "-q", "--no-ff", "--no-edit", "unit2")

    found = fast(root)
    assert found == plain_walk(root)
    assert [entry["备注"] for entry in found["记录"]].count("合并提交，未逐项比较") == 1
    assert_graph_used(root)


def test_a_renamed_deleted_and_created_again_file_reads_the_same(ledger_dir):
    root = ledger_dir.root
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-051"))
    commit(root, step("new", "登记 2024-J-051", "2024-J-051"), "2024-01-22T10:02:00+08:00")
    fast(root, "J-51")
    git(root, "mv", "2024/2024-J-051.yaml", "2024/2024-J-015.yaml")
    ledger_dir.item(ITEM)
    commit(root, "编号录错，改为 2024-J-015", "2024-03-21T09:00:00+08:00")
    ledger_dir.item(ASSIGNED)
    commit(root, step("assign", "交办 2024-J-015"), "2024-03-22T09:00:00+08:00")

    renamed = fast(root)
    assert renamed == plain_walk(root) and len(renamed["记录"]) == 3
    assert_graph_used(root)

    git(root, "rm", "-q", "2024/2024-J-015.yaml")
    commit(root, "误删", "2024-03-23T09:00:00+08:00")
    ledger_dir.item(ASSIGNED)
    commit(root, "恢复误删的文件", "2024-03-23T10:00:00+08:00")
    again = fast(root)
    assert again == plain_walk(root)
    assert [entry["备注"] for entry in again["记录"]][-2] == "删除了文件" and again["记录"][-1]["新建"]
    assert_graph_used(root)


def test_a_rewritten_history_reads_the_same_and_its_new_commits_join_the_graph(ledger_dir):
    root = history_of_steps(ledger_dir)
    fast(root)
    # The hand edit and the undo taken out, the contact made again with another date: a rebase's result.
    git(root, "reset", "-q", "--hard", "HEAD~3")
    ledger_dir.item(CONTACTED.replace("2024-04-02", "2024-04-05"))
    commit(root, step("contact", "沟通 2024-J-015：电话 县教育和体育局"), "2024-04-05T09:15:00+08:00")
    git(root, "reflog", "expire", "--expire=now", "--all")
    git(root, "gc", "-q", "--prune=now")  # the old commits gone, as after a rebase and gc

    found = fast(root)
    assert found == plain_walk(root)
    assert [entry["步骤名"] for entry in found["记录"]] == ["登记", "交办", "沟通"]
    assert_graph_used(root)


def damage_bloom_data(info: Path) -> Path:
    """Zero every Bloom filter of the graph, keeping its size: each commit's filter then says "this path did
    not change", and a walk that believed it would find nothing."""
    [file] = (info / "commit-graphs").glob("graph-*.graph")
    data = bytearray(file.read_bytes())
    count = data[6]
    chunks = {bytes(data[8 + 12 * index : 12 + 12 * index]): int.from_bytes(data[12 + 12 * index : 20 + 12 * index], "big")
              for index in range(count + 1)}
    ends = sorted(chunks.values())
    start = chunks[b"BDAT"] + 12  # after the chunk's own header: version, hashes, bits per entry
    end = ends[ends.index(chunks[b"BDAT"]) + 1]
    data[start:end] = bytes(end - start)
    file.chmod(stat.S_IWUSR | stat.S_IRUSR)
    file.write_bytes(bytes(data))
    return file


def test_a_damaged_graph_is_not_believed_but_written_again(ledger_dir):
    root = history_of_steps(ledger_dir)
    fast(root)
    info = graph_info(root)
    git(root, "commit-graph", "write", "--reachable", "--changed-paths", "--split=replace")
    damaged = damage_bloom_data(info)
    damaged_bytes = damaged.read_bytes()
    # What a walk believing the damaged graph would show: not one commit of the item.
    believed = subprocess.run(["git", "-C", str(root), "log", "--format=%H", "--", "2024/2024-J-015.yaml"],
                              capture_output=True, text=True).stdout
    assert believed.split() == []

    found = fast(root)
    assert found == plain_walk(root) and len(found["记录"]) == 5
    # Removed and written again (the same commits give the same file, under the same name).
    assert not damaged.exists() or damaged.read_bytes() != damaged_bytes
    assert_graph_used(root)


@pytest.mark.parametrize("damage", ["truncated", "chain names a missing layer", "garbage chain", "garbage single file"])
def test_a_broken_or_missing_graph_file_is_written_again(ledger_dir, damage):
    root = history_of_steps(ledger_dir)
    fast(root)
    info = graph_info(root)
    chain = info / "commit-graphs" / "commit-graph-chain"
    [layer] = (info / "commit-graphs").glob("graph-*.graph")
    if damage == "truncated":
        layer.chmod(stat.S_IWUSR | stat.S_IRUSR)
        layer.write_bytes(layer.read_bytes()[:200])
    elif damage == "chain names a missing layer":
        layer.unlink()
    elif damage == "garbage chain":
        chain.chmod(stat.S_IWUSR | stat.S_IRUSR)
        chain.write_text("不是哈希\n", encoding="utf-8")
    else:
        (info / "commit-graph").write_bytes(b"CGPH\x01\x01\x03\x00" + bytes(100))

    found = fast(root)
    assert found == plain_walk(root) and len(found["记录"]) == 5
    assert_graph_used(root)


def test_a_graph_git_gc_wrote_without_bloom_filters_gets_them(ledger_dir):
    root = history_of_steps(ledger_dir)
    git(root, "commit-graph", "write", "--reachable")  # as `git gc` writes it where none had filters
    assert bloom_statistics(root) == {}

    assert fast(root) == plain_walk(root)
    assert_graph_used(root)


def test_a_damaged_graph_that_cannot_be_removed_is_walked_around(ledger_dir, monkeypatch):
    root = history_of_steps(ledger_dir)
    fast(root)
    damage_bloom_data(graph_info(root))
    monkeypatch.setattr(commitgraph, "_remove_graph", lambda info: False)

    assert fast(root) == plain_walk(root)


def test_a_git_that_cannot_write_bloom_filters_gives_the_same_history_without_them(ledger_dir, tmp_path, monkeypatch):
    """Git before 2.27 has no --changed-paths: the write fails, and the walk is the plain one."""
    root = history_of_steps(ledger_dir)
    real = subprocess.run(["sh", "-c", "command -v git"], capture_output=True, text=True).stdout.strip()
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        "#!/bin/sh\nfor argument; do\n  if [ \"$argument\" = --changed-paths ]; then\n"
        "    echo \"error: unknown option \\`changed-paths'\" >&2; exit 129\n  fi\ndone\n"
        f"exec {real} \"$@\"\n", encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")

    assert fast(root) == plain_walk(root)
    info = graph_info(root)
    assert not (info / "commit-graph").exists() and not (info / "commit-graphs").exists()


def test_a_ledger_in_a_subfolder_finds_the_graph_of_its_repository(tmp_path):
    repository, root = ledger_in_a_subfolder(tmp_path)
    for text, message in ((ITEM, step("new", "登记 2024-J-015")), (ASSIGNED, step("assign", "交办 2024-J-015"))):
        (root / "2024" / "2024-J-015.yaml").write_text(text, encoding="utf-8")
        commit(repository, message)

    assert fast(root) == plain_walk(root)
    found = bloom_statistics(repository, "提案台账/2024/2024-J-015.yaml")
    assert found and found["filter_not_present"] == 0
    written = graph_files(repository)
    assert fast(root) == plain_walk(root) and graph_files(repository) == written  # found and used, not rewritten


def test_on_a_long_history_the_first_graph_is_written_in_the_background_while_log_walks_the_plain_way(ledger_dir, monkeypatch):
    root = history_of_steps(ledger_dir)
    monkeypatch.setattr(commitgraph, "LONG_HISTORY", 3)  # this history's 7 commits count as long

    assert fast(root) == plain_walk(root)
    # The graph appears when the detached git is done (it needs no more than the walk it replaces).
    for _ in range(300):
        if graph_covers_head(root):
            break
        time.sleep(0.1)
    assert_graph_used(root)
    assert fast(root) == plain_walk(root)
