"""`tiandz assign --from 交办方案.xlsx`: the 交办会 from the office's plan, as offices write it (title rows,
two worksheets, header synonyms, footers); every row checked first; one commit; each item exactly as a
plain `assign` writes it."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from conftest import ASSIGNED, ITEM, git

openpyxl = pytest.importorskip("openpyxl")

J16 = ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16").replace("校园周边环境综合治理", "农村公路养护")
T3 = (ITEM.replace("2024-J-015", "2024-T-003").replace("类型: 建议", "类型: 提案").replace("案号: 15", "案号: 3")
      .replace("县十六届人大三次会议", "县十三届政协三次会议").replace("校园周边环境综合治理的建议", "居家养老服务的提案"))
TITLE_15 = "关于加强校园周边环境综合治理的建议"
TITLE_16 = "关于加强农村公路养护的建议"
TITLE_T3 = "关于加强居家养老服务的提案"


def read(path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def workbook(path, sheets: dict[str, list[list]]) -> None:
    """A plan as an office makes it: a title and a subtitle above the header, footer rows below the data."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([f"2024年{name}交办方案"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
        sheet.append(["（县政府办公室 2024年3月）"])
        for row in rows:
            sheet.append(row)
        sheet.append([f"合计 {len(rows) - 1} 件"])
        sheet.append(["注：时限空白的按三个月办理。"])
        sheet.append(["制表人：张三", None, "审核人：李四"])
    book.save(path)


@pytest.fixture
def three_items(ledger_dir):
    paths = [ledger_dir.item(ITEM), ledger_dir.item(J16), ledger_dir.item(T3)]
    ledger_dir.commit_all("三件")
    return paths


def good_plan(path):
    workbook(path, {
        "建议": [
            ["序号", "案号", "标题", "主办单位（牵头单位）", "协办单位", "办理时限"],
            [1, 15, TITLE_15, "教体局、县交通局", None, None],
            [2, 16, TITLE_16, "县公安局", "市场监管局", dt.datetime(2024, 7, 31)],
        ],
        "提案": [
            ["序号", "提案号", "题目", "牵头单位", "配合单位"],
            [1, 3, TITLE_T3, "县交通运输局", "公安局\n县教育和体育局（配合）"],
        ],
    })
    return path


def test_a_plan_with_two_sheets_assigns_every_item_in_one_commit(ledger_dir, three_items, cli, tmp_path):
    plan = good_plan(tmp_path / "交办方案.xlsx")
    head = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    j15, j16, t3 = (read(path) for path in three_items)
    assert j15["交办"] == {"日期": "2024-03-20", "方式": "分办", "主办": ["县教育和体育局", "县交通运输局"], "时限": "2024-06-20"}
    assert j16["交办"] == {"日期": "2024-03-20", "方式": "会办", "主办": ["县公安局"], "协办": ["县市场监督管理局"], "时限": "2024-07-31"}
    assert t3["交办"] == {"日期": "2024-03-20", "方式": "会办", "主办": ["县交通运输局"], "协办": ["县公安局", "县教育和体育局"],
                          "时限": "2024-06-20"}
    assert git(ledger_dir.root, "rev-parse", "HEAD~1").strip() == head  # exactly one commit
    message = git(ledger_dir.root, "log", "-1", "--format=%s%n%b")
    assert message.startswith("交办 2024-J-015、2024-J-016、2024-T-003")
    assert "Tiandz-Step: assign" in message and "Tiandz-Item: 2024-J-015, 2024-J-016, 2024-T-003" in message
    changed = git(ledger_dir.root, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["2024/2024-J-015.yaml", "2024/2024-J-016.yaml", "2024/2024-T-003.yaml"]
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert "表尾" in result.out and "已交办 3 件" in result.out
    assert cli("check", "--ledger", ledger_dir.root).code == 0


def test_each_item_gets_byte_for_byte_what_a_plain_assign_writes(ledger_dir, three_items, cli, tmp_path):
    plain = cli("assign", "J-16", "--lead", "公安局", "--co", "县市场监管局", "--due", "2024-07-31", "--date", "2024-03-20",
                "--ledger", ledger_dir.root)
    assert plain.code == 0, plain.err
    by_hand = three_items[1].read_bytes()
    git(ledger_dir.root, "reset", "-q", "--hard", "HEAD~1")
    result = cli("assign", "--from", good_plan(tmp_path / "交办方案.xlsx"), "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert three_items[1].read_bytes() == by_hand


def test_every_bad_row_is_named_by_sheet_and_row_and_nothing_is_written(ledger_dir, cli, tmp_path):
    paths = [ledger_dir.item(ASSIGNED), ledger_dir.item(J16), ledger_dir.item(T3)]
    ledger_dir.commit_all("三件，J-15 已交办")
    plan = tmp_path / "交办方案.xlsx"
    workbook(plan, {
        "建议": [
            ["序号", "编号", "题目", "承办单位", "会办单位", "时限"],
            [1, "J-15", TITLE_15, "交通局", None, None],          # row 4: already assigned, a 改办
            [2, "J-99", None, "公安局", None, None],              # row 5: no such item
            [3, "J-16", TITLE_16, "县教育局", "公安局", None],    # row 6: unknown unit
            [4, "2024-J-016", TITLE_16, "公安局", None, None],    # row 7: the same item again
            [5, None, "关于加强农村公路的养护的建议", "公安局", None, None],  # row 8: a near title
            [6, "T-3", TITLE_T3, "公安局", None, "下个月"],       # row 9: not a date
        ],
    })
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    before = [path.read_bytes() for path in paths]
    result = cli("assign", "--from", plan, "--date", "2024-03-25", "--ledger", ledger_dir.root)
    assert result.code == 1
    err = result.err
    assert "交办方案.xlsx:5: 编号: 找不到 2024-J-099" in err
    assert "交办方案.xlsx:6: 承办单位: “县教育局”不是 tiandz.yaml 中的承办单位" in err and "县教育和体育局" in err
    assert "交办方案.xlsx:7:" in err and "2024-J-016 在本方案中出现两次（又见第 6 行）" in err
    assert "交办方案.xlsx:8: 题目: 找不到标题为“关于加强农村公路的养护的建议”的件" in err and f"是否为“{TITLE_16}”" in err
    assert "交办方案.xlsx:9: 时限:" in err
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    assert [path.read_bytes() for path in paths] == before
    # With the other rows put right, the assigned item is still refused: a 改办 needs its reason, one at a time.
    workbook(plan, {"建议": [["序号", "编号", "题目", "承办单位"], [1, "J-15", TITLE_15, "交通局"], [2, "J-16", TITLE_16, "公安局"]]})
    result = cli("assign", "--from", plan, "--date", "2024-03-25", "--ledger", ledger_dir.root)
    assert result.code == 1 and "交办方案.xlsx:4:" in result.err and "2024-J-015 已交办给县教育和体育局" in result.err
    assert "--reason" in result.err
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    assert [path.read_bytes() for path in paths] == before


def test_a_dry_run_shows_each_row_and_writes_nothing(ledger_dir, three_items, cli, tmp_path):
    plan = good_plan(tmp_path / "交办方案.xlsx")
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    before = [path.read_bytes() for path in three_items]
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--dry-run", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "交办方案.xlsx（建议） 第 4 行：2024-J-015 主办 县教育和体育局、县交通运输局（分办），时限 2024-06-20" in result.out
    assert "交办方案.xlsx（建议） 第 5 行：2024-J-016 主办 县公安局（会办），协办 县市场监督管理局，时限 2024-07-31" in result.out
    assert "交办方案.xlsx（提案） 第 4 行：2024-T-003" in result.out and "共 3 件" in result.out
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head
    assert [path.read_bytes() for path in three_items] == before
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_csv_plan_by_short_id_ignores_the_row_number_column(ledger_dir, three_items, cli, tmp_path):
    plan = tmp_path / "交办方案.csv"
    plan.write_text(
        "交办方案\n编号/序号,编号,主办单位,协办单位,办结时限,办理方式\n"
        "1,J-16,公安局,,2024/8/1,单办\n2,T-3,县交通运输局;公安局,,,\n制表人：张三,,,,,\n",
        encoding="utf-8-sig",
    )
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(three_items[1])["交办"]["时限"] == "2024-08-01"
    assert read(three_items[2])["交办"]["方式"] == "分办"
    assert "交办" not in read(three_items[0])


def test_a_row_without_its_编号_is_found_by_its_案号_when_the_plan_has_both_columns(ledger_dir, three_items, cli, tmp_path):
    plan = tmp_path / "交办方案.csv"
    plan.write_text("编号,类型,案号,主办单位\nJ-15,建议,15,教体局\n,建议,16,公安局\n", encoding="utf-8-sig")
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert read(three_items[0])["交办"]["主办"] == ["县教育和体育局"]
    assert read(three_items[1])["交办"]["主办"] == ["县公安局"]
    assert "内部错误" not in result.err


def test_from_refuses_per_item_options(ledger_dir, three_items, cli, tmp_path):
    plan = good_plan(tmp_path / "交办方案.xlsx")
    result = cli("assign", "J-15", "--from", plan, "--lead", "公安局", "--ledger", ledger_dir.root)
    assert result.code == 2 and "--lead" in result.err


VARIANTS = [
    ITEM,
    ITEM.replace("重点督办: false\n", ""),
    ITEM.replace("内容: |\n", "内容: |-\n"),
    ITEM.replace("内容: |\n", "内容: |+\n"),
    ITEM.replace("联名: [李四, 王五]\n", "联名:\n  - 李四\n  - 王五\n"),
    ITEM.replace("标题: 关于加强校园周边环境综合治理的建议", "标题: '关于加强校园周边环境综合治理的建议'"),
    ITEM.replace("内容: |\n  校园周边交通秩序混乱。\n", "内容: >\n  校园周边交通\n  秩序混乱。\n"),
    ITEM.replace("内容: |\n  校园周边交通秩序混乱。\n", "内容: 校园周边交通秩序混乱。\n"),
    ITEM.replace("内容: |\n  校园周边交通秩序混乱。\n", "内容:\n"),
    ITEM.replace("内容: |\n  校园周边交通秩序混乱。\n", "") + "案由说明: 无\n",
    ITEM + "沟通:\n  - 日期: 2024-04-02\n    方式: 电话\n",
    ITEM + "# 手写的注释\n",
    ITEM.replace("\n", "\r\n"),
    "\ufeff" + ITEM,
]


@pytest.mark.parametrize("text", VARIANTS + [
    path.read_text(encoding="utf-8") for path in sorted(__import__("pathlib").Path("examples/ledger/2026").glob("*.yaml"))
    if "\n交办:" not in path.read_text(encoding="utf-8")
])
@pytest.mark.parametrize("value", [
    {"日期": "2024-03-20", "方式": "单办", "主办": ["县教育和体育局"], "时限": "2024-06-20"},
    {"日期": "2024-03-20", "方式": "分办", "主办": ["县教育和体育局", "县公安局"], "协办": ["县交通运输局"], "时限": "2024-06-20"},
])
def test_appending_the_assignment_to_a_plain_file_is_what_the_round_trip_writes(text, value, tmp_path):
    """The 交办会's fast path (a new key appended as text) and the round trip agree byte for byte, or the
    fast path is not taken."""
    from tiandz.files.yamlio import BOM, dump_edited, load_roundtrip_text
    from tiandz.steps.common import add_key, set_key
    from tiandz.steps.engine import Target

    target = Target(None, tmp_path / "x.yaml", "x.yaml", None, text)
    add_key(target, "交办", value)
    fast = target.edited if target.edited is not None else dump_edited(target.data, text)
    data = load_roundtrip_text(text.removeprefix(BOM))
    set_key(data, "交办", value)
    assert fast == dump_edited(data, text)


def test_a_plain_registered_item_takes_the_fast_path_and_a_commented_one_the_round_trip(tmp_path):
    from tiandz.steps.common import add_key
    from tiandz.steps.engine import Target

    value = {"日期": "2024-03-20", "方式": "单办", "主办": ["县教育和体育局"], "时限": "2024-06-20"}
    plain = Target(None, tmp_path / "x.yaml", "x.yaml", None, ITEM)
    add_key(plain, "交办", value)
    assert plain.edited == ITEM + "交办:\n  日期: 2024-03-20\n  方式: 单办\n  主办: [县教育和体育局]\n  时限: 2024-06-20\n"
    commented = Target(None, tmp_path / "x.yaml", "x.yaml", None, ITEM + "# 手写的注释\n")
    add_key(commented, "交办", value)
    assert commented.edited is None and "交办" in commented.data


@pytest.mark.parametrize("attributes", [None, "*.yaml text eol=lf\n"])
def test_a_plan_of_many_items_commits_every_file_as_git_add_would(ledger_dir, cli, tmp_path, attributes):
    """More files than a step fsyncs one by one: one sync, one hash-object (or one a file where attributes
    apply), the old contents linked aside; the result is the same commit, clean status, sound repository."""
    if attributes:
        ledger_dir.write(".gitattributes", attributes)
    paths = [
        ledger_dir.item(ITEM.replace("2024-J-015", f"2024-J-{number:03d}").replace("案号: 15", f"案号: {number}")
                        .replace("校园周边环境综合治理", f"第{number}号事项"))
        for number in range(1, 13)
    ]
    ledger_dir.commit_all("十二件")
    plan = tmp_path / "交办方案.csv"
    plan.write_text("序号,编号,主办单位\n" + "".join(f"{n},J-{n},教体局\n" for n in range(1, 13)), encoding="utf-8")
    result = cli("assign", "--from", plan, "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert all(read(path)["交办"]["主办"] == ["县教育和体育局"] for path in paths)
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    for path in paths:  # each file in the commit is the file on disk
        relative = path.relative_to(ledger_dir.root).as_posix()
        assert git(ledger_dir.root, "show", f"HEAD:{relative}") == path.read_text(encoding="utf-8")
    git(ledger_dir.root, "fsck", "--no-dangling")
    assert not (ledger_dir.root / ".git" / "tiandz" / "step").exists()
