"""The letters as a reviewer reads them, page by page, after LibreOffice has laid them out.

A set of letters (short ones of every length from one line to a full page, a long one, one with promises,
the two of a 分办 item, a 集体提案, the second answer after 不满意) is written through the CLI and rendered
in one LibreOffice run. On every letter: no page holds only the 抄送 and a page number (GB/T 9704 puts the
抄送 at the foot of the last page that has text), and when a letter runs to a second page its first page is
filled at least to two thirds (keep-with-next joins a heading to its next line and the signature to the
last paragraph, nothing more).

Skipped, with the reason, where LibreOffice or poppler's pdftotext is not installed; `.ci/run` installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import CONFIG
from test_letter import FULL_ANSWER, LETTERS, SPLIT_ITEM

from tiandz.letter.document import FIRST_PAGE_ROOM

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    not SOFFICE or not shutil.which("pdftotext"),
    reason="需要 LibreOffice（soffice）和 pdftotext：apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk",
)

CARBON_COPY = "抄送:\n  建议: [县人大常委会代表工作委员会, 县人民政府督查室]\n  提案: [县政协提案委员会]\n"
SHORT_BODY = "      一、基本情况\n      （一）加强巡查。我局会同公安部门开展校园周边联合巡查。\n      1. 设置警示标志。\n      下一步将持续推进。\n"
LINE = "      我局会同公安部门开展校园周边联合巡查，整治占道经营。\n"  # one line of the 版心
PARAGRAPH = "      我局会同公安部门开展校园周边联合巡查，整治占道经营和违规停车，在校门口设置警示标志和护栏，安排专人在上下学时段值守，切实保障学生出行安全。\n"


def _numbered(text: str, number: int) -> str:
    return text.replace("2024-J-015", f"2024-J-{number:03d}").replace("案号: 15", f"案号: {number}")


def _with_body(body: str, number: int) -> str:
    return _numbered(FULL_ANSWER.replace(SHORT_BODY, body), number)


def letters() -> dict[str, str]:
    """Item files by what they show; the short ones grow a line at a time past the foot of page 1."""
    items = {f"短{lines}": _with_body(LINE * lines, 100 + lines) for lines in range(1, 18)}
    items["标题"] = _with_body(SHORT_BODY + LINE * 2, 120)
    # Numbered paragraphs of one sentence each: before, each kept with the next and page 1 ended half empty.
    third = "".join(f"      {number}. {PARAGRAPH.strip()}\n" for number in range(1, 6))
    fourth = "".join(f"      （{number}）{PARAGRAPH.strip()}\n" for number in range(1, 6))
    items["长"] = _with_body(SHORT_BODY.replace("      下一步将持续推进。\n", (
        "      二、下一步工作\n      （一）完善机制。\n" + third + "      （二）加大投入。\n" + fourth + PARAGRAPH * 3)), 200)
    items["承诺"] = _with_body(SHORT_BODY + PARAGRAPH * 2, 201).replace("类别: B\n", "类别: B\n") + (
        "    承诺:\n      - 事项: 2025年底前完成校门口交通设施改造\n        期限: 2025-12-31\n")
    items["分办"] = SPLIT_ITEM.replace("教体局的答复。", "教体局的答复。" + "我局会同公安部门开展巡查。" * 12)
    items["集体"] = (
        _numbered(FULL_ANSWER, 203).replace("2024-J-203", "2024-T-203").replace("类型: 建议", "类型: 提案")
        .replace("县十六届人大三次会议", "县十三届政协三次会议").replace("提出人: 张三", "提出人: 民进县委会")
        .replace("联名: [李四, 王五]", "联名: [民盟县委会, 农工党县委会]").replace("的建议", "的提案")
    )
    items["不满意"] = _with_body(SHORT_BODY + PARAGRAPH * 3, 204) + (
        "  - 单位: 县教育和体育局\n    日期: 2024-08-01\n    类别: A\n    文号: 教体函〔2024〕40号\n    正文: |\n"
        "      经再次研究，我局已完成校门口护栏安装。\n" + PARAGRAPH * 2
        + "评价:\n  - 日期: 2024-06-20\n    评价人: 张三\n    工作: 满意\n    结果: 不满意\n"
    )
    return items


def render(folder, documents) -> dict:
    """Every document to PDF in one LibreOffice run; the text of each page, by document stem."""
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         *map(str, documents)],
        check=True, capture_output=True, timeout=600,
    )
    return {document.stem: folder / f"{document.stem}.pdf" for document in documents}


def page_texts(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f")][:-1]


def lowest_text_on_page_1(pdf) -> tuple[float, float]:
    """The bottom edge (pt from the top) of page 1's lowest word, and the page's height."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    bottoms = [float(found) for found in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)"', html)]
    return max(bottoms), height


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The letters of every item, written by the CLI and rendered once; {name: (pdf, page texts)}."""
    root = tmp_path_factory.mktemp("pages") / "台账"
    (root / "2024").mkdir(parents=True)
    (root / "tiandz.yaml").write_text(CONFIG + CARBON_COPY, encoding="utf-8")
    for text in letters().values():
        number = re.search(r"^编号: (\S+)", text, re.M).group(1)
        (root / "2024" / f"{number}.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tiandz", "letter", "--all", "--ledger", str(root)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    documents = sorted((root / LETTERS).glob("*.docx"))
    assert len(documents) == len(letters()) + 1  # the 分办 item has a letter per lead unit
    pdfs = render(root.parent, documents)
    return {stem: (pdf, page_texts(pdf)) for stem, pdf in pdfs.items()}


def letter_pages(pages: list[str]) -> list[str]:
    """The letter's own pages: the 征询意见表 is the last page, a section of its own."""
    return pages[:-1] if pages and "征询意见表" in pages[-1] else pages


def test_no_page_holds_only_the_carbon_copy_and_a_page_number(rendered):
    lonely = []
    for stem, (_, pages) in rendered.items():
        for number, page in enumerate(letter_pages(pages), start=1):
            if page.startswith("抄送") and re.fullmatch(r"抄送：[^。]*。(—\d+—)?", page):
                lonely.append((stem, number))
    assert lonely == []


def test_the_carbon_copy_is_on_the_last_page_of_every_letter(rendered):
    for stem, (_, pages) in rendered.items():
        letter = letter_pages(pages)
        if stem.startswith("2024-J"):
            assert "抄送：县人大常委会代表工作委员会，县人民政府督查室。" in letter[-1], stem
            assert all("抄送" not in page for page in letter[:-1]), stem


def test_a_letter_of_two_pages_fills_two_thirds_of_the_first(rendered):
    measured = {}
    for stem, (pdf, pages) in rendered.items():
        if len(letter_pages(pages)) < 2:
            continue
        bottom, height = lowest_text_on_page_1(pdf)
        # Page 1's room for text runs from under the letterhead down to the foot of the 版心, 35 mm above
        # the page's foot (FIRST_PAGE_ROOM in letter/document.py, 19 lines); its red line is below it and
        # carries no text, so the lowest word on the page is the text's.
        foot = height - 35 / 25.4 * 72
        measured[stem] = round((bottom - (foot - FIRST_PAGE_ROOM.pt)) / FIRST_PAGE_ROOM.pt, 2)
    assert measured, "no letter in the set runs to a second page"
    assert {stem: share for stem, share in measured.items() if share < 2 / 3} == {}
