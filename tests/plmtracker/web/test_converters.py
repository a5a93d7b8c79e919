"""Ids in paths: every route takes them through the site's bounded converters, never Django's `int`."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from collector.models import GroupLocationPlan
from collector.services import link_add
from plmtracker.web.converters import MAX_ID, IdConverter, LocationNumberConverter
from tests.factories import ItemFactory, LocationFactory


def patterns(entries=None, prefix: str = ""):
    """(route, converters) for every URL pattern of the project, the admin's included."""
    for entry in entries if entries is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield route, entry.pattern.converters
            yield from patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.pattern.converters


def test_no_route_takes_an_unbounded_int():
    unbounded = sorted(
        f"{route} ({name})"
        for route, converters in patterns()
        for name, converter in converters.items()
        if isinstance(converter, IntConverter)
    )
    assert not unbounded, f"use <id:...> or <location:...> (plmtracker/web/converters.py) in: {unbounded}"


def test_every_id_in_our_paths_goes_through_a_bounded_converter():
    loose = sorted(
        f"{route} ({name})"
        for route, converters in patterns()
        if not route.startswith("admin/")
        for name, converter in converters.items()
        if name.endswith("_id") and not isinstance(converter, IdConverter)
    )
    assert not loose, loose


@pytest.mark.parametrize(
    ("converter", "value", "number"),
    [
        (IdConverter(), "1", 1),
        (IdConverter(), str(MAX_ID), MAX_ID),
        (LocationNumberConverter(), "0", 0),
        (LocationNumberConverter(), str(MAX_ID), MAX_ID),
    ],
)
def test_the_converters_take_the_whole_key_range(converter, value, number):
    assert converter.to_python(value) == number


@pytest.mark.parametrize(
    ("converter", "value"),
    [(IdConverter(), "0"), (IdConverter(), str(MAX_ID + 1)), (LocationNumberConverter(), str(MAX_ID + 1))],
)
def test_the_converters_refuse_numbers_beyond_it(converter, value):
    with pytest.raises(ValueError):
        converter.to_python(value)


@pytest.fixture
def group_id(db):
    a, b = ItemFactory(), ItemFactory()
    return link_add(item_id=a.pk, replace_item_id=b.pk).group_id


@pytest.mark.django_db
@pytest.mark.parametrize("location", ["9223372036854775808", "2147483648", "99999999999999999999999"])
def test_a_location_number_beyond_the_keys_names_nothing(steward_client, group_id, location):
    response = steward_client.post(
        f"/groups/{group_id}/locations/{location}",
        {"go_live_date": "2027-01-04"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.django_db
def test_location_number_0_is_a_location_like_any_other(steward_client, group_id):
    zero = LocationFactory(location_id=0, location_name="CENTRAL STORE")
    response = steward_client.post(
        f"/groups/{group_id}/locations/0", {"go_live_date": "2027-01-04"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["location_id"] == zero.pk
    assert GroupLocationPlan.objects.get(group_id=group_id).location_id == 0
