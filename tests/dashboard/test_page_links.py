"""The dashboard leads to the curation pages, shows a group's open conflicts, and ranks by a chosen location."""

import pytest
from django.urls import reverse

from collector.services import link_add
from dashboard.queries import Filters, overview_groups
from tests.dashboard.conftest import AS_OF
from tests.factories import BurnRateFactory, ItemFactory, ItemLocationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("location_id", "ranked"),
    [
        (None, ["second", "first", "empty"]),  # all active groups, by the originals' spend
        (1001, ["second", "first"]),  # the empty group has nothing anywhere
        (1003, ["first"]),  # only B (of the first group) is stocked there
        (1004, []),
    ],
)
def test_a_location_keeps_the_groups_with_stock_or_burn_there(conversion, location_id, ranked):
    names = {conversion.group_id: "first", conversion.second_id: "second", conversion.empty_id: "empty"}
    rows = overview_groups(Filters(AS_OF, location_id))
    assert [names[r["group_id"]] for r in rows] == ranked


def test_burn_without_stock_counts_as_present(conversion):
    l4 = conversion.locations[3]
    ItemLocationFactory(item=conversion.q, location=l4, on_hand_ea=0)
    BurnRateFactory(item=conversion.q, location=l4, as_of_date=AS_OF, burnrate_ea_per_day=3)
    assert [r["group_id"] for r in overview_groups(Filters(AS_OF, 1004))] == [conversion.second_id]


def test_the_overview_says_po_lines_carry_no_location(planner_client, conversion):
    page = planner_client.get(reverse("dashboard:overview"), {"as_of": AS_OF, "location_id": 1003}).content.decode()
    assert "with a member stocked or burning at location 1003" in page
    assert "PO lines carry no location" in page
    empty = planner_client.get(reverse("dashboard:overview"), {"as_of": AS_OF, "location_id": 1004}).content.decode()
    assert "No active group has a member stocked or burning at location 1004" in empty


def test_group_dashboard_links_to_curation_and_lists_open_conflicts(
    planner_client, conversion, django_assert_max_num_queries
):
    url = reverse("dashboard:group", args=[conversion.group_id])
    with django_assert_max_num_queries(25):
        page = planner_client.get(url, {"as_of": AS_OF}).content.decode()
    assert f'href="/groups/{conversion.group_id}"' in page
    # GLV-A is replaced by GLV-C and GLV-D; GLV-C replaces GLV-A and GLV-B.
    assert "2 open conflicts" in page
    assert "GLV-A</span> one item replaced by several (replaced by 2, replaces 0)" in page
    assert f'href="/conflicts?group={conversion.group_id}"' in page
    quiet = planner_client.get(reverse("dashboard:group", args=[conversion.second_id])).content.decode()
    assert "No open conflict on this group" in quiet


def test_an_item_page_links_to_its_group_pages(planner_client, conversion):
    page = planner_client.get(reverse("dashboard:item", args=[conversion.a.pk])).content.decode()
    assert f'href="/dashboard/groups/{conversion.group_id}?' in page
    assert f'href="/groups/{conversion.group_id}#member-{conversion.a.pk}"' in page
    loner = ItemFactory()
    page = planner_client.get(reverse("dashboard:item", args=[loner.pk])).content.decode()
    assert f'href="/collect?item={loner.pk}"' in page


def test_a_merged_away_group_redirects_to_its_winner(planner_client, conversion):
    link_add(item_id=conversion.c.pk, replace_item_id=conversion.q.pk)  # merges the second group into the first
    response = planner_client.get(reverse("dashboard:group", args=[conversion.second_id]))
    assert (response.status_code, response["Location"]) == (302, f"/dashboard/groups/{conversion.group_id}")
