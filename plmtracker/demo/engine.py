"""How the demo is seeded: the steps the apps register, what one run hands from step to step,
and running the steps in order in one transaction.

Each app seeds its own tables with steps it registers from its AppConfig.ready
(`register_steps`), so this package imports no app. Steps run by `order`:

     10  users                          accounts/demo.py
     20  units and locations            plmtracker/inventory/demo.py
     30  items and their conversions    plmtracker/inventory/demo.py
     40  groups, from links             collector/demo.py
     50  item location rows drawn       plmtracker/inventory/demo.py
     55  go-lives arranged per location collector/demo.py (sets some of those rows)
     60  item locations written         plmtracker/inventory/demo.py
     65  location plans written         collector/demo.py
     70  burn rates, 80 snapshots, 90 PO lines   plmtracker/inventory/demo.py
    100  a stock-out risk               attention/demo.py

The data depends on that order (two random streams are drawn from in turn), so
a step keeps its number; a new step takes a free one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction

from plmtracker.demo.catalogue import SCALES, Scale
from plmtracker.ops.bulk import insert_rows


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


class DemoRun:
    """One seeding: the scale, the day, the random streams, and what each step leaves for the next."""

    def __init__(self, scale: Scale, seed: int, today: date, progress: Callable[[str, int], None] | None = None):
        self.scale = scale
        self.rng = random.Random(seed)
        # Plan data draws from its own stream, so the inventory and groups stay as they were for a seed.
        self.plan_rng = random.Random(f"plans-{seed}")
        self.today = today
        self.progress = progress or (lambda label, n: None)
        self.report = SeedReport()
        # What the steps hand on (the step that sets each in brackets); empty until it runs.
        self.users: list = []  # [users] the demo users, steward second
        self.uom_ids: dict[str, int] = {}  # [units] code -> id
        self.items: list[ItemInfo] = []  # [items] in ERP code order
        self.group_of: dict[int, int] = {}  # [groups] item -> its group
        self.role_of: dict[int, str] = {}  # [groups] item -> original or replacement
        self.group_start: dict[int, date | None] = {}  # [groups]
        self.group_status: dict[int, str] = {}  # [groups]
        self.pairs: list[tuple[int, int, float]] = []  # [item location rows] (item, location, base burn)
        self.item_rows: list[tuple] = []  # [item location rows] the item_location rows to write
        self.plans: dict[tuple[int, int], tuple[date | None, str | None]] = {}  # [go-lives] (group, location)
        self.burn_free: set[tuple[int, int]] = set()  # [go-lives] (item, location) pairs that burn nothing
        self.on_hand: dict[tuple[int, int], float] = {}  # [item locations] (item, location) -> on hand
        self.burn_pairs: list[tuple[int, int, float]] = []  # [burn rates] the pairs that have burn rates
        self.silent_pairs: set[tuple[int, int]] = set()  # [burn rates] pairs whose feed says "no signal" (0)

    def insert(self, model: type[models.Model], columns: list[str], rows: Iterator, label: str) -> int:
        """Bulk-insert rows (tuples in `columns` order) into the model's table, counted in the report."""
        n = insert_rows(model._meta.db_table, columns, rows, progress=lambda k: self.progress(label, k))
        self.report.rows[model._meta.db_table] = self.report.rows.get(model._meta.db_table, 0) + n
        return n


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    run: Callable[[DemoRun], None]
    tables: tuple[type[models.Model], ...] = ()  # what it fills: seed_demo --force deletes them, last step's first


STEPS: dict[str, Step] = {}


def register_steps(*steps: Step) -> None:
    """Add an app's steps; a step name and an order number belong to one step."""
    for step in steps:
        known = STEPS.setdefault(step.name, step)
        taken = [s for s in STEPS.values() if s.order == step.order and s.name != step.name]
        if known != step or taken:
            raise ImproperlyConfigured(f"Demo step {step.name!r} (order {step.order}) clashes with another step.")


def ordered_steps() -> list[Step]:
    return sorted(STEPS.values(), key=lambda step: step.order)


def seeded_models() -> list[type[models.Model]]:
    """Every table a step fills, in an order they can be deleted in (later steps' tables first)."""
    return [model for step in reversed(ordered_steps()) for model in reversed(step.tables)]


def tracker_is_empty() -> bool:
    return not any(model.objects.exists() for model in seeded_models())


def wipe_tracker_data() -> None:
    """Delete every inventory and relation row (users stay)."""
    with transaction.atomic():
        for model in seeded_models():
            model.objects.all().delete()


def expected_rows(scale: Scale) -> int:
    """About how many rows a scale inserts, for the progress bar."""
    members = scale.groups * 2.6
    snapshots = members * scale.locations_per_item * scale.snapshot_days
    per_item = 1 + 1.3 + scale.locations_per_item
    return int(scale.items * per_item + scale.groups * 1.7 + scale.burn_rows + snapshots + scale.po_lines)


def seed(scale: str, seed: int, today: date, progress=None) -> SeedReport:
    with transaction.atomic():
        run = DemoRun(SCALES[scale], seed, today, progress)
        for step in ordered_steps():
            step.run(run)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows how the tables are shaped. (Not on
            # SQLite: with statistics its planner chose worse plans for the dashboard.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return run.report
