"""A hand-built world in which every attention kind fires once, relative to today (on-hand is today's stock)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.roles import set_role
from collector.models import GroupLocationPlan, ItemGroup
from collector.services import group_update, link_add
from tests.factories import (
    BurnRateFactory,
    ItemFactory,
    ItemLocationFactory,
    LocationFactory,
    PoLineFactory,
    UserFactory,
)


@pytest.fixture
def world(db):
    """as_of = today (T).

    G1 active, owner Olga, start T-60, end T-5, policy immediate: original A (30 EA at L1, burn 1), replacement C
      (100 EA at L1 with par, burn 4: 20 days of the whole demand of 5 a day, no stock-out risk).
      A bought on T-2 (leakage, 1 line, 6 EA) and T-8 (outside the 7 days).
      -> leakage, overdue (5 days), stranded_now (30 EA); L1 is live.
    G2 draft, no owner, start T+10: original B at L2 and L3, replaced by C2 and C3 (an open conflict on B);
      plans: L2 go-live T+5, L3 go-live T-3; no replacement stocked there.
      -> go_live_at_risk at L2 (5 days), late_go_live at L3 (3 days), open_conflicts (1).
    G3 active, owner Olga: original D (20 EA at L1, burn 2: runs out on T+10), replacement E (5 EA at L1, no burn).
      -> replacement_stockout_risk: cut-over coverage 5 / 2 = 2.5 days.
    G4 retired, overdue and with a conflict: needs no one's attention.
    """
    today = timezone.localdate()
    day = lambda n: today + timedelta(days=n)  # noqa: E731
    owner = UserFactory(email="olga@example.org", name="Olga Owner")
    steward = UserFactory(email="sam@example.org", name="Sam Steward")
    set_role(steward, "steward")
    planner = UserFactory(email="pat@example.org", name="Pat Planner")
    l1, l2, l3 = (LocationFactory(location_id=n, location_name=f"PAR {n}") for n in (2001, 2002, 2003))

    a, c = ItemFactory(description="GLOVE A"), ItemFactory(description="GLOVE C")
    g1 = link_add(item_id=a.pk, replace_item_id=c.pk).group_id
    group_update(group_id=g1, status="active", owner=owner, start_date=day(-60), end_date=day(-5))
    ItemGroup.objects.filter(pk=g1).update(use_up_policy="immediate", name="Gloves to nitrile")
    ItemLocationFactory(item=a, location=l1, on_hand_ea=30)
    ItemLocationFactory(item=c, location=l1, on_hand_ea=100, reorder_point=10)
    BurnRateFactory(item=a, location=l1, as_of_date=day(-1), burnrate_ea_per_day=1)
    BurnRateFactory(item=c, location=l1, as_of_date=day(-1), burnrate_ea_per_day=4)
    PoLineFactory(item=a, po_date=day(-2), qty_ea=6, price=1)
    PoLineFactory(item=a, po_date=day(-8), qty_ea=9, price=1)
    PoLineFactory(item=c, po_date=day(-2), qty_ea=50, price=1)

    b, c2, c3 = ItemFactory(description="SYRINGE B"), ItemFactory(), ItemFactory()
    g2 = link_add(item_id=b.pk, replace_item_id=c2.pk).group_id
    link_add(item_id=b.pk, replace_item_id=c3.pk)
    group_update(group_id=g2, start_date=day(10))
    ItemLocationFactory(item=b, location=l2, on_hand_ea=10)
    ItemLocationFactory(item=b, location=l3, on_hand_ea=10)
    GroupLocationPlan.objects.create(group_id=g2, location=l2, go_live_date=day(5))
    GroupLocationPlan.objects.create(group_id=g2, location=l3, go_live_date=day(-3))

    d, e = ItemFactory(description="GAUZE D"), ItemFactory(description="GAUZE E")
    g3 = link_add(item_id=d.pk, replace_item_id=e.pk).group_id
    group_update(group_id=g3, status="active", owner=owner)
    ItemLocationFactory(item=d, location=l1, on_hand_ea=20)
    ItemLocationFactory(item=e, location=l1, on_hand_ea=5)
    BurnRateFactory(item=d, location=l1, as_of_date=day(-1), burnrate_ea_per_day=2)

    x, y1, y2 = ItemFactory(), ItemFactory(), ItemFactory()
    g4 = link_add(item_id=x.pk, replace_item_id=y1.pk).group_id
    link_add(item_id=x.pk, replace_item_id=y2.pk)
    group_update(group_id=g4, status="retired", start_date=day(-90), end_date=day(-30))
    ItemLocationFactory(item=x, location=l1, on_hand_ea=99)

    return SimpleNamespace(
        today=today,
        day=day,
        owner=owner,
        steward=steward,
        planner=planner,
        g1=g1,
        g2=g2,
        g2_original=b.pk,
        g3=g3,
        g4=g4,
        locations=(l1, l2, l3),
    )
