"""tiandz's own three-way merge of an item (core/itemmerge.py), and the same merge as git's merge driver."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ASSIGNED, git
from hypothesis import given, settings
from hypothesis import strategies as st

from tiandz.core.itemmerge import EVENT_LISTS, merge_item
from tiandz.files.yamlio import parse


def contact(day: str, how: str = "电话") -> dict:
    return {"日期": day, "方式": how}


BASE = {"编号": "2024-J-015", "标题": "关于校园周边的建议", "领域": "教育", "沟通": [contact("2024-04-01")]}


def with_(item: dict, **changes) -> dict:
    return {**item, **changes}


def test_every_list_of_dated_events_is_merged_as_events():
    assert set(EVENT_LISTS) == {"改办", "延期", "申请", "协办意见", "沟通", "答复", "评价", "转化"}


def test_contacts_added_on_both_sides_are_all_kept_in_date_order():
    ours = with_(BASE, 沟通=[contact("2024-04-01"), contact("2024-04-20", "走访")])
    theirs = with_(BASE, 沟通=[contact("2024-04-01"), contact("2024-04-10", "座谈")])
    merged = merge_item(BASE, ours, theirs)
    assert merged.conflicts == []
    assert merged.data["沟通"] == [contact("2024-04-01"), contact("2024-04-10", "座谈"), contact("2024-04-20", "走访")]


def test_an_event_added_identically_on_both_sides_counts_once():
    both = with_(BASE, 沟通=[contact("2024-04-01"), contact("2024-04-20", "走访")])
    assert merge_item(BASE, both, dict(both)).data["沟通"] == both["沟通"]


def test_same_date_events_keep_ours_then_theirs():
    ours = with_(BASE, 沟通=[contact("2024-04-01"), contact("2024-04-20", "走访")])
    theirs = with_(BASE, 沟通=[contact("2024-04-01"), contact("2024-04-20", "座谈")])
    assert [event["方式"] for event in merge_item(BASE, ours, theirs).data["沟通"]] == ["电话", "走访", "座谈"]


def test_an_event_edited_on_one_side_takes_the_edit_and_keeps_the_other_sides_addition():
    edited = with_(BASE, 沟通=[{**contact("2024-04-01"), "人员": "赵六"}])
    added = with_(BASE, 沟通=[contact("2024-04-01"), contact("2024-05-01", "走访")])
    merged = merge_item(BASE, edited, added)
    assert merged.data["沟通"] == [{**contact("2024-04-01"), "人员": "赵六"}, contact("2024-05-01", "走访")]


def test_a_promise_marked_done_on_one_side_is_kept_with_the_other_sides_contact():
    reply = {"单位": "县教育和体育局", "日期": "2024-05-01", "类别": "B", "承诺": [{"事项": "增设信号灯", "完成": None}]}
    base = with_(BASE, 答复=[reply])
    done = with_(base, 答复=[{**reply, "承诺": [{"事项": "增设信号灯", "完成": "2024-08-01"}]}])
    contacted = with_(base, 沟通=[contact("2024-04-01"), contact("2024-08-02", "回访")])
    for merged in (merge_item(base, done, contacted), merge_item(base, contacted, done)):
        assert merged.data["答复"] == done["答复"] and merged.data["沟通"] == contacted["沟通"]


def test_an_event_deleted_on_one_side_stays_deleted():
    deleted = with_(BASE, 沟通=[])
    assert merge_item(BASE, BASE, deleted).data["沟通"] == []
    assert merge_item(BASE, deleted, BASE).data["沟通"] == []


def test_an_event_edited_differently_on_both_sides_is_a_conflict():
    one = with_(BASE, 沟通=[{**contact("2024-04-01"), "人员": "赵六"}])
    other = with_(BASE, 沟通=[{**contact("2024-04-01"), "人员": "钱七"}])
    merged = merge_item(BASE, one, other)
    assert merged.data is None and [conflict.field for conflict in merged.conflicts] == ["沟通"]


def test_a_field_changed_on_one_side_takes_the_change():
    assert merge_item(BASE, BASE, with_(BASE, 领域="城建")).data["领域"] == "城建"
    assert merge_item(BASE, with_(BASE, 领域="城建"), BASE).data["领域"] == "城建"
    assert merge_item(BASE, BASE, with_(BASE, 办结="2024-09-01")).data["办结"] == "2024-09-01"
    removed = dict(BASE)
    del removed["领域"]
    assert "领域" not in merge_item(BASE, BASE, removed).data


def test_a_mapping_changed_identically_on_both_sides_is_fine():
    assignment = {"日期": "2024-03-20", "方式": "单办", "主办": ["县教育和体育局"]}
    both = with_(BASE, 交办=assignment)
    assert merge_item(BASE, both, dict(both)).data["交办"] == assignment


def test_a_field_changed_differently_on_both_sides_is_a_conflict_naming_item_field_and_values():
    merged = merge_item(BASE, with_(BASE, 领域="城建"), with_(BASE, 领域="交通"))
    assert merged.data is None
    [conflict] = merged.conflicts
    assert (conflict.item, conflict.field, conflict.ours, conflict.theirs) == ("2024-J-015", "领域", "城建", "交通")


# Properties: items made of a few fields and contact lists drawn from a small pool, so sides often share events.
days = st.sampled_from(["2024-04-01", "2024-04-02", "2024-04-03"])
events = st.builds(contact, days, st.sampled_from(["电话", "走访", "座谈"]))
event_lists = st.lists(events, max_size=4, unique_by=lambda event: (event["日期"], event["方式"])).map(
    lambda found: sorted(found, key=lambda event: event["日期"])
)
items = st.fixed_dictionaries({"编号": st.just("2024-J-015"), "领域": st.sampled_from(["教育", "城建"]), "沟通": event_lists})


def _by_date(item: dict) -> dict:
    return {**item, "沟通": sorted(item["沟通"], key=lambda event: (event["日期"], event["方式"]))}


@settings(max_examples=200, deadline=None)
@given(items, items)
def test_merging_a_side_with_itself_or_with_base_gives_that_side(base, side):
    assert merge_item(base, side, side).data == side
    assert merge_item(base, base, side).data == side
    assert merge_item(base, side, base).data == side


@settings(max_examples=200, deadline=None)
@given(items, items, items)
def test_added_events_are_exactly_the_union_and_order_does_not_matter(base, ours, theirs):
    ours = {**ours, "沟通": base["沟通"] + [e for e in ours["沟通"] if e not in base["沟通"]]}
    theirs = {**theirs, "沟通": base["沟通"] + [e for e in theirs["沟通"] if e not in base["沟通"]]}
    ours["沟通"].sort(key=lambda event: event["日期"])
    theirs["沟通"].sort(key=lambda event: event["日期"])
    theirs["领域"] = base["领域"]  # only ours changes the field: no conflict
    merged, swapped = merge_item(base, ours, theirs), merge_item(base, theirs, ours)
    key = lambda event: (event["日期"], event["方式"])
    union = {key(event) for event in base["沟通"] + ours["沟通"] + theirs["沟通"]}
    assert sorted(map(key, merged.data["沟通"])) == sorted(union)  # none lost, none doubled
    assert [event["日期"] for event in merged.data["沟通"]] == sorted(event["日期"] for event in merged.data["沟通"])
    assert _by_date(merged.data) == _by_date(swapped.data)


@settings(max_examples=200, deadline=None)
@given(items, items, items)
def test_whether_a_merge_conflicts_does_not_depend_on_which_side_is_ours(base, ours, theirs):
    merged, swapped = merge_item(base, ours, theirs), merge_item(base, theirs, ours)
    assert [c.field for c in merged.conflicts] == [c.field for c in swapped.conflicts]
    assert [(c.ours, c.theirs) for c in merged.conflicts] == [(c.theirs, c.ours) for c in swapped.conflicts]
    if merged.data is not None:
        assert _by_date(merged.data) == _by_date(swapped.data)


# End to end: the merge registered as git's merge driver, two branches each recording a contact.

def _register_driver(root: Path) -> None:
    (root / ".gitattributes").write_text("20*/*.yaml merge=tiandz\n", encoding="utf-8")
    git(root, "add", ".gitattributes")
    git(root, "commit", "-q", "-m", "merge driver")
    git(root, "config", "merge.tiandz.driver", f'"{sys.executable}" -m tiandz merge-driver %O %A %B %P')


def _branches(ledger_dir, ours_step, theirs_step) -> subprocess.CompletedProcess:
    """The item assigned and committed; `theirs_step` on a branch, `ours_step` on the main one; then git merge."""
    root = ledger_dir.root
    ledger_dir.write("2024/2024-J-015.yaml", ASSIGNED)
    ledger_dir.commit_all("item")
    _register_driver(root)
    main = git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(root, "checkout", "-q", "-b", "unit")
    theirs_step()
    git(root, "checkout", "-q", main)
    ours_step()
    return subprocess.run(["git", "merge", "--no-edit", "unit"], cwd=root, capture_output=True, text=True)


def test_git_merge_with_the_driver_keeps_both_contacts(ledger_dir, cli):
    def contact_by(how: str, day: str):
        return lambda: cli("contact", "J-15", "--by", how, "--date", day, "--ledger", ledger_dir.root).code == 0 or pytest.fail(how)

    merge = _branches(ledger_dir, contact_by("电话", "2024-04-20"), contact_by("走访", "2024-04-10"))
    assert merge.returncode == 0, merge.stderr + merge.stdout
    text = (ledger_dir.root / "2024/2024-J-015.yaml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    assert [(event["日期"], event["方式"]) for event in parse(text)["沟通"]] == [("2024-04-10", "走访"), ("2024-04-20", "电话")]
    assert text.startswith(ASSIGNED)  # ours's text is kept as it was, the contacts follow
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert len(git(ledger_dir.root, "log", "--format=%P", "-1").split()) == 2  # a merge commit
    assert cli("check", "--ledger", ledger_dir.root).code == 0


def test_git_merge_of_a_field_changed_differently_fails_without_conflict_markers(ledger_dir):
    def topic(name: str):
        def change():
            ledger_dir.write("2024/2024-J-015.yaml", ASSIGNED.replace("领域: 教育", f"领域: {name}"))
            ledger_dir.commit_all(f"领域 {name}")
        return change

    merge = _branches(ledger_dir, topic("城建"), topic("交通"))
    assert merge.returncode != 0
    assert "CONFLICT" in merge.stdout
    assert "领域" in merge.stderr and "城建" in merge.stderr and "交通" in merge.stderr
    text = (ledger_dir.root / "2024/2024-J-015.yaml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and "=======" not in text
    assert text == ASSIGNED.replace("领域: 教育", "领域: 城建")  # ours's file as it was
    assert "2024/2024-J-015.yaml" in git(ledger_dir.root, "diff", "--name-only", "--diff-filter=U")


# The driver on its three files (as git hands them), in the ledger's folder as git runs it.

def _drive(ledger_dir, monkeypatch, base: str, ours: str, theirs: str):
    from tiandz import api

    files = {}
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        files[name] = ledger_dir.root.parent / f"{name}.yaml"
        files[name].write_text(text, encoding="utf-8")
    monkeypatch.chdir(ledger_dir.root)
    problems = api.merge_item_files(files["base"], files["ours"], files["theirs"], "2024/2024-J-015.yaml")
    return problems, files["ours"].read_text(encoding="utf-8")


CONTACTED = ASSIGNED + """\
沟通:
  - 日期: 2024-04-01
    方式: 电话
"""


def test_the_merged_file_keeps_ours_comments_and_puts_theirs_event_at_its_date(ledger_dir, monkeypatch):
    ours = CONTACTED.replace("领域: 教育", "领域: 教育  # 局里确认过") + "  # 下面是走访\n  - 日期: 2024-05-01\n    方式: 走访\n"
    theirs = CONTACTED + "  - 日期: 2024-04-15\n    方式: 座谈\n"
    problems, text = _drive(ledger_dir, monkeypatch, CONTACTED, ours, theirs)
    assert problems == []
    assert text == CONTACTED.replace("领域: 教育", "领域: 教育  # 局里确认过") + (
        "  - 日期: 2024-04-15\n    方式: 座谈\n  # 下面是走访\n  - 日期: 2024-05-01\n    方式: 走访\n"
    )


def test_a_merge_that_check_refuses_is_a_conflict_and_ours_is_left_as_it_was(ledger_dir, monkeypatch):
    # Each side is sound; together the contact of 2024-04-01 comes before the 交办 moved to 2024-04-15.
    ours = ASSIGNED.replace("日期: 2024-03-20", "日期: 2024-04-15")
    problems, text = _drive(ledger_dir, monkeypatch, ASSIGNED, ours, CONTACTED)
    assert problems and "通不过检查" in problems[0].message
    assert any("早于交办日期" in problem.message for problem in problems)
    assert text == ours


def test_a_side_that_is_not_yaml_is_a_conflict(ledger_dir, monkeypatch):
    problems, text = _drive(ledger_dir, monkeypatch, ASSIGNED, ASSIGNED, "<<<<<<< HEAD\n编号: [\n")
    assert problems and "对方" in problems[0].message
    assert text == ASSIGNED
