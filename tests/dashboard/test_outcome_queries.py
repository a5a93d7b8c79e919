"""The outcome figures read from the database, checked by number on a hand-built conversion."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from collector.models import ItemGroup, ItemLink
from collector.services import group_update, link_add
from dashboard.queries import Filters, group_kpis
from dashboard.queries.outcomes import active_outcomes, compliance_trend, group_outcomes
from tests.dashboard.conftest import AS_OF, d
from tests.factories import (
    BurnRateFactory,
    ItemFactory,
    ItemLocationFactory,
    LocationFactory,
    PoLineFactory,
    SnapshotFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stock_path")]

L1, L2 = 2001, 2002


def ratio(item, replacement, value) -> None:
    ItemLink.objects.filter(item=item, replace_item=replacement).update(ratio=Decimal(value))


@pytest.fixture
def outcome(db):
    """Group O (active, start 2026-10-01): originals A (links 0.5 and 2: f = 1.25), B (4), C (no link: f = 1);
    replacements R1 and R2.

    Stock: A 100 @L1 burn 2, 40 @L2 burn 1; B 10 @L1 burn 0.5; C 7 @L2 burn 3; R1 60 @L1 burn 4; R2 20 @L2.
    demand = 4 + 3 x 1.25 + 0.5 x 4 + 3 = 12.75; supply = 80 + 140 x 1.25 + 10 x 4 + 7 = 302.
    """
    l1, l2 = LocationFactory(location_id=L1), LocationFactory(location_id=L2)
    a, b, c, r1, r2 = (ItemFactory(erp_item_code=code) for code in ("O-A", "O-B", "O-C", "O-R1", "O-R2"))
    group_id = link_add(item_id=a.pk, replace_item_id=r1.pk).group_id
    link_add(item_id=a.pk, replace_item_id=r2.pk)
    link_add(item_id=b.pk, replace_item_id=r1.pk)
    link_add(item_id=c.pk, replace_item_id=r1.pk)
    ratio(a, r1, "0.5")
    ratio(a, r2, "2")
    ratio(b, r1, "4")
    ItemLink.objects.filter(item=c).delete()  # C stays an original with no link: f = 1
    group_update(group_id=group_id, status="active", start_date=d(10, 1))
    for item, location, on_hand, burn in (
        (a, l1, 100, 2),
        (a, l2, 40, 1),
        (b, l1, 10, "0.5"),
        (c, l2, 7, 3),
        (r1, l1, 60, 4),
        (r2, l2, 20, None),
    ):
        ItemLocationFactory(item=item, location=location, on_hand_ea=on_hand)
        if burn is not None:
            BurnRateFactory(item=item, location=location, as_of_date=d(11, 15), burnrate_ea_per_day=burn)
    for item, day, qty, price in (
        (a, d(9, 30, 2025), 500, 9),  # B - 366 days: outside the baseline year
        (a, d(10, 1, 2025), 100, 2),  # B - 365 days: in the baseline, 200 $, 125 equivalent
        (a, d(9, 30), 1000, 1),  # the day before start: baseline 1000 $, 1250 equivalent; not compliance
        (a, d(10, 1), 8, 2),  # on the start date: compliance 10 equivalent; not baseline (po_date < B)
        (b, d(6, 1), 10, 8),  # baseline 80 $, 40 equivalent
        (b, d(7, 1), 50, None),  # no price: not in the baseline
        (b, d(11, 5), 3, None),  # no price: compliance counts it, 12 equivalent
        (r1, d(10, 1), 10, "1.5"),  # compliance, p_r window; on start: not realised
        (r1, d(11, 20), 20, 1),  # compliance, p_r window, realised
        (r1, d(11, 21), 999, "0.01"),  # after as_of: nowhere
        (r2, d(10, 15), 5, None),  # compliance; no price: not in p_r nor realised
    ):
        PoLineFactory(item=item, po_date=day, qty_ea=qty, price=price)
    return SimpleNamespace(group_id=group_id, a=a, b=b, c=c, r1=r1, r2=r2)


def test_every_outcome_figure_by_number(outcome):
    assert group_outcomes(Filters(AS_OF), [outcome.group_id])[outcome.group_id] == {
        "demand_equiv_per_day": 12.75,
        "supply_equiv": 302.0,
        "combined_coverage_days": 23.69,  # 302 / 12.75
        "cutover_coverage_days": 6.27,  # 80 / 12.75
        "compliance_pct": 61.4,  # 35 / (35 + 8 x 1.25 + 3 x 4)
        "p_o": 0.904594,  # (200 + 1000 + 80) / (125 + 1250 + 40)
        "p_r": 1.166667,  # (15 + 20) / 30
        "projected_annual_savings": -1219.62235,  # (p_o - p_r) x 12.75 x 365: costs money
        "realised_savings": -1.908127,  # 20 x (p_o - 1)
    }


def test_location_filter_applies_to_stock_and_burn_not_to_po(outcome):
    body = group_outcomes(Filters(AS_OF, L1), [outcome.group_id])[outcome.group_id]
    assert body["demand_equiv_per_day"] == 8.5  # 4 + 2 x 1.25 + 0.5 x 4
    assert body["supply_equiv"] == 225.0  # 60 + 125 + 40
    assert body["cutover_coverage_days"] == 7.06  # 60 / 8.5
    assert (body["compliance_pct"], body["p_o"], body["p_r"]) == (61.4, 0.904594, 1.166667)
    assert body["projected_annual_savings"] == pytest.approx((1280 / 1415 - 35 / 30) * 8.5 * 365, abs=1e-5)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (d(9, 30), None),  # before start_date: no compliance
        (d(10, 1), 50.0),  # only the start day: R1 10 / (10 + A 8 x 1.25)
        # max(10-01, 12-29 - 90 = 09-30) = 10-01: R1 10 + 20 + 999, R2 5 against A 8 x 1.25, B 3 x 4
        (d(12, 29), 97.92),  # 1034 / (1034 + 22)
    ],
)
def test_compliance_window_starts_at_start_date(outcome, as_of, expected):
    body = group_outcomes(Filters(as_of), [outcome.group_id])[outcome.group_id]
    assert body["compliance_pct"] == expected


def test_compliance_window_is_as_of_minus_90_days_once_start_is_older(outcome):
    group_update(group_id=outcome.group_id, start_date=d(6, 1))
    PoLineFactory(item=outcome.b, po_date=d(8, 22), qty_ea=1, price=1)  # as_of - 90 days: in (4 equivalent)
    PoLineFactory(item=outcome.r2, po_date=d(8, 21), qty_ea=100, price=1)  # the day before: out
    body = group_outcomes(Filters(AS_OF), [outcome.group_id])[outcome.group_id]
    # replacements 35; originals A 1000 x 1.25 (09-30) + 10 + 12 + 4
    assert body["compliance_pct"] == round(100 * 35 / (35 + 1250 + 10 + 12 + 4), 2)


def test_compliance_null_when_nothing_was_bought_in_the_window(outcome):
    body = group_outcomes(Filters(d(10, 1, 2027)), [outcome.group_id])[outcome.group_id]
    assert body["compliance_pct"] is None
    # the priced replacement lines after start: R1 20 @ 1 and 999 @ 0.01
    assert body["realised_savings"] == pytest.approx(1019 * 1280 / 1415 - (20 + 9.99), abs=1e-5)


def test_baseline_year_before_as_of_without_a_start_date(outcome):
    group_update(group_id=outcome.group_id, start_date=None)
    body = group_outcomes(Filters(AS_OF), [outcome.group_id])[outcome.group_id]
    # as_of - 365 = 2025-11-20 <= po_date < 2026-11-20: A 09-30 1000 $, 1250; A 10-01 16 $, 10; B 80 $, 40
    assert body["p_o"] == round((1000 + 16 + 80) / (1250 + 10 + 40), 6)
    assert (body["compliance_pct"], body["realised_savings"]) == (None, None)


def test_a_future_start_date_uses_the_year_before_as_of_and_realises_nothing(outcome):
    group_update(group_id=outcome.group_id, start_date=d(12, 15))
    body = group_outcomes(Filters(AS_OF), [outcome.group_id])[outcome.group_id]
    assert body["p_o"] == round(1096 / 1300, 6)
    assert (body["compliance_pct"], body["realised_savings"]) == (None, 0.0)


def test_p_r_falls_back_to_the_latest_priced_line_ties_to_the_greater_id(outcome):
    as_of = d(3, 1, 2027)  # the last 90 days hold no replacement line
    PoLineFactory(po_line_id=1, item=outcome.r2, po_date=d(11, 25), qty_ea=1, price="0.70")
    PoLineFactory(po_line_id=2, item=outcome.r1, po_date=d(11, 25), qty_ea=1, price="0.60")  # same day, greater id
    PoLineFactory(item=outcome.r1, po_date=d(11, 26), qty_ea=1, price=None)  # later, but no price
    body = group_outcomes(Filters(as_of), [outcome.group_id])[outcome.group_id]
    assert body["p_r"] == 0.6
    earlier = group_outcomes(Filters(d(11, 20)), [outcome.group_id])[outcome.group_id]
    assert earlier["p_r"] == 1.166667  # the 90-day window wins while it has lines


def test_no_replacement_price_at_all_leaves_p_r_and_projection_null(outcome):
    body = group_outcomes(Filters(d(9, 1)), [outcome.group_id])[outcome.group_id]
    assert (body["p_r"], body["projected_annual_savings"]) == (None, None)
    assert body["realised_savings"] == 0.0  # start_date is set, no line qualifies


def test_positive_savings(outcome):
    PoLineFactory(item=outcome.r1, po_date=d(11, 19), qty_ea=970, price="0.1")
    body = group_outcomes(Filters(AS_OF), [outcome.group_id])[outcome.group_id]
    p_r = (15 + 20 + 97) / 1000
    assert body["p_r"] == p_r
    assert body["projected_annual_savings"] == pytest.approx((1280 / 1415 - p_r) * 12.75 * 365, abs=1e-5)
    assert body["realised_savings"] == pytest.approx(990 * 1280 / 1415 - 117, abs=1e-5)
    assert body["realised_savings"] > 0


def test_all_groups_in_four_statements(outcome, django_assert_num_queries):
    other = link_add(item_id=ItemFactory().pk, replace_item_id=ItemFactory().pk).group_id
    with django_assert_num_queries(4):
        every = group_outcomes(Filters(AS_OF))
    assert set(every) >= {outcome.group_id, other}
    assert every[other]["demand_equiv_per_day"] == 0.0 and every[other]["p_o"] is None


def test_overview_pools_active_groups(outcome):
    per_group, pooled = active_outcomes(Filters(AS_OF))
    assert set(per_group) == {outcome.group_id}
    assert pooled["demand_equiv_per_day"] == 12.75 and pooled["compliance_pct"] == 61.4
    assert pooled["projected_annual_savings"] == -1219.62235
    assert (pooled["p_o"], pooled["p_r"]) == (None, None)


def test_weekly_compliance_trend(outcome):
    weeks = compliance_trend(outcome.group_id, d(9, 28), AS_OF)
    assert weeks[0]["date"] == d(9, 28) and weeks[-1]["date"] == d(11, 16)
    assert len(weeks) == 8  # every Monday from 09-28 to 11-16, none missing
    by_week = {w["date"]: w["compliance_pct"] for w in weeks}
    assert by_week[d(9, 28)] == 0.79  # R1 10 / (10 + A (1000 + 8) x 1.25)
    assert by_week[d(10, 5)] is None  # nothing bought: a gap, not 0 %
    assert by_week[d(10, 12)] == 100.0  # R2 5 only (no price: still counts)
    assert by_week[d(11, 2)] == 0.0  # B 3 only
    assert by_week[d(11, 16)] == 100.0  # R1 20 on as_of; the 999 on 11-21 is after the end


def test_supply_on_a_past_day_comes_from_the_snapshots(outcome):
    # Before today (AS_OF) on-hand is the latest snapshot on or before as_of, 0 without one.
    SnapshotFactory(item=outcome.r1, location_id=L1, snapshot_date=d(11, 18), on_hand_ea=33)
    SnapshotFactory(item=outcome.a, location_id=L2, snapshot_date=d(11, 10), on_hand_ea=8)
    body = group_outcomes(Filters(d(11, 19)), [outcome.group_id])[outcome.group_id]
    assert body["supply_equiv"] == 43.0  # R1 33 + A 8 x 1.25
    assert body["cutover_coverage_days"] == round(33 / 12.75, 2)


def test_member_rows_carry_their_factor_and_equivalents(outcome):
    items = {row["erp_item_code"]: row for row in group_kpis(outcome.group_id, Filters(AS_OF))["items"]}
    assert {code: items[code]["factor"] for code in items} == {
        "O-A": 1.25,
        "O-B": 4.0,
        "O-C": 1.0,
        "O-R1": 1.0,
        "O-R2": 1.0,
    }
    assert (items["O-A"]["supply_equiv"], items["O-A"]["demand_equiv_per_day"]) == (175.0, 3.75)
    assert (items["O-B"]["supply_equiv"], items["O-B"]["demand_equiv_per_day"]) == (40.0, 2.0)
    assert (items["O-R1"]["supply_equiv"], items["O-R1"]["demand_equiv_per_day"]) == (60.0, 4.0)


@pytest.mark.parametrize("location", [None, L1, L2])
def test_the_group_kpis_outcome_is_group_outcomes(outcome, location):
    """group_kpis takes the stock from its member rows: the same figures as the set-based path."""
    filters = Filters(AS_OF, location)
    assert (
        group_kpis(outcome.group_id, filters)["outcome"]
        == group_outcomes(filters, [outcome.group_id])[outcome.group_id]
    )


def test_groups_chosen_by_a_queryset(outcome, django_assert_num_queries):
    chosen = ItemGroup.objects.filter(status="active").values("group_id")
    with django_assert_num_queries(4):
        body = group_outcomes(Filters(AS_OF), chosen)
    assert body == group_outcomes(Filters(AS_OF), [outcome.group_id])
