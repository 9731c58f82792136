"""The report as a clerk gets it: the terminal table, the Markdown and xlsx files under out/, what every
report says it was made from, and the refusals of a bad request."""

from __future__ import annotations

from conftest import git
from report_ledgers import UNIT, item

from tiandz.report.rates import percent_text

POLICE = "县公安局"


def write_93_answered_54_rated(ledger_dir) -> None:
    for number in range(1, 94):
        ledger_dir.item(item(
            number, assigned="2024-03-20", contacts=[("2024-04-01", "电话")], replies=[(UNIT, "2024-05-20", "A")],
            evaluations=[("2024-06-01", "满意")] if number <= 54 else [],
        ))
    ledger_dir.commit_all()


def test_percentages_round_half_up_to_two_decimals_and_no_base_is_a_dash():
    assert percent_text(54, 93) == "58.06%"  # 58.0645…; some reports print 58.07%
    assert percent_text(1, 8) == "12.50%"
    assert percent_text(1, 32) == "3.13%"  # 3.125 rounds up, not to even
    assert percent_text(2, 3) == "66.67%"
    assert percent_text(82, 85) == "96.47%"
    assert percent_text(0, 7) == "0.00%"
    assert percent_text(5, 5) == "100.00%"
    assert percent_text(0, 0) == "—"


def test_the_markdown_report_states_each_base_and_what_it_was_made_from(ledger_dir, cli):
    write_93_answered_54_rated(ledger_dir)
    result = cli("report", "--as-of", "2024-08-10", "--format", "md", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    path = ledger_dir.root / "out" / "办理进展情况-2024-08-10.md"
    assert "out/办理进展情况-2024-08-10.md" in result.out
    text = path.read_text(encoding="utf-8")
    head = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    assert text.startswith("# 2024年人大代表建议政协委员提案办理进展情况\n")
    assert f"截至 2024-08-10；台账 git 提交 {head[:12]}；" in text
    assert "| 评价率 | 54 | 93 | 58.06% |" in text
    assert "| 见面率 | 0 | 93 | 0.00% |" in text
    assert "| 转化率 | 0 | 0 | — |" in text, "no item was first classed unsolved: no rate, not 0% or 100%"
    assert "## 承办单位（分办件按每个主办单位各计一次）" in text
    assert "| 合计 |  | 93 | 100.00% | 93 | 100.00% |" in text


def test_a_report_made_with_uncommitted_changes_says_so(ledger_dir, cli):
    ledger_dir.item(item(1, assigned="2024-03-20"))
    ledger_dir.commit_all()
    clean = cli("report", "--as-of", "2024-08-10", "--format", "json", "-o", "-", "--ledger", ledger_dir.root)
    assert '"uncommitted": 0' in clean.out
    ledger_dir.item(item(2, assigned="2024-03-20"))
    result = cli("report", "--as-of", "2024-08-10", "--format", "md", "-o", "-", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    head = git(ledger_dir.root, "rev-parse", "HEAD").strip()
    assert f"台账 git 提交 {head[:12]}（另有 1 个文件有未提交的修改）" in result.out
    assert "生成时有 1 个文件未提交" in result.out


def test_the_terminal_table_shows_rates_with_their_bases_and_the_overdue_list(ledger_dir, cli):
    ledger_dir.item(item(1, title="关于修缮校舍的建议", assigned="2024-03-20", contacts=[("2024-04-01", "面商")]))
    ledger_dir.item(item(
        2, assigned="2024-03-20", leads=(UNIT, POLICE), contacts=[("2024-04-01", "面商", UNIT)],
        replies=[(UNIT, "2024-05-20", "A"), (POLICE, "2024-05-21", "B")],
    ))
    ledger_dir.commit_all()
    result = cli("report", "--as-of", "2024-08-10", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "2024年人大代表建议政协委员提案办理进展情况"
    assert "截至 2024-08-10" in lines[1]
    assert any("见面率" in line and "2 │    2 │ 100.00%" in line for line in lines)
    assert any("按期办复率" in line and "1 │    1 │ 100.00%" in line for line in lines)
    assert any("转化率" in line and "—" in line for line in lines)
    assert "承办单位（分办件按每个主办单位各计一次）" in result.out
    overdue = lines.index("逾期清单")
    assert "2024-J-001" in lines[overdue + 4] and "关于修缮校舍的建议" in lines[overdue + 4] and "51" in lines[overdue + 4]
    notify = lines.index("通报（有逾期未复件的单位）")
    assert UNIT in lines[notify + 4]


def test_the_xlsx_report_has_a_sheet_per_table_with_the_same_figures(ledger_dir, cli):
    from openpyxl import load_workbook

    write_93_answered_54_rated(ledger_dir)
    result = cli("report", "--as-of", "2024-08-10", "-o", ledger_dir.root / "进展.xlsx", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    book = load_workbook(ledger_dir.root / "进展.xlsx")
    assert book.sheetnames == ["基本情况", "比率", "答复分类", "满意度", "承办单位", "通报", "领域", "重点督办", "逾期清单", "承诺事项", "图表"]
    rates = {row[0]: row[1:] for row in book["比率"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert rates["评价率"] == (54, 93, "58.06%")
    assert "截至 2024-08-10" in book["比率"]["A2"].value
    assert book["比率"].freeze_panes == "A4"


def test_docx_goes_under_out_by_default_and_never_to_standard_output(ledger_dir, cli):
    result = cli("report", "--format", "docx", "--as-of", "2024-08-10", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert (ledger_dir.root / "out" / "办理进展情况-2024-08-10.docx").is_file()
    refused = cli("report", "--format", "docx", "-o", "-", "--ledger", ledger_dir.root)
    assert refused.code == 1 and "docx 不能写到标准输出" in refused.err


def test_bad_requests_are_refused_in_chinese_without_a_traceback(ledger_dir, cli):
    for options, message in [
        (["--as-of", "2024-13-01"], "不是有效日期"),
        (["--as-of", "明天"], "不是日期"),
        (["--as-of", "2999-01-01"], "晚于今天"),
        (["--type", "议案"], "应为 建议 或 提案"),
        (["--format", "pdf"], "格式“pdf”应为"),
        (["-o", "报告.txt"], "看不出要哪种格式"),
        (["--format", "table", "-o", "报告.md"], "table 格式打印在终端"),
        (["--format", "xlsx", "-o", "-"], "xlsx 不能写到标准输出"),
    ]:
        result = cli("report", *options, "--ledger", ledger_dir.root)
        assert result.code == 1, options
        assert message in result.err, (options, result.err)
        assert "Traceback" not in result.err


def test_an_empty_ledger_reports_zeros_and_no_rates(ledger_dir, cli):
    result = cli("report", "--format", "md", "-o", "-", "--as-of", "2024-08-10", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "| 交办率 | 0 | 0 | — |" in result.out
    assert "## 逾期清单\n\n无\n" in result.out
