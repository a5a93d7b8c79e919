"""The collector's demo steps: conversion groups made from links by the grouping service, their
plans, and go-lives per location arranged so every stage and flag shows.

Registered by `CollectorConfig.ready` (plmtracker.demo.engine lists every step in order).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from collector.models import GroupAlert, GroupLocationPlan, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from collector.plans import ImportedPlan, location_plans_upsert
from collector.services import alert_resolve, links_add_bulk
from plmtracker.demo.engine import DemoRun, Step
from plmtracker.ops.bulk import batched

GROUP_REASONS = [
    "Vendor consolidation under new GPO contract",
    "Manufacturer discontinued the original",
    "Value analysis committee: standardise to one SKU",
    "Backorder: approved substitute",
    "Latex-free conversion",
    "Safety-engineered device conversion",
    "Price increase above contract cap",
    "Recall: move to alternate product",
    "Clinical preference after product trial",
]

# What planners call their conversions; some groups keep the derived title instead.
NAME_SUFFIXES = [
    "standardisation",
    "conversion",
    "backorder substitute",
    "contract switch 2026",
    "VAC decision",
    "latex-free switch",
    "safety device switch",
]
NAMED_SHARE = 0.45
# Replacement eaches per original each, for the links that are not 1 to 1.
RATIOS = [Decimal("0.5"), Decimal(2), Decimal("0.5"), Decimal(2), Decimal("0.25"), Decimal(4)]
RATIO_SHARE = 0.12
POLICIES = [("use_up", 50), ("use_until_end", 30), ("immediate", 20)]
PLANNED_SHARE = 0.5  # groups with go-live dates per location
PLAN_NOTES = ["Night shift first", "After the inventory count", "Waiting for par levels", "Staff trained", None]

# Group shapes and how often they occur: 1->1, chains, one replaced by
# several, several by one, many to many.
SHAPES = [
    ("standardise", 0.6),  # a value-analysis decision: dozens of originals to one or two replacements
    ("one_to_one", 58),
    ("chain", 14),
    ("one_to_many", 11),
    ("many_to_one", 11),
    ("many_to_many", 4),  # two originals, each replaced by both of two replacements
    ("hub", 3),  # an interim item replacing two originals and replaced by two others
]


def seed_groups(run: DemoRun) -> None:
    """Make the conversion groups from links, through the collector's service."""
    rng = run.rng
    families: dict[int, list[int]] = {}
    for info in run.items:
        families.setdefault(info.family, []).append(info.item_id)
    for members in families.values():
        rng.shuffle(members)

    def take(n: int) -> list[int] | None:
        """`n` items of one product family, so a glove is replaced by a glove."""
        fits = sorted(f for f, members in families.items() if len(members) >= n)
        if not fits:
            return None
        members = families[rng.choice(fits)]
        return [members.pop() for _ in range(n)]

    sizes = {"one_to_one": 2, "chain": 4, "one_to_many": 4, "many_to_one": 4, "many_to_many": 4, "hub": 5}
    links: list[tuple[int, int, str | None]] = []
    group_reason: dict[int, str] = {}  # first original -> its group's reason
    shapes = [s for s, _ in SHAPES]
    weights = [w for _, w in SHAPES]
    made = 0
    while made < run.scale.groups:
        shape = rng.choices(shapes, weights)[0]
        reason = rng.choice(GROUP_REASONS)
        if shape == "standardise":
            largest = max(len(m) for m in families.values())
            n = min(rng.randint(20, 120), largest)
            items = take(n) if n >= 10 else None
            if items is None:
                continue
            first, second, originals = items[0], items[1], items[2:]
            links.extend((x, first, reason) for x in originals)
            # Some originals may also be replaced by an alternate: a many-to-many corner.
            links.extend((x, second, reason) for x in originals[: rng.randint(1, max(1, len(originals) // 5))])
        else:
            items = take(sizes[shape])
            if items is None:
                if all(len(m) < 2 for m in families.values()):
                    break
                continue
            if shape == "one_to_one":
                links.append((items[0], items[1], reason))
            elif shape == "chain":
                chain = items[: rng.randint(3, 4)]
                links.extend((x, y, reason) for x, y in zip(chain, chain[1:], strict=False))
            elif shape == "one_to_many":
                links.extend((items[0], y, reason) for y in items[1 : rng.randint(3, 4)])
            elif shape == "many_to_one":
                links.extend((x, items[0], reason) for x in items[1 : rng.randint(3, 4)])
            elif shape == "many_to_many":
                links.extend((x, y, reason) for x in items[:2] for y in items[2:4])
            else:
                hub = items[0]
                links.extend((x, hub, reason) for x in items[1:3])
                links.extend((hub, y, reason) for y in items[3:5])
        group_reason[links[-1][0]] = reason
        made += 1
    steward = run.users[1]
    prng = run.plan_rng
    ratios = {(a, b): prng.choice(RATIOS) for a, b, _ in links if prng.random() < RATIO_SHARE}
    for batch in batched(links, 2000):
        chosen = {(a, b): ratios[(a, b)] for a, b, _ in batch if (a, b) in ratios}
        links_add_bulk(pairs=batch, user=steward, source="seed_demo", ratios=chosen)
        run.progress("links", len(batch))
    run.report.rows["item_link"] = len(links)

    # Statuses, owners and dates: most conversions are under way.
    groups = list(ItemGroup.objects.order_by("group_id"))
    member_group = dict(ItemGroupMember.objects.values_list("item_id", "group_id"))
    reasons = {member_group[item_id]: reason for item_id, reason in group_reason.items()}
    for g in groups:
        g.status = rng.choices(["active", "draft", "retired"], [62, 24, 14])[0]
        g.owner = rng.choice(run.users)
        g.reason = reasons.get(g.group_id, rng.choice(GROUP_REASONS))
        start = run.today - timedelta(days=rng.randint(5, 150))
        g.start_date = start
        g.end_date = start + timedelta(days=rng.choice([60, 90, 120, 180]))
        if g.status == "draft" and rng.random() < 0.5:
            g.start_date = g.end_date = None
    plan_groups(run, groups)
    ItemGroup.objects.bulk_update(
        groups,
        ["status", "owner", "reason", "start_date", "end_date", "name", "use_up_policy", "last_order_date"],
        batch_size=1000,
    )
    run.report.rows["item_group"] = len(groups)
    run.group_of = dict(ItemGroupMember.objects.values_list("item_id", "group_id"))
    run.role_of = dict(ItemGroupMember.objects.values_list("item_id", "role"))
    run.group_start = {g.group_id: g.start_date for g in groups}
    run.group_status = {g.group_id: g.status for g in groups}

    # Stewards have already looked at some conflicts and kept them.
    open_items = list(
        GroupAlert.objects.filter(resolved_at__isnull=True).order_by("item_id").values_list("item_id", flat=True)
    )
    for item_id in open_items[: len(open_items) // 5]:
        alert_resolve(item_id=item_id, user=steward, reason="Clinically equivalent; both stay on contract")
    run.report.rows["group_alert"] = GroupAlert.objects.count()
    run.report.rows["item_group_member"] = len(run.group_of)


def plan_groups(run: DemoRun, groups: list[ItemGroup]) -> None:
    """Names for some groups, a use-up policy for each, a last order date for most that have dates."""
    prng = run.plan_rng
    first_original = {}
    members = ItemGroupMember.objects.order_by("group_id", "sequence", "item_id")
    for group_id, role, desc in members.values_list("group_id", "role", "item__description"):
        if role == "original":
            first_original.setdefault(group_id, desc or "")
    for g in groups:
        if prng.random() < NAMED_SHARE:
            words = first_original.get(g.group_id, "").split()[:2]
            g.name = " ".join(w.capitalize() for w in words) + " " + prng.choice(NAME_SUFFIXES)
        g.use_up_policy = prng.choices([p for p, _ in POLICIES], [w for _, w in POLICIES])[0]
        if g.start_date and prng.random() < 0.6:
            last = g.start_date + timedelta(days=prng.randint(-30, 20))
            g.last_order_date = min(last, g.end_date) if g.end_date else last
    # Every policy appears, whatever the draw.
    for g, (policy, _) in zip(groups, POLICIES, strict=False):
        g.use_up_policy = policy


def group_locations(run: DemoRun) -> dict[int, dict[int, dict[str, list[int]]]]:
    """group -> location -> role -> indexes of the item_location rows there."""
    found: dict[int, dict[int, dict[str, list[int]]]] = {}
    for n, row in enumerate(run.item_rows):
        item_id, location_id = row[0], row[1]
        group = run.group_of.get(item_id)
        role = run.role_of.get(item_id)
        if group is None or role is None:
            continue
        found.setdefault(group, {}).setdefault(location_id, {}).setdefault(role, []).append(n)
    return found


def arrange_go_lives(run: DemoRun) -> None:
    """Plan go-lives per location (past, within 14 days, later, none) so every stage and flag shows.

    On top of the random spread, a few (group, location) pairs are set up by hand in groups under
    way: one converted (originals at 0 on hand and 0 burn, the replacement stocked, gone live),
    one stocked without par (set up), and locations going live within 14 days that are not
    set up (at risk) or only set up.
    """
    prng = run.plan_rng
    today = run.today
    run.plans = {}
    run.burn_free = set()
    where = group_locations(run)
    under_way = [g for g in sorted(where) if run.group_status[g] == "active" and (run.group_start[g] or today) < today]
    for group in sorted(where):
        if prng.random() >= PLANNED_SHARE:
            continue
        for location_id in sorted(where[group]):
            draw = prng.random()
            if draw < 0.25:
                day = today - timedelta(days=prng.randint(1, 60))  # past
            elif draw < 0.45:
                day = today + timedelta(days=prng.randint(1, 14))  # within 14 days
            elif draw < 0.75:
                day = today + timedelta(days=prng.randint(15, 120))  # later
            elif draw < 0.85:
                day = None  # a note only: the start date holds
            else:
                continue
            run.plans[(group, location_id)] = (day, prng.choice(PLAN_NOTES) if day is None or draw < 0.3 else None)

    def on_hand(index: int) -> float:
        return run.item_rows[index][6]

    def set_row(index: int, **changes) -> None:
        columns = {"reorder_point": 3, "reorder_upto_qty": 5, "on_hand": 6}
        row = list(run.item_rows[index])
        for name, value in changes.items():
            row[columns[name]] = value
        run.item_rows[index] = tuple(row)

    made = set()
    for group in under_way:
        for location_id, roles in sorted(where[group].items()):
            originals, replacements = roles.get("original", []), roles.get("replacement", [])
            stocked = [i for i in replacements if on_hand(i) > 0]
            if "converted" not in made and originals and stocked:
                for i in originals:
                    set_row(i, on_hand=0.0)
                    run.burn_free.add((run.item_rows[i][0], location_id))
                run.plans[(group, location_id)] = (today - timedelta(days=prng.randint(3, 30)), "Converted")
                made.add("converted")
            elif "no_par" not in made and originals and stocked:
                for i in replacements:
                    set_row(i, reorder_point=None, reorder_upto_qty=None)
                run.plans[(group, location_id)] = (today - timedelta(days=2), "Par levels not set yet")
                made.add("no_par")
            elif "risk_not_set_up" not in made and originals and not replacements:
                run.plans[(group, location_id)] = (today + timedelta(days=6), "Replacement not stocked here yet")
                made.add("risk_not_set_up")
            elif "risk_set_up" not in made and replacements and not stocked:
                run.plans[(group, location_id)] = (today + timedelta(days=10), None)
                made.add("risk_set_up")
            elif "ready" not in made and stocked:
                run.plans[(group, location_id)] = (today + timedelta(days=30), None)
                made.add("ready")


def seed_location_plans(run: DemoRun) -> None:
    plans = [
        ImportedPlan(group, location_id, day, note) for (group, location_id), (day, note) in sorted(run.plans.items())
    ]
    for batch in batched(plans, 2000):
        location_plans_upsert(plans=batch, user=run.users[1], source="seed_demo")
    run.report.rows[GroupLocationPlan._meta.db_table] = len(plans)


STEPS = (
    Step(40, "groups", seed_groups, (ItemGroup, ItemGroupMember, ItemLink, GroupAlert, RelationAudit)),
    Step(55, "go_lives", arrange_go_lives),
    Step(65, "location_plans", seed_location_plans, (GroupLocationPlan,)),
)
