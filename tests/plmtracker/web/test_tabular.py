"""Exports: CSV and XLSX with formulas defused and numbers kept as numbers."""

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from plmtracker.web.tabular import safe_cell, table_response, write_table, xlsx_text, xlsx_text_read

HEADERS = ["erp_item_code", "description", "on_hand_ea", "as_of"]
ROWS = [
    ["1000001", '=HYPERLINK("http://evil")', Decimal("12.50"), date(2026, 11, 20)],
    ["1000002", "+SUM(A1:A9)", -3, None],
    ["1000003", "@cmd", Decimal("0"), date(2026, 11, 21)],
    ["1000004", "-2+3", 7, None],
    ["1000005", "GLOVE EXAM NITRILE", 1, None],
]


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("plain", "plain"), (-1, -1), (None, None)],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_csv_defuses_formulas_and_keeps_numbers():
    out = io.BytesIO()
    assert write_table(out, "csv", HEADERS, ROWS) == 5
    text = out.getvalue().decode("utf-8-sig").splitlines()
    assert text[0] == "erp_item_code,description,on_hand_ea,as_of"
    assert text[1] == '1000001,"\'=HYPERLINK(""http://evil"")",12.50,2026-11-20'
    assert text[2] == "1000002,'+SUM(A1:A9),-3,"
    assert text[3].startswith("1000003,'@cmd,0,")
    assert text[4] == "1000004,'-2+3,7,"


def test_xlsx_defuses_formulas_and_keeps_numbers():
    out = io.BytesIO()
    write_table(out, "xlsx", HEADERS, ROWS, title="items")
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS)
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[2][1:3] == ("'+SUM(A1:A9)", -3)
    assert rows[1][2] == 12.5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_downloads_name_the_file():
    response = table_response("csv", "groups", HEADERS, ROWS)
    assert response["Content-Disposition"] == 'attachment; filename="groups.csv"'
    assert b"".join(response.streaming_content).decode("utf-8-sig").count("\n") == 6
    response = table_response("xlsx", "groups", HEADERS, ROWS)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(alphabet="_x005FDAa\r\n\t ", max_size=40))
def test_xlsx_text_reads_back_exactly(text):
    """Whatever mix of underscores, escape-like runs and line breaks: XML never sees a raw CR, and it reads back."""
    written = xlsx_text(text)
    assert "\r" not in written
    assert xlsx_text_read(written) == text
