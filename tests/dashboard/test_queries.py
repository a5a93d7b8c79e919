"""Every KPI rule of docs/DESIGN.md, checked by number on the hand-built conversion in conftest.py."""

from datetime import date, timedelta

import pytest

from collector.models import GroupLocationPlan, ItemGroup
from collector.services import group_update, link_add
from dashboard.queries import Filters, group_kpis, group_trends, item_kpis, item_trends, overview_groups, overview_kpis
from tests.dashboard.conftest import AS_OF, d
from tests.factories import BurnRateFactory, ItemFactory, ItemLocationFactory, PoLineFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stock_path")]

ALL = Filters(AS_OF)
L1, L2, L3, L4 = 1001, 1002, 1003, 1004


def kpis(conversion, filters=ALL):
    return group_kpis(conversion.group_id, filters)


def by_code(body):
    return {row["erp_item_code"]: row for row in body["items"]}


def test_group_totals_by_role(conversion):
    body = kpis(conversion)
    assert body["original"] == {
        "on_hand_ea": 200.0,  # A 100 + 50, B 30 + 20
        "burn_ea_per_day": 8.0,  # A@L1 4 + A@L2 1 + B@L1 3
        "coverage_days": 25.0,
        "po_qty_90d": 27.0,  # A 10 + 2 + 4 + 5, B 6
        "po_spend_90d": 40.0,  # A 20 + 2 + 0 + 15, B 3
    }
    assert body["replacement"] == {
        "on_hand_ea": 40.0,
        "burn_ea_per_day": 5.0,
        "coverage_days": 8.0,
        "po_qty_90d": 100.0,
        "po_spend_90d": 25.0,
    }


def test_the_latest_burn_row_on_or_before_as_of_counts_not_a_later_one(conversion):
    items = by_code(kpis(conversion))
    assert items["GLV-A"]["burn_ea_per_day"] == 5.0  # 4 (11-18) at L1, not 99 (11-21); 1 dated on as_of at L2
    earlier = by_code(kpis(conversion, Filters(d(11, 17))))
    assert earlier["GLV-A"]["burn_ea_per_day"] == 2.0  # at 11-17 the latest at L1 is 11-10's 2; L2 has none yet
    later = by_code(kpis(conversion, Filters(d(11, 21))))
    assert later["GLV-A"]["burn_ea_per_day"] == 100.0  # 99 + 1


def test_a_burn_rate_where_the_item_is_not_stocked_does_not_count(conversion):
    assert by_code(kpis(conversion))["GLV-A"]["burn_ea_per_day"] == 5.0  # A@L3's 50 is left out


def test_po_window_includes_both_edges_and_nothing_outside(conversion):
    a = by_code(kpis(conversion))["GLV-A"]
    assert a["po_qty_90d"] == 21.0  # 08-22 (as_of - 90) and 11-20 (as_of) in; 08-21 and 11-21 out
    shifted = by_code(kpis(conversion, Filters(d(11, 21))))["GLV-A"]
    assert shifted["po_qty_90d"] == 18.0  # 08-22 drops out (now as_of - 91), 11-21 comes in: 2 + 4 + 5 + 7


def test_lines_without_a_price_add_their_quantity_but_nothing_to_spend(conversion):
    a = by_code(kpis(conversion))["GLV-A"]
    assert (a["po_qty_90d"], a["po_spend_90d"]) == (21.0, 37.0)  # the 4 EA without a price: qty yes, spend 0
    PoLineFactory(item=conversion.c, po_date=d(11, 5), qty_ea=8, price=None)
    c = by_code(kpis(conversion))["GLV-C"]
    assert (c["po_qty_90d"], c["po_spend_90d"]) == (108.0, 25.0)


def test_location_filter_applies_to_stock_but_not_to_po(conversion):
    body = kpis(conversion, Filters(AS_OF, L1))
    assert body["location_id"] == L1
    assert body["original"] == {
        "on_hand_ea": 130.0,
        "burn_ea_per_day": 7.0,
        "coverage_days": 18.57,
        "po_qty_90d": 27.0,  # unchanged: PO lines carry no location
        "po_spend_90d": 40.0,
    }
    assert body["replacement"]["on_hand_ea"] == 40.0
    assert [loc["location_id"] for loc in body["locations"]] == [L1]
    assert by_code(body)["GLV-D"]["on_hand_ea"] == 0.0  # D is stocked at L2 only


def test_coverage_is_null_where_burn_is_zero(conversion):
    body = kpis(conversion, Filters(AS_OF, L3))
    assert body["original"]["on_hand_ea"] == 20.0
    assert body["original"]["burn_ea_per_day"] == 0.0
    assert body["original"]["coverage_days"] is None
    assert body["run_out_date"] is None
    assert body["replacement"]["coverage_days"] is None


def test_readiness_with_and_without_replacement_locations(conversion):
    assert kpis(conversion)["readiness_pct"] == 33.33  # originals at L1, L2, L3; the replacement live at L1
    assert kpis(conversion, Filters(AS_OF, L1))["readiness_pct"] == 100.0
    assert kpis(conversion, Filters(AS_OF, L2))["readiness_pct"] == 0.0
    assert kpis(conversion, Filters(AS_OF, L4))["readiness_pct"] is None  # no original there
    # docs/DESIGN.md, "Readiness and set-up": a replacement row with nothing on hand, or stocked without
    # par, is set up but not ready; setup_pct keeps the old figure (a replacement row exists).
    ItemLocationFactory(item=conversion.c, location=conversion.locations[1], on_hand_ea=0, reorder_point=5)
    ItemLocationFactory(item=conversion.c, location=conversion.locations[2], on_hand_ea=8)
    body = kpis(conversion)
    assert (body["readiness_pct"], body["setup_pct"]) == (33.33, 100.0)
    assert (body["original_locations"], body["ready_locations"], body["setup_locations"]) == (3, 1, 3)
    assert kpis(conversion, Filters(AS_OF, L4))["setup_pct"] is None


def test_members_without_a_role_appear_in_the_item_table_only(conversion):
    body = kpis(conversion)
    assert [(r["erp_item_code"], r["role"]) for r in body["items"]] == [
        ("GLV-A", "original"),
        ("GLV-C", "replacement"),
        ("GLV-B", "original"),
        ("GLV-D", None),
    ]
    assert by_code(body)["GLV-D"] | {"description": None} == {
        "item_id": conversion.d.pk,
        "erp_item_code": "GLV-D",
        "description": None,
        "role": None,
        "on_hand_ea": 7.0,
        "burn_ea_per_day": 2.0,
        "coverage_days": 3.5,
        "po_qty_90d": 9.0,
        "po_spend_90d": 9.0,
        "factor": None,  # no role: no equivalent eaches either
        "supply_equiv": None,
        "demand_equiv_per_day": None,
    }
    # D's 7 EA, 2 EA/day and 9 EA bought count in neither role.
    assert body["original"]["on_hand_ea"] + body["replacement"]["on_hand_ea"] == 240.0


def test_an_empty_group_has_zeros_and_no_ratios(conversion):
    body = group_kpis(conversion.empty_id, ALL)
    zero = {"on_hand_ea": 0.0, "burn_ea_per_day": 0.0, "coverage_days": None, "po_qty_90d": 0.0, "po_spend_90d": 0.0}
    assert body["original"] == zero
    assert body["replacement"] == zero
    assert body["readiness_pct"] is None
    assert body["items"] == []
    assert body["locations"] == []
    assert body["run_out_date"] is None


def test_an_unknown_group_or_item_is_none(conversion):
    assert group_kpis(999_999, ALL) is None
    assert item_kpis(999_999, ALL) is None


def test_run_out_per_location_and_overall(conversion):
    body = kpis(conversion)
    assert body["run_out_date"] == date(2026, 12, 15)  # 200 / 8 = 25 days
    runs = {loc["location_id"]: loc["original_run_out_date"] for loc in body["locations"]}
    assert runs == {L1: date(2026, 12, 8), L2: date(2027, 1, 9), L3: None}  # 130/7 = 18.6, 50/1, no burn
    ready = {loc["location_id"]: loc["replacement_stocked"] for loc in body["locations"]}
    assert ready == {L1: True, L2: False, L3: False}


def policy(conversion, use_up_policy, **fields):
    ItemGroup.objects.filter(group_id=conversion.group_id).update(use_up_policy=use_up_policy, **fields)


def test_stranded_stock_at_the_end_date(conversion):
    policy(conversion, "use_until_end")
    stranded = kpis(conversion)["stranded"]
    # 30 days to 12-20. A@L1 100 - 4*30 < 0 -> 0; A@L2 50 - 30 = 20; B@L1 30 - 90 -> 0; B@L3 no burn: 20.
    # Dollars at each item's latest priced PO line on or before as_of: A $3 (11-20), B $0.50.
    assert stranded == {
        "policy": "use_until_end",
        "end_date": d(12, 20),
        "days_left": 30,
        "horizon_days": None,
        "on_hand_ea": 40.0,
        "value": 70.0,
    }


def test_stranded_stock_after_the_end_date_is_all_of_it_and_undefined_without_one(conversion):
    policy(conversion, "use_until_end")
    past = kpis(conversion, Filters(d(12, 31)))["stranded"]
    assert (past["days_left"], past["on_hand_ea"]) == (0, 200.0)
    group_update(group_id=conversion.group_id, end_date=None)
    assert kpis(conversion)["stranded"] == {
        "policy": "use_until_end",
        "end_date": None,
        "days_left": None,
        "horizon_days": None,
        "on_hand_ea": None,
        "value": None,
    }


def test_use_up_strands_what_a_location_will_not_use_within_the_horizon(conversion, settings):
    """docs/DESIGN.md, "Stranded stock": under use_up (the default) max(0, on_hand - burn x H) per original row."""
    # H = 365: A@L1 100 - 4*365, A@L2 50 - 365, B@L1 30 - 3*365 all < 0; B@L3 has no burn: its 20 EA at $0.50.
    stranded = kpis(conversion)["stranded"]
    assert (stranded["policy"], stranded["horizon_days"], stranded["on_hand_ea"], stranded["value"]) == (
        "use_up",
        365,
        20.0,
        10.0,
    )
    # Neither the end date nor a day past it changes it.
    group_update(group_id=conversion.group_id, end_date=None)
    assert kpis(conversion, Filters(d(12, 31)))["stranded"]["on_hand_ea"] == 20.0
    # H = 5: A@L1 100 - 20 = 80, A@L2 50 - 5 = 45 (at $3); B@L1 30 - 15 = 15, B@L3 20 (at $0.50).
    settings.PLM_USE_UP_HORIZON_DAYS = 5
    stranded = kpis(conversion)["stranded"]
    assert (stranded["horizon_days"], stranded["on_hand_ea"], stranded["value"]) == (5, 160.0, 392.5)
    assert kpis(conversion, Filters(AS_OF, L2))["stranded"]["on_hand_ea"] == 45.0


def test_immediate_strands_what_is_left_at_each_locations_go_live(conversion):
    l1, l2, l3, _ = conversion.locations
    policy(conversion, "immediate")
    # Go-live: L1 the start date 10-01 (past: 0 days), L2 a plan on 11-30 (10 days), L3 a plan without a date
    # (the start date too).
    GroupLocationPlan.objects.create(group_id=conversion.group_id, location=l2, go_live_date=d(11, 30))
    GroupLocationPlan.objects.create(group_id=conversion.group_id, location=l3, go_live_date=None)
    # A@L1 100 - 4*0 = 100; B@L1 30; A@L2 50 - 1*10 = 40; B@L3 20 (no burn). At $3 (A) and $0.50 (B).
    stranded = kpis(conversion)["stranded"]
    assert (stranded["policy"], stranded["on_hand_ea"], stranded["value"]) == ("immediate", 190.0, 445.0)
    assert kpis(conversion, Filters(AS_OF, L2))["stranded"]["on_hand_ea"] == 40.0
    # Without a start date only L2 has a go-live: the other rows are left out.
    group_update(group_id=conversion.group_id, start_date=None)
    assert kpis(conversion)["stranded"]["on_hand_ea"] == 40.0
    assert kpis(conversion, Filters(AS_OF, L1))["stranded"]["on_hand_ea"] is None  # no row there has one
    GroupLocationPlan.objects.filter(group_id=conversion.group_id).delete()
    assert kpis(conversion)["stranded"] == {
        "policy": "immediate",
        "end_date": d(12, 20),
        "days_left": 30,
        "horizon_days": None,
        "on_hand_ea": None,
        "value": None,
    }


def test_purchase_leakage_after_the_start_date(conversion):
    # Originals bought after 10-01, up to as_of: A 4 (no price) + 5 at $3; 10-01 itself and B's 09-30 are before.
    assert kpis(conversion)["leakage"] == {"since": d(10, 1), "po_qty": 9.0, "po_spend": 15.0}
    group_update(group_id=conversion.group_id, start_date=None)
    assert kpis(conversion)["leakage"] == {"since": None, "po_qty": None, "po_spend": None}


def test_leakage_after_the_last_order_date_when_there_is_one(conversion):
    ItemGroup.objects.filter(group_id=conversion.group_id).update(last_order_date=d(10, 15))
    # After 10-15: only A's 5 at $3 on 11-20 (10-15's 4 is on the cut-off itself).
    assert kpis(conversion)["leakage"] == {"since": d(10, 15), "po_qty": 5.0, "po_spend": 15.0}
    ItemGroup.objects.filter(group_id=conversion.group_id).update(last_order_date=d(9, 29), start_date=None)
    # The last order date is the cut-off even before the start date and without one: B's 09-30 counts now.
    assert kpis(conversion)["leakage"] == {"since": d(9, 29), "po_qty": 17.0, "po_spend": 20.0}
    ItemGroup.objects.filter(group_id=conversion.group_id).update(last_order_date=d(12, 1))
    assert kpis(conversion)["leakage"] == {"since": d(12, 1), "po_qty": 0.0, "po_spend": 0.0}  # a future cut-off


def test_overview_sums_over_active_groups_only(conversion):
    body = overview_kpis(ALL)
    assert (body["active_groups"], body["items_impacted"]) == (3, 6)  # G, G2 and the empty one; not the draft
    assert body["original"] == {
        "on_hand_ea": 210.0,  # G 200 + G2 10; the draft's 1,000 stays out
        "burn_ea_per_day": 10.0,
        "coverage_days": 21.0,
        "po_qty_90d": 77.0,
        "po_spend_90d": 140.0,
    }
    assert body["replacement"] == {
        "on_hand_ea": 45.0,
        "burn_ea_per_day": 5.0,
        "coverage_days": 9.0,
        "po_qty_90d": 100.0,
        "po_spend_90d": 25.0,
    }
    # Pooled: (1 ready of G's 3 + 0 of G2's 1) / 4 = 25%, not the 16.7% average of 33.3% and 0%.
    assert (body["original_locations"], body["ready_locations"], body["readiness_pct"]) == (4, 1, 25.0)


def test_top_groups_show_each_groups_stranded_stock_as_its_kpis_do(conversion, settings):
    def stranded(filters=ALL):
        return {row["group_id"]: row["stranded"] for row in overview_groups(filters)}

    # use_up, H 365: G's B@L3 (no burn) 20 EA at $0.50; G2's P burns its 10 EA within the year; the empty
    # group has nothing to strand.
    assert stranded() == {
        conversion.group_id: {"on_hand_ea": 20.0, "value": 10.0},
        conversion.second_id: {"on_hand_ea": 0.0, "value": 0.0},
        conversion.empty_id: {"on_hand_ea": 0.0, "value": 0.0},
    }
    settings.PLM_USE_UP_HORIZON_DAYS = 5
    assert stranded()[conversion.group_id] == {"on_hand_ea": 160.0, "value": 392.5}
    assert kpis(conversion)["stranded"]["on_hand_ea"] == 160.0
    assert stranded(Filters(AS_OF, L2))[conversion.group_id] == {"on_hand_ea": 45.0, "value": 135.0}
    # use_until_end without an end date gives no figure, as on the group's page.
    policy(conversion, "use_until_end", end_date=None)
    assert stranded()[conversion.group_id] == {"on_hand_ea": None, "value": None}
    policy(conversion, "use_until_end", end_date=d(12, 20))
    assert stranded()[conversion.group_id] == {"on_hand_ea": 40.0, "value": 70.0}


def test_overview_follows_status_changes(conversion):
    group_update(group_id=conversion.draft_id, status="active")
    body = overview_kpis(ALL)
    assert body["active_groups"] == 4
    assert body["original"]["on_hand_ea"] == 1210.0
    group_update(group_id=conversion.group_id, status="retired")
    assert overview_kpis(ALL)["original"]["on_hand_ea"] == 1010.0


def test_overview_location_filter(conversion):
    body = overview_kpis(Filters(AS_OF, L1))
    assert body["original"]["on_hand_ea"] == 140.0  # A 100 + B 30 + P 10
    assert body["original"]["burn_ea_per_day"] == 9.0
    assert body["original"]["po_spend_90d"] == 140.0  # PO ignores the location
    assert body["readiness_pct"] == 50.0  # G ready at L1, G2 not


def test_top_groups_rank_active_groups_by_original_spend(conversion):
    rows = overview_groups(ALL)
    assert [(g["group_id"], g["original"]["po_spend_90d"]) for g in rows] == [
        (conversion.second_id, 100.0),
        (conversion.group_id, 40.0),
        (conversion.empty_id, 0.0),
    ]
    assert [g["group_id"] for g in overview_groups(ALL, limit=1)] == [conversion.second_id]
    g = rows[1]
    assert (g["member_count"], g["readiness_pct"], g["original"]["coverage_days"]) == (4, 33.33, 25.0)


def test_item_kpis_per_location(conversion):
    body = item_kpis(conversion.a.pk, ALL)
    assert (body["group_id"], body["role"], body["on_hand_ea"], body["burn_ea_per_day"]) == (
        conversion.group_id,
        "original",
        150.0,
        5.0,
    )
    assert (body["coverage_days"], body["po_qty_90d"], body["po_spend_90d"]) == (30.0, 21.0, 37.0)
    assert [
        (loc["location_id"], loc["on_hand_ea"], loc["burn_ea_per_day"], loc["coverage_days"])
        for loc in body["locations"]
    ] == [
        (L1, 100.0, 4.0, 25.0),
        (L2, 50.0, 1.0, 50.0),
    ]
    at_l2 = item_kpis(conversion.a.pk, Filters(AS_OF, L2))
    assert (at_l2["on_hand_ea"], at_l2["po_qty_90d"]) == (50.0, 21.0)


def test_group_trends_per_day_and_week(conversion):
    trends = group_trends(conversion.group_id, ALL, 3)
    assert (trends["start"], trends["end"]) == (d(11, 17), AS_OF)
    assert [(p["date"], p["original_on_hand_ea"], p["replacement_on_hand_ea"]) for p in trends["on_hand"]] == [
        (d(11, 18), 110.0, 0.0),
        (d(11, 19), 105.0, 35.0),
        (d(11, 20), 100.0, 40.0),  # D's 7 (no role) is in neither
    ]
    # Rows dated each day; A@L3 (not stocked) and D (no role) are left out.
    assert [(p["date"], p["original_burn_ea_per_day"], p["replacement_burn_ea_per_day"]) for p in trends["burn"]] == [
        (d(11, 18), 4.0, 0.0),
        (d(11, 19), 0.0, 5.0),
        (d(11, 20), 1.0, 0.0),
    ]
    assert trends["po_weekly"] == [
        {
            "date": d(11, 16),
            "original_po_qty": 5.0,
            "original_po_spend": 15.0,
            "replacement_po_qty": 0.0,
            "replacement_po_spend": 0.0,
        }
    ]


def test_90_days_of_po_weeks_add_up_to_the_90_day_kpis_whatever_the_location(conversion):
    weeks = group_trends(conversion.group_id, Filters(AS_OF, L3), 90)["po_weekly"]
    assert all(w["date"].weekday() == 0 for w in weeks)  # weeks start on Monday
    assert sum(w["original_po_qty"] for w in weeks) == 27.0
    assert sum(w["original_po_spend"] for w in weeks) == 40.0
    assert sum(w["replacement_po_spend"] for w in weeks) == 25.0


def test_item_trends(conversion):
    trends = item_trends(conversion.a.pk, Filters(AS_OF, L1), 3)
    assert [(p["date"], p["on_hand_ea"]) for p in trends["on_hand"]] == [
        (d(11, 18), 110.0),
        (d(11, 19), 105.0),
        (d(11, 20), 100.0),
    ]
    assert [(p["date"], p["burn_ea_per_day"]) for p in trends["burn"]] == [(d(11, 18), 4.0)]


def test_adding_a_later_burn_row_changes_nothing_before_its_day(conversion):
    BurnRateFactory(item=conversion.b, location=conversion.locations[2], as_of_date=d(11, 25), burnrate_ea_per_day=6)
    assert kpis(conversion)["original"]["burn_ea_per_day"] == 8.0
    assert kpis(conversion, Filters(d(11, 25)))["original"]["burn_ea_per_day"] == 109.0  # 99 + 1 + 3 + 6


def test_overview_readiness_is_pooled_over_active_groups_stages(conversion, staged):
    body = overview_kpis(ALL)
    # (group, location) pairs with an original: G 3 (live at L1), G2 1, staged S 6 (L1, L5, L6 ready, live or
    # converted); the draft and N (draft) stay out.
    assert (body["original_locations"], body["ready_locations"], body["readiness_pct"]) == (10, 4, 40.0)
    assert (body["setup_locations"], body["setup_pct"]) == (6, 60.0)  # replacement rows: G at L1, S at 5
    top = {g["group_id"]: g for g in overview_groups(ALL)}
    assert (top[staged.group_id]["readiness_pct"], top[staged.group_id]["setup_pct"]) == (50.0, 83.33)
    assert top[staged.group_id]["stage_counts"]["converted"] == 2


def test_overview_queries_do_not_grow_with_groups_and_plans(conversion, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as small:
        overview_kpis(ALL), overview_groups(ALL), overview_groups(ALL, limit=None)
    for _ in range(4):
        original, replacement = ItemFactory(), ItemFactory()
        group_id = link_add(item_id=original.pk, replace_item_id=replacement.pk).group_id
        group_update(group_id=group_id, status="active", start_date=d(11, 1))
        for location in conversion.locations:
            ItemLocationFactory(item=original, location=location, on_hand_ea=3)
            ItemLocationFactory(item=replacement, location=location, on_hand_ea=2, reorder_point=1)
            GroupLocationPlan.objects.create(group_id=group_id, location=location, go_live_date=d(12, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        overview_kpis(ALL), overview_groups(ALL), overview_groups(ALL, limit=None)
    assert overview_kpis(ALL)["active_groups"] == 7


def test_a_past_as_of_reads_on_hand_from_the_snapshots_everywhere(conversion):
    past = Filters(d(11, 19))
    body = kpis(conversion, past)
    # A@L1's snapshot of 11-19 (105; 11-20's 100 is after the day), C@L1 35; no snapshot for A@L2, B: 0.
    assert (body["original"]["on_hand_ea"], body["replacement"]["on_hand_ea"]) == (105.0, 35.0)
    assert body["on_hand_source"]["snapshot_date"] == d(11, 19)
    on_hand = {loc["location_id"]: loc["original_on_hand_ea"] for loc in body["locations"]}
    assert on_hand == {L1: 105.0, L2: 0.0, L3: 0.0}
    assert item_kpis(conversion.b.pk, past)["on_hand_ea"] == 0.0
    assert item_kpis(conversion.a.pk, Filters(d(11, 18)))["on_hand_ea"] == 110.0
    assert overview_kpis(past)["replacement"]["on_hand_ea"] == 35.0  # Q has no snapshot: 0
    policy(conversion, "use_until_end")
    # Stranded at 12-20 from the snapshot figures: A@L1 105 - 4*31 < 0 -> 0 (burn of 11-18); the rest hold 0.
    assert kpis(conversion, past)["stranded"]["on_hand_ea"] == 0.0


def test_po_weeks_without_purchases_are_zero_not_missing(conversion):
    weeks = item_trends(conversion.c.pk, ALL, 90)["po_weekly"]  # C bought once, on 11-01
    assert [w["date"] for w in weeks] == [d(8, 17) + timedelta(weeks=n) for n in range(14)]  # 08-22's week to 11-16's
    assert [w["po_qty"] for w in weeks if w["po_qty"]] == [100.0]
    assert weeks[0] == {"date": d(8, 17), "po_qty": 0.0, "po_spend": 0.0}
