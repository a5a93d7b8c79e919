"""The inventory's demo steps: units, locations, items, item locations, burn rates, snapshots and PO lines.

Registered by `InventoryConfig.ready` (plmtracker.demo.engine lists every step in order).
Demand trends with the conversions: an original's burn falls and its replacement's rises
as its group moves on (the groups come from the collector's step, through the run).
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

from plmtracker.demo.catalogue import CATALOG, LOCATIONS, MAKERS, SIGNAL_WEIGHTS, SIGNALS, UOMS, VENDORS
from plmtracker.demo.engine import DemoRun, ItemInfo, Step
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


def conversion_progress(run: DemoRun, item_id: int, day: date) -> float:
    """How far an item's conversion is on `day`: 0 before the start, 1 after 120 days."""
    group = run.group_of.get(item_id)
    if group is None or run.group_status[group] == "draft":
        return 0.0
    start = run.group_start[group]
    if start is None:
        return 0.0
    if run.group_status[group] == "retired":
        return 1.0
    return min(1.0, max(0.0, (day - start).days / 120))


def trend(run: DemoRun, item_id: int, day: date) -> float:
    """How much of its usual demand an item has on `day`: originals fade, replacements grow."""
    role = run.role_of.get(item_id)
    p = conversion_progress(run, item_id, day)
    if role == "original":
        return max(0.02, 1 - 0.95 * p)
    if role == "replacement":
        return 0.05 + 0.95 * p
    return 1.0


def seed_uoms_and_locations(run: DemoRun) -> None:
    Uom.objects.bulk_create(Uom(code=c, description=d) for c, d in UOMS)
    run.uom_ids = dict(Uom.objects.values_list("code", "uom_id"))
    Location.objects.bulk_create(Location(location_id=i, location_name=n, location_type=t) for i, n, t in LOCATIONS)
    run.report.rows["uom"] = len(UOMS)
    run.report.rows["location"] = len(LOCATIONS)


def seed_items(run: DemoRun) -> None:
    rng = run.rng
    seen: set[str] = set()
    codes: set[str] = set()
    drafts = []
    while len(drafts) < run.scale.items:
        family = rng.randrange(len(CATALOG))
        template, slots, (low, high), pack_uom, packs = CATALOG[family]
        desc = template.format(*(rng.choice(s) for s in slots)) + " " + rng.choice(MAKERS)
        if desc in seen:
            desc = f"{desc} REF {rng.randint(1000, 99999)}"
        seen.add(desc)
        code = str(rng.randint(1_000_000, 9_999_999))
        while code in codes:
            code = str(rng.randint(1_000_000, 9_999_999))
        codes.add(code)
        active = rng.random() > 0.03
        meta = (round(rng.uniform(low, high), 4), rng.choice(packs), pack_uom, family)
        drafts.append((code, desc, active, meta))
    drafts.sort()  # ERP codes ascending, as an ERP export lists them
    rows = ((code, desc, run.uom_ids["EA"], active) for code, desc, active, _ in drafts)
    run.insert(Item, ["erp_item_code", "description", "base_uom_id", "active_flag"], rows, "items")
    ids = list(Item.objects.order_by("erp_item_code").values_list("item_id", flat=True))
    run.items = [ItemInfo(i, *d[3]) for i, d in zip(ids, drafts, strict=True)]

    conversions = []
    for info in run.items:
        conversions.append((info.item_id, run.uom_ids[info.pack_uom], run.uom_ids["EA"], info.pack))
        if info.pack_uom == "BX" and rng.random() < 0.5:
            conversions.append((info.item_id, run.uom_ids["CS"], run.uom_ids["BX"], rng.choice([4, 6, 10])))
    run.insert(ItemUomConversion, ["item_id", "from_uom_id", "to_uom_id", "factor"], iter(conversions), "conversions")


def draw_item_locations(run: DemoRun) -> None:
    """The item_location rows, kept in `run.item_rows` for the go-live step to adjust before they are written."""
    rng = run.rng
    others = [loc for loc in LOCATIONS if loc[2] != "main"]
    extra_mean = run.scale.locations_per_item - 1
    run.pairs = []
    rows = []
    now = connection.ops.adapt_datetimefield_value(datetime.combine(run.today, time(6), tzinfo=UTC))
    for info in run.items:
        role = run.role_of.get(info.item_id)
        count = min(len(others), max(0, int(rng.expovariate(1 / extra_mean) + 0.5)))
        if role == "original":
            count = max(count, 2)
        chosen = [LOCATIONS[0]] + rng.sample(others, count)
        if role == "replacement" and len(chosen) > 1 and rng.random() < 0.45:
            chosen = chosen[: max(1, len(chosen) - rng.randint(1, 2))]  # not stocked everywhere yet
        for location_id, _, loc_type in chosen:
            base = rng.lognormvariate(1.2, 1.0) * (4 if loc_type == "main" else 1)
            base = round(min(base, 400), 3)
            demand = trend(run, info.item_id, run.today)
            cover = rng.uniform(3, 60) if role != "original" else rng.uniform(15, 150)
            on_hand = round(base * demand * cover, 0)
            if role == "replacement" and rng.random() < 0.2:
                on_hand = 0.0
            stock_uom = run.uom_ids["EA"] if loc_type != "main" else run.uom_ids[info.pack_uom]
            reorder_unit = stock_uom
            per_unit = 1 if stock_uom == run.uom_ids["EA"] else info.pack
            reorder_point = max(1, round(base * 7 / per_unit))
            on_order = round(rng.choice([0, 0, 0, per_unit * reorder_point]), 2)
            counted = now if rng.random() < 0.3 else None
            rows.append(
                (
                    info.item_id,
                    location_id,
                    stock_uom,
                    reorder_point,
                    reorder_unit,
                    reorder_point * 3,
                    on_hand,
                    on_order,
                    counted,
                    now,
                )
            )
            run.pairs.append((info.item_id, location_id, base))
    run.item_rows = rows


def seed_item_locations(run: DemoRun) -> None:
    rows = run.item_rows
    run.insert(
        ItemLocation,
        [
            "item_id",
            "location_id",
            "stock_uom_id",
            "reorder_point",
            "reorder_unit_id",
            "reorder_upto_qty",
            "on_hand_ea",
            "on_order_ea",
            "last_counted_at",
            "updated_at",
        ],
        iter(rows),
        "item locations",
    )
    run.on_hand = {(r[0], r[1]): r[6] for r in rows}


def choose_burn_pairs(run: DemoRun) -> list[tuple[int, int, float]]:
    wanted = run.scale.burn_rows // run.scale.burn_days
    members = [p for p in run.pairs if p[0] in run.group_of and (p[0], p[1]) not in run.burn_free]
    rest = [p for p in run.pairs if p[0] not in run.group_of]
    rng = random.Random(run.rng.random())
    rng.shuffle(members)
    rng.shuffle(rest)
    chosen = (members + rest)[:wanted]
    chosen.sort()
    return chosen


def seed_burn_rates(run: DemoRun) -> None:
    rng = run.rng
    pairs = choose_burn_pairs(run)
    run.burn_pairs = pairs
    days = [run.today - timedelta(days=k) for k in range(run.scale.burn_days - 1, -1, -1)]
    day_text = [d.isoformat() for d in days]

    def rows():
        for item_id, location_id, base in pairs:
            signal = rng.choices(SIGNALS, SIGNAL_WEIGHTS)[0]
            for day, text in zip(days, day_text, strict=True):
                rate = base * trend(run, item_id, day) * rng.uniform(0.85, 1.15)
                if signal == "NONE":
                    rate = 0.0
                    run.silent_pairs.add((item_id, location_id))
                yield (text, item_id, location_id, round(rate, 4), signal)

    run.insert(
        BurnRateDaily,
        ["as_of_date", "item_id", "location_id", "burnrate_ea_per_day", "signal_source"],
        rows(),
        "burn rates",
    )


def seed_snapshots(run: DemoRun) -> None:
    """Daily on-hand history of the conversion groups' stock, walked back from today: each day's use
    follows the pair's burn rate, so a pair whose feed says "no signal" (burn 0) keeps its level."""
    rng = run.rng
    burn = {(i, loc): base for i, loc, base in run.burn_pairs if (i, loc) not in run.silent_pairs}
    pairs = sorted((i, loc) for (i, loc) in run.on_hand if i in run.group_of)

    def rows():
        for item_id, location_id in pairs:
            level = run.on_hand[(item_id, location_id)]
            base = burn.get((item_id, location_id), 0.0)
            restock = max(10.0, base * rng.uniform(10, 25))
            for k in range(run.scale.snapshot_days):
                day = run.today - timedelta(days=k)
                yield (day.isoformat(), item_id, location_id, round(level, 2))
                used = base * trend(run, item_id, day) * rng.uniform(0.7, 1.3)
                level += used  # the day before, what was used that day was still there
                if rng.random() < 1 / 14:
                    level = max(0.0, level - restock)  # and a delivery had not arrived yet

    run.insert(OnHandSnapshot, ["snapshot_date", "item_id", "location_id", "on_hand_ea"], rows(), "snapshots")


def seed_po_lines(run: DemoRun) -> None:
    rng = run.rng
    weights = [(math.sqrt(base) if base else 0.2) for base in item_burn_totals(run)]
    vendors_of = {info.item_id: rng.sample(VENDORS, rng.choice([1, 1, 2])) for info in run.items}
    start = run.today - timedelta(days=364)

    def rows():
        picks = rng.choices(run.items, weights, k=run.scale.po_lines)
        for n, info in enumerate(picks, start=1):
            day = start + timedelta(days=rng.randint(0, 364))
            demand = trend(run, info.item_id, day)
            if rng.random() > demand + 0.05:
                day = day - timedelta(days=rng.randint(0, 200))  # buy it earlier, while it was current
                if day < start:
                    day = start + timedelta(days=rng.randint(0, 30))
            vendor_id, vendor_name = rng.choice(vendors_of[info.item_id])
            qty = info.pack * rng.choice([1, 1, 2, 2, 3, 4, 5, 10])
            price = None if rng.random() < 0.02 else round(info.price * rng.uniform(0.95, 1.08), 4)
            yield (n, day.isoformat(), info.item_id, vendor_id, vendor_name, qty, price)

    run.insert(
        PoLine,
        ["po_line_id", "po_date", "item_id", "vendor_id", "vendor_name", "qty_ea", "price"],
        rows(),
        "PO lines",
    )


def item_burn_totals(run: DemoRun) -> list[float]:
    totals: dict[int, float] = {}
    for item_id, _, base in run.pairs:
        totals[item_id] = totals.get(item_id, 0.0) + base
    return [totals.get(info.item_id, 0.0) for info in run.items]


STEPS = (
    Step(20, "units_and_locations", seed_uoms_and_locations, (Uom, Location)),
    Step(30, "items", seed_items, (Item, ItemUomConversion)),
    Step(50, "item_location_rows", draw_item_locations),
    Step(60, "item_locations", seed_item_locations, (ItemLocation,)),
    Step(70, "burn_rates", seed_burn_rates, (BurnRateDaily,)),
    Step(80, "snapshots", seed_snapshots, (OnHandSnapshot,)),
    Step(90, "po_lines", seed_po_lines, (PoLine,)),
)
