"""`tiandz remind`: the office's 催办通知 to each unit with answers or opinions overdue or due soon, as a
GB/T 9704 信函 (.docx) with a table of the items, and the due dates as one .ics calendar.

The ledger is test_todo.py's, as of 2024-06-25 with `--within 7`: 教体局 owes J-16 (25 days overdue), J-19
(重新办理, 5 days overdue) and J-15 (5 days left); 公安局 owes its opinion on J-15 (66 days overdue).
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import git
from test_todo import as_unit, book  # noqa: F401 - the ledger fixture

NOTICES = "out/催办通知"


def document_text(path):
    from docx import Document

    document = Document(str(path))
    header = [paragraph.text for paragraph in document.sections[0].first_page_header.paragraphs]
    body = [paragraph.text for paragraph in document.paragraphs]
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return header, body, rows


def calendar_events(path):
    from icalendar import Calendar

    calendar = Calendar.from_ical(path.read_bytes())
    return calendar, list(calendar.walk("VEVENT"))


def test_each_late_unit_gets_a_notice_from_the_office_listing_what_it_owes(book, cli):  # noqa: F811
    result = cli("remind", "--date", "2024-06-25", "--ledger", book.root)
    assert result.code == 0, result.err
    folder = book.root / NOTICES
    assert sorted(path.name for path in folder.iterdir()) == ["催办时限.ics", "催办通知-县公安局.docx", "催办通知-县教育和体育局.docx"]
    assert "催办 县教育和体育局：逾期 2 件，临期 1 件" in result.out
    header, body, rows = document_text(folder / "催办通知-县教育和体育局.docx")
    assert "某县人民政府办公室" in header  # the office's letterhead, in red on page 1
    assert "关于加快办理2024年度建议提案的通知" in body
    assert "县教育和体育局：" in body
    opening = next(text for text in body if text.startswith("截至"))
    assert opening.startswith("截至2024年6月25日，你单位承办的2024年度建议提案中，有2件已超过办理时限、1件将在7日内到期")
    assert "主办件按时答复" in opening and "协办" not in opening
    assert rows == [
        ["编号", "标题", "承办", "时限", "逾期或剩余"],
        ["2024-J-016", "第16号建议", "主办", "2024-05-31", "逾期25天"],
        ["2024-J-019", "第19号建议", "主办", "2024-06-20", "逾期5天"],
        ["2024-J-015", "第15号建议", "主办", "2024-06-30", "剩余5天"],
    ]
    assert body[-2:] == ["某县人民政府办公室", "2024年6月25日"]  # signed by the office, dated --date
    _, body, rows = document_text(folder / "催办通知-县公安局.docx")
    assert rows[1:] == [["2024-J-015", "第15号建议", "协办", "2024-04-20", "逾期66天"]]  # 协办意见: a month from 交办
    assert "协办件及时向主办单位提出协办意见" in next(text for text in body if text.startswith("截至"))
    assert git(book.root, "status", "--porcelain") == ""  # out/ is not the ledger's: nothing to commit


def test_the_calendar_has_one_all_day_event_per_item_and_unit_with_stable_uids(book, cli):  # noqa: F811
    assert cli("remind", "--date", "2024-06-25", "--ledger", book.root).code == 0
    ics = book.root / NOTICES / "催办时限.ics"
    calendar, events = calendar_events(ics)
    assert str(calendar["X-WR-CALNAME"]) == "某县人民政府办公室催办时限"
    days = {(str(event["SUMMARY"]), event.decoded("DTSTART"), event.decoded("DTEND")) for event in events}
    assert days == {
        ("2024-J-016 答复时限：县教育和体育局", dt.date(2024, 5, 31), dt.date(2024, 6, 1)),
        ("2024-J-019 答复时限：县教育和体育局", dt.date(2024, 6, 20), dt.date(2024, 6, 21)),
        ("2024-J-015 答复时限：县教育和体育局", dt.date(2024, 6, 30), dt.date(2024, 7, 1)),
        ("2024-J-015 协办意见时限：县公安局", dt.date(2024, 4, 20), dt.date(2024, 4, 21)),
    }
    assert all(type(event.decoded("DTSTART")) is dt.date for event in events)  # all-day: a date, not a time
    uids = {str(event["SUMMARY"]): (str(event["UID"]), int(event["SEQUENCE"])) for event in events}
    assert len({uid for uid, _ in uids.values()}) == 4

    # A week on, J-15 was extended to 07-10: the same UID, a later date and a higher SEQUENCE, so a calendar
    # that imports the new file moves the event instead of adding another.
    path = book.root / "2024" / "2024-J-015.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "延期:\n  - 日期: 2024-06-28\n    至: 2024-07-10\n    理由: 等待预算。\n",
                    encoding="utf-8")
    book.commit_all("延期")
    assert cli("remind", "--date", "2024-07-02", "--within", "10", "--ledger", book.root).code == 0
    _, again = calendar_events(ics)
    moved = next(event for event in again if str(event["SUMMARY"]) == "2024-J-015 答复时限：县教育和体育局")
    uid, sequence = uids["2024-J-015 答复时限：县教育和体育局"]
    assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) > sequence
    assert moved.decoded("DTSTART") == dt.date(2024, 7, 10)
    assert {str(event["UID"]) for event in again} <= {uid for uid, _ in uids.values()}


def test_one_unit_and_a_wider_window(book, cli, tmp_path):  # noqa: F811
    out = tmp_path / "催办"
    result = cli("remind", "--unit", "教体局", "--within", "100", "--date", "2024-06-25", "-o", out, "--ledger", book.root)
    assert result.code == 0, result.err
    assert sorted(path.name for path in out.iterdir()) == ["催办时限.ics", "催办通知-县教育和体育局.docx"]
    _, _, rows = document_text(out / "催办通知-县教育和体育局.docx")
    assert [row[0] for row in rows[1:]] == ["2024-J-016", "2024-J-019", "2024-J-015", "2024-J-018"]  # J-18: 97 days left
    assert rows[-1][-1] == "剩余97天"
    assert not (book.root / "out").exists()


def test_nothing_late_writes_nothing(book, cli):  # noqa: F811
    result = cli("remind", "--unit", "县交通局", "--date", "2024-06-25", "--ledger", book.root)
    assert result.code == 0, result.err
    assert "没有逾期或 7 天内到期的件，无需催办" in result.out
    assert not (book.root / "out").exists()


def test_a_unit_clone_may_not_send_notices(book, cli):  # noqa: F811
    as_unit(book)
    result = cli("remind", "--date", "2024-06-25", "--ledger", book.root)
    assert result.code == 1
    assert "催办通知由交办机关发出" in result.err and "tiandz todo" in result.err
    assert not (book.root / "out").exists()


def test_output_is_a_folder_and_never_the_ledgers_own(book, cli):  # noqa: F811
    result = cli("remind", "-o", book.root / "通知.docx", "--date", "2024-06-25", "--ledger", book.root)
    assert result.code == 1 and "-o" in result.err and "文件夹" in result.err
    result = cli("remind", "-o", book.root / ".git" / "x", "--date", "2024-06-25", "--ledger", book.root)
    assert result.code == 1 and ".git" in result.err
    result = cli("remind", "-o", book.root / "2024", "--date", "2024-06-25", "--ledger", book.root)
    assert result.code == 1
    assert sorted(path.name for path in (book.root / "2024").iterdir()) == [f"2024-J-0{n}.yaml" for n in range(15, 21)]


def test_bad_date_and_unit_are_refused(book, cli):  # noqa: F811
    result = cli("remind", "--date", "2024-13-01", "--ledger", book.root)
    assert result.code == 1 and "--date" in result.err
    result = cli("remind", "--unit", "教育局", "--ledger", book.root)
    assert result.code == 1 and "--unit" in result.err and "县教育和体育局" in result.err


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    not SOFFICE or not shutil.which("pdftotext"),
    reason="需要 LibreOffice（soffice）和 pdftotext：apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk",
)
def test_the_notice_renders_on_one_page_with_its_table_and_seal(book, cli, tmp_path):  # noqa: F811
    from test_letter_render import to_pdf

    assert cli("remind", "--date", "2024-06-25", "--ledger", book.root).code == 0
    pages, text = to_pdf(book.root / NOTICES / "催办通知-县教育和体育局.docx", tmp_path)
    assert pages == 1
    flat = "".join(text.split())
    assert flat.index("某县人民政府办公室") < flat.index("关于加快办理2024年度建议提案的通知") < flat.index("县教育和体育局：")
    assert flat.index("2024-J-016") < flat.index("2024-J-019") < flat.index("2024-J-015") < flat.index("特此通知。")
    assert flat.endswith("某县人民政府办公室2024年6月25日")


def test_a_units_name_from_tiandz_yaml_never_becomes_a_path(book, cli):  # noqa: F811
    config = (book.root / "tiandz.yaml").read_text(encoding="utf-8").replace("名称: 县公安局", "名称: 县../../公安局")
    (book.root / "tiandz.yaml").write_text(config, encoding="utf-8")
    for path in (book.root / "2024").iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("县公安局", "县../../公安局"), encoding="utf-8")
    book.commit_all("a unit named by someone else")
    result = cli("remind", "--date", "2024-06-25", "--ledger", book.root)
    assert result.code == 0, result.err
    assert sorted(path.name for path in (book.root / NOTICES).iterdir()) == [
        "催办时限.ics", "催办通知-县_公安局.docx", "催办通知-县教育和体育局.docx",
    ]
    assert sorted(path.name for path in book.root.parent.iterdir()) == ["台账"]
