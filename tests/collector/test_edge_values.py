"""Boundary values in the collector's query strings: ids beyond the columns' range, odd digits, page sizes."""

import pytest
from django.urls import reverse

from tests.collector.conftest import link

pytestmark = pytest.mark.django_db
NOT_IDS = [str(2**31), str(2**63), str(2**64), "9" * 40, "0", "-1", "²", "١٢", "1.5"]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("collector:collect", "item"),
        ("collector:collect", "replace"),
        ("collector:collect_preview", "item"),
        ("collector:group_options", "exclude"),
    ],
)
def test_a_number_that_is_no_id_names_nothing(planner_client, items, name, key, value):
    response = planner_client.get(reverse(name), {key: value, "q": "A00"})
    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_IDS)
def test_split_preview_ignores_numbers_that_are_no_ids(steward_client, items, value):
    group_id = link(items[0], items[1]).group_id
    response = steward_client.get(reverse("collector:group_split", args=[group_id]), {"item_ids": value})
    assert response.status_code == 200


@pytest.mark.parametrize("per_page", ["0", "-1", "-99999999999999999999", "1000000"])
@pytest.mark.parametrize("name", ["collector:groups", "collector:conflicts"])
def test_the_page_size_is_ours(planner_client, items, name, per_page):
    for a, b in zip(items[:-1], items[1:], strict=True):
        link(a, b)
    response = planner_client.get(reverse(name), {"per_page": per_page})
    assert response.status_code == 200
    if name == "collector:groups":
        body = planner_client.get(reverse(name), {"per_page": per_page}, headers={"Accept": "application/json"})
        assert body.status_code == 200
