"""What the API fuzzing (tests/test_api_fuzz.py) found, kept as regression tests."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from collector.models import ItemGroup, ItemLink
from collector.services import link_add
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

HUGE = "1008550898999310146380759040"  # far past any integer key; SQLite raised OverflowError


@pytest.fixture
def group_id():
    a, b = ItemFactory(), ItemFactory()
    return link_add(item_id=a.pk, replace_item_id=b.pk).group_id


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", f"/links/{HUGE}/1"),
        ("post", f"/conflicts/{HUGE}/resolve"),
        ("post", f"/members/{HUGE}/role"),
        ("post", f"/groups/{HUGE}/merge"),
        ("get", f"/api/groups/{HUGE}/kpis"),
        ("get", "/api/items/2147483648/kpis"),  # one past the largest INT
        ("get", "/dashboard/groups/0"),
    ],
)
def test_ids_out_of_range_in_paths_are_not_found(steward_client, method, path):
    response = getattr(steward_client, method)(path, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert "error" in response.json()


def test_a_target_group_id_out_of_range_is_a_400_and_nothing_moves(steward_client, group_id):
    response = steward_client.post(
        f"/groups/{group_id}/merge",
        {"target_group_id": "50294317413791680167936"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert "target_group_id" in response.json()["error"]
    assert ItemGroup.objects.filter(pk=group_id).exists() and ItemLink.objects.count() == 1


def test_split_ids_out_of_range_are_a_400(steward_client, group_id):
    response = steward_client.post(
        f"/groups/{group_id}/split",
        {"item_ids": [HUGE]},
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400


def test_a_group_without_owner_matches_the_schema(planner_client, group_id):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["schemas"]["Group"]["properties"]["owner"].get("nullable") is True
    body = planner_client.get("/groups", headers={"Accept": "application/json"}).json()
    assert body["results"][0]["owner"] is None
