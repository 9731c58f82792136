"""The progress report as a reviewer passes it (issue 13): class shares in every output, provenance kept in the
document's properties rather than its body, the 主送 form, the office's sections never silently missing,
tables whose headers do not break, and charts (pictures in Word, native charts in Excel)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import CONFIG
from report_ledgers import UNIT, item

docx = pytest.importorskip("docx")

AS_OF = "2024-08-10"


def write_7_a_and_1_b(ledger_dir) -> None:
    """Eight answered items: 7 of class A (87.50%), 1 of class B (12.50%); one more assigned, unanswered and overdue."""
    for number in range(1, 9):
        category = "B" if number == 8 else "A"
        ledger_dir.item(item(number, assigned="2024-03-20", contacts=[("2024-04-01", "面商")],
                             replies=[(UNIT, "2024-05-20", category)]))
    ledger_dir.item(item(9, assigned="2024-03-20"))
    ledger_dir.commit_all()


def run_report(cli, ledger_dir, name: str, *options):
    path = ledger_dir.root / name
    result = cli("report", "--as-of", AS_OF, "-o", path, "--ledger", ledger_dir.root, *options)
    assert result.code == 0, result.err
    return path, result


def lines_of(path) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(str(path)).paragraphs if paragraph.text.strip()]


def custom_properties(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("docProps/custom.xml").decode("utf-8")
    return dict(re.findall(r'name="([^"]+)"><vt:lpwstr>([^<]*)</vt:lpwstr>', xml))


def head(ledger_dir) -> str:
    return subprocess.run(["git", "-C", str(ledger_dir.root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()


# --- class shares ---------------------------------------------------------------------------------------


def test_every_output_gives_each_class_its_share_of_the_answered_items(ledger_dir, cli):
    write_7_a_and_1_b(ledger_dir)
    md = run_report(cli, ledger_dir, "进展.md")[0].read_text(encoding="utf-8")
    assert "| 类别 | 含义 | 首次答复 | 占比 | 现分类 | 占比 |" in md
    assert "| A | 已经解决或基本解决 | 7 | 87.50% | 7 | 87.50% |" in md
    assert "| B | 正在解决或列入计划逐步解决 | 1 | 12.50% | 1 | 12.50% |" in md
    assert "占比为占已答复件的比例" in md

    data = json.loads(cli("report", "--as-of", AS_OF, "--format", "json", "-o", "-", "--ledger", ledger_dir.root).out)
    assert data["category_share"]["A"] == {"rate": 0.875, "numerator": 7, "denominator": 8, "percent": "87.50%"}
    assert data["category_share"]["B"]["percent"] == "12.50%" and data["category_share_base"] == "answered"
    assert data["category_now_share"]["C"] == {"rate": 0.0, "numerator": 0, "denominator": 8, "percent": "0.00%"}

    table = cli("report", "--as-of", AS_OF, "--ledger", ledger_dir.root).out
    assert "87.50%" in table and "12.50%" in table

    from openpyxl import load_workbook

    sheet = load_workbook(run_report(cli, ledger_dir, "进展.xlsx")[0])["答复分类"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["类别", "含义", "首次答复", "占比", "现分类", "占比"]
    assert rows[1] == ["A", "已经解决或基本解决", 7, "87.50%", 7, "87.50%"]

    path = run_report(cli, ledger_dir, "进展.docx")[0]
    answered = next(line for line in lines_of(path) if line.startswith("已答复"))
    assert "按答复类别分，A类7件，占87.50%；B类1件，占12.50%（占比均以已答复件为基数）。" in answered
    document = docx.Document(str(path))
    classes = next(table for table in document.tables if table.rows[0].cells[0].text == "类别")
    assert [cell.text for cell in classes.rows[1].cells] == ["A", "已经解决或基本解决", "7", "87.50%", "7", "87.50%"]


def test_a_share_is_rounded_half_up_in_decimals_not_as_a_float(ledger_dir, cli):
    # 1 of 32 is 3.125%: half up gives 3.13%, Python's round(3.125, 2) gives 3.12.
    for number in range(1, 33):
        ledger_dir.item(item(number, assigned="2024-03-20", contacts=[("2024-04-01", "面商")],
                             replies=[(UNIT, "2024-05-20", "B" if number == 1 else "A")]))
    ledger_dir.commit_all()
    data = json.loads(cli("report", "--as-of", AS_OF, "--format", "json", "-o", "-", "--ledger", ledger_dir.root).out)
    assert data["category_share"]["B"]["percent"] == "3.13%"
    assert data["category_share"]["A"]["percent"] == "96.88%"  # 96.875


def test_the_json_answered_from_its_memo_has_the_shares_too(ledger_dir, cli):
    write_7_a_and_1_b(ledger_dir)
    command = ["report", "--as-of", AS_OF, "--format", "json", "-o", "-", "--ledger", str(ledger_dir.root)]
    first = subprocess.run([sys.executable, "-m", "tiandz", *command], capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-m", "tiandz", *command], capture_output=True, text=True)
    assert first.returncode == 0 and again.stdout == first.stdout
    assert json.loads(again.stdout)["category_share"]["B"]["percent"] == "12.50%"


# --- provenance -----------------------------------------------------------------------------------------


def test_a_formal_report_keeps_its_commit_in_the_properties_not_on_the_page(ledger_dir, cli):
    write_7_a_and_1_b(ledger_dir)
    path = run_report(cli, ledger_dir, "进展.docx")[0]
    text = "\n".join(lines_of(path))
    assert "git" not in text and head(ledger_dir)[:12] not in text
    properties = custom_properties(path)
    assert properties["台账提交"] == head(ledger_dir) and properties["截至日期"] == AS_OF
    assert properties["未提交文件数"] == "0"
    core = docx.Document(str(path)).core_properties
    assert core.identifier == head(ledger_dir) and head(ledger_dir)[:12] in core.comments
    assert core.title == "2024年人大代表建议政协委员提案办理进展情况"

    from openpyxl import load_workbook

    book = load_workbook(run_report(cli, ledger_dir, "进展.xlsx")[0])
    assert book.properties.identifier == head(ledger_dir)
    assert {prop.name: prop.value for prop in book.custom_doc_props.props}["台账提交"] == head(ledger_dir)


@pytest.mark.parametrize("how", ["--draft", "显示依据"])
def test_the_provenance_line_is_printed_when_asked_for(ledger_dir, cli, how):
    write_7_a_and_1_b(ledger_dir)
    options = []
    if how == "--draft":
        options.append("--draft")
    else:
        ledger_dir.write("tiandz.yaml", CONFIG + "报告:\n  显示依据: true\n")
        ledger_dir.commit_all()
    path = run_report(cli, ledger_dir, "进展.docx", *options)[0]
    lines = lines_of(path)
    assert lines[lines.index("2024年8月10日") + 1].startswith(f"（本报告数据截至2024年8月10日，台账 git 提交 {head(ledger_dir)[:12]}")


def test_uncommitted_changes_always_print_the_provenance_line_and_warn(ledger_dir, cli):
    write_7_a_and_1_b(ledger_dir)
    ledger_dir.item(item(10, assigned="2024-03-20"))  # not committed
    path, result = run_report(cli, ledger_dir, "进展.docx")
    assert "1 个文件未提交" in result.err
    text = "\n".join(lines_of(path))
    assert f"台账 git 提交 {head(ledger_dir)[:12]}（另有 1 个文件有未提交的修改）" in text
    assert custom_properties(path)["未提交文件数"] == "1"


# --- 主送 and the title of a 报告 ------------------------------------------------------------------------


def test_a_report_to_a_body_has_its_title_form_and_a_main_recipient(ledger_dir, cli):
    write_7_a_and_1_b(ledger_dir)
    plain = lines_of(run_report(cli, ledger_dir, "情况.docx")[0])
    assert plain[0].replace("\n", "") == "2024年人大代表建议政协委员提案办理进展情况" and plain[1] == "一、办理工作的基本情况"
    ledger_dir.write("tiandz.yaml", CONFIG + "报告:\n  主送: 县人大常委会\n")
    ledger_dir.commit_all()
    lines = lines_of(run_report(cli, ledger_dir, "报告.docx")[0])
    assert lines[0].split("\n") == ["关于2024年人大代表建议", "政协委员提案办理工作进展情况的报告"]  # never 政协/委员
    assert lines[1] == "县人大常委会：" and lines[2] == "一、办理工作的基本情况"


def test_the_report_settings_are_a_known_part_of_tiandz_yaml(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", CONFIG + "报告:\n  主送: 县人大常委会\n  显示依据: true\n")
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("setting", ["报告:\n  主送: \"\"\n", "报告:\n  显示依据: 也许\n", "报告:\n  抄报: 县政协\n"])
def test_the_report_settings_are_checked(ledger_dir, cli, setting):
    ledger_dir.write("tiandz.yaml", CONFIG + setting)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "报告" in result.out + result.err


# --- tables ---------------------------------------------------------------------------------------------


def test_no_header_of_three_characters_breaks_and_tables_fill_the_text_block():
    from tiandz.officialdoc.measures import SIZE, width_in_characters
    from tiandz.report.docx_out import TEXT_WIDTH, column_widths
    from tiandz.report.layout import Section

    headers = ["承办单位", "主办件数", "协办件数", "已答复", "按期", "逾期未复", "已见面", "满意", "基本满意", "不满意"]
    rows = [["县住房和城乡建设局", 120, 3, 100, 99, 20, 80, 50, 30, 2], ["县教育和体育局", 40, 0, 30, 30, 0, 20, 10, 10, 0]]
    widths, size = column_widths(Section("承办单位", "承办单位", headers, rows))
    character = size * 25.4 / 72
    assert abs(sum(widths) - TEXT_WIDTH) < 0.01
    for header, width in zip(headers, widths):
        if width_in_characters(header) <= 3:
            assert width >= width_in_characters(header) * character + 2.4, header
        else:  # at worst two even lines (主办/件数), never a character alone
            assert width >= 2 * character + 2.4, header
    narrow = column_widths(Section("领域", "领域", ["领域", "件数", "占比"], [["教育", 3, "100.00%"]]))[0]
    assert abs(sum(narrow) - TEXT_WIDTH) < 0.01 and size in (SIZE["小四"], SIZE["五号"])


# --- charts ---------------------------------------------------------------------------------------------


def pictures_in(path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(1 for name in archive.namelist() if name.startswith("word/media/"))


def test_the_word_report_has_its_charts_and_leaves_them_out_when_asked(ledger_dir, cli):
    write_7_a_and_1_b(ledger_dir)
    path = run_report(cli, ledger_dir, "图.docx")[0]
    assert pictures_in(path) == 2
    lines = lines_of(path)
    assert any(line.startswith("图1　各承办单位办复进度") for line in lines)
    assert any(line.startswith("图2　答复类别占比") for line in lines)
    bare = run_report(cli, ledger_dir, "无图.docx", "--no-charts")[0]
    assert pictures_in(bare) == 0 and not any(line.startswith("图1") for line in lines_of(bare))


def test_a_machine_without_a_chinese_font_gets_no_chart_of_boxes_but_a_warning(ledger_dir, cli, monkeypatch):
    from tiandz.report import charts

    write_7_a_and_1_b(ledger_dir)
    monkeypatch.setattr(charts, "CJK_FAMILIES", ())
    path, result = run_report(cli, ledger_dir, "图.docx")
    assert pictures_in(path) == 0
    assert "找不到含中文字形的字体" in result.err
    assert "找不到" not in "\n".join(lines_of(path))  # told to the clerk, not printed for the leader


def test_the_xlsx_has_native_charts_a_stacked_bar_and_a_pie(ledger_dir, cli):
    write_7_a_and_1_b(ledger_dir)
    path = run_report(cli, ledger_dir, "进展.xlsx")[0]
    with zipfile.ZipFile(path) as archive:
        charts = sorted(name for name in archive.namelist() if name.startswith("xl/charts/chart"))
        xml = [archive.read(name).decode("utf-8") for name in charts]
    assert len(charts) == 2
    assert any('grouping val="stacked"' in text and "barChart" in text for text in xml)
    assert any("pieChart" in text for text in xml)
    from openpyxl import load_workbook

    sheet = load_workbook(path)["图表"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3, max_row=4)]
    assert rows == [["承办单位", "已答复", "办理中", "逾期未复"], [UNIT, 8, 0, 1]]
    bare = run_report(cli, ledger_dir, "无图.xlsx", "--no-charts")[0]
    assert "图表" not in load_workbook(bare).sheetnames


def test_plotting_is_imported_only_when_a_chart_is_drawn(ledger_dir):
    write_7_a_and_1_b(ledger_dir)
    probe = (
        "import json, sys\nsys.argv = ['tiandz', *json.loads(sys.argv[1])]\nfrom tiandz.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print('PROBE', 'matplotlib' in sys.modules, file=sys.stderr)\n"
    )

    def loads_plotting(*arguments) -> bool:
        command = ["report", "--as-of", AS_OF, *arguments, "--ledger", str(ledger_dir.root)]
        result = subprocess.run([sys.executable, "-c", probe, json.dumps(command)], capture_output=True, text=True)
        assert "已生成" in result.stdout or "{" in result.stdout, result.stderr  # the report was made
        return result.stderr.rsplit("PROBE ", 1)[1].strip() == "True"

    assert not loads_plotting("--format", "json", "-o", "-")
    assert not loads_plotting("-o", str(ledger_dir.root / "a.xlsx"))
    assert not loads_plotting("-o", str(ledger_dir.root / "a.docx"), "--no-charts")
    assert loads_plotting("-o", str(ledger_dir.root / "b.docx"))


# --- the pages, as LibreOffice lays them out ------------------------------------------------------------


def test_the_pages_as_libreoffice_renders_them(ledger_dir, cli, tmp_path):
    soffice, pdftotext = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed: the pages cannot be rendered here")
    write_7_a_and_1_b(ledger_dir)
    ledger_dir.write("notes/主要做法.md", "\n".join(f"（{n}）第{n}条做法。" + "认真办理代表建议，" * 12 for n in range(1, 6)) + "\n")
    ledger_dir.write("notes/下一步工作打算.md", "（一）抓好承诺事项落实。\n")
    ledger_dir.commit_all()
    path = run_report(cli, ledger_dir, "进展.docx")[0]
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180, check=True)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "进展.pdf"), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert "git" not in text
    first = next(index for index, page in enumerate(pages) if page.strip().startswith("附表"))
    body, appendix = pages[:first], "\n".join(pages[first:])
    # The units table: its short headers whole on one line, never 已答/复.
    assert "已答复" in appendix and "已见面" in appendix and "不满意" in appendix
    # A body page before the last is full: the signature keeps with the last lines only, not a long chain.
    for page in body[:-1]:
        assert len([line for line in page.splitlines() if line.strip()]) >= 15
