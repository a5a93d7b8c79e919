"""More of everything, to show that query counts do not grow with the data."""

from datetime import timedelta

from collector.models import GroupLocationPlan
from collector.services import link_add
from tests.dashboard.conftest import AS_OF
from tests.factories import (
    BurnRateFactory,
    ItemFactory,
    ItemLocationFactory,
    LocationFactory,
    PoLineFactory,
    SnapshotFactory,
)


def grow(conversion, *, members: int, locations: int, days: int) -> None:
    """Add members to the main group (and item A), new locations where they and A are stocked (each with a
    location plan, go-lives spread from past to later), and daily history."""
    new_locations = [LocationFactory() for _ in range(locations)]
    for n, location in enumerate(new_locations):
        go_live = AS_OF + timedelta(days=10 * n - 10) if n % 3 else None
        GroupLocationPlan.objects.create(group_id=conversion.group_id, location=location, go_live_date=go_live)
    items = [ItemFactory() for _ in range(members)]
    for item in items:
        link_add(item_id=conversion.a.pk, replace_item_id=item.pk)
    for item in [*items, conversion.a]:
        for location in new_locations:
            ItemLocationFactory(item=item, location=location, on_hand_ea=25)
            for k in range(days):
                day = AS_OF - timedelta(days=k)
                BurnRateFactory(item=item, location=location, as_of_date=day, burnrate_ea_per_day=1)
                SnapshotFactory(item=item, location=location, snapshot_date=day, on_hand_ea=25 + k)
        for k in range(0, days, 3):
            PoLineFactory(item=item, po_date=AS_OF - timedelta(days=k), qty_ea=10, price=2)
