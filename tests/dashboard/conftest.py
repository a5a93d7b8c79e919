"""A hand-built conversion whose every KPI is worked out by hand in the tests."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from collector.services import group_create, group_update, link_add, member_set_role
from tests.factories import (
    BurnRateFactory,
    ItemFactory,
    ItemLocationFactory,
    LocationFactory,
    PoLineFactory,
    SnapshotFactory,
)

AS_OF = date(2026, 11, 20)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.fixture(autouse=True)
def today_is_as_of(monkeypatch):
    """The hand-built data's "today" is AS_OF: on-hand for AS_OF comes from item_location, for a day
    before it from the snapshots (dashboard.queries.onhand), whatever the machine's date."""
    monkeypatch.setattr("dashboard.queries.onhand.site_today", lambda: AS_OF)


@pytest.fixture
def conversion(db):
    """Group G (active): originals A and B, replacement C, D without a role.

    Stock (on-hand EA): A 100 @L1, 50 @L2; B 30 @L1, 20 @L3; C 40 @L1 (reorder point 10: par set, so G
    is live there); D 7 @L2. Policy use_up (the default).
    Latest burn on or before 2026-11-20: A@L1 4 (a row of 99 dated after is
    ignored), A@L2 1 (dated on as_of), B@L1 3, B@L3 none, C@L1 5, D@L2 2; a
    burn row for A at L3, where A is not stocked, is not counted.
    PO lines: see the numbers beside each.
    A second active group G2 (P @L1 -> Q @L2), an empty active group, and a
    draft group (X -> Y) whose big figures must stay out of the overview.
    """
    l1, l2, l3, l4 = (LocationFactory(location_id=n, location_name=f"PAR {n}") for n in (1001, 1002, 1003, 1004))
    a, b, c, dd = (ItemFactory(erp_item_code=code) for code in ("GLV-A", "GLV-B", "GLV-C", "GLV-D"))
    group_id = link_add(item_id=a.pk, replace_item_id=c.pk).group_id
    link_add(item_id=b.pk, replace_item_id=c.pk)
    link_add(item_id=a.pk, replace_item_id=dd.pk)
    member_set_role(item_id=dd.pk, role=None)
    group_update(group_id=group_id, status="active", start_date=d(10, 1), end_date=d(12, 20))

    for item, location, on_hand in ((a, l1, 100), (a, l2, 50), (b, l1, 30), (b, l3, 20), (c, l1, 40), (dd, l2, 7)):
        ItemLocationFactory(item=item, location=location, on_hand_ea=on_hand, reorder_point=10 if item == c else None)
    for item, location, day, rate in (
        (a, l1, d(11, 10), 2),
        (a, l1, d(11, 18), 4),
        (a, l1, d(11, 21), 99),
        (a, l2, d(11, 20), 1),
        (a, l3, d(11, 19), 50),
        (b, l1, d(11, 1), 3),
        (c, l1, d(11, 19), 5),
        (dd, l2, d(11, 19), 2),
    ):
        BurnRateFactory(item=item, location=location, as_of_date=day, burnrate_ea_per_day=rate)
    for item, day, qty, price in (
        (a, d(8, 21), 1000, 1),  # the day before the window: out
        (a, d(8, 22), 10, 2),  # as_of - 90 days: in, 20
        (a, d(10, 1), 2, 1),  # in, 2; on the start date: not leakage
        (a, d(10, 15), 4, None),  # in, no price: adds 0 to spend
        (a, d(11, 20), 5, 3),  # on as_of: in, 15
        (a, d(11, 21), 7, 1),  # after as_of: out
        (b, d(9, 30), 6, "0.5"),  # in, 3
        (c, d(11, 1), 100, "0.25"),  # in, 25
        (dd, d(11, 1), 9, 1),  # in, 9 (no role: item table only)
    ):
        PoLineFactory(item=item, po_date=day, qty_ea=qty, price=price)
    for item, location, day, on_hand in (
        (a, l1, d(11, 18), 110),
        (a, l1, d(11, 19), 105),
        (a, l1, d(11, 20), 100),
        (c, l1, d(11, 19), 35),
        (c, l1, d(11, 20), 40),
        (dd, l2, d(11, 20), 7),
    ):
        SnapshotFactory(item=item, location=location, snapshot_date=day, on_hand_ea=on_hand)

    p, q = ItemFactory(), ItemFactory()
    second_id = link_add(item_id=p.pk, replace_item_id=q.pk).group_id
    group_update(group_id=second_id, status="active")
    ItemLocationFactory(item=p, location=l1, on_hand_ea=10)
    ItemLocationFactory(item=q, location=l2, on_hand_ea=5)
    BurnRateFactory(item=p, location=l1, as_of_date=d(11, 20), burnrate_ea_per_day=2)
    PoLineFactory(item=p, po_date=d(11, 2), qty_ea=50, price=2)  # 100

    empty = group_create(status="active")

    x, y = ItemFactory(), ItemFactory()
    draft_id = link_add(item_id=x.pk, replace_item_id=y.pk).group_id
    ItemLocationFactory(item=x, location=l1, on_hand_ea=1000)
    ItemLocationFactory(item=y, location=l1, on_hand_ea=1000)
    BurnRateFactory(item=x, location=l1, as_of_date=d(11, 20), burnrate_ea_per_day=100)
    PoLineFactory(item=x, po_date=d(11, 2), qty_ea=1000, price=10)

    return SimpleNamespace(
        group_id=group_id,
        second_id=second_id,
        empty_id=empty.pk,
        draft_id=draft_id,
        locations=(l1, l2, l3, l4),
        a=a,
        b=b,
        c=c,
        d=dd,
        p=p,
        q=q,
    )


@pytest.fixture(params=["grouped", "correlated"])
def stock_path(request, monkeypatch):
    """Run a test on both ways the group's stock is summed: the one grouped pass (PostgreSQL, SQLite)
    and the correlated derived tables SQL Server needs, forced here on whatever database runs the tests."""
    if request.param == "correlated":
        monkeypatch.setattr("dashboard.queries.base.sums_over_subqueries", lambda model: False)
    return request.param


@pytest.fixture
def staged(db):
    """Group S (original O, replacement R, start 2026-10-21) at one location per stage, and a group N
    without a start date. Location plans are written directly: the plan services are not the dashboard's.

    L1 converted: O 0 on hand, no burn; R 10, no par; goes live on the start date.
    L2 not_set_up, at risk: O 5; no R row; plan go-live AS_OF + 14.
    L3 set_up, late: O 5; R row with 0 on hand and par set; start date (past).
    L4 set_up: O 5; R 10 on hand without par; plan go-live AS_OF + 15 (beyond 14 days: no flag).
    L5 ready: O 5; R 10 with reorder_point 5; plan go-live AS_OF + 10.
    L6 live: O 3 burning 1/day; R 10 with reorder_upto_qty 20; plan go-live AS_OF.
    L7 converted with no original there: R 4, go-live a plan row with no date (the start date).
    L8 (no member stocked) carries a plan and never appears.
    N: original P, replacement Q, both at L1 (Q 2 on hand, par set), no start date: ready.
    """
    from collector.models import GroupLocationPlan, ItemGroup

    locations = [LocationFactory(location_id=2000 + n, location_name=f"Ward {n}") for n in range(1, 9)]
    o, r = ItemFactory(erp_item_code="STG-O"), ItemFactory(erp_item_code="STG-R")
    group_id = link_add(item_id=o.pk, replace_item_id=r.pk).group_id
    start = d(10, 21)
    group_update(group_id=group_id, status="active", start_date=start)
    l1, l2, l3, l4, l5, l6, l7, l8 = locations
    for location, on_hand in ((l1, 0), (l2, 5), (l3, 5), (l4, 5), (l5, 5), (l6, 3)):
        ItemLocationFactory(item=o, location=location, on_hand_ea=on_hand)
    BurnRateFactory(item=o, location=l6, as_of_date=d(11, 1), burnrate_ea_per_day=1)
    for location, on_hand, par in (
        (l1, 10, {}),
        (l3, 0, {"reorder_point": 5}),
        (l4, 10, {"reorder_point": 0}),
        (l5, 10, {"reorder_point": 5}),
        (l6, 10, {"reorder_upto_qty": 20}),
        (l7, 4, {}),
    ):
        ItemLocationFactory(item=r, location=location, on_hand_ea=on_hand, **par)
    for location, go_live in (
        (l2, AS_OF + timedelta(days=14)),
        (l4, AS_OF + timedelta(days=15)),
        (l5, AS_OF + timedelta(days=10)),
        (l6, AS_OF),
        (l7, None),
        (l8, d(11, 1)),
    ):
        GroupLocationPlan.objects.create(group_id=group_id, location=location, go_live_date=go_live)

    p, q = ItemFactory(), ItemFactory()
    no_start_id = link_add(item_id=p.pk, replace_item_id=q.pk).group_id
    ItemLocationFactory(item=p, location=l1, on_hand_ea=1)
    ItemLocationFactory(item=q, location=l1, on_hand_ea=2, reorder_point=1)
    ItemGroup.objects.filter(group_id=no_start_id).update(name="Gloves, nitrile")
    return SimpleNamespace(group_id=group_id, no_start_id=no_start_id, locations=locations, o=o, r=r, start=start)
