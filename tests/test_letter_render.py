"""The letter as LibreOffice lays it out: the page count and the words a reader sees on the page.

Skipped, with the reason, where LibreOffice or poppler's pdftotext is not installed; `.ci/run` installs
both (and the CJK fonts), so CI runs these.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from test_letter import FULL_ANSWER, LETTERS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    not SOFFICE or not shutil.which("pdftotext"),
    reason="需要 LibreOffice（soffice）和 pdftotext：apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk",
)


def to_pdf(docx_path, tmp_path):
    # A profile of its own: a second LibreOffice (a clerk's open window, a parallel test) must not block this one.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / (docx_path.stem + ".pdf")
    pages = int(next(line for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


def test_a_short_letter_is_one_page_and_its_form_another(ledger_dir, cli, tmp_path):
    ledger_dir.item(FULL_ANSWER.split("      一、基本情况")[0] + "      我局已会同公安部门开展联合巡查。\n")
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    pages, text = to_pdf(ledger_dir.root / LETTERS / "2024-J-015.docx", tmp_path)
    assert pages == 2
    letter, form = text.split("\f")[:2]
    flat = "".join(letter.split())
    assert "关于县十六届人大三次会议第15号建议的答复" in flat
    assert "张三等代表：" in flat
    assert flat.index("县教育和体育局") < flat.index("关于县十六届")  # the letterhead is above the title
    assert "征询意见表" in "".join(form.split())


def test_a_long_answer_numbers_its_second_page(ledger_dir, cli, tmp_path):
    long_answer = FULL_ANSWER.replace("      下一步将持续推进。\n", "      下一步将持续推进，确保各项措施落到实处，让学生和家长满意。\n" * 40)
    ledger_dir.item(long_answer)
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--no-form", "--ledger", ledger_dir.root).code == 0
    pages, text = to_pdf(ledger_dir.root / LETTERS / "2024-J-015.docx", tmp_path)
    assert pages >= 3
    first, second = ("".join(page.split()) for page in text.split("\f")[:2])
    assert "—1—" not in first  # page 1 of a 信函 carries no number
    assert second.endswith("—2—")
