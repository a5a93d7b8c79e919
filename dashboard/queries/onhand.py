"""On-hand as of a day (docs/DESIGN.md, "On-hand, and on-hand on a past day").

For `as_of` today or later (site time zone) on-hand is `item_location.on_hand_ea`.
For a day before today it is, per (item, location), the `on_hand_snapshot` with
the greatest `snapshot_date <= as_of`; 0 when there is none. Which rows exist
(and their par) stays today's: only the figure changes.

`on_hand_as_of` is the expression every on-hand sum is taken over, on
`item_location` rows; `on_hand_source` says which source a page's figures
came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Expression, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from plmtracker.inventory.models import OnHandSnapshot

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=28, decimal_places=6))


def site_today() -> date:
    """Today in the site time zone: the day from which on-hand comes from item_location."""
    return timezone.localdate()


def reads_snapshots(as_of: date) -> bool:
    """Whether on-hand figures for `as_of` come from the snapshots (as_of before today)."""
    return as_of < site_today()


def latest_snapshot(as_of: date) -> Subquery:
    """The on-hand of the outer row's item and location on its latest snapshot dated on or before as_of."""
    rows = OnHandSnapshot.objects.filter(
        item_id=OuterRef("item_id"), location_id=OuterRef("location_id"), snapshot_date__lte=as_of
    ).order_by("-snapshot_date")
    return Subquery(rows.values("on_hand_ea")[:1])


def on_hand_as_of(as_of: date) -> Expression | F:
    """The on-hand of an `item_location` row as of `as_of`: the row's own figure, or for a past day the latest
    snapshot of its item and location on or before it (0 without one)."""
    if not reads_snapshots(as_of):
        return F("on_hand_ea")
    return Coalesce(latest_snapshot(as_of), ZERO)


@dataclass(frozen=True)
class OnHandSource:
    """Where a page's on-hand figures come from: today's stock records, or the snapshots up to `as_of`."""

    as_of: date
    from_snapshots: bool
    snapshot_date: date | None = None  # the latest snapshot read (None: no snapshot on or before as_of)

    @property
    def label(self) -> str:
        if not self.from_snapshots:
            return "on hand today, from the stock records"
        if self.snapshot_date is None:
            return f"on hand as of {self.as_of.isoformat()}: no snapshot on or before it, so 0"
        return f"on hand as of the snapshot of {self.snapshot_date.isoformat()}"

    def __str__(self) -> str:
        return self.label


def on_hand_source(as_of: date, location_id: int | None = None, **snapshot_lookups: Any) -> OnHandSource:
    """Which on-hand source figures for `as_of` use, with the latest snapshot date among the chosen items
    (`snapshot_lookups` on `on_hand_snapshot`, e.g. item__membership__group_id=5) and location.

    No query for today or later; one aggregate for a past day.
    """
    if not reads_snapshots(as_of):
        return OnHandSource(as_of=as_of, from_snapshots=False)
    rows = OnHandSnapshot.objects.filter(snapshot_date__lte=as_of, **snapshot_lookups)
    if location_id is not None:
        rows = rows.filter(location_id=location_id)
    latest = rows.aggregate(latest=Max("snapshot_date"))["latest"]
    return OnHandSource(as_of=as_of, from_snapshots=True, snapshot_date=latest)
