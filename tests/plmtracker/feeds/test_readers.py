"""Readers: CSV dialects and encodings, XLSX sheets and cell types, streaming."""

from datetime import datetime

import pytest
from openpyxl import Workbook

from plmtracker.feeds.readers import FeedError, open_table


def rows(path):
    with open_table(path) as table:
        return table.header, list(table.rows), table


def test_csv_with_bom_and_semicolons(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"\xef\xbb\xbfcode;description\r\nEA;Each; of one\r\n\r\nBX;Box\r\n")
    header, found, table = rows(path)
    assert header == ["code", "description"]
    assert found == [(2, ["EA", "Each", " of one"]), (4, ["BX", "Box"])]
    assert (table.delimiter, table.size_hint) == (";", 3)


def test_csv_text_that_looks_like_a_formula_is_kept(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('code,description\nEA,"=1+2"\nBX,@SUM(A1)\n', encoding="utf-8")
    assert [cells for _, cells in rows(path)[1]] == [["EA", "=1+2"], ["BX", "@SUM(A1)"]]


def test_a_bad_byte_is_reported_on_its_line(tmp_path):
    path = tmp_path / "f.csv"
    lines = ["code,description"] + [f"C{n},ok" for n in range(5000)] + ["X,Gr\xfc\xdfe"]
    path.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(FeedError, match=r"Line 5002 is not UTF-8 text \(byte b'\\xfc' at position 5\)"):
        rows(path)


def test_xlsx_reads_the_first_sheet_with_its_types(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Feed"
    sheet.append(["po_line_id", "po_date", "note"])
    sheet.append([1, datetime(2026, 11, 1), "=not a formula"])
    sheet["C2"].data_type = "s"
    sheet.append([None, None, None])
    sheet.append([2, datetime(2026, 11, 2), None])
    book.create_sheet("Other").append(["ignored"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    header, found, table = rows(path)
    assert header == ["po_line_id", "po_date", "note"]
    assert found == [(2, [1, datetime(2026, 11, 1), "=not a formula"]), (4, [2, datetime(2026, 11, 2), None])]
    assert table.notes == ["Only the first sheet ('Feed') was read; the workbook has 2."]


def test_xlsx_formula_cells_read_as_their_values(tmp_path):
    book = Workbook()
    book.active.append(["qty"])
    book.active.append(["=1+2"])  # a real formula, never calculated: no cached value
    path = tmp_path / "f.xlsx"
    book.save(path)
    assert rows(path)[1] == []  # an uncalculated formula is an empty cell, not the text "=1+2"
