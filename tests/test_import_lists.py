"""`tiandz import` of lists as congress and CPPCC offices really make them (issue 12): title rows, a two-row
header, merged cells, footers, a 建议 and a 提案 sheet, units written with their role, 类别 as the topic;
supplementary lists; 提出日期 never a silent today; 提出方式 from the session's dates; 时限 written."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CONFIG, TODAY, git
from openpyxl import Workbook

from tiandz.core.problems import TiandzError
from tiandz.ops.importing import import_file

MEETING = CONFIG.replace("  提案: 县十三届政协三次会议\n", "  提案: 县十三届政协三次会议\n  会议日期:\n    建议: 2024-01-15 至 2024-01-18\n    提案: [2024-01-14, 2024-01-17]\n")


def item(ledger_dir, item_id: str) -> str:
    return (ledger_dir.root / "2024" / f"{item_id}.yaml").read_text(encoding="utf-8")


def files(ledger_dir) -> list[str]:
    return sorted(path.stem for path in (ledger_dir.root / "2024").glob("*.yaml"))


def with_meeting(ledger_dir) -> None:
    ledger_dir.write("tiandz.yaml", MEETING)
    ledger_dir.commit_all("会议日期")


def office_workbook(path) -> None:
    """The 建议 sheet with a title and a subtitle, a two-row header (承办单位 over 主办单位 and 协办单位, the
    other headings merged down), units with their role, a 主办 merged down two rows, 类别 holding topics, and
    a note and a signature line below; the 提案 sheet with other synonyms and a 合计 row; a 说明 sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "建议"
    sheet.append(["县十六届人大三次会议代表建议交办清单"])
    sheet.merge_cells("A1:I1")
    sheet.append(["交办单位：县人大常委会代表工作委员会", None, None, None, None, None, None, None, "2024年3月20日"])
    sheet.append(["序号", "案号", "建议题目", "领衔代表", "联名代表", "承办单位", None, "类别", "提出日期"])
    sheet.append([None, None, None, None, None, "主办单位", "协办单位"])
    for column in "ABCDEHI":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("F3:G3")
    sheet.append([1, 15, "关于加强校园周边环境综合治理的建议", "张三", "李四、王五", "县教育和体育局（主办）、县公安局（协办）", None, "教育", dt.date(2024, 1, 16)])
    sheet.append([2, 16, "关于改善农村公路的建议", "李四", None, "县交通局", None, "交通", "2024年1月16日"])
    sheet.append([3, 17, "关于规范校车运营的建议", "王五", None, None, "县教体局（配合）", "交通", "2024-01-17"])
    sheet.merge_cells("F6:F7")  # one 主办 for two rows
    sheet.append(["注：本清单共 3 件，以代表工作委员会印发为准。"])
    sheet.merge_cells("A8:I8")
    sheet.append(["制表人：张三", None, None, None, "审核人：李四"])
    proposals = book.create_sheet("提案")
    proposals.append(["县十三届政协三次会议提案交办清单"])
    proposals.append(["序号", "提案号", "案由", "第一提案人", "附议人", "牵头单位", "会办单位", "提交日期"])
    proposals.append([1, 3, "关于发展乡村旅游的提案", "民进县委会", None, "县教体局", "县市场监管局", "2024-01-15"])
    proposals.append([2, 4, "关于食品安全监管的提案", "赵六", "钱七", None, None, "2024-01-15"])
    proposals.append(["合计", "2件"])
    notes = book.create_sheet("说明")
    notes.append(["本表由县政府督查室汇总。"])
    book.save(path)


def test_a_workbook_as_offices_make_it_registers_both_sheets_in_one_commit(ledger_dir, tmp_path):
    source = tmp_path / "交办清单.xlsx"
    office_workbook(source)
    result = import_file(ledger_dir.ledger(), source, assigned="2024-03-20", today=TODAY)
    assert files(ledger_dir) == ["2024-J-001", "2024-J-002", "2024-J-003", "2024-T-001", "2024-T-002"]
    first = item(ledger_dir, "2024-J-001")
    assert "类型: 建议\n届次: 县十六届人大三次会议\n案号: 15\n标题: 关于加强校园周边环境综合治理的建议\n" in first
    assert "联名: [李四, 王五]\n提出日期: 2024-01-16\n领域: 教育\n" in first
    assert "交办:\n  日期: 2024-03-20\n  方式: 会办\n  主办: [县教育和体育局]\n  协办: [县公安局]\n  时限: 2024-06-20\n" in first
    assert "主办: [县交通运输局]" in item(ledger_dir, "2024-J-002") and "领域: 交通" in item(ledger_dir, "2024-J-002")
    third = item(ledger_dir, "2024-J-003")  # 主办 merged down from the row above; its own unit written as 配合
    assert "主办: [县交通运输局]\n  协办: [县教育和体育局]\n" in third and "提出日期: 2024-01-17" in third
    proposal = item(ledger_dir, "2024-T-001")
    assert "类型: 提案\n届次: 县十三届政协三次会议\n案号: 3\n标题: 关于发展乡村旅游的提案\n提出人: 民进县委会\n" in proposal
    assert "主办: [县教育和体育局]\n  协办: [县市场监督管理局]\n" in proposal
    assert "交办" not in item(ledger_dir, "2024-T-002") and "联名: [钱七]" in item(ledger_dir, "2024-T-002")
    assert ledger_dir.log() == ["导入 交办清单.xlsx：登记 5 件", "init"]
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert (result.count, result.assigned, result.unassigned) == (5, 4, 1)
    assert result.ranges == ["2024-J-001 至 2024-J-003", "2024-T-001 至 2024-T-002"]
    notes = "\n".join(result.notes)
    assert "工作表“说明”中找不到表头，未读取" in notes
    assert "“类别”列的值（交通、教育）是领域，不是答复类别（A、B、C），按领域读取" in notes
    assert "表尾 第 8 行“注：本清单共 3 件，以代表工作委员会印发为准。”；第 9 行“制表人：张三 审核人：李四” 不是条目，已跳过" in notes
    assert "工作表“提案”：表尾 第 5 行“合计 2件” 不是条目，已跳过" in notes


@pytest.mark.parametrize("header, value, written", [
    ("标题", "关于修路的建议", "标题: 关于修路的建议"),
    ("题目", "关于修路的建议", "标题: 关于修路的建议"),
    ("建议题目", "关于修路的建议", "标题: 关于修路的建议"),
    ("案由", "关于修路的建议", "标题: 关于修路的建议"),
    ("提出人", "赵六", "提出人: 赵六"),
    ("领衔代表", "赵六", "提出人: 赵六"),
    ("第一提案人", "赵六", "提出人: 赵六"),
    ("提案人", "赵六", "提出人: 赵六"),
    ("联名", "钱七", "联名: [钱七]"),
    ("联名代表", "钱七", "联名: [钱七]"),
    ("附议人", "钱七", "联名: [钱七]"),
    ("主办单位", "县公安局", "主办: [县公安局]"),
    ("牵头单位", "县公安局", "主办: [县公安局]"),
    ("承办单位", "县公安局", "主办: [县公安局]"),
    ("协办单位", "县公安局", "协办: [县公安局]"),
    ("会办单位", "县公安局", "协办: [县公安局]"),
    ("配合单位", "县公安局", "协办: [县公安局]"),
    ("领域", "交通", "领域: 交通"),
    ("类别", "交通", "领域: 交通"),
    ("提出日期", "2024-02-01", "提出日期: 2024-02-01"),
    ("提出时间", "2024年2月1日", "提出日期: 2024-02-01"),
    ("提交日期", "2024/2/1", "提出日期: 2024-02-01"),
])
def test_each_header_synonym_is_read_as_its_field(ledger_dir, tmp_path, header, value, written):
    base = {"标题": "关于路灯的建议", "提出人": "张三", "主办单位": "县教体局", "提出日期": "2024-01-20"}
    synonyms = {"题目": "标题", "建议题目": "标题", "案由": "标题", "领衔代表": "提出人", "第一提案人": "提出人", "提案人": "提出人",
                "牵头单位": "主办单位", "承办单位": "主办单位", "提出时间": "提出日期", "提交日期": "提出日期"}
    base.pop(synonyms.get(header, header), None)
    if header in ("协办单位", "会办单位", "配合单位"):
        base["主办单位"] = "县交通局"
    headers = ["序号", *base, header]
    source = tmp_path / "清单.csv"
    source.write_text(",".join(headers) + "\n" + ",".join(["1", *base.values(), value]) + "\n", encoding="utf-8")
    result = import_file(ledger_dir.ledger(), source, kind="建议", assigned="2024-03-20", today=TODAY)
    assert result.count == 1
    assert written in item(ledger_dir, "2024-J-001")
    assert not [note for note in result.notes if "序号" in note]  # known, ignored, nothing to say


def test_a_category_column_of_result_classes_is_not_the_topic_and_says_so(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,类别\n关于路灯的建议,张三,A\n关于公交的建议,李四,B\n", encoding="utf-8")
    result = import_file(ledger_dir.ledger(), source, kind="建议", submitted="2024-01-20", today=TODAY)
    assert "领域" not in item(ledger_dir, "2024-J-001")
    assert result.notes[0] == "“类别”列的值（A、B）是答复类别，不是领域，登记时不用，已忽略"


def supplementary(tmp_path, name, rows) -> object:
    source = tmp_path / name
    source.write_text("案号,标题,提出人,提出日期\n" + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return source


def test_a_supplementary_list_registers_only_the_new_rows_and_lists_the_others(ledger_dir, tmp_path):
    first = supplementary(tmp_path, "清单.csv", [("15", "关于路灯的建议", "张三", "2024-01-16"), ("", "关于公交的建议", "李四", "2024-01-16")])
    import_file(ledger_dir.ledger(), first, kind="建议", today=TODAY)
    later = supplementary(tmp_path, "补充清单.csv", [
        ("15", "关于城区路灯的建议", "张三", "2024-01-16"),  # the same 案号, its title corrected: registered already
        ("21", "关于公交的建议", "李四", "2024-01-16"),  # a 案号 the registered item lacks: 标题 + 提出人 decide
        ("16", "关于路灯的建议", "王五", "2024-01-17"),  # a new item
    ])
    result = import_file(ledger_dir.ledger(), later, kind="建议", today=TODAY)
    assert result.registered == [("补充清单.csv 第 2 行", "2024-J-001（案号相同，台账中标题为“关于路灯的建议”）"),
                                 ("补充清单.csv 第 3 行", "2024-J-002")]
    assert (result.count, result.first) == (1, "2024-J-003")
    assert files(ledger_dir) == ["2024-J-001", "2024-J-002", "2024-J-003"]
    assert "提出人: 王五" in item(ledger_dir, "2024-J-003")
    assert ledger_dir.log() == ["导入 补充清单.csv：登记 1 件", "导入 清单.csv：登记 2 件", "init"]
    assert "补充清单.csv 第 3 行 已登记为 2024-J-002，跳过" in result.notes


def test_two_items_with_different_case_numbers_are_two_items_whatever_their_titles(ledger_dir, tmp_path):
    first = supplementary(tmp_path, "清单.csv", [("15", "关于路灯的建议", "张三", "2024-01-16")])
    import_file(ledger_dir.ledger(), first, kind="建议", today=TODAY)
    later = supplementary(tmp_path, "补充清单.csv", [("16", "关于路灯的建议", "张三", "2024-01-16")])
    assert import_file(ledger_dir.ledger(), later, kind="建议", today=TODAY).count == 1
    assert files(ledger_dir) == ["2024-J-001", "2024-J-002"]


def test_a_row_repeated_in_the_list_itself_is_a_mistake_named_by_both_rows(ledger_dir, tmp_path):
    source = supplementary(tmp_path, "清单.csv", [("15", "关于路灯的建议", "张三", "2024-01-16"), ("15", "关于路灯的建议", "张三", "2024-01-16")])
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, kind="建议", today=TODAY)
    assert [problem.format() for problem in refused.value.problems] == ["清单.csv:3: 标题: 与清单.csv 第 2 行重复（同一件只在清单中列一行）"]
    assert files(ledger_dir) == []


NO_DATES = "标题,提出人,主办单位\n关于路灯的建议,张三,县教体局\n关于公交的建议,李四,\n"


def test_without_a_date_anywhere_the_dry_run_says_so_and_the_import_refuses(ledger_dir, tmp_path, cli):
    source = tmp_path / "清单.csv"
    source.write_text(NO_DATES, encoding="utf-8")
    dry = cli("import", source, "--type", "建议", "--date", "2024-03-20", "--dry-run", "--ledger", ledger_dir.root)
    assert dry.code == 1
    assert "提出日期：无从得知：表中没有提出日期列，未给 --submitted，tiandz.yaml 没有会议日期" in dry.out
    said = "清单.csv: 提出日期: 没有提出日期：表中没有提出日期列，未给 --submitted，tiandz.yaml 的届次下也没有会议日期"
    assert said in dry.err
    result = cli("import", source, "--type", "建议", "--date", "2024-03-20", "--ledger", ledger_dir.root)
    assert result.code == 1 and said in result.err and result.err.count("\n") == 1  # once, not per row
    assert files(ledger_dir) == [] and ledger_dir.log() == ["init"]


def test_the_session_dates_give_the_date_and_the_source(ledger_dir, tmp_path):
    with_meeting(ledger_dir)
    source = tmp_path / "清单.csv"
    source.write_text(NO_DATES, encoding="utf-8")
    import_file(ledger_dir.ledger(), source, kind="建议", assigned="2024-03-20", today=TODAY)
    for item_id in ("2024-J-001", "2024-J-002"):
        assert "提出方式: 大会期间\n提出日期: 2024-01-15\n" in item(ledger_dir, item_id)


def test_submitted_wins_over_the_session_and_the_source_follows_the_date(ledger_dir, tmp_path):
    with_meeting(ledger_dir)
    source = tmp_path / "清单.csv"
    source.write_text(NO_DATES, encoding="utf-8")
    import_file(ledger_dir.ledger(), source, kind="建议", assigned="2024-03-20", submitted="2024-02-10", today=TODAY)
    assert "提出方式: 闭会期间\n提出日期: 2024-02-10\n" in item(ledger_dir, "2024-J-001")


def test_source_defaults_from_each_rows_date_and_the_option_overrides_it(ledger_dir, tmp_path):
    with_meeting(ledger_dir)
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,提出日期\n关于路灯的建议,张三,2024-01-14\n关于公交的建议,李四,2024-01-16\n关于修路的建议,王五,2024-05-06\n",
                      encoding="utf-8")
    import_file(ledger_dir.ledger(), source, kind="提案", today=TODAY)
    assert [item(ledger_dir, f"2024-T-00{number}").split("提出方式: ")[1][:4] for number in (1, 2, 3)] == ["大会期间", "大会期间", "闭会期间"]
    again = tmp_path / "又一.csv"
    again.write_text("标题,提出人,提出日期\n关于绿化的建议,赵六,2024-01-16\n", encoding="utf-8")
    import_file(ledger_dir.ledger(), again, kind="提案", source="闭会期间", today=TODAY)
    assert "提出方式: 闭会期间" in item(ledger_dir, "2024-T-004")


def test_a_bad_source_is_refused_with_a_guess(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text(NO_DATES, encoding="utf-8")
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, kind="建议", submitted="2024-01-20", source="大会", today=TODAY)
    assert refused.value.problems[0].message == "提出方式“大会”应为 大会期间 或 闭会期间，是否为“大会期间”？"


def test_rows_assigned_on_import_keep_the_due_date_assign_would_write(ledger_dir, tmp_path, cli):
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,主办单位,时限\n关于路灯的建议,张三,县教体局,\n关于公交的建议,李四,县交通局,2024-05-31\n", encoding="utf-8")
    import_file(ledger_dir.ledger(), source, kind="建议", assigned="2024-03-20", submitted="2024-01-20", today=TODAY)
    assert "  时限: 2024-06-20\n" in item(ledger_dir, "2024-J-001")  # 2024-03-20 plus 答复: 3个月, as assign writes it
    assert "  时限: 2024-05-31\n" in item(ledger_dir, "2024-J-002")
    ledger_dir.write("tiandz.yaml", CONFIG + "时限:\n  答复: 2个月\n")
    ledger_dir.commit_all("时限改为 2 个月")
    shown = cli("show", "2024-J-001", "--ledger", ledger_dir.root)
    assert "2024-06-20" in shown.out and "2024-05-20" not in shown.out  # a later change of tiandz.yaml moves nothing
    assert git(ledger_dir.root, "show", "HEAD~1:2024/2024-J-001.yaml").count("时限: 2024-06-20") == 1


def test_a_due_date_not_after_the_assignment_is_a_bad_row(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,主办单位,时限\n关于路灯的建议,张三,县教体局,2024-03-01\n", encoding="utf-8")
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, kind="建议", assigned="2024-03-20", submitted="2024-01-20", today=TODAY)
    assert refused.value.problems[0].format() == "清单.csv:2: 时限: 时限 2024-03-01 不晚于交办日期 2024-03-20"


def test_the_dry_run_shows_each_column_each_sheet_and_the_counts(ledger_dir, tmp_path, cli):
    source = tmp_path / "交办清单.xlsx"
    office_workbook(source)
    earlier = supplementary(tmp_path, "清单.csv", [("4", "关于食品安全监管的提案", "赵六", "2024-01-15")])
    import_file(ledger_dir.ledger(), earlier, kind="提案", today=TODAY)
    head = git(ledger_dir.root, "rev-parse", "HEAD")
    result = cli("import", source, "--date", "2024-03-20", "--dry-run", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    out = result.out
    assert "工作表“建议”：表头在第 3 行，数据 3 行，按工作表名登记为建议" in out
    assert "工作表“提案”：表头在第 2 行，数据 2 行，按工作表名登记为提案" in out
    for reading in ("列“序号” → 忽略（序号）", "列“建议题目” → 标题", "列“领衔代表” → 提出人", "列“主办单位” → 主办单位",
                    "列“协办单位” → 协办单位", "列“类别” → 领域（值为 交通、教育，不是答复类别）", "列“提交日期” → 提出日期",
                    "列“案由” → 标题", "列“牵头单位” → 主办单位", "列“会办单位” → 协办单位"):
        assert reading in out
    assert "表尾 第 9 行“制表人：张三 审核人：李四”：不是条目，跳过" in out
    assert "交办日期：2024-03-20（--date）" in out
    assert "交办清单.xlsx[提案] 第 4 行：已登记为 2024-T-001" in out
    assert "新登记 4 件（其中交办 4 件，待交办 0 件），已登记跳过 1 件" in out
    assert git(ledger_dir.root, "rev-parse", "HEAD") == head and files(ledger_dir) == ["2024-T-001"]


def test_sheet_picks_one_sheet_and_a_wrong_name_gets_a_guess(ledger_dir, tmp_path):
    source = tmp_path / "交办清单.xlsx"
    office_workbook(source)
    result = import_file(ledger_dir.ledger(), source, assigned="2024-03-20", sheet="提案", today=TODAY)
    assert files(ledger_dir) == ["2024-T-001", "2024-T-002"] and result.count == 2
    again = import_file(ledger_dir.ledger(), source, assigned="2024-03-20", sheet="提案", today=TODAY)
    assert again.registered == [("交办清单.xlsx[提案] 第 3 行", "2024-T-001"), ("交办清单.xlsx[提案] 第 4 行", "2024-T-002")]
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, sheet="建义", today=TODAY)
    problem = refused.value.problems[0]
    assert (problem.field, problem.message) == ("--sheet", "交办清单.xlsx 中没有工作表“建义”，是否为“建议”？")
    assert problem.hint == "工作表有：建议、提案、说明"


def test_a_sheet_named_for_one_type_and_type_for_the_other_is_refused(ledger_dir, tmp_path):
    source = tmp_path / "交办清单.xlsx"
    office_workbook(source)
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, kind="建议", assigned="2024-03-20", today=TODAY)
    assert refused.value.problems[0].message == "工作表“提案”是提案，与 --type 建议 不符"
    assert files(ledger_dir) == []


def test_bad_rows_of_several_sheets_are_named_by_sheet_and_row(ledger_dir, tmp_path):
    book = Workbook()
    book.active.title = "建议"
    book.active.append(["标题", "提出人", "主办单位", "提出日期"])
    book.active.append(["关于路灯的建议", "张三", "县教体", "2024-01-20"])
    proposals = book.create_sheet("提案")
    proposals.append(["案由", "提案人", "提出日期"])
    proposals.append(["关于公交的提案", "李四", "2024-01-20"])
    proposals.append(["", "王五", "2024-13-01"])
    source = tmp_path / "清单.xlsx"
    book.save(source)
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, assigned="2024-03-20", today=TODAY)
    assert [problem.format() for problem in refused.value.problems] == [
        "清单.xlsx[建议]:2: 主办单位: “县教体”不是 tiandz.yaml 中的承办单位（是否为“县教育和体育局”？）",
        "清单.xlsx[提案]:3: 案由: 不能为空",
        "清单.xlsx[提案]:3: 提出日期: 2024-13-01 不是有效日期",
    ]
    assert files(ledger_dir) == [] and ledger_dir.log() == ["init"]


def test_thousands_of_undated_rows_are_one_problem(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,提出日期\n" + "".join(f"关于第{row}件的建议,代表{row},\n" for row in range(3000)), encoding="utf-8")
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, kind="建议", today=TODAY)
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].message.startswith("没有提出日期：第 2、3、4、5、6、7、8、9、10、11 行等 3000 行提出日期为空")


def test_a_long_list_is_committed_whole_by_git_in_one_pass(ledger_dir, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,主办单位,提出日期\n" + "".join(f"关于第{row}件的建议,代表{row},县教体局,2024-01-20\n" for row in range(120)),
                      encoding="utf-8")
    import_file(ledger_dir.ledger(), source, kind="建议", assigned="2024-03-20", today=TODAY)
    assert len(files(ledger_dir)) == 120
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert git(ledger_dir.root, "fsck", "--strict") == ""
    assert git(ledger_dir.root, "show", "HEAD:2024/2024-J-120.yaml") == item(ledger_dir, "2024-J-120")


def test_a_long_list_under_a_filter_attribute_is_stored_as_git_add_would(ledger_dir, tmp_path):
    ledger_dir.write(".gitattributes", "*.yaml ident\n")
    ledger_dir.commit_all("ident")
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,提出日期,内容\n" + "".join(f"关于第{row}件的建议,代表{row},2024-01-20,见 $Id: 旧版 $ 附件\n" for row in range(60)),
                      encoding="utf-8")
    import_file(ledger_dir.ledger(), source, kind="建议", today=TODAY)
    assert "见 $Id$ 附件" in git(ledger_dir.root, "cat-file", "-p", "HEAD:2024/2024-J-060.yaml")  # ident's clean filter applied


def test_meeting_dates_out_of_order_are_a_config_error(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", MEETING.replace("2024-01-15 至 2024-01-18", "2024-01-18 至 2024-01-15"))
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "会议日期的开幕 2024-01-18 晚于闭幕 2024-01-15" in result.out + result.err


# --- tiandz new ---------------------------------------------------------------------------------------------


class Terminal:
    """Standard input as a clerk's terminal: each answer a line."""

    def __init__(self, answers: list[str]):
        self.lines = iter(answer + "\n" for answer in answers)

    def isatty(self) -> bool:
        return True

    def readline(self, *_) -> str:
        return next(self.lines)


def test_new_at_a_terminal_asks_for_every_field(ledger_dir, cli, monkeypatch):
    import sys

    with_meeting(ledger_dir)
    answers = ["1", "关于路灯的建议", "张三", "李四、王五", "B12", "", "", "教育", "y"]
    monkeypatch.setattr(sys, "stdin", Terminal(answers))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    result = cli("new", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    text = item(ledger_dir, "2024-J-001")
    assert "案号: B12\n标题: 关于路灯的建议\n提出人: 张三\n联名: [李四, 王五]\n提出方式: 大会期间\n提出日期: 2024-01-15\n领域: 教育\n重点督办: true\n" in text
    prompts = result.out  # each question as the clerk saw it
    for label in ("联名", "案号", "提出日期（回车为 2024-01-15，届次的会议首日）", "提出方式", "领域", "重点督办"):
        assert label in prompts
    assert ledger_dir.log()[0].startswith("登记 2024-J-001")


def test_new_without_source_takes_it_from_the_session_dates(ledger_dir, cli):
    with_meeting(ledger_dir)
    cli("new", "--type", "提案", "--title", "关于公交的提案", "--proposer", "李四", "--date", "2024-03-01", "--ledger", ledger_dir.root)
    assert "提出方式: 闭会期间\n提出日期: 2024-03-01\n" in item(ledger_dir, "2024-T-001")


# --- files written fast, as ruamel.yaml writes them ----------------------------------------------------------


@pytest.mark.parametrize("text", [
    "关于加强校园周边环境综合治理的建议", "关于 A&B: x 的建议", "关于#话题", "关于 #话题", "关于[括号]的建议", "关于，逗号", "关于, 逗号",
    "关于“引号”", "关于：全角冒号", "关于:半角", "关于尾部空格 ", "关于\u3000全角空格", "关于😀", "B(2020)79", "关于\t制表",
])
def test_a_new_item_file_is_written_exactly_as_ruamel_yaml_would(text):
    from tiandz.files.itemfile import ordered, render_item, to_yaml_node
    from tiandz.files.yamlio import dump_roundtrip

    for content in ("第一段\n第二段", "  缩进的一段", "一段 \n二段", "一\n\n二", text):
        data = {"编号": "2024-J-001", "类型": "建议", "案号": "15", "标题": text, "提出人": text, "联名": [text, "李四"],
                "提出日期": "2024-01-20", "重点督办": False, "联系方式": "09371234567", "内容": content,
                "交办": {"日期": "2024-03-20", "方式": "单办", "主办": [text], "时限": "2024-06-20"}}
        assert render_item(data) == dump_roundtrip(to_yaml_node(ordered(data)))


@pytest.mark.parametrize("written, span", [
    ("2024-01-15", ("2024-01-15", "2024-01-15")),
    ("2024-01-15 至 2024-01-18", ("2024-01-15", "2024-01-18")),
    ("[2024-01-15, 2024-01-18]", ("2024-01-15", "2024-01-18")),
])
def test_meeting_dates_are_one_day_or_a_span(ledger_dir, written, span):
    ledger_dir.write("tiandz.yaml", CONFIG.replace("  提案: 县十三届政协三次会议\n", f"  提案: 县十三届政协三次会议\n  会议日期:\n    建议: {written}\n"))
    config = ledger_dir.ledger().config
    assert tuple(day.isoformat() for day in config.meeting_of("建议")) == span
    assert config.meeting_of("提案") is None


@pytest.mark.parametrize("kill, committed", [("fast-import:after", False), ("update-ref:after", True),
                                             ("update-index@real-index:before", True)])
def test_a_long_import_killed_then_run_again_registers_every_row_exactly_once(ledger_dir, tmp_path, kill, committed):
    from test_crash_safety import assert_whole, files_of, run_tiandz

    sheet = tmp_path / "清单.csv"
    sheet.write_text("标题,提出人,主办单位,提出日期\n" + "".join(f"关于第{row}件的建议,代表{row},县教体局,2024-01-20\n" for row in range(80)),
                     encoding="utf-8")
    command = ["import", str(sheet), "--type", "建议", "--date", "2024-03-01"]
    assert run_tiandz(ledger_dir.root, tmp_path, command, kill).returncode == -9
    again = run_tiandz(ledger_dir.root, tmp_path, command)
    assert again.returncode == 0, again.stderr
    said = again.stdout + again.stderr
    assert ("已补完：导入 清单.csv" in said and "已登记的 80 行跳过" in said) if committed else ("已撤销" in said and "已登记 80 件" in said)
    assert len(files_of(ledger_dir.root)) == 80
    assert ledger_dir.log() == ["导入 清单.csv：登记 80 件", "init"]
    assert_whole(ledger_dir.root)


@pytest.mark.parametrize("submitted", [None, "2024-01-20"])
def test_a_date_cell_that_is_no_date_is_one_bad_row_not_a_missing_date(ledger_dir, tmp_path, submitted):
    source = tmp_path / "清单.csv"
    source.write_text("案由,提案人,提交日期\n关于公交的提案,李四,2024-13-01\n", encoding="utf-8")
    with pytest.raises(TiandzError) as refused:
        import_file(ledger_dir.ledger(), source, kind="提案", submitted=submitted, today=TODAY)
    assert [problem.format() for problem in refused.value.problems] == ["清单.csv:2: 提交日期: 2024-13-01 不是有效日期"]
