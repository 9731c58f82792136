"""`tiandz letter --all --compile`: the year's replies in one Word volume (答复汇编).

A cover, a contents page listing every letter with the page it starts on, each letter from a new page as
it is sent (letterhead, signature, 附注, 抄送) but without its 征询意见表; `--public` leaves out the answers
that are not public. The rendered tests (LibreOffice, poppler) are skipped with the reason where absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import ANSWERED, CONFIG

docx = pytest.importorskip("docx")

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    not SOFFICE or not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
    reason="需要 LibreOffice（soffice）和 poppler 的 pdftotext、pdfinfo：apt-get install -y libreoffice-writer-nogui poppler-utils",
)

LONG = "      我局会同公安部门开展校园周边联合巡查，确保各项措施落到实处，让学生和家长满意。\n" * 14


def answered(number: int, text: str = "      我局已开展联合巡查。\n", publicity: str = "") -> str:
    item = ANSWERED.replace("2024-J-015", f"2024-J-0{number}").replace("案号: 15", f"案号: {number}")
    item = item.replace("标题: 关于加强校园周边环境综合治理的建议", f"标题: 关于第{number}号事项的建议")
    extra = f"    公开: {publicity}\n    公开说明: 涉及个人信息\n" if publicity else ""
    return item.replace("    正文: 已办。\n", f"    文号: 教体函〔2024〕{number}号\n{extra}    正文: |\n{text}")


SPLIT = answered(16).replace("  方式: 单办\n  主办: [县教育和体育局]\n", "  方式: 分办\n  主办: [县教育和体育局, 县交通运输局]\n") + """\
  - 单位: 县交通运输局
    日期: 2024-06-03
    类别: A
    文号: 交函〔2024〕3号
    正文: 交通局的答复。
"""

PUBLIC = ["建议第15号", "建议第16号　关于第16号事项的建议（县教育和体育局）", "建议第16号　关于第16号事项的建议（县交通运输局）"]
NOT_PUBLIC = {"不予公开": 17, "摘要公开": 18, "依申请公开": 19}


@pytest.fixture
def year(ledger_dir):
    """Six letters: a long one, two of a 分办 item, and one each 不予公开, 摘要公开, 依申请公开; with 抄送."""
    ledger_dir.write("tiandz.yaml", CONFIG + "抄送:\n  建议: [县人大常委会代表工作委员会, 县人民政府督查室]\n")
    ledger_dir.item(answered(15, LONG))
    ledger_dir.item(SPLIT)
    for publicity, number in NOT_PUBLIC.items():
        ledger_dir.item(answered(number, publicity=publicity))
    ledger_dir.commit_all()
    return ledger_dir


def paragraphs(path) -> list[str]:
    return [paragraph.text.replace("\n", "") for paragraph in docx.Document(str(path)).paragraphs if paragraph.text.strip()]


def compiled(ledger_dir, cli, *options) -> tuple:
    result = cli("letter", "--all", "--compile", "-o", str(ledger_dir.root / "汇编.docx"), *options, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    return ledger_dir.root / "汇编.docx", result


def test_the_volume_is_one_file_with_every_letter_and_no_forms(year, cli):
    path, result = compiled(year, cli)
    assert result.out.splitlines()[0] == "已写答复汇编：汇编.docx"
    assert not (year.root / "out").exists()  # no letter files besides
    document = docx.Document(str(path))
    assert len(document.sections) == 1 + 6  # cover and contents, then a section per letter
    letterheads = [section.first_page_header.paragraphs[1].text for section in document.sections[1:]]
    assert letterheads == ["某县教育和体育局"] * 2 + ["某县交通运输局"] + ["某县教育和体育局"] * 3  # the place from 机关
    text = paragraphs(path)
    assert sum(line.startswith("关于县十六届人大三次会议第") for line in text) == 6
    assert not any("征询意见表" in line or "□满意" in line for line in text)
    assert not docx.Document(str(path)).tables  # the form is a table
    assert "共6件答复" in text


def test_the_contents_lists_every_letter_with_a_page_reference_to_it(year, cli):
    path, _ = compiled(year, cli)
    document = docx.Document(str(path))
    body = document.element.body
    xml = body.xml
    lines = [line for line in paragraphs(path) if line.startswith(("建议第", "提案第"))]
    assert len(lines) == 6 and lines[0].startswith("建议第15号　关于第15号事项的建议（县教育和体育局）")
    targets = re.findall(r"PAGEREF (\S+) \\h", xml)
    bookmarks = re.findall(r'w:bookmarkStart [^>]*w:name="([^"]+)"', xml)
    assert targets == bookmarks and len(set(targets)) == 6


def test_public_volume_leaves_out_what_is_not_public(year, cli):
    path, result = compiled(year, cli, "--public")
    text = paragraphs(path)
    headings = [line for line in text if line.startswith(("建议第", "提案第"))]
    assert [heading.startswith(tuple(PUBLIC)) for heading in headings] == [True] * 3
    for publicity, number in NOT_PUBLIC.items():
        assert not any(f"第{number}号" in line for line in text), publicity
        assert f"2024-J-0{number}" in result.out  # each left out is named
    assert "（公开稿）" in text and "共3件答复" in text
    assert "13900000000" not in "".join(text)


def test_compile_goes_with_all_and_a_folder_gets_the_volume_by_its_name(year, cli):
    refused = cli("letter", "J-15", "--compile", "--ledger", year.root)
    assert refused.code == 1 and "--compile" in refused.err
    assert not (year.root / "out").exists()
    result = cli("letter", "--all", "--compile", "--unit", "交通局", "--ledger", year.root)
    assert result.code == 0, result.err
    written = year.root / "out" / "答复函" / "2024年度人大代表建议答复汇编-县交通运输局.docx"
    assert result.out.strip() == f"已写答复汇编：{written.relative_to(year.root).as_posix()}"
    assert [line.split("\t")[0] for line in paragraphs(written) if line.startswith("建议第")] == ["建议第16号　关于第16号事项的建议（县交通运输局）"]


def test_without_compile_one_docx_for_several_letters_is_still_refused(year, cli):
    result = cli("letter", "--all", "-o", str(year.root / "汇编.docx"), "--ledger", year.root)
    assert result.code == 1 and "-o" in result.err
    assert not (year.root / "汇编.docx").exists()


def render(path, tmp_path) -> list[str]:
    """The text of each page as LibreOffice lays the document out, spaces removed."""
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(path)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / (path.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = ["".join(page.split()) for page in text.split("\f")][:count]
    assert len(pages) == count
    return pages


@needs_libreoffice
def test_rendered_each_letter_starts_a_page_and_the_contents_gives_that_page(year, cli, tmp_path):
    path, _ = compiled(year, cli)
    pages = render(path, tmp_path)
    numbers = ["教体函〔2024〕15号", "教体函〔2024〕16号", "交函〔2024〕3号", "教体函〔2024〕17号", "教体函〔2024〕18号", "教体函〔2024〕19号"]
    # The 文号 stands in the letterhead, on the first page of its letter only: a letter's first page.
    starts = [index for index, page in enumerate(pages) if any(number in page for number in numbers)]
    assert len(starts) == 6
    assert [next(number for number in numbers if number in pages[index]) for index in starts] == numbers
    for first, after in zip(starts, [*starts[1:], len(pages)]):
        letter = pages[first:after]
        assert "关于县十六届人大三次会议第" in letter[0]
        # Its 抄送 at the foot of its own last page, not carried over to the next letter's first page.
        assert [page.count("抄送：") for page in letter] == [0] * (len(letter) - 1) + [1]
    assert starts[1] - starts[0] >= 2  # the long letter runs over a page
    # The contents: each line's page number, counted from the first letter as page 1.
    contents = "".join(pages[1:starts[0]])
    given = [int(number) for number in re.findall(r"\.{3,}(\d+)", contents)]
    assert given == [index - starts[0] + 1 for index in starts]
    assert "—2—" in pages[starts[0] + 1]  # numbered on from the first letter


@needs_libreoffice
def test_rendered_volume_has_the_pages_of_its_letters_and_nothing_more(year, cli, tmp_path):
    path, _ = compiled(year, cli)
    volume = render(path, tmp_path / "volume")
    assert cli("letter", "--all", "--no-form", "-o", str(year.root / "单封"), "--ledger", year.root).code == 0
    singles = sorted((year.root / "单封").glob("*.docx"))
    assert len(singles) == 6
    single_pages = sum(len(render(single, tmp_path / single.stem)) for single in singles)
    contents_pages = next(index for index, page in enumerate(volume) if "教体函〔2024〕15号" in page) - 1
    assert contents_pages == 1
    assert len(volume) == 1 + contents_pages + single_pages
    assert not any(page in ("", "—2—") or re.fullmatch(r"抄送：.*—\d+—", page) for page in volume)
