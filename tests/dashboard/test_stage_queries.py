"""Location stages and on-hand as of a day, from the database, on the hand-built groups in conftest.py."""

from datetime import timedelta

import pytest

from collector.models import GroupLocationPlan
from dashboard.queries import Filters
from dashboard.queries.onhand import on_hand_source
from dashboard.queries.stages import location_stages, readiness_counts, stage_counts
from tests.dashboard.conftest import AS_OF, d
from tests.dashboard.growth import grow
from tests.factories import ItemLocationFactory, LocationFactory, SnapshotFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stock_path")]


def stages_of(group_id, filters=None):
    rows = location_stages(filters or Filters(AS_OF), [group_id])
    return {row["location_id"] - 2000: (row["stage"], row["late"], row["at_risk"]) for row in rows}


def test_every_stage_and_flag(staged):
    assert stages_of(staged.group_id) == {
        1: ("converted", False, False),
        2: ("not_set_up", False, True),
        3: ("set_up", True, False),
        4: ("set_up", False, False),
        5: ("ready", False, False),
        6: ("live", False, False),
        7: ("converted", False, False),
    }
    assert stages_of(staged.no_start_id) == {1: ("ready", False, False)}


def test_rows_carry_the_effective_go_live_and_the_figures_the_rule_read(staged):
    rows = {row["location_id"] - 2000: row for row in location_stages(Filters(AS_OF), [staged.group_id])}
    go_lives = {n: row["go_live_date"] for n, row in rows.items()}
    plus = lambda days: AS_OF + timedelta(days=days)  # noqa: E731
    assert go_lives == {
        1: staged.start,
        2: plus(14),
        3: staged.start,
        4: plus(15),
        5: plus(10),
        6: AS_OF,
        7: staged.start,
    }
    l6 = rows[6]
    assert (l6["location_name"], l6["location_type"], l6["group_id"]) == ("Ward 6", "par", staged.group_id)
    assert (l6["original_rows"], l6["original_on_hand_ea"], l6["original_burn_ea_per_day"]) == (1, 3, 1)
    assert (l6["replacement_rows"], l6["replacement_on_hand_ea"], l6["par_set"]) == (1, 10, True)
    assert (rows[7]["original_rows"], rows[3]["replacement_on_hand_ea"], rows[3]["par_set"]) == (0, 0, True)


def test_stages_move_with_as_of(staged):
    later = Filters(AS_OF + timedelta(days=10))
    stages = stages_of(staged.group_id, later)
    assert stages[5] == ("live", False, False)  # go-live reached
    assert stages[2] == ("not_set_up", False, True)  # 4 days to go
    assert stages[4] == ("set_up", False, True)  # now within 14 days


def test_the_location_filter_and_the_group_choice(staged, conversion):
    assert stages_of(staged.group_id, Filters(AS_OF, 2005)) == {5: ("ready", False, False)}
    everything = location_stages(Filters(AS_OF))
    assert {row["group_id"] for row in everything} == {
        staged.group_id,
        staged.no_start_id,
        conversion.group_id,
        conversion.second_id,
        conversion.draft_id,
    }  # the empty group has no location
    assert location_stages(Filters(AS_OF), []) == []


def test_stage_counts_and_readiness(staged):
    counts = stage_counts(Filters(AS_OF), [staged.group_id, staged.no_start_id])
    assert counts[staged.group_id] == {
        "not_set_up": 1,
        "set_up": 2,
        "ready": 1,
        "live": 1,
        "converted": 2,
        "late": 1,
        "at_risk": 1,
    }
    rows = location_stages(Filters(AS_OF), [staged.group_id])
    # Originals at L1-L6: ready, live or converted at L1, L5, L6 (L3's 0 on hand and L4's missing par are not
    # ready); a replacement row at L1, L3, L4, L5, L6.
    assert readiness_counts(rows) == {"original_locations": 6, "ready_locations": 3, "setup_locations": 5}


def test_a_plan_date_replaces_the_start_date_and_a_null_one_does_not(staged):
    GroupLocationPlan.objects.filter(group_id=staged.group_id, location_id=2007).update(go_live_date=d(12, 1))
    assert stages_of(staged.group_id)[7] == ("set_up", False, True)  # not live yet, no par: 11 days to go
    GroupLocationPlan.objects.create(group_id=staged.group_id, location_id=2003, go_live_date=d(11, 30))
    assert stages_of(staged.group_id)[3] == ("set_up", False, True)


def test_a_past_as_of_reads_on_hand_from_the_snapshots(staged):
    yesterday = AS_OF - timedelta(days=1)
    l1, l5 = staged.locations[0], staged.locations[4]
    SnapshotFactory(item=staged.r, location=l1, snapshot_date=d(11, 1), on_hand_ea=0)  # not stocked then
    SnapshotFactory(item=staged.r, location=l1, snapshot_date=d(11, 30), on_hand_ea=50)  # after as_of: ignored
    SnapshotFactory(item=staged.r, location=l5, snapshot_date=yesterday, on_hand_ea=6)
    SnapshotFactory(item=staged.o, location=l5, snapshot_date=d(11, 2), on_hand_ea=9)
    rows = {row["location_id"] - 2000: row for row in location_stages(Filters(yesterday), [staged.group_id])}
    assert (rows[1]["stage"], rows[1]["replacement_on_hand_ea"]) == ("set_up", 0)
    assert (rows[5]["stage"], rows[5]["replacement_on_hand_ea"], rows[5]["original_on_hand_ea"]) == ("ready", 6, 9)
    # No snapshot on or before the day: 0, whatever item_location holds today.
    assert (rows[6]["stage"], rows[6]["replacement_on_hand_ea"], rows[6]["original_on_hand_ea"]) == ("set_up", 0, 0)


def test_on_hand_source_says_where_figures_come_from(staged):
    today = on_hand_source(AS_OF, item__membership__group_id=staged.group_id)
    assert (today.from_snapshots, today.label) == (False, "on hand today, from the stock records")
    assert str(on_hand_source(AS_OF + timedelta(days=3))) == "on hand today, from the stock records"
    past = d(11, 10)
    assert str(on_hand_source(past)) == "on hand as of 2026-11-10: no snapshot on or before it, so 0"
    SnapshotFactory(item=staged.r, location=staged.locations[0], snapshot_date=d(10, 1), on_hand_ea=1)
    SnapshotFactory(item=staged.r, location=staged.locations[1], snapshot_date=d(10, 5), on_hand_ea=1)
    source = on_hand_source(past, item__membership__group_id=staged.group_id)
    assert (source.from_snapshots, source.snapshot_date) == (True, d(10, 5))
    assert source.label == "on hand as of the snapshot of 2026-10-05"
    assert on_hand_source(past, location_id=2001, item__membership__group_id=staged.group_id).snapshot_date == d(10, 1)


def test_location_stages_is_one_query_however_many_groups_and_locations(staged, conversion, django_assert_num_queries):
    with django_assert_num_queries(1):
        small = location_stages(Filters(AS_OF))
    grow(conversion, members=4, locations=5, days=3)
    for n in range(5):
        ItemLocationFactory(item=staged.r, location=LocationFactory(), on_hand_ea=n)
    with django_assert_num_queries(1):
        large = location_stages(Filters(AS_OF))
    with django_assert_num_queries(1):
        location_stages(Filters(AS_OF - timedelta(days=1)), [staged.group_id, conversion.group_id])
    assert len(large) == len(small) + 10
