"""The progress report as a Word document: the figures written as sentences, the office's own sections,
the tables, and GB/T 9704's 报告 profile (spec/gbt9704.md §6 and §8)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from report_ledgers import UNIT, item
from test_report import write_367_items

docx = pytest.importorskip("docx")
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make_report(cli, ledger_dir, *options):
    path = ledger_dir.root / "报告.docx"
    result = cli("report", "--format", "docx", "-o", path, "--ledger", ledger_dir.root, *options)
    assert result.code == 0, result.err
    return path


def paragraphs_of(path) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(str(path)).paragraphs if paragraph.text.strip()]


def table_after(document, heading: str):
    """The table that follows the paragraph `heading` (a section with no rows has none: then None)."""
    from docx.table import Table

    found = False
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            text = "".join(node.text or "" for node in element.iter(f"{W}t"))
            if found and re.match(r"^\d+\. ", text):
                return None
            found = found or text == heading
        elif element.tag == f"{W}tbl" and found:
            return Table(element, document._body)
    return None


def test_the_basic_figures_are_written_as_sentences_that_state_every_base(ledger_dir, cli):
    write_367_items(ledger_dir)
    lines = paragraphs_of(make_report(cli, ledger_dir, "--as-of", "2024-08-10"))
    assert lines[0].replace("\n", "") == "2024年人大代表建议政协委员提案办理进展情况"
    assert lines[1] == "一、办理工作的基本情况"
    assert lines[2:7] == [
        "截至2024年8月10日，共承办人大代表建议140件、政协委员提案227件，其中大会期间建议135件、闭会期间建议5件、大会期间提案227件。",
        "已交办367件，交办率100.00%（367/367）。承办单位与代表委员沟通367件，沟通率100.00%（367/367）；其中当面沟通367件，见面率100.00%（367/367）。",
        "已答复340件，办复率92.64%（340/367）；其中按期答复340件，按期办复率100.00%（340/340）。按答复类别分，A类140件，占41.18%；B类200件，占58.82%（占比均以已答复件为基数）。",
        "代表委员对答复作出评价100件，其中满意90件、基本满意10件、不满意0件，满意率（含基本满意）100.00%（100/100）。答复主动公开或摘要公开340件，公开率100.00%（340/340）。已办结0件。",
        "目前逾期未答复27件，涉及县公安局，已督促加快办理。",
    ]


def test_one_type_and_a_rate_without_base(ledger_dir, cli):
    ledger_dir.item(item(1, "提案", assigned="2024-03-20"))
    ledger_dir.commit_all()
    lines = paragraphs_of(make_report(cli, ledger_dir, "--as-of", "2024-04-01", "--type", "提案"))
    assert lines[0].replace("\n", "") == "2024年政协委员提案办理进展情况"
    assert lines[2].startswith("截至2024年4月1日，共承办政协委员提案1件，其中大会期间提案1件。")
    assert "按期办复率—（0/0）" in lines[4]  # no answer yet: no rate, never 0% or 100%


def test_the_offices_own_sections_come_from_notes(ledger_dir, cli):
    ledger_dir.item(item(1, assigned="2024-03-20"))
    ledger_dir.write("notes/下一步工作打算.md", "# 下一步工作打算\n\n（一）抓好承诺事项落实。\n- 建立回头看清单。\n")
    ledger_dir.commit_all()
    path = ledger_dir.root / "报告.docx"
    result = cli("report", "--format", "docx", "-o", path, "--ledger", ledger_dir.root, "--as-of", "2024-04-01")
    assert result.code == 0, result.err
    lines = paragraphs_of(path)
    index = lines.index("三、下一步工作打算")
    assert lines[index + 1:index + 3] == ["（一）抓好承诺事项落实。", "建立回头看清单。"]
    # The missing section is not left out silently: the page says it is still to be written, and so does the command.
    assert lines[lines.index("二、主要做法") + 1] == "（此节待撰写：写在台账的 notes/主要做法.md 里。）"
    assert "notes/主要做法.md 还没有写" in result.err and "下一步工作打算.md" not in result.err


def test_a_report_without_notes_names_both_files_to_write(ledger_dir, cli):
    ledger_dir.item(item(1, assigned="2024-03-20"))
    ledger_dir.commit_all()
    path = ledger_dir.root / "报告.docx"
    result = cli("report", "--format", "docx", "-o", path, "--ledger", ledger_dir.root, "--as-of", "2024-04-01")
    assert result.code == 0, result.err
    assert "notes/主要做法.md、notes/下一步工作打算.md 还没有写" in result.err
    lines = paragraphs_of(path)
    assert lines[lines.index("三、下一步工作打算") + 1] == "（此节待撰写：写在台账的 notes/下一步工作打算.md 里。）"
    assert lines[lines.index("三、下一步工作打算") + 2] == "某县人民政府办公室"  # then the signature, as in any report


def test_the_report_says_what_it_was_made_from_and_lists_the_tables(ledger_dir, cli):
    write_367_items(ledger_dir)
    path = make_report(cli, ledger_dir, "--as-of", "2024-08-10", "--draft")  # a draft prints what it was made from
    commit = subprocess.run(["git", "-C", str(ledger_dir.root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = paragraphs_of(path)
    date_index = lines.index("2024年8月10日")
    assert lines[date_index - 1] == "某县人民政府办公室"
    assert lines[date_index + 1].startswith("（本报告数据截至2024年8月10日，台账 git 提交 " + commit[:12])
    document = docx.Document(str(path))
    assert "附表" in lines
    headings = [line for line in lines if re.match(r"^\d+\. ", line)]
    assert headings[:2] == ["1. 基本情况", "2. 比率"] and "9. 逾期清单" in headings
    overdue = table_after(document, "9. 逾期清单")
    assert [cell.text for cell in overdue.rows[0].cells] == ["编号", "标题", "主办", "时限", "逾期天数"]
    assert len(overdue.rows) == 1 + 27 and overdue.rows[1].cells[0].text == "2024-T-201"
    assert overdue.rows[1].cells[0].paragraphs[0].runs[0].font.bold  # overdue rows stand out in bold, not red


def test_the_report_keeps_the_layout_of_a_gbt9704_report(ledger_dir, cli):
    ledger_dir.item(item(1, assigned="2024-03-20", contacts=[("2024-04-01", "面商")], replies=[(UNIT, "2024-05-20", "A")]))
    ledger_dir.commit_all()
    document = docx.Document(str(make_report(cli, ledger_dir, "--as-of", "2024-08-10")))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.top_margin - Mm(37)) <= Mm(1)
    assert abs(section.left_margin - Mm(28)) <= Mm(1) and abs(section.bottom_margin - Mm(35)) <= Mm(1)
    assert section._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    assert not section.different_first_page_header_footer  # a report numbers every page
    assert document.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    for footer in (section.footer, section.even_page_footer):
        assert footer.paragraphs[0]._p.find(f"{W}fldSimple").get(qn("w:instr")).strip() == "PAGE"
    title = document.paragraphs[0]
    assert title.alignment == 1 and all(len(line) <= 20 for line in title.text.split("\n"))
    fonts = {run._r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) for run in title.runs}
    assert fonts == {"方正小标宋简体"} and {run.font.size.pt for run in title.runs} == {22}
    heading = next(paragraph for paragraph in document.paragraphs if paragraph.text == "一、办理工作的基本情况")
    assert heading.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "黑体"
    sentence = next(paragraph for paragraph in document.paragraphs if paragraph.text.startswith("截至"))
    assert abs(sentence.paragraph_format.line_spacing.pt - 28.95) <= 0.5
    assert abs(sentence.paragraph_format.first_line_indent.pt - 32) <= 1
    dated = next(paragraph for paragraph in document.paragraphs if paragraph.text == "2024年8月10日")
    assert abs(dated.paragraph_format.right_indent.pt - 64) <= 2
    colours = {element.get(qn("w:val")) for element in document.element.body.iter(f"{W}color")}
    assert colours <= {"000000", "auto"}  # no red in a report without 版头


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="需要 LibreOffice（soffice）和 pdftotext")
def test_the_report_converts_with_libreoffice_and_reads_as_written(ledger_dir, cli, tmp_path):
    write_367_items(ledger_dir)
    path = make_report(cli, ledger_dir, "--as-of", "2024-08-10")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "报告.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "2024年人大代表建议政协委员提案办理进展情况" in flat
    assert "办复率92.64%（340/367）" in flat
    assert "—1—" in flat  # page numbers from page 1 on


@pytest.mark.parametrize(
    ("scheme", "classes", "sentence"),
    [
        ("", ["A"] * 8 + ["B"] * 4 + ["C"], "按答复类别分，A类8件，占61.54%；B类4件，占30.77%；C类1件，占7.69%（占比均以已答复件为基数）。"),
        ("分类:\n  A: 已解决\n  B: 基本解决\n  C: 列入计划\n  D: 留作参考\n已解决类别: [A, B]\n", ["A", "B", "B", "D"], "按答复类别分，A类1件，占25.00%；B类2件，占50.00%；D类1件，占25.00%（占比均以已答复件为基数）。"),
        ("分类:\n  甲: 已经解决\n  乙: 正在解决\n  丙: 留作参考\n已解决类别: [甲]\n", ["甲", "甲", "乙", "丙"], "按答复类别分，甲类2件，占50.00%；乙类1件，占25.00%；丙类1件，占25.00%（占比均以已答复件为基数）。"),
    ],
)
def test_the_classes_are_named_as_the_ledger_names_them(ledger_dir, cli, scheme, classes, sentence):
    from conftest import CONFIG

    ledger_dir.write("tiandz.yaml", CONFIG + scheme)
    for number, category in enumerate(classes, start=1):
        ledger_dir.item(item(number, "提案", assigned="2024-03-20", contacts=[("2024-04-01", "电话")], replies=[(UNIT, "2024-05-20", category)]))
    ledger_dir.commit_all()
    lines = paragraphs_of(make_report(cli, ledger_dir, "--as-of", "2024-08-10"))
    answered = next(line for line in lines if line.startswith("已答复"))
    assert answered.startswith(f"已答复{len(classes)}件，办复率100.00%（{len(classes)}/{len(classes)}）")
    assert answered.endswith(sentence)
