"""The inventory's feeds (docs/DESIGN.md, "Feeds"): columns, natural keys and the rules of each file,
and the lookups every feed's "item", "uom" and "location" columns go through.

`InventoryConfig.ready` registers them with the feed engine (`plmtracker.feeds`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from plmtracker.feeds import cells
from plmtracker.feeds.engine import (
    Column,
    Counts,
    Feed,
    ImportResult,
    Layout,
    Lookup,
    References,
    Row,
    in_chunks,
    lookup_chunk,
    optional,
)
from plmtracker.inventory.models import (
    LOCATION_TYPES,
    SIGNAL_SOURCES,
    BurnRateDaily,
    Item,
    ItemLocation,
    ItemUomConversion,
    Location,
    PoLine,
    Uom,
)
from plmtracker.inventory.snapshots import take_snapshot


def _decimal(model, name: str, **kwargs) -> cells.Parser:
    field = model._meta.get_field(name)
    return cells.decimal(field.max_digits, field.decimal_places, **kwargs)


def _text(model, name: str) -> cells.Parser:
    return cells.text(model._meta.get_field(name).max_length)


ITEM_CODE = cells.text(Item._meta.get_field("erp_item_code").max_length)
UOM_CODE = cells.text(Uom._meta.get_field("code").max_length)
LOCATION_NUMBER = cells.integer_for(Location._meta.get_field("location_id"), minimum=0)
ITEM_CACHE_SIZE = 200_000


class ItemCodes(Lookup):
    """ERP item codes to item ids: one query per batch for the codes not cached yet."""

    missing = "no item has the ERP code {code}"

    def __init__(self) -> None:
        self.items: dict[str, int] = {}

    def find(self, codes: Iterable[str]) -> dict[str, int]:
        wanted = set(codes)
        missing = sorted(c for c in wanted if c not in self.items)
        if len(self.items) + len(missing) > ITEM_CACHE_SIZE:
            self.items.clear()
            missing = sorted(wanted)
        for chunk in in_chunks(missing, lookup_chunk()):
            self.items.update(Item.objects.filter(erp_item_code__in=chunk).values_list("erp_item_code", "item_id"))
        return {c: self.items[c] for c in wanted if c in self.items}


class UomCodes(Lookup):
    """Unit codes to ids, the table read once; a code in other case finds its unit when only one matches."""

    missing = "no unit of measure has the code {code}"

    def __init__(self) -> None:
        self.uoms: dict[str, int] | None = None
        self.folded: dict[str, int] = {}

    def find(self, codes: Iterable[str]) -> dict[str, int]:
        if self.uoms is None:
            self.uoms = dict(Uom.objects.values_list("code", "uom_id"))
            folded: dict[str, list[int]] = {}
            for code, uom_id in self.uoms.items():
                folded.setdefault(code.casefold(), []).append(uom_id)
            self.folded = {code: ids[0] for code, ids in folded.items() if len(ids) == 1}
        found = {}
        for code in codes:
            uom_id = self.uoms.get(code)
            uom_id = uom_id if uom_id is not None else self.folded.get(code.casefold())
            if uom_id is not None:
                found[code] = uom_id
        return found


class LocationNumbers(Lookup):
    """Location numbers are the locations' keys: a number names a location when the table, read once, has it."""

    missing = "no location {code}; locations come in with the item_locations feed"

    def __init__(self) -> None:
        self.locations: set[int] | None = None

    def find(self, codes: Iterable[int]) -> dict[int, int]:
        if self.locations is None:
            self.locations = set(Location.objects.values_list("location_id", flat=True))
        return {code: code for code in codes if code in self.locations}


class UomFeed(Feed):
    kind = "uom"
    model = Uom
    summary = "Units of measure (EA, BX, CS, ...)."
    key = ("code",)
    columns = [
        Column("code", UOM_CODE, field="code"),
        optional("description", _text(Uom, "description"), "description"),
    ]


class ItemsFeed(Feed):
    kind = "items"
    model = Item
    summary = "Items by ERP code, with their base unit and active flag."
    key = ("erp_item_code",)
    touch_field = "updated_at"
    columns = [
        Column("erp_item_code", ITEM_CODE, field="erp_item_code"),
        optional("description", _text(Item, "description"), "description"),
        optional("base_uom", UOM_CODE, "base_uom_id", ref="uom"),
        optional(
            "active_flag",
            cells.flag,
            "active_flag",
            default=True,  # 1/0, true/false, yes/no; empty: active
        ),
    ]


class LocationsFeed(Feed):
    kind = "locations"
    model = Location
    summary = "Stocking locations by the site's location number."
    key = ("location_id",)
    columns = [
        Column("location_id", LOCATION_NUMBER, field="location_id"),
        Column("location_name", _text(Location, "location_name"), field="location_name"),
        Column("location_type", cells.choice([c for c, _ in LOCATION_TYPES], "location type"), field="location_type"),
    ]


class ItemLocationsFeed(Feed):
    """Item locations; the location rows they name are upserted first, and the day's on-hand snapshot taken."""

    kind = "item_locations"
    model = ItemLocation
    summary = "Stocking setup and on-hand of items at locations (upserts the locations too)."
    key = ("erp_item_code", "location_id")
    touch_field = "updated_at"
    columns = [
        Column("erp_item_code", ITEM_CODE, field="item_id", ref="item"),
        Column("location_id", LOCATION_NUMBER, field="location_id"),
        Column("location_name", _text(Location, "location_name")),
        Column("location_type", cells.choice([c for c, _ in LOCATION_TYPES], "location type")),
        optional("stock_uom", UOM_CODE, "stock_uom_id", ref="uom"),
        optional("reorder_point", _decimal(ItemLocation, "reorder_point"), "reorder_point"),
        optional("reorder_unit", UOM_CODE, "reorder_unit_id", ref="uom"),
        optional("reorder_upto_qty", _decimal(ItemLocation, "reorder_upto_qty"), "reorder_upto_qty"),
        Column("on_hand_ea", _decimal(ItemLocation, "on_hand_ea"), field="on_hand_ea"),
        optional("on_order_ea", _decimal(ItemLocation, "on_order_ea"), "on_order_ea"),
        optional("last_counted_at", cells.moment, "last_counted_at"),
    ]
    locations = LocationsFeed()

    def check_batch(self, rows: list[Row], refs: References, result: ImportResult) -> list[Row]:
        """One location number, one name and type across the whole file."""
        named = refs.memo.setdefault("file_locations", {})
        kept = []
        for row in rows:
            number = row.values["location_id"]
            said = (row.values["location_name"], row.values["location_type"])
            first = named.get(number)
            if first is None:
                named[number] = (said, row.line)
            elif first[0] != said:
                (name, kind), line = first
                result.error(
                    row.line,
                    "location_name" if said[0] != name else "location_type",
                    f"location {number} is {name!r} ({kind}) on line {line}; one location has one name and type",
                )
                continue
            kept.append(row)
        return kept

    def apply(self, rows: list[Row], layout: Layout, refs: References, result: ImportResult, *, user=None) -> None:
        if not rows:
            return
        done = refs.memo.setdefault("locations_done", set())
        fresh = {}
        for row in rows:
            number = row.values["location_id"]
            if number not in done:
                fresh[number] = (number, row.values["location_name"], row.values["location_type"])
        if fresh:
            counts = result.related.setdefault("location", Counts())
            self.locations.upsert(
                list(fresh.values()), ["location_id", "location_name", "location_type"], result, refs.inserts, counts
            )
            done.update(fresh)
        super().apply(rows, layout, refs, result, user=user)

    def finish(self, result: ImportResult, *, user=None) -> None:
        snap = take_snapshot(date.today())
        result.notes.append(
            f"On-hand snapshot for {snap.day.isoformat()}: "
            f"{snap.created} rows added, {snap.updated} brought up to date."
        )


class ConversionsFeed(Feed):
    kind = "conversions"
    model = ItemUomConversion
    summary = "Per-item unit conversions: 1 from_uom holds factor to_uom."
    key = ("erp_item_code", "from_uom", "to_uom")
    columns = [
        Column("erp_item_code", ITEM_CODE, field="item_id", ref="item"),
        Column("from_uom", UOM_CODE, field="from_uom_id", ref="uom"),
        Column("to_uom", UOM_CODE, field="to_uom_id", ref="uom"),
        Column("factor", _decimal(ItemUomConversion, "factor", above=True), field="factor"),
    ]

    def check_row(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        if values["from_uom"].casefold() == values["to_uom"].casefold():
            return [("to_uom", f"is the same unit as from_uom ({values['from_uom']}); a conversion needs two units")]
        return []


class BurnRatesFeed(Feed):
    kind = "burnrates"
    model = BurnRateDaily
    summary = "Daily burn rate per item and location, with the signal it came from."
    key = ("as_of_date", "erp_item_code", "location_id")
    columns = [
        Column("as_of_date", cells.day, field="as_of_date"),
        Column("erp_item_code", ITEM_CODE, field="item_id", ref="item"),
        Column("location_id", LOCATION_NUMBER, field="location_id", ref="location"),
        Column("burnrate_ea_per_day", _decimal(BurnRateDaily, "burnrate_ea_per_day"), field="burnrate_ea_per_day"),
        Column(
            "signal_source",
            cells.choice([c for c, _ in SIGNAL_SOURCES], "signal source"),
            field="signal_source",
        ),
    ]


class PoLinesFeed(Feed):
    kind = "po_lines"
    model = PoLine
    summary = "Purchase-order lines from the ERP (no location)."
    key = ("po_line_id",)
    columns = [
        Column("po_line_id", cells.integer_for(PoLine._meta.pk, minimum=1), field="po_line_id"),
        Column("po_date", cells.day, field="po_date"),
        Column("erp_item_code", ITEM_CODE, field="item_id", ref="item"),
        optional("vendor_id", cells.integer_for(PoLine._meta.get_field("vendor_id"), minimum=0), "vendor_id"),
        optional("vendor_name", _text(PoLine, "vendor_name"), "vendor_name"),
        Column("qty_ea", _decimal(PoLine, "qty_ea"), field="qty_ea"),
        optional("price", _decimal(PoLine, "price"), "price"),
    ]


LOOKUPS = {"item": ItemCodes, "uom": UomCodes, "location": LocationNumbers}
FEEDS = (
    UomFeed(),
    ItemsFeed(),
    LocationsFeed(),
    ItemLocationsFeed(),
    ConversionsFeed(),
    BurnRatesFeed(),
    PoLinesFeed(),
)
