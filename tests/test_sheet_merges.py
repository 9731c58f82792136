"""A workbook from someone who wants the clerk's machine to hang: merged ranges that overlap, by the
thousand, each over the whole sheet. Excel never writes overlapping merges; tiandz fills each cell once, so
the work is bounded by the sheet, not by merges × rows."""

from __future__ import annotations

from tiandz.files import sheetlayout


def test_overlapping_merges_fill_each_cell_once(monkeypatch):
    rows = [(number, [f"值{number}", "x"]) for number in range(1, 5001)]
    merges = [(2, 1, 5000, 1)] * 1000 + [(3, 1, 4000, 1)]
    puts = []
    real_put = sheetlayout._put
    monkeypatch.setattr(sheetlayout, "_put", lambda cells, column, value: (puts.append(1), real_put(cells, column, value)))

    sheetlayout._fill_down(rows, merges)

    assert len(puts) == 4998  # rows 3..5000 once each: not 1,000 times
    assert all(cells[0] == "值2" for number, cells in rows[1:])  # the first merge's value, as Excel would show it
    assert rows[0][1][0] == "值1"


def test_overlapping_heading_merges_fill_each_heading_cell_once(monkeypatch):
    rows = [(1, ["标题"] + [None] * 999), (2, ["主办单位", "协办单位"] + [None] * 998)]
    merges = [(1, 1, 1, 1000)] * 500
    puts = []
    real_put = sheetlayout._put
    monkeypatch.setattr(sheetlayout, "_put", lambda cells, column, value: (puts.append(1), real_put(cells, column, value)))

    sheetlayout._fill_across(rows, merges, 1, 1)

    assert len(puts) == 999
    assert rows[0][1][999] == "标题"
