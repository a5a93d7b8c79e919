"""Every feed kind: a good file (CSV and XLSX), the same file again, and a table of bad files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from collector.models import GroupAlert, ItemGroup, ItemLink
from collector.services import link_add
from plmtracker.feeds import FEEDS, FeedError, import_file
from plmtracker.inventory.models import (
    BurnRateDaily,
    Item,
    ItemLocation,
    ItemUomConversion,
    Location,
    OnHandSnapshot,
    PoLine,
    Uom,
)
from tests.factories import ItemFactory, LocationFactory, UomFactory
from tests.plmtracker.feeds.helpers import state, write_csv, write_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def master(steward):
    """UOMs EA/BX/CS, items 1000001-1000006 (1000004 -> 1000005 a group), locations 100 and 400."""
    ea = UomFactory(code="EA", description="Each")
    UomFactory(code="BX", description="Box")
    UomFactory(code="CS", description="Case")
    items = {
        n: ItemFactory(erp_item_code=str(n), description=f"ITEM {n}", base_uom=ea) for n in range(1000001, 1000007)
    }
    LocationFactory(location_id=100, location_name="MAIN STORES", location_type="main")
    LocationFactory(location_id=400, location_name="PAR MICU", location_type="par")
    group = link_add(item_id=items[1000004].pk, replace_item_id=items[1000005].pk).group_id
    return {"items": items, "group_id": group, "steward": steward}


@dataclass
class Good:
    header: list[str]
    rows: list[list[str]]
    created: int
    updated: int = 0


def good_files(master) -> dict[str, Good]:
    group = str(master["group_id"])
    return {
        "uom": Good(["code", "description"], [["PK", "Pack"], ["EA", "=Each, as written"]], created=1, updated=1),
        "items": Good(
            ["erp_item_code", "description", "base_uom", "active_flag"],
            [
                ["2000001", "GLOVE EXAM NITRILE M", "EA", "1"],
                ["2000002", '=HYPERLINK("http://x")', "BX", "no"],
                ["1000001", "ITEM 1000001 RENAMED", "EA", "yes"],
            ],
            created=2,
            updated=1,
        ),
        "locations": Good(
            ["location_id", "location_name", "location_type"],
            [["300", "ICU PAR", "par"], ["100", "MAIN STORES", "main"]],
            created=1,
        ),
        "item_locations": Good(
            [
                "erp_item_code",
                "location_id",
                "location_name",
                "location_type",
                "stock_uom",
                "reorder_point",
                "reorder_unit",
                "reorder_upto_qty",
                "on_hand_ea",
                "on_order_ea",
                "last_counted_at",
            ],
            [
                ["1000001", "100", "MAIN STORES", "main", "EA", "10", "BX", "30", "120.5", "0", "2026-11-01"],
                ["1000002", "200", "PAR 4 WEST", "par", "", "", "", "", "7", "", "2026-11-02"],
            ],
            created=2,
        ),
        "conversions": Good(
            ["erp_item_code", "from_uom", "to_uom", "factor"],
            [["1000001", "BX", "EA", "100"], ["1000002", "CS", "BX", "12.5"]],
            created=2,
        ),
        "burnrates": Good(
            ["as_of_date", "erp_item_code", "location_id", "burnrate_ea_per_day", "signal_source"],
            [["2026-11-01", "1000001", "100", "12.5", "L90"], ["2026-11-01", "1000002", "100", "0", "NONE"]],
            created=2,
        ),
        "po_lines": Good(
            ["po_line_id", "po_date", "erp_item_code", "vendor_id", "vendor_name", "qty_ea", "price"],
            [
                ["7000001", "2026-10-01", "1000001", "501", "MEDLINE INDUSTRIES LP", "100", "0.12"],
                ["7000002", "2026-10-02", "1000002", "", "", "5", ""],
            ],
            created=2,
        ),
        "links": Good(
            ["item", "replace", "reason", "ratio"],
            [
                ["1000001", "1000002", "Discontinued", "0.5"],
                ["1000001", "1000003", "", ""],
                ["1000004", "1000005", "", "2"],
            ],
            created=2,
            updated=1,  # the existing link's ratio 1 -> 2
        ),
        "groups": Good(
            [
                "group_id",
                "status",
                "reason",
                "owner",
                "start_date",
                "end_date",
                "name",
                "use_up_policy",
                "last_order_date",
            ],
            [
                [
                    group,
                    "active",
                    "Contract change",
                    "steward@example.org",
                    "2026-11-01",
                    "2027-01-31",
                    "Exam gloves",
                    "use_until_end",
                    "2026-12-15",
                ]
            ],
            created=0,
            updated=1,
        ),
        "location_plans": Good(
            ["group_id", "location_id", "go_live_date", "note"],
            [[group, "100", "2026-12-07", "Main stores first"], [group, "400", "", "Waiting for par"]],
            created=2,
        ),
    }


def test_every_feed_kind_has_a_good_file(master):
    assert set(good_files(master)) == set(FEEDS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", sorted(FEEDS))
def test_good_file_imports_and_again_changes_nothing(kind, fmt, master, tmp_path):
    good = good_files(master)[kind]
    path = write_feed(tmp_path, fmt, good.header, good.rows)
    first = import_file(kind, path, user=master["steward"])
    assert first.ok, first.errors
    assert first.written
    assert (first.created, first.updated, first.skipped) == (good.created, good.updated, 0)
    after_first = state()

    again = import_file(kind, path, user=master["steward"])
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(good.rows))
    assert state() == after_first


def test_good_files_store_what_they_say(master, tmp_path):
    files = good_files(master)
    for kind in ["uom", "items", "item_locations", "conversions", "burnrates", "po_lines", "links", "groups"]:
        good = files[kind]
        assert import_file(kind, write_feed(tmp_path, "csv", good.header, good.rows, name=kind)).ok
    items = master["items"]
    assert Uom.objects.get(code="EA").description == "=Each, as written"  # a formula-looking cell is data
    assert Item.objects.get(erp_item_code="2000002").description == '=HYPERLINK("http://x")'
    assert Item.objects.get(erp_item_code="2000002").active_flag is False
    assert Item.objects.get(erp_item_code="2000002").base_uom.code == "BX"
    assert Item.objects.get(erp_item_code="1000001").updated_at is not None
    setup = ItemLocation.objects.get(item=items[1000001], location_id=100)
    assert (setup.on_hand_ea, setup.reorder_point, setup.reorder_unit.code, setup.stock_uom.code) == (
        Decimal("120.5"),
        Decimal("10"),
        "BX",
        "EA",
    )
    assert setup.last_counted_at.date() == date(2026, 11, 1)
    assert Location.objects.get(location_id=200).location_name == "PAR 4 WEST"
    assert OnHandSnapshot.objects.filter(snapshot_date=date.today()).count() == 2
    assert ItemUomConversion.objects.get(item=items[1000002]).factor == Decimal("12.5")
    assert BurnRateDaily.objects.get(item=items[1000001]).burnrate_ea_per_day == Decimal("12.5")
    line = PoLine.objects.get(po_line_id=7000002)
    assert (line.vendor_id, line.vendor_name, line.price, line.qty_ea) == (None, None, None, Decimal("5"))
    assert set(ItemLink.objects.values_list("item__erp_item_code", "replace_item__erp_item_code")) == {
        ("1000001", "1000002"),
        ("1000001", "1000003"),
        ("1000004", "1000005"),
    }
    assert GroupAlert.objects.get(item=items[1000001], resolved_at__isnull=True).alert_type == "OUT_DEG_GT1"
    group = ItemGroup.objects.get(pk=master["group_id"])
    assert (group.status, group.owner, group.end_date) == ("active", master["steward"], date(2027, 1, 31))


def test_a_second_file_updates_only_what_changed(master, tmp_path):
    header = ["po_line_id", "po_date", "erp_item_code", "qty_ea", "price"]
    import_file("po_lines", write_csv(tmp_path / "a.csv", header, [["1", "2026-10-01", "1000001", "5", "1.5"]]))
    rows = [["1", "2026-10-01", "1000001", "6", "1.5"], ["2", "2026-10-01", "1000002", "1", ""]]
    result = import_file("po_lines", write_csv(tmp_path / "b.csv", header, rows))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert PoLine.objects.get(po_line_id=1).qty_ea == Decimal("6")


def test_optional_columns_left_out_keep_their_values(master, tmp_path):
    item = master["items"][1000001]
    result = import_file("items", write_csv(tmp_path / "i.csv", ["erp_item_code", "active_flag"], [["1000001", "0"]]))
    assert (result.updated, result.created) == (1, 0)
    item.refresh_from_db()
    assert (item.active_flag, item.description, item.base_uom.code) == (False, "ITEM 1000001", "EA")


@dataclass
class Bad:
    kind: str
    name: str
    row: int  # which good row to change (0-based)
    column: str
    value: str | None  # None: use `rows` instead
    message: str
    line: int | None = None  # default: the changed row's line
    rows: list[list[str]] | None = None


BAD = [
    Bad("uom", "duplicate key", 1, "code", "PK", "same code as line 2"),
    Bad("uom", "code too long", 0, "code", "X" * 21, "is 21 characters long; at most 20 fit"),
    Bad("items", "unknown uom", 0, "base_uom", "XX", "no unit of measure has the code 'XX'"),
    Bad("items", "bad flag", 1, "active_flag", "maybe", "'maybe' is not a yes/no flag"),
    Bad("items", "duplicate key", 2, "erp_item_code", "2000001", "same erp_item_code as line 2"),
    Bad("items", "empty key", 0, "erp_item_code", "", "is empty; a value is required"),
    Bad("locations", "enum", 0, "location_type", "ward", "'ward' is not a location type: use one of main, sat"),
    Bad("locations", "not a number", 0, "location_id", "ICU", "'ICU' is not a whole number"),
    Bad("item_locations", "negative on hand", 0, "on_hand_ea", "-1", "is -1; it cannot be negative"),
    Bad("item_locations", "enum", 1, "location_type", "ward", "'ward' is not a location type"),
    Bad("item_locations", "unknown item", 1, "erp_item_code", "9999999", "no item has the ERP code '9999999'"),
    Bad("item_locations", "decimal comma", 0, "on_hand_ea", "12,5", "'12,5' is not a number (use a point"),
    Bad("item_locations", "bad date", 1, "last_counted_at", "01/11/2026", "'01/11/2026' is not a date"),
    Bad("item_locations", "too many decimals", 0, "reorder_point", "1.234", "'1.234' has more than 2 decimal places"),
    Bad(
        "item_locations",
        "duplicate key",
        0,
        "",
        None,
        "same erp_item_code and location_id as line 2",
        line=3,
        rows=[
            ["1000001", "100", "MAIN STORES", "main", "", "", "", "", "1", "", ""],
            ["1000001", "100", "MAIN STORES", "main", "", "", "", "", "2", "", ""],
        ],
    ),
    Bad(
        "item_locations",
        "one location, two names",
        0,
        "location_name",
        None,
        "location 200 is 'PAR 4 WEST' (par) on line 2",
        line=3,
        rows=[
            ["1000001", "200", "PAR 4 WEST", "par", "", "", "", "", "1", "", ""],
            ["1000002", "200", "PAR 4 EAST", "par", "", "", "", "", "2", "", ""],
        ],
    ),
    Bad("conversions", "zero factor", 0, "factor", "0", "is 0; it must be more than 0"),
    Bad("conversions", "same unit", 0, "to_uom", "BX", "is the same unit as from_uom"),
    Bad("conversions", "unknown uom", 1, "from_uom", "PALLET", "no unit of measure has the code 'PALLET'"),
    Bad("burnrates", "enum", 0, "signal_source", "L30", "'L30' is not a signal source: use one of L10, L60"),
    Bad("burnrates", "unknown location", 1, "location_id", "999", "no location 999"),
    Bad("burnrates", "bad date", 0, "as_of_date", "2026-13-01", "'2026-13-01' is not a date"),
    Bad("burnrates", "negative rate", 1, "burnrate_ea_per_day", "-0.5", "is -0.5; it cannot be negative"),
    Bad("po_lines", "not a whole number", 0, "po_line_id", "abc", "'abc' is not a whole number"),
    Bad("po_lines", "negative quantity", 1, "qty_ea", "-5", "is -5; it cannot be negative"),
    Bad("po_lines", "duplicate key", 1, "po_line_id", "7000001", "same po_line_id as line 2"),
    Bad("po_lines", "unknown item", 0, "erp_item_code", "NOPE", "no item has the ERP code 'NOPE'"),
    Bad("po_lines", "too many decimals", 0, "price", "0.12345", "'0.12345' has more than 4 decimal places"),
    Bad("links", "self-link", 0, "replace", "1000001", "is the same item as item; an item cannot replace itself"),
    Bad("links", "unknown code", 1, "replace", "NOPE", "no item has the ERP code 'NOPE'"),
    Bad("links", "duplicate row", 1, "replace", "1000002", "same item and replace as line 2"),
    Bad(
        "links",
        "reverse of an earlier row",
        0,
        "replace",
        None,
        "is the reverse of a link: line 2 links 1000001 replaced by 1000002",
        line=3,
        rows=[["1000001", "1000002", ""], ["1000002", "1000001", ""]],
    ),
    Bad(
        "links",
        "reverse of an existing link",
        0,
        "replace",
        "1000004",
        "is the reverse of a link: a link already records 1000004 replaced by 1000005",
        rows=[["1000005", "1000004", ""]],
    ),
    Bad("groups", "unknown group", 0, "group_id", "99999", "no group 99999"),
    Bad("groups", "enum", 0, "status", "closed", "'closed' is not a group status"),
    Bad("groups", "unknown owner", 0, "owner", "nobody@example.org", "no user has the email 'nobody@example.org'"),
    Bad("groups", "end before start", 0, "end_date", "2026-10-01", "is 2026-10-01, before the start date 2026-11-01"),
    # Lax cells: what the database would refuse (a 500) or Python alone would take.
    Bad("uom", "NUL", 0, "description", "Pa\x00ck", "holds the control character U+0000 at position 3"),
    Bad("items", "escape sequence", 0, "description", "\x1b[31mRED", "holds the control character U+001B"),
    Bad("links", "NUL in a reason", 0, "reason", "Disc\x00", "holds the control character U+0000"),
    Bad("links", "NUL in a code", 0, "item", "1000001\x00", "holds the control character U+0000"),
    Bad("locations", "beyond INT", 0, "location_id", "2147483648", "'2147483648' is too large (at most 2,147,483,647)"),
    Bad("locations", "full-width digits", 0, "location_id", "\uff13\uff10\uff10", "(use the digits 0-9)"),
    Bad("item_locations", "beyond INT", 1, "location_id", "99999999999", "is too large (at most 2,147,483,647)"),
    Bad("item_locations", "underscores", 0, "on_hand_ea", "1_000", "'1_000' is not a number"),
    # 16 digits fit numeric(18,2) but not a double: on SQLite it would come back unreadable (a 500).
    Bad(
        "item_locations",
        "beyond 15 digits",
        0,
        "on_hand_ea",
        "9999999999999999.99",
        "is too large (at most 13 digits before the point)",
    ),
    Bad("item_locations", "Arabic-Indic digits", 0, "on_hand_ea", "\u0661\u0662", "(use the digits 0-9)"),
    Bad("burnrates", "beyond INT", 0, "location_id", "4294967396", "is too large (at most 2,147,483,647)"),
    Bad("po_lines", "vendor beyond INT", 0, "vendor_id", "2147483648", "is too large (at most 2,147,483,647)"),
    Bad("po_lines", "beyond BIGINT", 0, "po_line_id", "9223372036854775808", "is too large"),
    Bad("po_lines", "full-width price", 0, "price", "\uff10.\uff15", "(use the digits 0-9)"),
    Bad("groups", "beyond INT", 0, "group_id", "2147483648", "is too large (at most 2,147,483,647)"),
    Bad("groups", "unknown policy", 0, "use_up_policy", "burn", "'burn' is not a use-up policy: use one of use_up"),
    Bad("groups", "bad last order", 0, "last_order_date", "2026-02-30", "'2026-02-30' is not a date"),
    Bad("groups", "last order after end", 0, "last_order_date", "2027-02-01", "after the end date 2027-01-31"),
    Bad(
        "groups",
        "last order a year early",
        0,
        "last_order_date",
        "2025-01-01",
        "more than a year before the start date",
    ),
    Bad("groups", "name too long", 0, "name", "N" * 121, "is 121 characters long; at most 120 fit"),
    Bad("links", "zero ratio", 0, "ratio", "0", "is 0; it must be more than 0"),
    Bad("links", "negative ratio", 1, "ratio", "-0.5", "is -0.5; it must be more than 0"),
    Bad("links", "ratio not a number", 2, "ratio", "half", "'half' is not a number"),
    Bad("links", "ratio too precise", 0, "ratio", "0.1234567", "has more than 6 decimal places"),
    Bad("location_plans", "unknown group", 0, "group_id", "99999", "no group 99999"),
    Bad("location_plans", "unknown location", 1, "location_id", "999", "no location 999"),
    Bad("location_plans", "bad date", 0, "go_live_date", "07/12/2026", "'07/12/2026' is not a date (use YYYY-MM-DD)"),
    Bad("location_plans", "group not a number", 1, "group_id", "G1", "'G1' is not a whole number"),
    Bad("location_plans", "duplicate key", 1, "location_id", "100", "same group_id and location_id as line 2"),
    Bad("location_plans", "note too long", 0, "note", "n" * 401, "is 401 characters long; at most 400 fit"),
]


@pytest.mark.parametrize("bad", BAD, ids=lambda b: f"{b.kind}-{b.name}")
def test_bad_rows_are_reported_and_nothing_is_written(bad, master, tmp_path):
    good = good_files(master)[bad.kind]
    rows = [list(r) for r in (bad.rows or good.rows)]
    if bad.value is not None:
        rows[bad.row][good.header.index(bad.column)] = bad.value
    before = state()
    result = import_file(bad.kind, write_csv(tmp_path / "bad.csv", good.header, rows))
    assert not result.written
    line = bad.line or bad.row + 2
    found = [(e.line, e.column, e.message) for e in result.errors]
    assert any(ln == line and bad.column in col and bad.message in msg for ln, col, msg in found), found
    assert state() == before


@pytest.mark.parametrize("kind", sorted(FEEDS))
def test_bad_files_stop_before_any_row(kind, master, tmp_path):
    good = good_files(master)[kind]
    before = state()
    required = [c.name for c in FEEDS[kind].columns if c.required]
    dropped = required[-1]
    keep = [i for i, name in enumerate(good.header) if name != dropped]
    cases = {
        "missing column": (
            write_csv(tmp_path / "m.csv", [good.header[i] for i in keep], [[r[i] for i in keep] for r in good.rows]),
            f"missing the column {dropped}",
        ),
        "empty file": (tmp_path / "empty.csv", "The file is empty"),
        "blank lines only": (tmp_path / "blank.csv", "The file is empty"),
        "header only": (write_csv(tmp_path / "h.csv", good.header, []), "header row but no data rows"),
        "not UTF-8": (tmp_path / "latin1.csv", "Line 3 is not UTF-8 text"),
        "header only xlsx": (write_feed(tmp_path, "xlsx", good.header, [], name="h"), "header row but no data rows"),
    }
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "blank.csv").write_bytes(b"\r\n  \r\n")
    latin = ",".join(good.header) + "\n" + ",".join(good.rows[0]) + "\n" + ",".join(good.rows[-1]) + " caf\xe9\n"
    (tmp_path / "latin1.csv").write_bytes(latin.encode("latin-1"))
    for name, (path, message) in cases.items():
        with pytest.raises(FeedError) as caught:
            import_file(kind, path)
        assert message in caught.value.message, (name, caught.value.message)
    assert state() == before


def test_not_a_feed_file(master, tmp_path):
    (tmp_path / "items.txt").write_text("erp_item_code\n1\n")
    (tmp_path / "fake.xlsx").write_bytes(b"erp_item_code\n1\n")
    with pytest.raises(FeedError, match="neither a .csv nor an .xlsx file"):
        import_file("items", tmp_path / "items.txt")
    with pytest.raises(FeedError, match="not a readable .xlsx workbook"):
        import_file("items", tmp_path / "fake.xlsx")
    with pytest.raises(FeedError, match="Unknown feed 'widgets'"):
        import_file("widgets", tmp_path / "items.txt")


def test_semicolons_bom_extra_columns_and_padding(master, tmp_path):
    path = write_csv(
        tmp_path / "po.csv",
        ["PO_LINE_ID", " po_date ", "erp_item_code", "qty_ea", "buyer"],
        [["1", "2026-10-01", " 1000001 ", "5", "Kim"], ["", "", "", "", ""], ["2", "2026-10-02", "1000002", "7", ""]],
        delimiter=";",
        bom=True,
    )
    result = import_file("po_lines", path)
    assert result.ok, result.errors
    assert result.created == 2
    assert result.warnings == ["Ignored column not in the po_lines feed: buyer."]
    assert PoLine.objects.get(po_line_id=1).item == master["items"][1000001]


def test_a_stray_delimiter_is_a_bad_row(master, tmp_path):
    path = tmp_path / "po.csv"
    path.write_text("po_line_id,po_date,erp_item_code,qty_ea\n1,2026-10-01,1000001,12,5\n")
    result = import_file("po_lines", path)
    assert [str(e) for e in result.errors] == ["line 2: has 5 cells but the header has 4 columns (a stray delimiter?)"]


def test_quoted_cells_over_two_lines_keep_the_line_numbers(master, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text('erp_item_code,description\n1000001,"two\nlines"\n1000002,ok\n,missing\n')
    result = import_file("items", path)
    assert [(e.line, e.column) for e in result.errors] == [(5, "erp_item_code")]


def test_skip_invalid_writes_the_good_rows(master, tmp_path):
    header = ["po_line_id", "po_date", "erp_item_code", "qty_ea"]
    rows = [["1", "2026-10-01", "1000001", "5"], ["2", "2026-10-01", "NOPE", "5"], ["3", "2026-10-01", "1000002", "-1"]]
    result = import_file("po_lines", write_csv(tmp_path / "po.csv", header, rows), skip_invalid=True)
    assert result.written
    assert (result.created, result.skipped, result.error_count) == (1, 2, 2)
    assert list(PoLine.objects.values_list("po_line_id", flat=True)) == [1]


def test_dry_run_counts_and_writes_nothing(master, tmp_path):
    good = good_files(master)["item_locations"]
    before = state()
    result = import_file("item_locations", write_csv(tmp_path / "il.csv", good.header, good.rows), dry_run=True)
    assert result.ok and not result.written
    assert (result.created, result.related["location"].created, result.related["location"].unchanged) == (2, 1, 1)
    assert state() == before


def test_errors_kept_are_capped_but_counted(master, tmp_path, monkeypatch):
    monkeypatch.setattr("plmtracker.feeds.engine.MAX_ERRORS_KEPT", 3)
    rows = [[str(n), "2026-10-01", "NOPE", "1"] for n in range(1, 11)]
    result = import_file(
        "po_lines", write_csv(tmp_path / "po.csv", ["po_line_id", "po_date", "erp_item_code", "qty_ea"], rows)
    )
    assert (len(result.errors), result.error_count, result.skipped) == (3, 10, 10)


def test_batches_cost_a_fixed_number_of_queries(master, tmp_path, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("plmtracker.feeds.engine.BATCH_SIZE", 50)
    header = ["po_line_id", "po_date", "erp_item_code", "qty_ea"]
    rows = [[str(n), "2026-10-01", str(1000001 + n % 6), "1"] for n in range(1, 501)]
    path = write_csv(tmp_path / "po.csv", header, rows)
    # Per batch of 50: item codes, existing keys, insert; plus the transaction; plus, once, the daily
    # figures of the one group the file touched (dashboard.figures: its members, stamps, KPIs, stages,
    # outcome, upsert).
    with django_assert_max_num_queries(10 * 3 + 4 + 13):
        assert import_file("po_lines", path).created == 500
    with django_assert_max_num_queries(10 * 3 + 4):
        assert import_file("po_lines", path).unchanged == 500


def test_consecutive_keys_among_existing_rows(master, tmp_path):
    """PO line ids in a dense range are looked up by range; rows already there in between are told apart."""
    item = master["items"][1000001]
    PoLine.objects.bulk_create(
        PoLine(po_line_id=n, po_date=date(2026, 10, 1), item=item, qty_ea=1) for n in range(1, 400, 2)
    )
    header = ["po_line_id", "po_date", "erp_item_code", "qty_ea"]
    rows = [[str(n), "2026-10-01", "1000001", "2" if n % 3 == 0 else "1"] for n in range(1, 301)]
    result = import_file("po_lines", write_csv(tmp_path / "po.csv", header, rows))
    odd_changed = sum(1 for n in range(1, 301, 2) if n % 3 == 0)
    assert (result.created, result.updated, result.unchanged) == (150, odd_changed, 150 - odd_changed)
    assert PoLine.objects.count() == 200 + 150
    assert PoLine.objects.get(po_line_id=3).qty_ea == 2


def test_a_file_that_fails_half_way_leaves_nothing_and_the_connection_usable(master, tmp_path, monkeypatch):
    """Batches already on their way in (an open COPY on PostgreSQL) are rolled back with the rest."""
    monkeypatch.setattr("plmtracker.feeds.engine.BATCH_SIZE", 100)
    lines = ["po_line_id,po_date,erp_item_code,qty_ea"] + [f"{n},2026-10-01,1000001,1" for n in range(1, 3001)]
    path = tmp_path / "po.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"3001,2026-10-01,1000001,\xff\n")
    before = state()
    with pytest.raises(FeedError, match="Line 3002 is not UTF-8"):
        import_file("po_lines", path)
    assert state() == before
    assert (
        import_file(
            "po_lines",
            write_csv(
                tmp_path / "ok.csv",
                ["po_line_id", "po_date", "erp_item_code", "qty_ea"],
                [["1", "2026-10-01", "1000001", "1"]],
            ),
        ).created
        == 1
    )
