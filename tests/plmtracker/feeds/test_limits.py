"""XLSX files that would cost far more to read than they weigh are refused before they are parsed.

Every bomb is built here with zipfile in a few milliseconds. Each must be refused
within a second and with under 100 MB of memory, at every entry point.
"""

from __future__ import annotations

import dataclasses
import io
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl.xml.functions import fromstring

from collector.models import ItemLink
from plmtracker.feeds import limits
from plmtracker.feeds.errors import FeedError, FeedTooLarge
from plmtracker.feeds.readers import open_table
from tests.plmtracker.feeds import bombs
from tests.plmtracker.feeds.helpers import write_xlsx

LIMIT_BOMBS = [
    (bombs.empty_rows, "times larger than it is stored"),
    (bombs.huge_cell, "times larger than it is stored"),
    (bombs.many_strings, "times larger than it is stored"),
    (bombs.declared_strings, "more than 1,000,000 shared strings"),
    (bombs.declared_rows, "declares 4,000,000 rows; at most 1,048,576"),
    (bombs.declared_columns, "declares 18,278 columns; a feed sheet may use at most 256"),
    (bombs.far_row, "more than 1,048,576 rows"),
    (bombs.far_row_tab, "more than 1,048,576 rows"),
    (bombs.far_row_renamed, "more than 1,048,576 rows"),
    (bombs.far_column, "Row 2 reaches column 18,278"),
    (bombs.many_parts, "holds 5,006 parts; at most 1,000 are read"),
]
MALFORMED = [
    (bombs.entity_expansion, "declares XML entities or a DTD"),
    (bombs.external_entity, "declares XML entities or a DTD"),
    (bombs.broken_xml, "not a readable .xlsx workbook (not well-formed"),
    (bombs.broken_xml_after_dimension, "Row 2 of the sheet cannot be read (not well-formed"),
    (bombs.not_a_zip, "not a readable .xlsx workbook"),
    (bombs.far_row_utf16, "is XML in UTF-16 or UTF-32"),
]


def read_all(path):
    def read():
        with open_table(path) as table:
            for _ in table.rows:
                pass

    return read


@pytest.mark.parametrize(("build", "message"), LIMIT_BOMBS, ids=lambda v: getattr(v, "__name__", ""))
def test_a_bomb_is_refused_quickly_and_cheaply(build, message, tmp_path):
    path = build(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 600 * 1024
    found = bombs.refusal(read_all(path), FeedTooLarge)
    bombs.assert_cheap(found)
    assert message in found.error.message
    assert found.error.status == 413


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (bombs.empty_rows, "The sheet has more than 1,048,576 rows"),
        (bombs.huge_cell, "holds a cell or tag of more than 32,767 characters"),
        (bombs.many_strings, "more than 1,000,000 shared strings"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_each_check_holds_without_the_ratio(build, message, tmp_path, settings):
    """With the compression-ratio check out of the way, the streamed scan still refuses in time."""
    settings.PLM_XLSX_MAX_RATIO = 10**9
    found = bombs.refusal(read_all(build(tmp_path / "bomb.xlsx")), FeedTooLarge)
    bombs.assert_cheap(found)
    assert message in found.error.message


def test_the_unpacked_sizes_are_bounded(tmp_path, settings):
    settings.PLM_XLSX_MAX_RATIO = 10**9
    path = bombs.empty_rows(tmp_path / "bomb.xlsx")
    settings.PLM_XLSX_MAX_MEMBER_BYTES = 10 * 2**20
    with pytest.raises(FeedTooLarge, match=r"part xl/worksheets/sheet1.xml unpacks to 22.9 MB; at most 10.0 MB"):
        read_all(path)()
    settings.PLM_XLSX_MAX_UNCOMPRESSED_BYTES = 20 * 2**20
    with pytest.raises(FeedTooLarge, match=r"The workbook unpacks to 22.9 MB; at most 20.0 MB are read"):
        read_all(path)()


@pytest.mark.parametrize(
    ("fits", "too_many"),
    [
        (b"<row/>" * 2, b"<row/>" * 3),  # counted by the scan
        (b'<row r="3"/>', b'<row r="4"/>'),  # rows skipped by number: seen while reading
    ],
)
def test_rows_stop_at_the_row_limit(fits, too_many, tmp_path, settings):
    settings.PLM_XLSX_MAX_ROWS = 3
    read_all(bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(fits)))()
    with pytest.raises(FeedTooLarge, match="more than 3 rows"):
        read_all(bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(too_many)))()


def test_a_declared_dimension_over_the_row_limit_is_refused(tmp_path, settings):
    settings.PLM_XLSX_MAX_ROWS = 3
    path = write_xlsx(tmp_path / "f.xlsx", ["item", "replace"], [["A1", "A2"], ["A3", "A4"], ["A5", "A6"]])
    with pytest.raises(FeedTooLarge, match="The sheet declares 4 rows; at most 3 are read"):
        read_all(path)()


def test_a_long_cell_within_the_limit_is_read(tmp_path):
    text = "é" * 32_767  # 65,534 bytes: characters are counted, not bytes
    path = write_xlsx(tmp_path / "f.xlsx", ["item", "note"], [["A1", text]])
    with open_table(path) as table:
        assert list(table.rows) == [(2, ["A1", text])]


@pytest.mark.parametrize("length", [32_768, 40_000, 900_000])
def test_a_long_cell_over_the_limit_is_refused(length, tmp_path):
    path = bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(bombs.inline_cell(b"x" * length)))
    with pytest.raises(FeedTooLarge, match="more than 32,767 characters"):
        read_all(path)()


def test_the_cell_limit_is_a_setting(tmp_path, settings):
    settings.PLM_XLSX_MAX_CELL_CHARS = 100
    path = write_xlsx(tmp_path / "f.xlsx", ["item", "note"], [["A1", "x" * 101]])
    with pytest.raises(FeedTooLarge, match="more than 100 characters"):
        read_all(path)()


@pytest.mark.parametrize(("build", "message"), MALFORMED, ids=lambda v: getattr(v, "__name__", ""))
def test_malformed_workbooks_are_refused_with_the_reason(build, message, tmp_path):
    found = bombs.refusal(read_all(build(tmp_path / "bad.xlsx")), FeedError)
    bombs.assert_cheap(found)
    assert message in found.error.message
    assert found.error.status == 400


def test_openpyxl_parses_with_defusedxml():
    """Beyond the scan: the parser itself refuses entities (defusedxml is installed and pinned)."""
    from defusedxml import DefusedXmlException

    with pytest.raises(DefusedXmlException):
        fromstring(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')


# -- every entry point that reads a feed file -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "message"),
    [
        (bombs.empty_rows, "times larger than it is stored"),
        (bombs.declared_rows, "declares 4,000,000 rows"),
        (bombs.entity_expansion, "declares XML entities or a DTD"),
        (bombs.broken_xml_after_dimension, "Row 2 of the sheet cannot be read"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_import_data_says_why_and_writes_nothing(build, message, tmp_path):
    path = build(tmp_path / "links.xlsx")
    found = bombs.refusal(lambda: call_command("import_data", "links", str(path), verbosity=0), CommandError)
    bombs.assert_cheap(found)
    assert str(found.error).startswith(f"{path}: ")
    assert message in str(found.error) and str(found.error).endswith("Nothing was written.")
    assert not ItemLink.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"item,replace\n1,2," + b"x" * 140_000 + b"\n", "Line 2: a cell is longer than 131,072 characters"),
        (b'item,replace\n1,"2\n3,4\n', "Line 2: a quote opened there is never closed"),
    ],
)
def test_import_data_reports_malformed_csv(content, message, tmp_path):
    path = tmp_path / "links.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_data", "links", str(path), verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "message"),
    [
        (bombs.many_strings, "unpacks to 48.6 MB; at most 5.9 MB are read (the admin import takes at most 5,000"),
        (bombs.far_column, "Row 2 reaches column 18,278"),
        (bombs.external_entity, "declares XML entities or a DTD"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_the_admin_import_shows_why(build, message, steward_client, tmp_path):
    path = build(tmp_path / "links.xlsx")
    url = reverse("admin:collector_itemlink_import")

    def upload():
        with open(path, "rb") as f:
            response = steward_client.post(url, {"import_file": f, "format": 1, "resource": 0})
        assert message in str(response.context["form"].errors["import_file"])
        raise bombs.Refused

    bombs.assert_cheap(bombs.refusal(upload, bombs.Refused))
    assert not ItemLink.objects.exists()


def test_shared_strings_within_the_limits_are_read(tmp_path, settings):
    settings.PLM_XLSX_MAX_SHARED_STRINGS = 3
    strings = [f'<?xml version="1.0"?><sst xmlns="{bombs.MAIN}" count="6" uniqueCount="3">'.encode()]
    strings += [b"<si><t>1000001</t></si><si><t>1000002</t></si><si><t>Disc&amp;ontinued</t></si></sst>"]
    body = b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c></row>'
    with open_table(bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(body), strings)) as table:
        assert list(table.rows) == [(2, ["1000001", "1000002", "Disc&ontinued"])]
    strings[1] = strings[1].replace(b"</sst>", b"<si><t>one more</t></si></sst>")
    with pytest.raises(FeedTooLarge, match="more than 3 shared strings"):
        read_all(bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(body), strings))()


# -- cells, elements and shared-string characters, counted while the XML streams ---------------------


def cells(count: int, row: int = 2, cell: bytes = b"<c/>") -> bytes:
    return f'<row r="{row}">'.encode() + cell * count + b"</row>"


@pytest.mark.parametrize("chunk", [limits.CHUNK, 7, 50])  # small chunks: every row spans several
def test_cells_are_counted_per_row(chunk, tmp_path, settings, monkeypatch):
    monkeypatch.setattr(limits, "CHUNK", chunk)
    settings.PLM_XLSX_MAX_COLUMNS = 300
    one = b"<c><v>1</v></c>"
    fits = bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(cells(300, cell=one) + cells(300, row=3, cell=one)))
    with open_table(fits) as table:
        assert [(line, len(row)) for line, row in table.rows] == [(2, 300), (3, 300)]
    wide = bombs.sheet(cells(300, cell=one) + cells(301, row=3, cell=one) + cells(1, row=4, cell=one))
    wide = bombs.write_xlsx(tmp_path / "g.xlsx", wide)
    with pytest.raises(FeedTooLarge, match="^Row 3 of the sheet holds more than 300 cells; a feed sheet may use"):
        read_all(wide)()


def test_a_short_row_over_a_small_column_limit_is_refused_by_the_scan(tmp_path, settings):
    settings.PLM_XLSX_MAX_COLUMNS = 5
    rows = cells(5, row=2, cell=b"<c><v>1</v></c>") + cells(6, row=3, cell=b"<c/>") + cells(1, row=4)
    with pytest.raises(FeedTooLarge, match="^Row 3 of the sheet holds more than 5 cells"):  # not "reaches column 6"
        read_all(bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(rows)))()


def test_cells_written_with_another_prefix_count_as_elements(tmp_path):
    """Cells the scan does not recognise as cells still count as XML elements of their row."""
    odd = f'<y:c xmlns:y="{bombs.MAIN}"/>'.encode()
    path = bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(cells(5_000, cell=odd)))
    with pytest.raises(FeedTooLarge, match="Row 2 of the sheet holds more than 4,096 XML elements"):
        read_all(path)()


def test_elements_after_the_rows_are_not_the_last_rows(tmp_path):
    """A sheet's hyperlinks, merged cells and the like come after its rows and count apart."""
    after = b"<hyperlinks>" + b'<hyperlink ref="A2" display="x"/>' * 5_000 + b"</hyperlinks>"
    body = b"".join(bombs.sheet(cells(2))).replace(b"</sheetData>", b"</sheetData>" + after)
    with open_table(bombs.write_xlsx(tmp_path / "f.xlsx", [body])) as table:
        assert [line for line, _ in table.rows] == []  # the row is empty: nothing to read, nothing refused


def test_the_workbook_elements_follow_the_rows_a_path_takes(tmp_path):
    budget = limits.xlsx_limits(100, scope="a test takes 100 rows")
    assert (budget.rows, budget.elements) == (111, 100 * 16 + 10_000)
    rows = b"".join(cells(60, row=n, cell=b"<c><v>1</v></c>") for n in range(2, 102))  # 12,100 elements
    path = bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(rows))
    read_all(path)()  # within the limits for any file
    message = r"more than 11,600 XML elements \(cells, rows, strings\) \(a test takes"
    with pytest.raises(FeedTooLarge, match=message), open_table(path, limits=budget) as table:
        list(table.rows)


def test_shared_string_characters_are_counted(tmp_path, settings):
    strings = [f'<?xml version="1.0"?><sst xmlns="{bombs.MAIN}" count="3" uniqueCount="3">'.encode()]
    strings += [
        "<si><t>1000001</t></si><si><t>éééé</t></si><si><r><t>Disc</t></r><r><t>ontinued</t></r></si></sst>".encode()
    ]
    body = b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c></row>'
    path = bombs.write_xlsx(tmp_path / "f.xlsx", bombs.sheet(body), strings)
    settings.PLM_XLSX_MAX_SHARED_STRING_CHARS = 23  # 7 + 4 (characters, not bytes) + 12
    with open_table(path) as table:
        assert list(table.rows) == [(2, ["1000001", "éééé", "Discontinued"])]
    settings.PLM_XLSX_MAX_SHARED_STRING_CHARS = 22
    with pytest.raises(FeedTooLarge, match="shared strings hold more than 22 characters"):
        read_all(path)()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        # data rows, rows, XML bytes, elements, shared strings
        ("bulk", (5_000, 5_501, 5_000 * 1024 + 2**20, 90_000, 20_256)),
        ("admin", (5_000, 5_501, 5_000 * 1024 + 2**20, 90_000, 20_256)),
        ("import_data links", (100_000, 110_001, 100_000 * 1024 + 2**20, 1_610_000, 400_256)),
        ("import_data items", (1_048_576, 1_048_576, 512 * 2**20, 1_048_576 * 16 + 10_000, 1_000_000)),
    ],
)
def test_each_path_reads_what_its_rows_need(entry, expected):
    """The defaults README's configuration table gives for each path."""
    from collector.bulk import bulk_limits
    from plmtracker.feeds.management.commands.import_data import Command

    found = {
        "bulk": bulk_limits,
        "admin": lambda: limits.xlsx_limits(settings_value("PLM_ADMIN_IMPORT_MAX_ROWS")),
        "import_data links": lambda: Command.limits("links"),
        "import_data items": lambda: Command.limits("items"),
    }[entry]()
    rows, scan_rows, xml_bytes, elements, strings = expected
    assert (found.rows, found.uncompressed_bytes, found.elements, found.shared_strings) == (
        scan_rows,
        xml_bytes,
        elements,
        strings,
    )
    assert found.shared_string_chars == min(64 * 1_048_576, rows * 1024 + 2**20)


def settings_value(name: str) -> int:
    from django.conf import settings

    return getattr(settings, name)


CELLS = [b"<c/>", b"<c><v>1</v></c>", b'<c t="inlineStr"><is><t>%s</t></is></c>']


CELL = st.tuples(st.integers(0, 2), st.integers(0, 60))  # (kind of cell, text length)


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.integers(0, 11).flatmap(lambda n: st.lists(CELL, min_size=n, max_size=n)), max_size=30),
    chunk=st.integers(5, 400),
)
def test_the_scan_finds_every_row_over_the_cell_limit(rows, chunk):
    """However the rows fall across chunks, the scan refuses at the first row of more cells than the limit."""
    body = b""
    for number, row in enumerate(rows, start=2):
        cells_written = b"".join(CELLS[kind].replace(b"%s", b"x" * length) for kind, length in row)
        body += f'<row r="{number}">'.encode() + cells_written + b"</row>"
    stream = io.BytesIO()
    bombs.write_xlsx(stream, bombs.sheet(body))
    budget = dataclasses.replace(limits.current_limits(), columns=8)
    wide = next((n for n, row in enumerate(rows, start=2) if len(row) > 8), None)
    with mock.patch.object(limits, "CHUNK", chunk):
        if wide is None:
            limits.check_xlsx(stream, budget)
        else:
            with pytest.raises(FeedTooLarge, match=f"^Row {wide} of the sheet holds more than 8 cells"):
                limits.check_xlsx(stream, budget)
