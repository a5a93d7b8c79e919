"""Hospital-style demo data for the tracker, deterministic for a seed and a day.

The inventory tables are bulk-inserted; the conversion groups are made by
the collector's own grouping service from generated links, so chains,
one-to-many and many-to-many conflicts come out exactly as planners would
make them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction

from collector.models import GroupAlert, GroupLocationPlan, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from collector.plans import ImportedPlan, location_plans_upsert
from collector.services import alert_resolve, links_add_bulk
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
from plmtracker.ops.bulk import batched, insert_rows


@dataclass(frozen=True)
class Scale:
    items: int
    locations_per_item: float  # average item_location rows per item
    burn_rows: int
    po_lines: int
    groups: int
    burn_days: int = 120
    snapshot_days: int = 60


SCALES = {
    "small": Scale(items=600, locations_per_item=3, burn_rows=60_000, po_lines=6_000, groups=80),
    "medium": Scale(items=20_000, locations_per_item=3, burn_rows=2_000_000, po_lines=250_000, groups=3_000),
    "large": Scale(
        items=100_000, locations_per_item=3, burn_rows=6_000_000, po_lines=1_000_000, groups=12_000, snapshot_days=30
    ),
}

UOMS = [
    ("EA", "Each"),
    ("BX", "Box"),
    ("CS", "Case"),
    ("PK", "Pack"),
    ("BG", "Bag"),
    ("BT", "Bottle"),
    ("RL", "Roll"),
    ("PR", "Pair"),
    ("KT", "Kit"),
    ("DZ", "Dozen"),
    ("TB", "Tube"),
    ("VL", "Vial"),
]

LOCATIONS = [
    (1000, "MAIN STORES", "main"),
    (1100, "OR SATELLITE", "sat"),
    (1200, "CATH LAB SATELLITE", "sat"),
    (1300, "ED SATELLITE", "sat"),
    (1400, "SURGERY CENTER SATELLITE", "sat"),
    (2010, "PAR 3 NORTH MED/SURG", "par"),
    (2020, "PAR 4 WEST ONCOLOGY", "par"),
    (2030, "PAR 5 EAST CARDIAC", "par"),
    (2040, "PAR MICU", "par"),
    (2050, "PAR SICU", "par"),
    (2060, "PAR NICU", "par"),
    (2070, "PAR LABOR & DELIVERY", "par"),
    (2080, "PAR PACU", "par"),
    (2090, "PAR ED TRAUMA", "par"),
    (2100, "PAR DIALYSIS", "par"),
    (2110, "PAR ENDOSCOPY", "par"),
    (2120, "PAR 6 SOUTH ORTHO", "par"),
    (3001, "BIN A-01 MAIN STORES", "bin"),
    (3002, "BIN A-02 MAIN STORES", "bin"),
    (3003, "BIN B-01 MAIN STORES", "bin"),
    (3004, "BIN B-02 MAIN STORES", "bin"),
    (3005, "BIN C-01 OR CORE", "bin"),
    (3006, "BIN C-02 OR CORE", "bin"),
    (4010, "DEPT OPERATING ROOM", "dept"),
    (4020, "DEPT RADIOLOGY", "dept"),
    (4030, "DEPT LABORATORY", "dept"),
    (4040, "DEPT PHARMACY", "dept"),
    (4050, "DEPT RESPIRATORY THERAPY", "dept"),
    (4060, "DEPT CARDIOLOGY", "dept"),
    (4070, "DEPT INTERVENTIONAL RADIOLOGY", "dept"),
    (4080, "DEPT STERILE PROCESSING", "dept"),
    (4090, "DEPT ENVIRONMENTAL SERVICES", "dept"),
]

MAKERS = [
    "MEDLINE",
    "CARDINAL",
    "BD",
    "3M",
    "OWENS&MINOR",
    "ETHICON",
    "HALYARD",
    "COVIDIEN",
    "SMITHS",
    "TELEFLEX",
    "B BRAUN",
    "MOLNLYCKE",
    "CONVATEC",
    "STRYKER",
    "HOLLISTER",
]

VENDORS = [
    (501, "MEDLINE INDUSTRIES LP"),
    (502, "CARDINAL HEALTH 200 LLC"),
    (503, "OWENS & MINOR DISTRIBUTION"),
    (504, "BECTON DICKINSON & CO"),
    (505, "3M HEALTH CARE"),
    (506, "ETHICON US LLC"),
    (507, "HALYARD SALES LLC"),
    (508, "COVIDIEN SALES LLC"),
    (509, "TELEFLEX LLC"),
    (510, "B BRAUN MEDICAL INC"),
    (511, "MOLNLYCKE HEALTH CARE US"),
    (512, "STRYKER SALES CORP"),
    (513, "CONCORDANCE HEALTHCARE"),
    (514, "HENRY SCHEIN INC"),
    (515, "MCKESSON MEDICAL-SURGICAL"),
]

# (template, choices per slot, unit price range in EA, pack uom, pack size)
CATALOG = [
    (
        "GLOVE EXAM NITRILE PF {0} {1}",
        [["XS", "SM", "MD", "LG", "XL"], ["BLUE", "PURPLE", "WHITE", "BLACK"]],
        (0.06, 0.14),
        "BX",
        [100, 200, 250],
    ),
    ("GLOVE SURGICAL LATEX-FREE SZ {0}", [["6.0", "6.5", "7.0", "7.5", "8.0", "8.5"]], (0.9, 2.4), "BX", [50]),
    ("SYRINGE LUER LOCK {0}ML", [["1", "3", "5", "10", "20", "30", "60"]], (0.08, 0.6), "BX", [100, 50]),
    (
        "NEEDLE HYPODERMIC {0}G X {1}IN",
        [["18", "20", "21", "22", "23", "25", "27"], ["0.5", "1", "1.5"]],
        (0.04, 0.2),
        "BX",
        [100],
    ),
    (
        "CATHETER FOLEY {0}FR {1}ML SILICONE",
        [["12", "14", "16", "18", "20", "22"], ["5", "10", "30"]],
        (3.5, 12.0),
        "CS",
        [10, 12],
    ),
    (
        "CATHETER IV {0}G X {1}IN SAFETY",
        [["14", "16", "18", "20", "22", "24"], ["0.75", "1", "1.25"]],
        (1.1, 3.2),
        "BX",
        [50],
    ),
    (
        "SUTURE {0} {1} {2} 27IN",
        [
            ["VICRYL", "MONOCRYL", "PROLENE", "ETHILON", "PDS II", "SILK"],
            ["2-0", "3-0", "4-0", "5-0"],
            ["SH", "CT-1", "PS-2", "FS-2", "RB-1"],
        ],
        (4.0, 14.0),
        "BX",
        [12, 36],
    ),
    ("DRESSING FOAM BORDERED {0}X{0}IN", [["2", "3", "4", "5", "6", "7"]], (1.8, 9.5), "BX", [10]),
    ("GAUZE SPONGE {0}X{0}IN 12PLY STERILE", [["2", "3", "4"]], (0.05, 0.2), "CS", [1200, 2000]),
    (
        "TUBING IV EXTENSION {0}IN {1}",
        [["6", "8", "18", "30", "60"], ["MICROBORE", "STANDARD BORE", "NEEDLELESS"]],
        (0.7, 3.1),
        "CS",
        [50, 100],
    ),
    ("MASK SURGICAL EARLOOP {0}", [["BLUE", "YELLOW", "PEDIATRIC", "FLUID RESISTANT"]], (0.05, 0.25), "BX", [50]),
    ("RESPIRATOR N95 {0} {1}", [["REGULAR", "SMALL"], ["CUP", "FLAT FOLD", "DUCKBILL"]], (0.6, 2.2), "BX", [20, 35]),
    ("GOWN ISOLATION {0} {1}", [["UNIVERSAL", "XL", "2XL"], ["AAMI L2", "AAMI L3"]], (0.4, 1.6), "CS", [50, 100]),
    (
        "ELECTRODE ECG FOAM {0}MM {1}",
        [["30", "43", "50", "57"], ["SOLID GEL", "WET GEL", "RADIOLUCENT"]],
        (0.08, 0.35),
        "CS",
        [600, 1000],
    ),
    (
        "BANDAGE ELASTIC {0}IN X 5YD {1}",
        [["2", "3", "4", "6"], ["CLIP", "VELCRO", "LATEX-FREE"]],
        (0.5, 2.2),
        "BX",
        [10, 12],
    ),
    ("SPONGE LAPAROTOMY {0}X{1}IN RF DETECT", [["12", "18"], ["12", "18"]], (0.5, 1.8), "CS", [100, 200]),
    ("CANNULA NASAL ADULT {0}FT {1}", [["7", "14", "25"], ["STANDARD", "SOFT TIP", "CURVED"]], (0.3, 1.1), "CS", [50]),
    (
        "UNDERPAD {0}X{1}IN {2}",
        [["23", "30", "36"], ["24", "30", "36"], ["MODERATE", "HEAVY", "SUPER"]],
        (0.2, 0.9),
        "CS",
        [100, 150],
    ),
    (
        "WIPE DISINFECTANT {0} {1}CT",
        [["QUAT ALCOHOL", "BLEACH", "HYDROGEN PEROXIDE"], ["160", "200", "240"]],
        (5.0, 11.0),
        "CS",
        [6, 12],
    ),
    ("BLADE SCALPEL #{0} STERILE", [["10", "11", "15", "20", "22"]], (0.2, 0.6), "BX", [50, 100]),
    ("CLIP LIGATING {0} TITANIUM", [["SMALL", "MEDIUM", "MED-LARGE", "LARGE"]], (2.0, 7.0), "BX", [24, 36]),
    ("BAG URINE DRAINAGE {0}ML {1}", [["2000", "4000"], ["ANTI-REFLUX", "STANDARD"]], (0.9, 2.5), "CS", [20, 50]),
    ("STOPCOCK {0} {1}", [["3-WAY", "4-WAY"], ["ROTATING MALE LUER", "HIGH PRESSURE"]], (0.4, 1.5), "BX", [50, 100]),
    ("SWAB ALCOHOL PREP {0}", [["MEDIUM", "LARGE", "STERILE"]], (0.01, 0.04), "CS", [2000, 4000]),
    (
        "TAPE SURGICAL {0} {1}IN X 10YD",
        [["PAPER", "SILK", "TRANSPARENT", "CLOTH"], ["0.5", "1", "2", "3"]],
        (0.3, 1.4),
        "BX",
        [12, 24],
    ),
    ("STAPLER SKIN {0} WIDE", [["35", "25"]], (6.0, 14.0), "BX", [6, 12]),
    (
        "TROCAR BLADELESS {0}MM X {1}MM",
        [["5", "8", "11", "12", "15"], ["75", "100", "150"]],
        (28.0, 95.0),
        "BX",
        [3, 6],
    ),
    ("PROBE COVER THERMOMETER {0}", [["ORAL", "TYMPANIC", "RECTAL"]], (0.02, 0.06), "CS", [1000, 2000]),
    (
        "SET ADMINISTRATION IV {0} DROP {1}IN",
        [["10", "15", "20", "60"], ["78", "92", "104"]],
        (1.5, 4.8),
        "CS",
        [48, 50],
    ),
    (
        "SHARPS CONTAINER {0}QT {1}",
        [["1", "2", "5", "8", "18"], ["RED", "YELLOW CHEMO", "CLEAR"]],
        (1.2, 9.0),
        "CS",
        [12, 20],
    ),
]

SIGNALS = ["L10", "L60", "L90", "L365", "BLEND", "OVERRIDE", "NONE"]
SIGNAL_WEIGHTS = [8, 14, 38, 10, 24, 4, 2]

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

DEMO_USERS = [
    ("admin@example.org", "Avery Admin", "admin"),
    ("steward@example.org", "Sam Steward", "steward"),
    ("planner@example.org", "Pat Planner", "planner"),
    ("planner2@example.org", "Jordan Planner", "planner"),
]
DEMO_PASSWORD = "plm-demo-2026"

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


@dataclass
class SeedReport:
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class ItemInfo:
    item_id: int
    price: float
    pack: int
    pack_uom: str
    family: int  # the CATALOG line it was made from: gloves are replaced by gloves


class DemoSeeder:
    def __init__(self, scale: Scale, seed: int, today: date, progress: Callable[[str, int], None] | None = None):
        self.scale = scale
        self.rng = random.Random(seed)
        # Plan data draws from its own stream, so the inventory and groups stay as they were for a seed.
        self.plan_rng = random.Random(f"plans-{seed}")
        self.today = today
        self.progress = progress or (lambda label, n: None)
        self.report = SeedReport()

    # -- helpers ---------------------------------------------------------
    def _insert(self, model, columns, rows: Iterator, label: str) -> int:
        n = insert_rows(model._meta.db_table, columns, rows, progress=lambda k: self.progress(label, k))
        self.report.rows[model._meta.db_table] = self.report.rows.get(model._meta.db_table, 0) + n
        return n

    # -- steps -----------------------------------------------------------
    def run(self) -> SeedReport:
        self.seed_users()
        self.seed_uoms_and_locations()
        self.seed_items()
        self.seed_groups()
        self.seed_item_locations()
        self.seed_location_plans()
        self.seed_burn_rates()
        self.seed_snapshots()
        self.seed_po_lines()
        self.seed_stockout_risk()
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows how the tables are shaped. (Not on
            # SQLite: with statistics its planner chose worse plans for the dashboard.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return self.report

    def seed_users(self) -> None:
        from django.contrib.auth import get_user_model

        from accounts.roles import set_role

        User = get_user_model()
        self.users = []
        for email, name, role in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
                set_role(user, role)
            self.users.append(user)
        self.report.rows["users"] = len(self.users)

    def seed_uoms_and_locations(self) -> None:
        Uom.objects.bulk_create(Uom(code=c, description=d) for c, d in UOMS)
        self.uom_ids = dict(Uom.objects.values_list("code", "uom_id"))
        Location.objects.bulk_create(Location(location_id=i, location_name=n, location_type=t) for i, n, t in LOCATIONS)
        self.report.rows["uom"] = len(UOMS)
        self.report.rows["location"] = len(LOCATIONS)

    def seed_items(self) -> None:
        rng = self.rng
        seen: set[str] = set()
        codes: set[str] = set()
        drafts = []
        while len(drafts) < self.scale.items:
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
        rows = ((code, desc, self.uom_ids["EA"], active) for code, desc, active, _ in drafts)
        self._insert(Item, ["erp_item_code", "description", "base_uom_id", "active_flag"], rows, "items")
        ids = list(Item.objects.order_by("erp_item_code").values_list("item_id", flat=True))
        self.items = [ItemInfo(i, *d[3]) for i, d in zip(ids, drafts, strict=True)]

        conversions = []
        for info in self.items:
            conversions.append((info.item_id, self.uom_ids[info.pack_uom], self.uom_ids["EA"], info.pack))
            if info.pack_uom == "BX" and rng.random() < 0.5:
                conversions.append((info.item_id, self.uom_ids["CS"], self.uom_ids["BX"], rng.choice([4, 6, 10])))
        self._insert(
            ItemUomConversion, ["item_id", "from_uom_id", "to_uom_id", "factor"], iter(conversions), "conversions"
        )

    def seed_groups(self) -> None:
        """Make the conversion groups from links, through the collector's service."""
        rng = self.rng
        families: dict[int, list[int]] = {}
        for info in self.items:
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
        self.group_reason: dict[int, str] = {}  # first original -> its group's reason
        shapes = [s for s, _ in SHAPES]
        weights = [w for _, w in SHAPES]
        made = 0
        while made < self.scale.groups:
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
            self.group_reason[links[-1][0]] = reason
            made += 1
        steward = self.users[1]
        prng = self.plan_rng
        ratios = {(a, b): prng.choice(RATIOS) for a, b, _ in links if prng.random() < RATIO_SHARE}
        for batch in batched(links, 2000):
            chosen = {(a, b): ratios[(a, b)] for a, b, _ in batch if (a, b) in ratios}
            links_add_bulk(pairs=batch, user=steward, source="seed_demo", ratios=chosen)
            self.progress("links", len(batch))
        self.report.rows["item_link"] = len(links)

        # Statuses, owners and dates: most conversions are under way.
        groups = list(ItemGroup.objects.order_by("group_id"))
        member_group = dict(ItemGroupMember.objects.values_list("item_id", "group_id"))
        reasons = {member_group[item_id]: reason for item_id, reason in self.group_reason.items()}
        for g in groups:
            g.status = rng.choices(["active", "draft", "retired"], [62, 24, 14])[0]
            g.owner = rng.choice(self.users)
            g.reason = reasons.get(g.group_id, rng.choice(GROUP_REASONS))
            start = self.today - timedelta(days=rng.randint(5, 150))
            g.start_date = start
            g.end_date = start + timedelta(days=rng.choice([60, 90, 120, 180]))
            if g.status == "draft" and rng.random() < 0.5:
                g.start_date = g.end_date = None
        self._plan_groups(groups)
        ItemGroup.objects.bulk_update(
            groups,
            ["status", "owner", "reason", "start_date", "end_date", "name", "use_up_policy", "last_order_date"],
            batch_size=1000,
        )
        self.report.rows["item_group"] = len(groups)
        self.group_of = dict(ItemGroupMember.objects.values_list("item_id", "group_id"))
        self.role_of = dict(ItemGroupMember.objects.values_list("item_id", "role"))
        self.group_start = {g.group_id: g.start_date for g in groups}
        self.group_status = {g.group_id: g.status for g in groups}

        # Stewards have already looked at some conflicts and kept them.
        open_items = list(
            GroupAlert.objects.filter(resolved_at__isnull=True).order_by("item_id").values_list("item_id", flat=True)
        )
        for item_id in open_items[: len(open_items) // 5]:
            alert_resolve(item_id=item_id, user=steward, reason="Clinically equivalent; both stay on contract")
        self.report.rows["group_alert"] = GroupAlert.objects.count()
        self.report.rows["item_group_member"] = len(self.group_of)

    def _plan_groups(self, groups: list[ItemGroup]) -> None:
        """Names for some groups, a use-up policy for each, a last order date for most that have dates."""
        prng = self.plan_rng
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

    def _progress(self, item_id: int, day: date) -> float:
        """How far an item's conversion is on `day`: 0 before the start, 1 after 120 days."""
        group = self.group_of.get(item_id)
        if group is None or self.group_status[group] == "draft":
            return 0.0
        start = self.group_start[group]
        if start is None:
            return 0.0
        if self.group_status[group] == "retired":
            return 1.0
        return min(1.0, max(0.0, (day - start).days / 120))

    def _trend(self, item_id: int, day: date) -> float:
        role = self.role_of.get(item_id)
        p = self._progress(item_id, day)
        if role == "original":
            return max(0.02, 1 - 0.95 * p)
        if role == "replacement":
            return 0.05 + 0.95 * p
        return 1.0

    def seed_item_locations(self) -> None:
        rng = self.rng
        others = [loc for loc in LOCATIONS if loc[2] != "main"]
        extra_mean = self.scale.locations_per_item - 1
        self.pairs: list[tuple[int, int, float]] = []  # (item, location, base burn)
        rows = []
        now = connection.ops.adapt_datetimefield_value(datetime.combine(self.today, time(6), tzinfo=UTC))
        for info in self.items:
            role = self.role_of.get(info.item_id)
            count = min(len(others), max(0, int(rng.expovariate(1 / extra_mean) + 0.5)))
            if role == "original":
                count = max(count, 2)
            chosen = [LOCATIONS[0]] + rng.sample(others, count)
            if role == "replacement" and len(chosen) > 1 and rng.random() < 0.45:
                chosen = chosen[: max(1, len(chosen) - rng.randint(1, 2))]  # not stocked everywhere yet
            for location_id, _, loc_type in chosen:
                base = rng.lognormvariate(1.2, 1.0) * (4 if loc_type == "main" else 1)
                base = round(min(base, 400), 3)
                trend = self._trend(info.item_id, self.today)
                cover = rng.uniform(3, 60) if role != "original" else rng.uniform(15, 150)
                on_hand = round(base * trend * cover, 0)
                if role == "replacement" and rng.random() < 0.2:
                    on_hand = 0.0
                stock_uom = self.uom_ids["EA"] if loc_type != "main" else self.uom_ids[info.pack_uom]
                reorder_unit = stock_uom
                per_unit = 1 if stock_uom == self.uom_ids["EA"] else info.pack
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
                self.pairs.append((info.item_id, location_id, base))
        self.item_rows = rows
        self._arrange_stages()
        self._insert(
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
        self.on_hand = {(r[0], r[1]): r[6] for r in rows}

    # -- location plans and the stages they make ----------------------------
    def _group_locations(self) -> dict[int, dict[int, dict[str, list[int]]]]:
        """group -> location -> role -> indexes of the item_location rows there."""
        found: dict[int, dict[int, dict[str, list[int]]]] = {}
        for n, row in enumerate(self.item_rows):
            item_id, location_id = row[0], row[1]
            group = self.group_of.get(item_id)
            role = self.role_of.get(item_id)
            if group is None or role is None:
                continue
            found.setdefault(group, {}).setdefault(location_id, {}).setdefault(role, []).append(n)
        return found

    def _arrange_stages(self) -> None:
        """Plan go-lives per location (past, within 14 days, later, none) so every stage and flag shows.

        On top of the random spread, a few (group, location) pairs are set up by hand in groups under
        way: one converted (originals at 0 on hand and 0 burn, the replacement stocked, gone live),
        one stocked without par (set up), and locations going live within 14 days that are not
        set up (at risk) or only set up.
        """
        prng = self.plan_rng
        today = self.today
        self.plans: dict[tuple[int, int], tuple[date | None, str | None]] = {}
        self.burn_free: set[tuple[int, int]] = set()
        where = self._group_locations()
        under_way = [
            g for g in sorted(where) if self.group_status[g] == "active" and (self.group_start[g] or today) < today
        ]
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
                self.plans[(group, location_id)] = (day, prng.choice(PLAN_NOTES) if day is None or draw < 0.3 else None)

        def on_hand(index: int) -> float:
            return self.item_rows[index][6]

        def set_row(index: int, **changes) -> None:
            columns = {"reorder_point": 3, "reorder_upto_qty": 5, "on_hand": 6}
            row = list(self.item_rows[index])
            for name, value in changes.items():
                row[columns[name]] = value
            self.item_rows[index] = tuple(row)

        made = set()
        for group in under_way:
            for location_id, roles in sorted(where[group].items()):
                originals, replacements = roles.get("original", []), roles.get("replacement", [])
                stocked = [i for i in replacements if on_hand(i) > 0]
                if "converted" not in made and originals and stocked:
                    for i in originals:
                        set_row(i, on_hand=0.0)
                        self.burn_free.add((self.item_rows[i][0], location_id))
                    self.plans[(group, location_id)] = (today - timedelta(days=prng.randint(3, 30)), "Converted")
                    made.add("converted")
                elif "no_par" not in made and originals and stocked:
                    for i in replacements:
                        set_row(i, reorder_point=None, reorder_upto_qty=None)
                    self.plans[(group, location_id)] = (today - timedelta(days=2), "Par levels not set yet")
                    made.add("no_par")
                elif "risk_not_set_up" not in made and originals and not replacements:
                    self.plans[(group, location_id)] = (today + timedelta(days=6), "Replacement not stocked here yet")
                    made.add("risk_not_set_up")
                elif "risk_set_up" not in made and replacements and not stocked:
                    self.plans[(group, location_id)] = (today + timedelta(days=10), None)
                    made.add("risk_set_up")
                elif "ready" not in made and stocked:
                    self.plans[(group, location_id)] = (today + timedelta(days=30), None)
                    made.add("ready")

    def seed_location_plans(self) -> None:
        plans = [
            ImportedPlan(group, location_id, day, note)
            for (group, location_id), (day, note) in sorted(self.plans.items())
        ]
        for batch in batched(plans, 2000):
            location_plans_upsert(plans=batch, user=self.users[1], source="seed_demo")
        self.report.rows[GroupLocationPlan._meta.db_table] = len(plans)

    def _burn_pairs(self) -> list[tuple[int, int, float]]:
        wanted = self.scale.burn_rows // self.scale.burn_days
        members = [p for p in self.pairs if p[0] in self.group_of and (p[0], p[1]) not in self.burn_free]
        rest = [p for p in self.pairs if p[0] not in self.group_of]
        rng = random.Random(self.rng.random())
        rng.shuffle(members)
        rng.shuffle(rest)
        chosen = (members + rest)[:wanted]
        chosen.sort()
        return chosen

    def seed_burn_rates(self) -> None:
        rng = self.rng
        pairs = self._burn_pairs()
        self.burn_pairs = pairs
        days = [self.today - timedelta(days=k) for k in range(self.scale.burn_days - 1, -1, -1)]
        day_text = [d.isoformat() for d in days]

        def rows():
            for item_id, location_id, base in pairs:
                signal = rng.choices(SIGNALS, SIGNAL_WEIGHTS)[0]
                for day, text in zip(days, day_text, strict=True):
                    rate = base * self._trend(item_id, day) * rng.uniform(0.85, 1.15)
                    if signal == "NONE":
                        rate = 0.0
                    yield (text, item_id, location_id, round(rate, 4), signal)

        self._insert(
            BurnRateDaily,
            ["as_of_date", "item_id", "location_id", "burnrate_ea_per_day", "signal_source"],
            rows(),
            "burn rates",
        )

    def seed_snapshots(self) -> None:
        """Daily on-hand history of the conversion groups' stock, walked back from today."""
        rng = self.rng
        burn = {(i, loc): base for i, loc, base in self.burn_pairs}
        pairs = sorted((i, loc) for (i, loc) in self.on_hand if i in self.group_of)

        def rows():
            for item_id, location_id in pairs:
                level = self.on_hand[(item_id, location_id)]
                base = burn.get((item_id, location_id), 0.0)
                restock = max(10.0, base * rng.uniform(10, 25))
                for k in range(self.scale.snapshot_days):
                    day = self.today - timedelta(days=k)
                    yield (day.isoformat(), item_id, location_id, round(level, 2))
                    used = base * self._trend(item_id, day) * rng.uniform(0.7, 1.3)
                    level += used  # the day before, what was used that day was still there
                    if rng.random() < 1 / 14:
                        level = max(0.0, level - restock)  # and a delivery had not arrived yet

        self._insert(OnHandSnapshot, ["snapshot_date", "item_id", "location_id", "on_hand_ea"], rows(), "snapshots")

    def seed_po_lines(self) -> None:
        rng = self.rng
        weights = [(math.sqrt(base) if base else 0.2) for base in self._item_burn_totals()]
        vendors_of = {info.item_id: rng.sample(VENDORS, rng.choice([1, 1, 2])) for info in self.items}
        start = self.today - timedelta(days=364)

        def rows():
            picks = rng.choices(self.items, weights, k=self.scale.po_lines)
            for n, info in enumerate(picks, start=1):
                day = start + timedelta(days=rng.randint(0, 364))
                trend = self._trend(info.item_id, day)
                if rng.random() > trend + 0.05:
                    day = day - timedelta(days=rng.randint(0, 200))  # buy it earlier, while it was current
                    if day < start:
                        day = start + timedelta(days=rng.randint(0, 30))
                vendor_id, vendor_name = rng.choice(vendors_of[info.item_id])
                qty = info.pack * rng.choice([1, 1, 2, 2, 3, 4, 5, 10])
                price = None if rng.random() < 0.02 else round(info.price * rng.uniform(0.95, 1.08), 4)
                yield (n, day.isoformat(), info.item_id, vendor_id, vendor_name, qty, price)

        self._insert(
            PoLine,
            ["po_line_id", "po_date", "item_id", "vendor_id", "vendor_name", "qty_ea", "price"],
            rows(),
            "PO lines",
        )

    def seed_stockout_risk(self) -> None:
        """One conversion under way whose replacements are about to run short, for the attention list.

        In the active group (started before today) whose originals burn the most, each original location
        keeps 12 days of its own burn and each stocked replacement location 1 EA: the originals run out
        within 30 days while the replacements cover far less than 14 days of the whole demand. Zeros stay
        zeros, so the stages arranged above keep their stage. Today's snapshot follows the stock.
        """
        from dashboard.queries import Filters, stock_pairs

        under_way = [
            g
            for g, status in self.group_status.items()
            if status == "active" and (self.group_start[g] or self.today) < self.today
        ]
        if not under_way:
            return
        pairs = list(
            stock_pairs(Filters(self.today), item__membership__group_id__in=under_way).values_list(
                "item__membership__group_id",
                "item__membership__role",
                "pk",
                "item_id",
                "location_id",
                "on_hand_ea",
                "burn",
            )
        )
        burn_of: dict[int, float] = {}
        for group, role, *_, burn in pairs:
            if role == "original":
                burn_of[group] = burn_of.get(group, 0.0) + float(burn)
        if not burn_of:
            return
        group = max(sorted(burn_of), key=lambda g: burn_of[g])
        changed: dict[int, tuple[int, int, float]] = {}
        for g, role, pk, item_id, location_id, on_hand, burn in pairs:
            if g != group:
                continue
            if role == "original":
                changed[pk] = (item_id, location_id, round(float(burn) * 12, 2))
            elif role == "replacement" and on_hand > 0:
                changed[pk] = (item_id, location_id, 1.0)
        level = {(item_id, location_id): on_hand for item_id, location_id, on_hand in changed.values()}
        rows = [ItemLocation(pk=pk, on_hand_ea=on_hand) for pk, (_, _, on_hand) in changed.items()]
        snapshots = list(
            OnHandSnapshot.objects.filter(snapshot_date=self.today, item_id__in={i for i, _ in level}).only(
                "pk", "item_id", "location_id"
            )
        )
        for snapshot in snapshots:
            snapshot.on_hand_ea = level.get((snapshot.item_id, snapshot.location_id), snapshot.on_hand_ea)
        with transaction.atomic():
            ItemLocation.objects.bulk_update(rows, ["on_hand_ea"])
            OnHandSnapshot.objects.bulk_update(snapshots, ["on_hand_ea"])

    def _item_burn_totals(self) -> list[float]:
        totals: dict[int, float] = {}
        for item_id, _, base in self.pairs:
            totals[item_id] = totals.get(item_id, 0.0) + base
        return [totals.get(info.item_id, 0.0) for info in self.items]


def expected_rows(scale: Scale) -> int:
    """About how many rows a scale inserts, for the progress bar."""
    members = scale.groups * 2.6
    snapshots = members * scale.locations_per_item * scale.snapshot_days
    per_item = 1 + 1.3 + scale.locations_per_item
    return int(scale.items * per_item + scale.groups * 1.7 + scale.burn_rows + snapshots + scale.po_lines)


TRACKER_MODELS = [
    RelationAudit,
    GroupLocationPlan,
    GroupAlert,
    ItemLink,
    ItemGroupMember,
    ItemGroup,
    OnHandSnapshot,
    PoLine,
    BurnRateDaily,
    ItemLocation,
    ItemUomConversion,
    Item,
    Location,
    Uom,
]


def tracker_is_empty() -> bool:
    return not any(model.objects.exists() for model in TRACKER_MODELS)


def wipe_tracker_data() -> None:
    """Delete every inventory and relation row (users stay)."""
    with transaction.atomic():
        for model in TRACKER_MODELS:
            model.objects.all().delete()


def seed(scale: str, seed: int, today: date, progress=None) -> SeedReport:
    with transaction.atomic():
        return DemoSeeder(SCALES[scale], seed, today, progress).run()
