"""tiandz reads an .xlsx list's cells itself (files/xlsxread.py) instead of through openpyxl, which is several
times slower on a list of thousands of rows. Every cell must read as openpyxl reads it: the workbooks here are
read by both readers and compared whole (rows, row numbers, merged ranges, which sheets, whether there are
several). Workbooks the direct reader does not handle are read by openpyxl, exactly as before."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiandz.core.problems import TiandzError
from tiandz.files import sheets, xlsxdates, xlsxread

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on the hand-made styles and the far date
HEADERS = ["标题", "提出人"]


def both(path: Path, only: str | None = None):
    """The file read directly (never falling back) and by openpyxl."""
    data = path.read_bytes()
    return sheets._read_xlsx_directly(path, data, only), sheets._read_xlsx_openpyxl(path, data, only)


def assert_same(path: Path, only: str | None = None):
    direct, by_openpyxl = both(path, only)
    assert direct == by_openpyxl
    return direct


def office_workbook(path: Path) -> None:
    """A list as offices make it, with every kind of cell openpyxl writes."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "建议"
    sheet.append(["县十七届人大五次会议代表建议交办清单"])
    sheet.merge_cells("A1:H1")
    sheet.append(["序号", "标题", "提出人", "承办单位", None, "提出日期", "交办日期", "备注"])
    sheet.merge_cells("D2:E2")
    sheet.append([None, None, None, "主办单位", "协办单位"])
    sheet.append([1, "关于加强背街小巷路灯建设的建议", "张三", "县住建局", "县财政局（协办）",
                  dt.date(2024, 1, 15), dt.datetime(2024, 3, 20, 9, 30), "=SUM(A4:A5)"])
    sheet.append([2.5, "  前后有空格  ", "李四\n王五", "县教体局", None, "2024年1月16日", "2024/3/20", True])
    sheet.merge_cells("D5:D7")
    sheet.append([1e20, "=不是公式", "-3", None, None, "2024-01-17", None, False])
    sheet.append([-7, "_x000D_ 与 x005F_ 原样", 0, None, None, None, None, 3.25])
    sheet.cell(row=12, column=3, value="隔了几行")  # rows 8-11 missing from the file
    sheet.cell(row=13, column=40, value="很靠右的一格")
    time_cell = sheet.cell(row=14, column=1, value=dt.time(14, 30))
    span = sheet.cell(row=14, column=2, value=dt.timedelta(hours=30, minutes=5))
    serial = sheet.cell(row=14, column=3, value=45306)
    serial.number_format = 'yyyy"年"m"月"d"日"'
    builtin = sheet.cell(row=14, column=4, value=45307.5)
    builtin.number_format = "mm-dd-yy"
    money = sheet.cell(row=14, column=5, value=1234.5)
    money.number_format = '"¥"#,##0.00'
    assert time_cell.value and span.value
    sheet.append(["制表人：张三        审核人：李四"])
    other = book.create_sheet("提案")
    other.append(HEADERS + ["提出日期"])
    for number in range(1, 30):
        other.append([f"关于第{number}件事的提案", f"委员{number}", dt.date(2024, 1, number % 28 + 1)])
    book.create_sheet("说明").append(["本表由县人大常委会选联工委制作"])
    book.save(path)


def test_every_cell_an_office_list_holds_reads_as_openpyxl_reads_it(tmp_path):
    path = tmp_path / "交办清单.xlsx"
    office_workbook(path)

    tables, several = assert_same(path)

    assert several is True
    assert [name for name, _, _ in tables] == ["建议", "提案", "说明"]
    rows = dict(tables[0][1])
    assert rows[4][5:7] == [dt.datetime(2024, 1, 15), dt.datetime(2024, 3, 20, 9, 30)]
    assert rows[14][:4] == [dt.time(14, 30), dt.timedelta(hours=30, minutes=5), dt.datetime(2024, 1, 15),
                            dt.datetime(2024, 1, 16, 12, 0)]
    assert rows[8] == [] and rows[12] == [None, None, "隔了几行"]
    assert (1, 1, 1, 8) in tables[0][2] and (5, 4, 7, 4) in tables[0][2]


def test_one_sheet_picked_reads_as_openpyxl_reads_it(tmp_path):
    path = tmp_path / "交办清单.xlsx"
    office_workbook(path)

    tables, several = assert_same(path, "提案")

    assert [name for name, _, _ in tables] == ["提案"] and several is True
    with pytest.raises(TiandzError) as refused:
        sheets._read_xlsx_directly(path, path.read_bytes(), "建义")
    assert refused.value.problems[0].message == "交办清单.xlsx 中没有工作表“建义”，是否为“建议”？"


def test_the_tables_found_are_the_same_through_read_sheets(tmp_path, monkeypatch):
    path = tmp_path / "交办清单.xlsx"
    office_workbook(path)
    is_header = {"标题", "提出人", "序号", "承办单位", "主办单位", "协办单位", "提出日期"}.__contains__

    direct = sheets.read_sheets(path, is_header)
    monkeypatch.setattr(sheets, "_read_xlsx_directly", lambda *arguments: 1 / 0)  # as if unsupported
    by_openpyxl = sheets.read_sheets(path, is_header)

    assert direct == by_openpyxl
    assert direct.sheets[0].headers[3:5] == ["主办单位", "协办单位"] and direct.skipped == ["说明"]


# A workbook as other programs write it (Excel, WPS): shared strings with formatting runs and phonetic
# guides, cells without a reference, numbers in date styles, a 1904 workbook. Written here part by part.

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr {properties}/><sheets><sheet name="交办清单" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="177" formatCode="[h]:mm:ss"/><numFmt numFmtId="178" formatCode="&quot;day&quot;0.00"/></numFmts>
<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176"/>
<xf numFmtId="177"/><xf numFmtId="178"/><xf numFmtId="49"/><xf numFmtId="31"/></cellXfs></styleSheet>"""
SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
<si><t>标题</t></si><si><t>提出人</t></si>
<si><r><rPr><b/></rPr><t>关于加强</t></r><r><t xml:space="preserve"> 路灯 </t></r><r><t>建设的建议</t></r></si>
<si><t>张三</t><rPh sb="0" eb="2"><t>ZHANG SAN</t></rPh><phoneticPr fontId="1"/></si>
<si><t>x005F_x000D_ 与 &amp; 与 &lt;</t></si><si><t/></si>
</sst>"""
SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" s="1"><v>45306</v></c><c r="D2" s="2"><v>45307.25</v></c></row>
<row r="3"><c t="s"><v>4</v></c><c t="s"><v>5</v></c><c s="3"><v>1.5</v></c><c s="4"><v>2.5</v></c><c s="5"><v>12</v></c><c s="6"><v>45306</v></c></row>
<row r="5"><c r="A5" t="inlineStr"><is><r><t>内联</t></r><r><t>富文本</t></r></is></c><c r="B5" t="str"><f>A1</f><v>公式的值</v></c>
<c r="C5" t="e"><v>#N/A</v></c><c r="D5" t="b"><v>1</v></c><c r="E5"><v></v></c><c r="F5"><v>1.5E3</v></c><c r="G5"><v>-0.25</v></c></row>
<row><c r="B6"><v>7</v></c><c r="A6"><v>8</v></c></row>
<row r="4"><c r="A4"><v>9</v></c></row>
<row r="9" spans="1:3" ht="20" customHeight="1"><c r="C9" s="1"><v>0.75</v></c><c r="A9" s="1"><v>30</v></c></row>
<row r="10.0"/>
</sheetData><mergeCells count="1"><mergeCell ref="C2:C3"/></mergeCells></worksheet>"""


def hand_made(path: Path, sheet: str = SHEET, properties: str = "", target: str = "worksheets/sheet1.xml",
              extra: dict | None = None) -> Path:
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS,
             "xl/workbook.xml": WORKBOOK.format(properties=properties),
             "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(target=target), "xl/styles.xml": STYLES,
             "xl/sharedStrings.xml": SHARED, "xl/worksheets/sheet1.xml": sheet, **(extra or {})}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_a_workbook_as_excel_writes_it_reads_as_openpyxl_reads_it(tmp_path):
    tables, several = assert_same(hand_made(tmp_path / "清单.xlsx"))

    rows = dict(tables[0][1])
    assert several is False and tables[0][2] == [(2, 3, 3, 3)]
    assert rows[2] == ["关于加强 路灯 建设的建议", "张三", dt.datetime(2024, 1, 15), dt.datetime(2024, 1, 16, 6, 0)]
    assert rows[3][:2] == ["x000D_ 与 & 与 <", ""]
    assert rows[3][2] == dt.timedelta(days=1.5) and rows[3][3:5] == [2.5, 12]
    assert rows[4] == []  # row 4 written after rows 5 and 6 is left out, as openpyxl leaves it
    assert rows[5] == ["内联富文本", "公式的值", "#N/A", True, None, 1500.0, -0.25]


def test_a_1904_workbook_and_an_absolute_target_read_as_openpyxl_reads_them(tmp_path):
    for name, properties, target in (("甲.xlsx", 'date1904="1"', "worksheets/sheet1.xml"),
                                     ("乙.xlsx", 'date1904="false"', "/xl/worksheets/sheet1.xml")):
        tables, _ = assert_same(hand_made(tmp_path / name, properties=properties, target=target))
        assert dict(tables[0][1])[2][2] == (dt.datetime(2028, 1, 16) if properties == 'date1904="1"' else dt.datetime(2024, 1, 15))


@pytest.mark.parametrize("sheet, why", [
    (SHEET.replace('<c r="A1" t="s">', '<c r="a1" t="s">'), "a reference in small letters"),
    (SHEET.replace('<c r="A4"><v>9</v>', '<c r="A4" t="d"><v>2024-03-20T00:00:00</v>'), "an ISO date cell"),
    (SHEET.replace('<c r="A4"><v>9</v>', '<c r="A4" s="1"><v>9999999999</v>'), "a date serial past year 9999"),
])
def test_what_the_direct_reader_does_not_handle_is_read_by_openpyxl(tmp_path, sheet, why):
    path = hand_made(tmp_path / "清单.xlsx", sheet)
    data = path.read_bytes()

    with pytest.raises(xlsxread.Unsupported):
        sheets._read_xlsx_directly(path, data, None)
    assert sheets._read_xlsx(path, None) == sheets._read_xlsx_openpyxl(path, data, None), why


def test_a_cell_reference_openpyxl_cannot_read_is_refused_not_a_traceback(tmp_path):
    path = hand_made(tmp_path / "清单.xlsx", SHEET.replace('<c r="B1" t="s">', '<c r="B$1" t="s">'))

    with pytest.raises(xlsxread.Unsupported):
        sheets._read_xlsx_directly(path, path.read_bytes(), None)
    with pytest.raises(TiandzError) as refused:
        sheets.read_sheets(path, set(HEADERS).__contains__)
    assert refused.value.problems[0].message == "无法读取 清单.xlsx：'B$' is not a valid column name. Column names are from A to ZZZ"


def test_a_chart_sheet_leaves_the_workbook_to_openpyxl(tmp_path):
    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    book = Workbook()
    book.active.append(HEADERS)
    book.active.append(["关于路灯的建议", "张三"])
    book.create_chartsheet("图").add_chart(BarChart())
    path = tmp_path / "清单.xlsx"
    book.save(path)

    with pytest.raises(xlsxread.Unsupported):
        xlsxread.Workbook(path.read_bytes())
    tables, several = sheets._read_xlsx(path, None)
    assert [name for name, _, _ in tables] == ["Sheet"] and several is False  # as openpyxl counts worksheets
    assert tables[0][1] == [(1, HEADERS), (2, ["关于路灯的建议", "张三"])]


def test_a_damaged_sheet_is_refused_with_openpyxls_words(tmp_path):
    path = hand_made(tmp_path / "清单.xlsx", SHEET.replace("</sheetData>", "<row r=\"11\"><c r=\"A11\"><v>1</v></sheetData>"))

    with pytest.raises(TiandzError) as refused:
        sheets.read_sheets(path, set(HEADERS).__contains__)
    assert refused.value.problems[0].message.startswith("无法读取 清单.xlsx：")


def test_a_document_type_declaration_is_never_read(tmp_path):
    """Entities are openpyxl's business (the standard library's parser guards against their expansion)."""
    sheet = SHEET.replace('<?xml version="1.0" encoding="UTF-8"?>',
                          '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY a "甲">]>')
    path = hand_made(tmp_path / "清单.xlsx", sheet)

    with pytest.raises(xlsxread.Unsupported):
        sheets._read_xlsx_directly(path, path.read_bytes(), None)


CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda number: abs(number) < 1e300),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)),
    st.sampled_from(["关于加强背街小巷路灯建设的建议", "县教育和体育局（主办）", "2024年3月20日", "注：本表", " 空格 "]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grids=st.lists(st.lists(st.lists(CELLS, max_size=8), max_size=12), min_size=1, max_size=3),
       merge=st.tuples(st.integers(1, 12), st.integers(1, 8), st.integers(0, 3), st.integers(0, 2)))
def test_generated_sheets_read_as_openpyxl_reads_them(tmp_path, grids, merge):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for number, grid in enumerate(grids):
        sheet = book.create_sheet(f"表{number}")
        for row in grid:
            sheet.append(row)
        row, column, down, across = merge
        if down or across:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + down, end_column=column + across)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "生成.xlsx"
    path.write_bytes(buffer.getvalue())

    assert_same(path)


def test_a_part_in_utf16_with_an_entity_is_refused_not_expanded(tmp_path, monkeypatch):
    """UTF-16 hides a declaration from a look at the bytes; the part is not read here (defusedxml would refuse
    the entity whatever the encoding) but left to openpyxl, which never expands it."""
    laughs = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE styleSheet [<!ENTITY a "哈哈哈哈哈哈哈哈">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><styleSheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="&b;"/></numFmts>'
              '</styleSheet>').encode("utf-16")
    assert xlsxdates.has_declarations(laughs)
    with monkeypatch.context() as unguarded:  # the parse itself refuses the entity, the look at the bytes aside
        unguarded.setattr(xlsxdates, "has_declarations", lambda data: False)
        with pytest.raises(ValueError):
            xlsxdates.document(laughs)
    path = hand_made(tmp_path / "清单.xlsx", extra={"xl/styles.xml": laughs})

    # Left to openpyxl, whose parser of these parts does not resolve entities: read, and nothing expanded.
    rows = sheets.read_sheets(path, set(HEADERS).__contains__).sheets[0].rows
    assert rows[0][1][:2] == ["关于加强 路灯 建设的建议", "张三"]
    assert "哈" not in repr(rows)


def test_an_entity_in_a_sheet_is_refused_by_openpyxl_too(tmp_path):
    sheet = SHEET.replace('<?xml version="1.0" encoding="UTF-8"?>',
                          '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY a "甲">]>')
    path = hand_made(tmp_path / "清单.xlsx", sheet)

    with pytest.raises(TiandzError) as refused:
        sheets.read_sheets(path, set(HEADERS).__contains__)
    assert refused.value.problems[0].message.startswith("无法读取 清单.xlsx：")
