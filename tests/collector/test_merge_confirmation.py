"""A merge's confirmation says what the merged-away group loses: both groups side by side, what survives."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collector import selectors
from collector.models import GroupLocationPlan, ItemGroup
from tests.collector.conftest import link
from tests.factories import LocationFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def two_active(items):
    """Group g1 (A0000 -> A0001) and g2 (A0003 -> A0004), both active with their own settings and plans.

    A0001 -> A0003 merges g2 (the larger id) into g1.
    """
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[3], items[4]).group_id
    ana = UserFactory(email="ana@example.org", name="Ana Owner")
    ben = UserFactory(email="ben@example.org", name="Ben Owner")
    ItemGroup.objects.filter(pk=g1).update(
        name="Gloves to nitrile",
        status="active",
        owner=ana,
        start_date=D(2026, 3, 1),
        end_date=D(2026, 9, 30),
        use_up_policy="use_up",
    )
    ItemGroup.objects.filter(pk=g2).update(
        name="Syringe switch",
        status="active",
        owner=ben,
        start_date=D(2026, 5, 1),
        end_date=D(2026, 12, 31),
        last_order_date=D(2026, 6, 1),
        use_up_policy="immediate",
    )
    north, south, east, west = (LocationFactory(location_name=n) for n in ("North", "South", "East", "West"))
    GroupLocationPlan.objects.bulk_create(
        [
            GroupLocationPlan(group_id=g1, location=north, go_live_date=D(2026, 4, 1)),
            GroupLocationPlan(group_id=g1, location=south, go_live_date=None),
            GroupLocationPlan(group_id=g2, location=north, go_live_date=D(2026, 6, 15)),  # dropped: g1 has a date
            GroupLocationPlan(group_id=g2, location=south, go_live_date=D(2026, 7, 1)),  # fills g1's empty date
            GroupLocationPlan(group_id=g2, location=east, go_live_date=D(2026, 8, 1)),  # moves over
            GroupLocationPlan(group_id=g2, location=west, go_live_date=None),  # moves over
        ]
    )
    return g1, g2


def test_the_comparison_follows_the_merge_rules(two_active):
    g1, g2 = two_active
    c = selectors.merge_comparison(g2, g1)
    rows = {r.field: (r.loser, r.winner, r.kept, r.lost) for r in c.rows}
    assert [r.field for r in c.rows if r.lost] == [
        "name",
        "owner",
        "start_date",
        "end_date",
        "last_order_date",
        "use_up_policy",
    ]
    assert rows["name"] == ("Syringe switch", "Gloves to nitrile", "Gloves to nitrile", True)
    assert rows["owner"] == (
        "Ben Owner <ben@example.org>",
        "Ana Owner <ana@example.org>",
        "Ana Owner <ana@example.org>",
        True,
    )
    assert rows["status"] == ("Active", "Active", "Active", False)
    assert rows["reason"] == ("none", "none", "none", False)
    assert rows["start_date"] == ("2026-05-01", "2026-03-01", "2026-03-01", True)
    assert rows["end_date"] == ("2026-12-31", "2026-09-30", "2026-09-30", True)
    assert rows["last_order_date"] == ("2026-06-01", "none", "none", True)  # a date the kept group lacks goes too
    assert rows["use_up_policy"] == ("Replace at go-live", "Use up the originals", "Use up the originals", True)
    assert rows["member_count"] == ("2", "2", "4", False)
    assert rows["location_plan_count"] == ("4", "2", "4", False)
    p = c.plans
    assert (p.moved, p.filled, p.dropped, p.difference_count) == (2, 1, 1, 2)
    assert [(d.location_name, d.kept_date) for d in p.differences] == [
        ("North", D(2026, 4, 1)),
        ("South", D(2026, 7, 1)),
    ]


def test_what_the_comparison_says_survives_is_what_the_merge_keeps(two_active, steward):
    from collector import services

    g1, g2 = two_active
    c = selectors.merge_comparison(g2, g1)
    services.group_merge(group_id=g2, target_group_id=g1, user=steward)
    kept = ItemGroup.objects.get(pk=g1)
    assert (kept.name, kept.owner.email, kept.start_date, kept.end_date, kept.use_up_policy) == (
        c.kept.name,
        c.kept.owner,
        c.kept.start_date,
        c.kept.end_date,
        c.kept.use_up_policy,
    )
    plans = dict(GroupLocationPlan.objects.filter(group_id=g1).values_list("location__location_name", "go_live_date"))
    assert len(plans) == c.kept.location_plan_count == 4
    assert plans == {"North": D(2026, 4, 1), "South": D(2026, 7, 1), "East": D(2026, 8, 1), "West": None}


def test_the_collect_preview_shows_both_groups_side_by_side(planner_client, items, two_active):
    g1, g2 = two_active
    page = planner_client.get("/collect/preview", {"item": items[1].pk, "replace": items[3].pk}).content.decode()
    assert 'id="merge-comparison"' in page
    assert f"Group {g2} <span" in page and f"Group {g1} <span" in page
    assert (
        f"Group {g1} keeps its own settings; group {g2}'s members move into it and group {g2} is deleted. "
        f"Group {g2}'s name, owner, start date, end date, last order date and use-up policy are dropped."
    ) in html.unescape(page)
    assert '<s>Syringe switch</s> <span class="badge text-bg-danger">dropped</span>' in page
    assert '<s>Ben Owner &lt;ben@example.org&gt;</s> <span class="badge text-bg-danger">dropped</span>' in page
    assert '<s>Replace at go-live</s> <span class="badge text-bg-danger">dropped</span>' in page
    assert (
        f"Location plans of group {g2}: 2 move over; 1 fill an empty date; 1 dated plan(s) of group {g2} are "
        "dropped. 2 locations have a different go-live in each group:"
    ) in page
    assert "North: <span" in page and "<strong" in page
    # The tick comes after the table, and a link that merges nothing shows no comparison.
    assert page.index('id="merge-comparison"') < page.index('id="confirm-merge"')
    plain = planner_client.get("/collect/preview", {"item": items[0].pk, "replace": items[2].pk}).content.decode()
    assert 'id="merge-comparison"' not in plain


def test_the_refused_collect_form_shows_the_comparison(steward_client, items, two_active, unchanged):
    with unchanged():
        page = steward_client.post("/collect", {"item": items[1].pk, "replace": items[3].pk}).content.decode()
    assert 'id="merge-comparison"' in page and "<s>Syringe switch</s>" in page


def test_the_409_says_what_each_group_has_and_what_survives(steward_api, two_active, unchanged):
    g1, g2 = two_active
    with unchanged():
        refused = steward_api.post("/api/collect/link", {"item": "A0001", "replace": "A0003"})
    assert refused.status_code == 409
    c = refused.json()["preview"]["comparison"]
    assert (c["loser"]["group_id"], c["winner"]["group_id"], c["kept"]["group_id"]) == (g2, g1, g1)
    assert c["loser"] | {"location_plan_count": 4} == {
        "group_id": g2,
        "name": "Syringe switch",
        "title": "Syringe switch",
        "owner": "ben@example.org",
        "status": "active",
        "start_date": "2026-05-01",
        "end_date": "2026-12-31",
        "last_order_date": "2026-06-01",
        "use_up_policy": "immediate",
        "reason": None,
        "member_count": 2,
        "location_plan_count": 4,
    }
    assert (c["kept"]["name"], c["kept"]["owner"], c["kept"]["member_count"], c["kept"]["location_plan_count"]) == (
        "Gloves to nitrile",
        "ana@example.org",
        4,
        4,
    )
    assert c["lost"] == ["name", "owner", "start_date", "end_date", "last_order_date", "use_up_policy"]
    assert c["location_plans"] | {"differences": None} == {
        "moved": 2,
        "filled": 1,
        "dropped": 1,
        "difference_count": 2,
        "differences": None,
    }
    assert c["location_plans"]["differences"][0] == {
        "location_id": c["location_plans"]["differences"][0]["location_id"],
        "location_name": "North",
        "loser_date": "2026-06-15",
        "winner_date": "2026-04-01",
        "kept_date": "2026-04-01",
    }
    plain = steward_api.get("/api/collect/preview", item="A0000", replace="A0002").json()
    assert plain["comparison"] is None


def test_the_comparison_costs_two_queries_however_many_plans(two_active, django_assert_num_queries):
    g1, g2 = two_active
    with django_assert_num_queries(2):
        selectors.merge_comparison(g2, g1)
    more = [LocationFactory() for _ in range(20)]
    GroupLocationPlan.objects.bulk_create(GroupLocationPlan(group_id=g2, location=loc) for loc in more)
    with django_assert_num_queries(2):
        c = selectors.merge_comparison(g2, g1)
    assert c.loser.location_plan_count == 24


def same_queries_with_more_plans(client, url, query, group_id, django_assert_num_queries):
    """The page costs as many queries after the group gains 15 location plans as before."""
    client.get(url, query)
    with CaptureQueriesContext(connection) as small:
        client.get(url, query)
    more = [LocationFactory() for _ in range(15)]
    GroupLocationPlan.objects.bulk_create(GroupLocationPlan(group_id=group_id, location=loc) for loc in more)
    with django_assert_num_queries(len(small)):
        assert client.get(url, query).status_code == 200


def test_the_collect_preview_query_count_is_constant(planner_client, items, two_active, django_assert_num_queries):
    g1, g2 = two_active
    query = {"item": items[1].pk, "replace": items[3].pk}
    same_queries_with_more_plans(planner_client, "/collect/preview", query, g2, django_assert_num_queries)


# --------------------------------------------------------------------------
# The steward's merge card on the group page, and its JSON preview


def test_the_group_page_merge_card_shows_both_groups_for_the_chosen_target(steward_client, two_active):
    g1, g2 = two_active
    page = steward_client.get(f"/groups/{g2}/merge", {"target_group_id": g1}).content.decode()
    card = page[page.index('id="merge"') :]
    assert 'id="merge-comparison"' in card and f'data-loser="{g2}" data-winner="{g1}"' in card
    assert '<s>Syringe switch</s> <span class="badge text-bg-danger">dropped</span>' in card
    assert f'name="target_group_id" id="target-value" value="{g1}"' in card  # the picker keeps the target
    assert card.index('id="merge-comparison"') < card.index(f"Merge group {g2}</button>")
    # Without a target the card says what choosing one shows.
    plain = steward_client.get(f"/groups/{g2}").content.decode()
    assert "Choose the target group to see both groups side by side" in plain
    assert 'id="merge-comparison"' not in plain


def test_the_merge_card_fragment_follows_the_picker(steward_client, two_active):
    g1, g2 = two_active
    htmx = {"HTTP_HX_REQUEST": "true"}
    fragment = steward_client.get(f"/groups/{g2}/merge", {"target_group_id": g1}, **htmx).content.decode()
    assert fragment.lstrip().startswith('<div id="merge-preview"')
    assert 'hx-trigger="picker:change from:#target-value"' in fragment
    assert "<s>Ben Owner &lt;ben@example.org&gt;</s>" in fragment
    itself = steward_client.get(f"/groups/{g2}/merge", {"target_group_id": g2}, **htmx).content.decode()
    assert "A group cannot be merged into itself: choose another group." in itself
    missing = steward_client.get(f"/groups/{g2}/merge", {"target_group_id": 9999}, **htmx).content.decode()
    assert "Group 9999 does not exist (it may have been merged into another group)." in missing


def test_the_json_merge_preview_matches_the_link_preview_and_writes_nothing(steward_api, two_active, unchanged):
    g1, g2 = two_active
    with unchanged():
        response = steward_api.get(f"/api/groups/{g2}/merge", target_group_id=g1)
    assert response.status_code == 200
    body = response.json()
    assert (body["loser"]["name"], body["winner"]["name"], body["kept"]["member_count"]) == (
        "Syringe switch",
        "Gloves to nitrile",
        4,
    )
    assert body["lost"] == ["name", "owner", "start_date", "end_date", "last_order_date", "use_up_policy"]
    link_409 = steward_api.post("/api/collect/link", {"item": "A0001", "replace": "A0003"}).json()
    assert link_409["preview"]["comparison"] == body  # a link's merge and a steward's merge say the same
    assert steward_api.get(f"/api/groups/{g2}/merge", target_group_id=g2).status_code == 400
    assert steward_api.get(f"/api/groups/{g2}/merge", target_group_id=9999).status_code == 404
    assert steward_api.get(f"/api/groups/{g2}/merge").status_code == 400
    assert steward_api.get(f"/api/groups/{g2}/merge", target_group_id="x").status_code == 400


def test_the_merge_card_costs_the_same_queries_however_many_plans(
    steward_client, two_active, django_assert_num_queries
):
    g1, g2 = two_active
    query = {"target_group_id": g1}
    same_queries_with_more_plans(steward_client, f"/groups/{g2}/merge", query, g2, django_assert_num_queries)


def test_an_unnamed_group_loses_no_name_and_a_group_without_plans_says_so(items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[3], items[4]).group_id
    ItemGroup.objects.filter(pk=g2).update(status="active")
    c = selectors.merge_comparison(g2, g1)
    name = next(r for r in c.rows if r.field == "name")
    assert (name.loser, name.lost) == ("none (shown as “SYRINGE LUER LOCK 10ML -> SYRINGE LUER SLIP 10ML”)", False)
    assert c.lost_fields == ["status"]  # the active syringe group becomes part of a draft
    assert c.plans_text == "it has none"


def test_many_merges_are_compared_in_two_queries(items, django_assert_num_queries):
    groups = [link(items[n], items[n + 1]).group_id for n in (0, 2, 4, 6, 8)]
    pairs = [(g, groups[0]) for g in groups[1:]] + [(9999, groups[0])]  # a group that is gone is left out
    with django_assert_num_queries(2):
        compared = selectors.merge_comparisons(pairs)
    assert sorted(compared) == sorted(pairs[:-1])
    assert {c.kept.member_count for c in compared.values()} == {4}


def test_the_merge_confirmations_query_counts(steward_client, items, two_active, django_assert_num_queries):
    """Pinned: the comparison adds its two queries to each place a merge is confirmed, whatever the groups hold."""
    g1, g2 = two_active
    json = {"HTTP_ACCEPT": "application/json"}
    merge = {"target_group_id": g1}
    with CaptureQueriesContext(connection) as page:
        steward_client.get(f"/groups/{g2}")
    for url, query, extra, count in [
        ("/collect/preview", {"item": items[1].pk, "replace": items[3].pk}, {}, 16),  # 13 + families + comparison
        (f"/groups/{g2}/merge", merge, {}, len(page) + 2),
        (f"/groups/{g2}/merge", merge, {"HTTP_HX_REQUEST": "true"}, 6),
        (f"/api/groups/{g2}/merge", merge, json, 4),
    ]:
        with django_assert_num_queries(count):
            assert steward_client.get(url, query, **extra).status_code == 200
