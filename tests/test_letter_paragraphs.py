"""What the reviewer of a 答复函 checks paragraph by paragraph, on the saved .docx (no renderer needed).

Heading words in their level's face and nothing more; keep-with-next only where a line must not be left at
the foot of a page; the 抄送 anchored to the letter's last line; closer lines only for a letter just over a
page; the place in the letterhead; a 集体提案 addressed to the body; the form's boxes in one font.
"""

from __future__ import annotations

import pytest
from conftest import CONFIG
from test_letter import FULL_ANSWER, LETTERS, body_lines

docx = pytest.importorskip("docx")
from docx.oxml.ns import qn  # noqa: E402

from tiandz.core.config import place_of, with_place  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARAGRAPH = "我局会同公安部门开展校园周边联合巡查，整治占道经营和违规停车，在校门口设置警示标志和护栏，安排专人在上下学时段值守，切实保障学生出行安全。"
CARBON_COPY = "抄送:\n  建议: [县人大常委会代表工作委员会, 县人民政府督查室]\n  提案: [县政协提案委员会]\n"


def write_letter(ledger_dir, cli, body: str | None = None, *, item: str = FULL_ANSWER, config: str = CONFIG + CARBON_COPY, number: str = "J-15"):
    if body is not None:  # the answer's 正文 block (indented six spaces) replaced by these lines
        head, rest = item.split("    正文: |\n", 1)
        lines = rest.splitlines(keepends=True)
        kept = next((index for index, line in enumerate(lines) if not line.startswith("      ")), len(lines))
        item = head + "    正文: |\n" + "".join(f"      {line}\n" for line in body.splitlines()) + "".join(lines[kept:])
    ledger_dir.write("tiandz.yaml", config)
    ledger_dir.item(item)
    ledger_dir.commit_all()
    result = cli("letter", number, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    return docx.Document(str(next((ledger_dir.root / LETTERS).glob("*.docx"))))


def letter_paragraphs(document):
    """The letter's paragraphs, up to the one that ends its section (the form's section follows)."""
    found = []
    for paragraph in document.paragraphs:
        found.append(paragraph)
        if paragraph._p.find(f"{W}pPr/{W}sectPr") is not None:
            break
    return found


def starting(document, text):
    return next(paragraph for paragraph in letter_paragraphs(document) if paragraph.text.startswith(text))


def keeps_with_next(paragraph) -> bool:
    return paragraph._p.find(f"{W}pPr/{W}keepNext") is not None


def bold_text(paragraph) -> str:
    return "".join(run.text for run in paragraph.runs if run.font.bold)


def test_a_numbered_paragraph_has_its_heading_words_only_in_the_heading_face(ledger_dir, cli):
    document = write_letter(ledger_dir, cli, "\n".join([
        "一、基本情况",
        "（一）加强巡查。" + PARAGRAPH,
        "1. 设置警示标志。",
        "2. 加装护栏。" + PARAGRAPH,
        "3. " + PARAGRAPH,
        "（1）改造道路。" + PARAGRAPH,
        "（2）" + PARAGRAPH,
        "（二）" + PARAGRAPH,
        "二、关于加强校园周边交通秩序管理和学生安全教育工作的有关情况",
    ]))
    # Third level: the heading words bold (practice; GB/T 9704 names 仿宋 only), the text after them not.
    assert bold_text(starting(document, "1. 设置警示标志。")) == "1. 设置警示标志。"
    assert bold_text(starting(document, "2. 加装护栏。")) == "2. 加装护栏。"
    # A numbered paragraph without heading words is 正文: nothing bold, 仿宋 throughout.
    assert bold_text(starting(document, "3. ")) == ""
    # Fourth level: 仿宋, never bold (GB/T 9704).
    assert bold_text(starting(document, "（1）改造道路。")) == "" and bold_text(starting(document, "（2）")) == ""
    run_in = starting(document, "（一）加强巡查。")
    assert [run.text for run in run_in.runs][0] == "（一）加强巡查。"
    assert run_in.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "楷体_GB2312"
    assert run_in.runs[1]._r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "仿宋_GB2312"
    numbered = starting(document, "（二）")
    assert {run._r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) for run in numbered.runs} == {"仿宋_GB2312"}
    # A heading of two lines without a comma is still a heading.
    long_heading = starting(document, "二、关于")
    assert long_heading.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "黑体"


def test_only_a_heading_on_its_own_line_and_the_seal_block_keep_with_the_next(ledger_dir, cli):
    document = write_letter(ledger_dir, cli, "\n".join([
        "一、基本情况", "（一）加强巡查。" + PARAGRAPH, "1. 设置警示标志。", "2. " + PARAGRAPH, "（1）" + PARAGRAPH,
        "（2）" + PARAGRAPH, PARAGRAPH, PARAGRAPH, PARAGRAPH, PARAGRAPH,
    ]))
    paragraphs = [paragraph for paragraph in letter_paragraphs(document) if paragraph.text.strip()]
    kept = [paragraph.text[:8] for paragraph in paragraphs if keeps_with_next(paragraph)]
    thanks = next(paragraph for paragraph in paragraphs if paragraph.text.startswith("感谢"))
    # The headings on lines of their own; the last paragraph and the unit's name go with the date below.
    assert kept == ["一、基本情况", "1. 设置警示标", thanks.text[:8], "某县教育和体育局"]
    notes = [paragraph for paragraph in paragraphs if paragraph.text.startswith("（此件")]
    assert not keeps_with_next(notes[0])


def test_the_carbon_copy_is_anchored_to_the_last_line_and_the_section_ends_there(ledger_dir, cli):
    document = write_letter(ledger_dir, cli, "\n".join([PARAGRAPH] * 8))
    paragraphs = letter_paragraphs(document)
    last = paragraphs[-1]
    assert last.text == "（联系人：赵六，电话：0937-1234567）"  # the last 附注 ends the section: no empty paragraph after it
    carbon_copy = paragraphs[-2]
    assert carbon_copy.text.startswith("抄送：")
    assert carbon_copy._p.find(f"{W}pPr/{W}framePr").get(qn("w:yAlign")) == "bottom"


def pitches(document) -> set[str]:
    lines = set()
    for paragraph in letter_paragraphs(document):
        spacing = paragraph._p.find(f"{W}pPr/{W}spacing")
        if spacing is not None and paragraph.text.strip():
            lines.add(spacing.get(qn("w:line")))
    return lines


def test_a_letter_just_over_a_page_is_set_on_closer_lines_and_no_other(ledger_dir, cli):
    # Page 1 of a 信函 holds 19 lines under its letterhead: five lines of answer with the title, salutation,
    # opening, thanks, seal, two 附注 and the 抄送 are 22.
    over = write_letter(ledger_dir, cli, "\n".join(["我局会同公安部门开展校园周边联合巡查，整治占道经营。"] * 5))
    grid = int(over.sections[0]._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")))
    assert 500 <= grid < 579  # 25 pt at the closest
    assert pitches(over) - {"579"} == {str(grid)} or pitches(over) == {str(grid)}
    body = starting(over, "我局会同")
    assert body._p.find(f"{W}pPr/{W}spacing").get(qn("w:line")) == str(grid)
    # The form is a section of its own and keeps the standard grid.
    assert over.sections[1]._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"


@pytest.mark.parametrize("lines", [1, 12])
def test_a_letter_that_fits_or_runs_on_keeps_the_standard_grid(ledger_dir, cli, lines):
    document = write_letter(ledger_dir, cli, "\n".join(["我局会同公安部门开展校园周边联合巡查，整治占道经营。"] * lines))
    assert document.sections[0]._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    assert pitches(document) == {"579"}


def test_the_place_of_the_office_goes_before_a_units_name_in_the_letterhead(ledger_dir, cli):
    document = write_letter(ledger_dir, cli)
    header = [paragraph.text for paragraph in document.sections[0].first_page_header.paragraphs if paragraph.text]
    assert header[1] == "某县教育和体育局"
    assert "某县教育和体育局" in body_lines(next((ledger_dir.root / LETTERS).glob("*.docx")))  # the signature too


def test_a_units_own_letterhead_wins(ledger_dir, cli):
    config = (CONFIG + CARBON_COPY).replace("    签发人: 王五\n", "    签发人: 王五\n    发文机关标志: 宁和县教育和体育局\n")
    document = write_letter(ledger_dir, cli, config=config)
    header = [paragraph.text for paragraph in document.sections[0].first_page_header.paragraphs if paragraph.text]
    assert header[1] == "宁和县教育和体育局"


def test_an_office_without_a_place_leaves_the_name_as_it_is(ledger_dir, cli):
    document = write_letter(ledger_dir, cli, config=(CONFIG + CARBON_COPY).replace("机关: 某县人民政府办公室", "机关: 县人民政府办公室"))
    header = [paragraph.text for paragraph in document.sections[0].first_page_header.paragraphs if paragraph.text]
    assert header[1] == "县教育和体育局"


def test_the_place_is_read_from_the_office_and_put_before_a_name_without_it():
    assert [place_of(name) for name in ("某县人民政府办公室", "兰州市城关区人民政府办公室", "中国人民政治协商会议某县委员会办公室",
                                        "某某自治县人大常委会", "县人民政府办公室", "政府办")] == [
        "某县", "兰州市城关区", "某县", "某某自治县", None, None]
    assert [with_place(name, "某县") for name in ("县教育和体育局", "教育和体育局", "某县公安局", "国网某县供电公司", "市公安局某县分局")] == [
        "某县教育和体育局", "某县教育和体育局", "某县公安局", "国网某县供电公司", "市公安局某县分局"]
    assert with_place("县教育局", "某某自治县") == "某某自治县教育局"
    assert with_place("县教育局", None) == "县教育局"


GROUP_PROPOSAL = (
    FULL_ANSWER.replace("2024-J-015", "2024-T-003").replace("类型: 建议", "类型: 提案")
    .replace("县十六届人大三次会议", "县十三届政协三次会议").replace("提出人: 张三", "提出人: 民进县委会").replace("的建议", "的提案")
)


@pytest.mark.parametrize(("cosigners", "setting", "salutation"), [
    ("[民盟县委会, 农工党县委会]", "领衔加等", "民进县委会："),
    ("[李四, 王五]", "领衔加等", "民进县委会："),
    ("[民盟县委会, 农工党县委会]", "全部", "民进县委会、民盟县委会、农工党县委会："),
    ("[民盟县委会, 李四]", "全部", "民进县委会、民盟县委会："),
])
def test_a_group_proposal_is_addressed_to_the_body_not_to_the_body_and_others(ledger_dir, cli, cosigners, setting, salutation):
    item = GROUP_PROPOSAL.replace("联名: [李四, 王五]", f"联名: {cosigners}")
    config = CONFIG + CARBON_COPY + f"答复函:\n  联名称呼: {setting}\n"
    write_letter(ledger_dir, cli, item=item, config=config, number="T-3")
    lines = body_lines(next((ledger_dir.root / LETTERS).glob("*.docx")))
    assert salutation in lines
    assert not any(line.endswith("等：") for line in lines)


def test_every_box_of_the_form_is_in_the_east_asian_font_at_one_size(ledger_dir, cli):
    document = write_letter(ledger_dir, cli)
    boxes = [run for table in document.tables for row in table.rows for cell in row.cells
             for paragraph in cell.paragraphs for run in paragraph.runs if "□" in run.text]
    assert len(boxes) >= 2
    for run in boxes:
        fonts = run._r.find(f"{W}rPr/{W}rFonts")
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert {run.font.size.pt for run in boxes} == {14}


def test_init_shows_where_the_letterhead_is_set(tmp_path, cli):
    root = tmp_path / "台账"
    assert cli("init", root, "--org", "某县人民政府办公室", "--year", "2024").code == 0
    text = (root / "tiandz.yaml").read_text(encoding="utf-8")
    assert "# 发文机关标志: 某县人民政府办公室" in text
    assert "地名" in text.split("# 发文机关标志:", 1)[1].splitlines()[0]


def test_without_a_note_the_carbon_copy_goes_with_the_date(ledger_dir, cli):
    from tiandz.files.resources import template

    wording = template("答复函.j2").read_text(encoding="utf-8")
    start, end = wording.index("{% block 附注 -%}"), wording.index("{% block 抄送 -%}")
    ledger_dir.write("templates/答复函.j2", wording[:start] + "{% block 附注 -%}{%- endblock %}\n\n" + wording[end:])
    paragraphs = letter_paragraphs(write_letter(ledger_dir, cli))
    assert paragraphs[-1].text == "2024年6月1日"  # the date ends the letter's section
    assert paragraphs[-2].text.startswith("抄送：") and paragraphs[-2]._p.find(f"{W}pPr/{W}framePr") is not None
