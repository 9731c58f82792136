"""The 答复函 keeps GB/T 9704's 信函格式: the machine-checkable properties of spec/gbt9704.md §8, on the saved file."""

from __future__ import annotations

import re

import pytest
from conftest import ANSWERED
from test_letter import FULL_ANSWER, LETTERS

docx = pytest.importorskip("docx")
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LONG_TITLE = "关于县第十六届人民代表大会第三次会议第一百二十三号建议的答复"


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    """One letter, written once through the CLI from a ledger with a 抄送 line."""
    import subprocess
    import sys

    from conftest import CONFIG

    root = tmp_path_factory.mktemp("layout") / "台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG + "抄送:\n  建议: [县人大常委会代表工作委员会, 县人民政府督查室]\n", encoding="utf-8")
    # Long enough for two pages at 28.95 pt: a letter a few lines over one page is set on closer lines
    # (test_letter_pages.py), and this one shows the standard grid.
    longer = FULL_ANSWER.replace("      下一步将持续推进。\n", "      下一步将持续推进。\n" + "      我局会同公安部门开展校园周边联合巡查，整治占道经营。\n" * 10)
    (root / "2024" / "2024-J-015.yaml").write_text(longer, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tiandz", "letter", "J-15", "--ledger", str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return docx.Document(str(root / LETTERS / "2024-J-015.docx"))


def body_paragraphs(document):
    """Paragraphs of the letter's own section (before the form's section break)."""
    paragraphs = []
    for paragraph in document.paragraphs:
        paragraphs.append(paragraph)
        if paragraph._p.find(f"{W}pPr/{W}sectPr") is not None:
            break
    return paragraphs


def texts(paragraphs):
    return [paragraph.text for paragraph in paragraphs]


def find(paragraphs, text):
    return next(paragraph for paragraph in paragraphs if paragraph.text.replace("\n", "") == text)


def east_asia(run, document) -> str | None:
    """The run's East Asian font, resolved run → paragraph style → Normal."""
    fonts = run._r.find(f"{W}rPr/{W}rFonts")
    if fonts is not None and fonts.get(qn("w:eastAsia")):
        return fonts.get(qn("w:eastAsia"))
    normal = document.styles["Normal"].element.find(f"{W}rPr/{W}rFonts")
    return normal.get(qn("w:eastAsia")) if normal is not None else None


def size(run, document) -> float:
    return (run.font.size or document.styles["Normal"].font.size).pt


def test_page_is_a4_with_the_standard_margins_and_22_line_grid(letter):
    section = letter.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    for margin, millimetres in ((section.top_margin, 37), (section.left_margin, 28), (section.bottom_margin, 35), (section.right_margin, 26)):
        assert abs(margin - Mm(millimetres)) <= Mm(1)
    grids = section._sectPr.findall(qn("w:docGrid"))
    assert len(grids) == 1
    assert abs(int(grids[0].get(qn("w:linePitch"))) - 579) <= 2
    assert grids[0].get(qn("w:type")) in ("lines", "linesAndChars")


def test_body_text_is_3hao_fangsong_on_exact_28_95_pt_lines_indented_two_characters(letter):
    paragraphs = body_paragraphs(letter)
    body = [find(paragraphs, "下一步将持续推进。"), find(paragraphs, "（一）加强巡查。我局会同公安部门开展校园周边联合巡查。")]
    for paragraph in body:
        layout = paragraph.paragraph_format
        assert abs(layout.line_spacing.pt - 28.95) <= 0.5
        assert layout.space_before.pt == 0 and layout.space_after.pt == 0
        assert abs(layout.first_line_indent.pt - 32) <= 1
    plain = body[0].runs[0]
    assert east_asia(plain, letter) == "仿宋_GB2312" and size(plain, letter) == 16
    normal = letter.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_title_is_2hao_xiaobiaosong_centred_with_short_lines(letter):
    title = find(body_paragraphs(letter), "关于县十六届人大三次会议第15号建议的答复")
    assert title.alignment == 1  # centre
    for run in title.runs:
        assert "小标宋" in east_asia(run, letter)
        assert size(run, letter) == 22
        assert run.font.bold in (False, None)
    lines = title.text.split("\n")
    assert all(len(line) <= 20 for line in lines)
    assert lines == ["关于县十六届人大三次会议", "第15号建议的答复"]  # 22 characters: broken before 第, not inside 15
    assert not re.search(r"[。，；：！？]$", title.text)


def test_headings_take_their_typefaces(letter):
    paragraphs = body_paragraphs(letter)
    expected = {"一、基本情况": ("黑体", None), "（一）加强巡查。": ("楷体_GB2312", None), "1. 设置警示标志。": ("仿宋_GB2312", True)}
    for start, (font, bold) in expected.items():
        paragraph = next(paragraph for paragraph in paragraphs if paragraph.text.startswith(start))
        first = paragraph.runs[0]
        assert first.text == start
        assert east_asia(first, letter) == font and size(first, letter) == 16
        assert first.font.bold == bold
    run_in = next(paragraph for paragraph in paragraphs if paragraph.text.startswith("（一）"))
    assert east_asia(run_in.runs[1], letter) == "仿宋_GB2312"  # the text after the run-in heading


def test_salutation_follows_the_title_flush_left_ending_in_a_colon(letter):
    paragraphs = [paragraph for paragraph in body_paragraphs(letter) if paragraph.text.strip()]
    title_index = next(index for index, paragraph in enumerate(paragraphs) if paragraph.text.startswith("关于"))
    salutation = paragraphs[title_index + 1]
    assert salutation.text == "张三等代表："
    assert not salutation.paragraph_format.first_line_indent
    assert salutation.text.endswith("：")


def test_sealed_signature_date_and_notes(letter):
    # The 抄送 is a frame at the foot of the page, anchored to the last 附注: it is not in the lines of text.
    paragraphs = [paragraph for paragraph in body_paragraphs(letter)
                  if paragraph.text.strip() and paragraph._p.find(f"{W}pPr/{W}framePr") is None]
    dated = next(index for index, paragraph in enumerate(paragraphs) if re.match(r"^\d{4}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$", paragraph.text))
    assert paragraphs[dated].text == "2024年6月1日"
    assert abs(paragraphs[dated].paragraph_format.right_indent.pt - 64) <= 2
    signature = paragraphs[dated - 1]
    assert signature.text == "某县教育和体育局"  # 机关 某县人民政府办公室 names the place
    # 8 字 over a date of 6 字: centred on the date, one character further right than 4 字 in.
    assert abs(signature.paragraph_format.right_indent.pt - (64 - 16)) <= 1
    notes = paragraphs[dated + 1:dated + 3]
    assert [note.text for note in notes] == ["（此件主动公开）", "（联系人：赵六，电话：0937-1234567）"]
    for note in notes:
        assert abs(note.paragraph_format.first_line_indent.pt - 32) <= 1


def test_carbon_copy_sits_at_the_foot_of_the_last_page_in_4hao(letter):
    paragraph = find(body_paragraphs(letter), "抄送：县人大常委会代表工作委员会，县人民政府督查室。")
    frame = paragraph._p.find(f"{W}pPr/{W}framePr")
    assert frame is not None and frame.get(qn("w:yAlign")) == "bottom" and frame.get(qn("w:vAnchor")) == "margin"
    assert all(size(run, letter) == 14 for run in paragraph.runs)
    assert abs(paragraph.paragraph_format.right_indent.pt - 14) <= 1
    assert "印发" not in "\n".join(texts(letter.paragraphs))  # a 信函 has no 印发 line


def test_letterhead_red_name_double_lines_and_number(letter):
    section = letter.sections[0]
    assert section.different_first_page_header_footer  # w:titlePg
    header = [paragraph for paragraph in section.first_page_header.paragraphs]
    class_mark = header[0]
    assert class_mark.text == "B" and class_mark.alignment == 2  # top right
    name = next(paragraph for paragraph in header if paragraph.text == "某县教育和体育局")
    assert name.alignment == 1
    for run in name.runs:
        assert "小标宋" in east_asia(run, letter) and str(run.font.color.rgb) == "FF0000"
    number = next(paragraph for paragraph in header if paragraph.text.startswith("教体函"))
    assert re.search(r"〔\d{4}〕[1-9]\d*号$", number.text) and "第" not in number.text
    assert number.alignment == 2  # flush right
    first_line = _border_sizes(section.first_page_header)
    second_line = _border_sizes(section.first_page_footer)
    assert first_line == [("top", 12), ("bottom", 6)]  # thick over thin
    assert second_line == [("top", 6), ("bottom", 12)]  # thin over thick
    header_order = [paragraph.text for paragraph in header if paragraph.text]
    assert header_order == ["B", "某县教育和体育局", "教体函〔2024〕15号"]


def _border_sizes(part):
    found = []
    for paragraph in part.paragraphs:
        borders = paragraph._p.find(f"{W}pPr/{W}pBdr")
        if borders is None:
            continue
        for line in borders:
            assert line.get(qn("w:color")) == "FF0000"
            found.append((line.tag.split("}")[1], int(line.get(qn("w:sz")))))
        indent = paragraph.paragraph_format.left_indent
        assert abs(indent - Mm(-7)) < Mm(0.2)  # 170 mm: 7 mm past each side of the 版心
    return found


def test_pages_are_numbered_from_page_2_odd_right_even_left(letter):
    assert letter.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = letter.sections[0]
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        assert paragraph._p.find(f"{W}fldSimple").get(qn("w:instr")).strip() == "PAGE"
        assert paragraph.runs[0].text == "— " and paragraph.runs[-1].text == " —"
        for run in paragraph.runs:
            assert east_asia(run, letter) == "宋体" and size(run, letter) == 14
    assert "PAGE" not in section.first_page_footer._element.xml


def test_only_the_letterhead_and_its_lines_are_red(letter):
    red_texts = []
    parts = {id(letter.element.body): letter.element.body}
    for section in letter.sections:  # a linked header is the previous section's: count each part once
        for part in (section.first_page_header, section.first_page_footer, section.header, section.footer):
            parts[id(part._element)] = part._element
    for part in parts.values():
        for run in part.iter(f"{W}r"):
            colour = run.find(f"{W}rPr/{W}color")
            if colour is not None and colour.get(qn("w:val")) not in ("auto", "000000"):
                red_texts.append("".join(text.text for text in run.iter(f"{W}t")))
    assert red_texts == ["某县教育和体育局"]


def test_the_form_is_its_own_section_without_letterhead_or_page_number(letter):
    assert len(letter.sections) == 2
    form = letter.sections[1]
    assert not form.different_first_page_header_footer
    assert "PAGE" not in form.footer._element.xml and "PAGE" not in form.even_page_footer._element.xml
    assert not any(paragraph.text for paragraph in form.header.paragraphs)
    table = letter.tables[-1]
    labels = [row.cells[0].text.replace("\n", "") for row in table.rows]
    assert labels[:4] == ["编号", "案号", "标题", "提出人"]
    assert "对办理工作的评价" in labels and "对办理结果的评价" in labels and "意见和建议" in labels


def test_a_long_title_breaks_between_words(ledger_dir, cli):
    ledger_dir.item(ANSWERED.replace("案号: 15", "案号: 一百二十三").replace("届次: 县十六届人大三次会议", "届次: 县第十六届人民代表大会第三次会议"))
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    document = docx.Document(str(ledger_dir.root / LETTERS / "2024-J-015.docx"))
    title = find(body_paragraphs(document), "关于县第十六届人民代表大会第三次会议第一百二十三号建议的答复")
    lines = title.text.split("\n")
    assert all(len(line) <= 20 for line in lines)
    assert not any(line.endswith("第一百") or line.startswith("二十三号") for line in lines)
    assert "".join(lines) == LONG_TITLE


def test_heading_levels_are_recognised_as_clerks_type_them():
    from tiandz.officialdoc.text import heading_level

    assert [heading_level(line) for line in ("一、基本情况", "（一）加强巡查", "(二)完善机制", "1. 设置标志", "1、设置标志", "（1）安装护栏", "(2)安装")] == [1, 2, 2, 3, 3, 4, 4]
    assert [heading_level(line) for line in ("3.5亿元已到位", "2024年完成", "一是加强巡查", "第一，加强")] == [0, 0, 0, 0]
