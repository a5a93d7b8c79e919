"""dashboard.rules: each rule by number, and its SQL twin giving the same answer on the same rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F, Value

from collector.golive import effective_go_live, effective_go_live_sql
from collector.models import GroupLocationPlan, ItemGroup
from dashboard.rules import leakage_cutoff, leakage_cutoff_sql, stranded_days, stranded_ea
from tests.factories import LocationFactory

AS_OF = date(2026, 11, 20)


def test_leakage_cutoff_prefers_the_last_order_date_then_the_start_date():
    assert leakage_cutoff(date(2026, 10, 15), date(2026, 10, 1)) == date(2026, 10, 15)
    assert leakage_cutoff(None, date(2026, 10, 1)) == date(2026, 10, 1)
    assert leakage_cutoff(None, None) is None


@pytest.mark.django_db
def test_the_sql_cutoff_and_go_live_agree_with_the_rules():
    location = LocationFactory()
    cases = [
        (date(2026, 10, 15), date(2026, 10, 1), date(2026, 12, 1)),
        (None, date(2026, 10, 1), None),
        (None, None, None),
    ]
    for last_order, start, plan_day in cases:
        group = ItemGroup.objects.create(last_order_date=last_order, start_date=start)
        if plan_day:
            GroupLocationPlan.objects.create(group=group, location=location, go_live_date=plan_day)
        row = (
            ItemGroup.objects.filter(pk=group.pk)
            .annotate(
                cutoff=leakage_cutoff_sql(F("last_order_date"), F("start_date")),
                location_id=Value(location.pk),
                go_live=effective_go_live_sql("group_id", "location_id", "start_date"),
            )
            .values("cutoff", "go_live")
            .get()
        )
        assert row["cutoff"] == leakage_cutoff(last_order, start)
        assert row["go_live"] == effective_go_live(plan_day, start)


@pytest.mark.parametrize(
    ("policy", "end_date", "go_live", "expected"),
    [
        ("use_up", None, None, 365),  # the horizon, whatever the dates
        ("use_until_end", date(2026, 12, 20), None, 30),
        ("use_until_end", date(2026, 11, 1), None, 0),  # past the end: all of it is stranded
        ("use_until_end", None, None, None),
        ("immediate", None, date(2026, 11, 30), 10),
        ("immediate", date(2026, 12, 31), None, None),  # no go-live: the row is left out
    ],
)
def test_stranded_days_by_policy(policy, end_date, go_live, expected):
    assert stranded_days(policy, AS_OF, end_date, go_live) == expected


def test_use_up_strands_what_the_location_will_not_use_within_the_horizon(settings):
    # 158 EA at a par location with no burn: all of it, not 0.
    assert stranded_ea(158, 0, stranded_days("use_up", AS_OF, None)) == 158
    # 1 EA/day for 365 days uses 365 of 400.
    assert stranded_ea(400, 1, stranded_days("use_up", AS_OF, None)) == 35
    assert stranded_ea(300, 1, stranded_days("use_up", AS_OF, None)) == 0
    settings.PLM_USE_UP_HORIZON_DAYS = 100
    assert stranded_ea(400, Decimal("1.5"), stranded_days("use_up", AS_OF, None)) == 250
    assert stranded_ea(400, 1, None) is None
