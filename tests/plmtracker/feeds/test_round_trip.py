"""Export then import is a round trip: every feed kind, CSV and XLSX, cells a spreadsheet would run included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from collector.models import GroupLocationPlan, ItemGroup
from collector.services import link_add
from plmtracker.feeds import FEEDS, import_file
from plmtracker.feeds.exporting import export_registry, export_to_file
from plmtracker.inventory.models import BurnRateDaily, ItemLocation, ItemUomConversion, PoLine
from plmtracker.inventory.snapshots import take_snapshot
from plmtracker.web.tabular import safe_cell, unescape_cell
from tests.factories import ItemFactory, LocationFactory, UomFactory
from tests.plmtracker.feeds.helpers import state

pytestmark = pytest.mark.django_db
# Text a spreadsheet would run (the export puts an apostrophe before it), and text that
# already starts with apostrophes before such a character (the export adds one more).
RISKY = ["=1+2", "+SUM(1,2)", "-2 PACK", "@cmd", "'=quoted", "''+twice", "'plain apostrophe"]
FEED_EXPORTS = sorted(set(FEEDS) & set(export_registry()))


@pytest.fixture
def risky_data():
    """Every feed table holds codes, names and reasons that start with = + - @ or apostrophes."""
    today = date.today()
    pack = UomFactory(code="@PK", description="+SUM(1,2)")
    each = UomFactory(code="EA", description="'=quoted")
    items = [
        ItemFactory(erp_item_code=code, description=text, base_uom=pack)
        for code, text in zip(["=A1", "+1000002", "-100", "@X", "'=B2", "1000006", "1000007"], RISKY, strict=True)
    ]
    location = LocationFactory(location_id=100, location_name='=HYPERLINK("http://x")', location_type="main")
    ItemLocation.objects.create(
        item=items[0], location=location, stock_uom=pack, reorder_unit=each, on_hand_ea=Decimal("12.5")
    )
    ItemUomConversion.objects.create(item=items[0], from_uom=pack, to_uom=each, factor=Decimal("10"))
    BurnRateDaily.objects.create(
        as_of_date=today, item=items[1], location=location, burnrate_ea_per_day=Decimal("1.5"), signal_source="L90"
    )
    PoLine.objects.create(
        po_line_id=1, po_date=today, item=items[1], vendor_id=7, vendor_name="-Vendor", qty_ea=5, price=Decimal("2")
    )
    group = link_add(item_id=items[0].pk, replace_item_id=items[1].pk, reason="=reason").group_id
    link_add(item_id=items[2].pk, replace_item_id=items[3].pk, reason="''+twice")
    link_add(item_id=items[4].pk, replace_item_id=items[5].pk, reason="@reason")
    ItemGroup.objects.filter(pk=group).update(reason="+urgent", name="=Gloves")
    GroupLocationPlan.objects.create(group_id=group, location=location, go_live_date=today, note="-night shift first")
    take_snapshot(today)  # item_locations takes the day's snapshot on import: have it already
    return items


@pytest.mark.parametrize("value", [*RISKY, "\tx", "\rx", "plain", ""])
def test_unescape_undoes_safe_cell(value):
    assert unescape_cell(safe_cell(value)) == value


def test_every_feed_kind_is_exported():
    assert sorted(FEEDS) == FEED_EXPORTS


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", FEED_EXPORTS)
def test_export_then_import_changes_nothing(kind, fmt, risky_data, tmp_path):
    before = state()
    path = tmp_path / f"{kind}.{fmt}"
    assert export_to_file(kind, path) > 0
    result = import_file(kind, path)
    assert result.errors == []
    assert (result.created, result.updated, result.skipped) == (0, 0, 0)
    assert result.unchanged == result.rows
    assert all((c.created, c.updated) == (0, 0) for c in result.related.values())
    assert state() == before


# Line breaks as Windows writes them (CR LF), a lone CR, and text that looks like the escape an
# XLSX file writes a CR as: XML reads a raw CR back as LF, so the XLSX export escapes it.
LINE_BREAKS = ["two\r\nlines", "old\rmac", "unix\nline", "tab\there", "_x000D_ typed", "_x005F_x000D_", "a_x0041_b"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_line_breaks_and_escape_lookalikes_round_trip(fmt, tmp_path):
    each = UomFactory(code="EA")
    items = [ItemFactory(description=text, base_uom=each) for text in LINE_BREAKS]
    link_add(item_id=items[0].pk, replace_item_id=items[1].pk, reason="first\r\nsecond\rthird")
    before = state()
    for kind in ("items", "links"):
        path = tmp_path / f"{kind}.{fmt}"
        export_to_file(kind, path)
        result = import_file(kind, path)
        assert result.errors == [] and (result.created, result.updated) == (0, 0), kind
    assert state() == before
    assert sorted(ItemFactory._meta.model.objects.values_list("description", flat=True)) == sorted(LINE_BREAKS)


def test_an_excel_carriage_return_reads_as_one(tmp_path):
    """Excel writes a CR in a cell as _x000D_ (and a typed _x000D_ as _x005F_x000D_): read as Excel shows them."""
    from plmtracker.feeds.readers import open_table
    from tests.plmtracker.feeds import bombs

    body = b'<row r="2"><c r="A2" t="inlineStr"><is><t>A_x000D_\nB</t></is></c>'
    body += b'<c r="B2" t="inlineStr"><is><t>_x005F_x000D_</t></is></c></row>'
    with open_table(bombs.write_xlsx(tmp_path / "excel.xlsx", bombs.sheet(body))) as table:
        assert list(table.rows) == [(2, ["A\r\nB", "_x000D_"])]
