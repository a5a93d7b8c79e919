"""Every route, called as anonymous, planner and steward, answers as decided."""

import importlib
import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from accounts.registration import EMAIL_UNCONFIRMED
from collector.models import ItemLink
from collector.services import link_add
from plmtracker.web.http import wants_json
from tests.factories import ItemFactory, ItemLocationFactory, UserFactory
from tests.url_access import ANON_PAGE, UNCONFIRMED, Route, url_names

APPS = sorted(p.parent.name for p in Path(__file__).resolve().parent.parent.glob("*/url_access.py"))
ROUTES: list[Route] = [route for app in APPS for route in importlib.import_module(f"tests.{app}.url_access").ROUTES]


def route_id(route: Route) -> str:
    return route.name + (f"[{route.id}]" if route.id else "")


@pytest.fixture
def world(planner, steward, settings):
    """A few items, a group with two links and an open conflict, and the users."""
    items = [ItemFactory() for _ in range(6)]
    first = link_add(item_id=items[0].pk, replace_item_id=items[1].pk)
    link_add(item_id=items[0].pk, replace_item_id=items[2].pk)
    other = link_add(item_id=items[3].pk, replace_item_id=items[4].pk)
    stocked = ItemLocationFactory(item=items[0], on_hand_ea=10)
    # Registered in `domains` mode a moment ago; the confirmation link not followed yet.
    settings.PLM_REGISTRATION, settings.PLM_REGISTRATION_DOMAINS = "domains", ["hospital.org"]
    unconfirmed = UserFactory(email="new.planner@hospital.org", name="New Planner", email_confirmed=False)
    return SimpleNamespace(
        items=items,
        location_id=stocked.location_id,
        item=items[0],
        group_id=first.group_id,
        other_group_id=other.group_id,
        planner=planner,
        steward=steward,
        unconfirmed=unconfirmed,
    )


def test_every_url_name_has_a_decision():
    decided = {route.name for route in ROUTES}
    missing = url_names() - decided
    assert not missing, (
        f"add these routes to tests/<app>/url_access.py with the status each role gets: {sorted(missing)}"
    )
    stale = decided - url_names()
    assert not stale, f"these routes no longer exist: {sorted(stale)}"


def call(route: Route, world, user=None, client=None):
    client = client or Client()
    if user is not None:
        client.force_login(user)
    url = reverse(route.name, kwargs=route.resolved_kwargs(world))
    data = route.resolved_data(world)
    headers = route.headers or {}
    if route.content_type == "application/json":
        body = json.dumps(data or {})
        return client.generic(route.method, url, body, content_type="application/json", headers=headers)
    if route.method == "GET":
        return client.get(url, data, headers=headers)
    if route.method == "HEAD":
        return client.head(url, data, headers=headers)
    if route.method == "POST":
        return client.post(url, data or {}, headers=headers)
    return client.generic(route.method, url, headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_anonymous(route, world):
    response = call(route, world)
    if route.anonymous == ANON_PAGE:
        assert response.status_code == 302, response.content[:300]
        assert response["Location"].startswith("/login?next=")
    else:
        assert response.status_code == route.anonymous, response.content[:300]
        if route.anonymous == 401:
            assert "error" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_planner(route, world):
    response = call(route, world, world.planner)
    assert response.status_code == route.planner, response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_steward(route, world):
    response = call(route, world, world.steward)
    assert response.status_code == route.steward, response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_unconfirmed(route, world):
    """An account in `domains` registration mode before it confirms its e-mail: its account routes only."""
    links = ItemLink.objects.count()
    response = call(route, world, world.unconfirmed)
    if route.unconfirmed != UNCONFIRMED:
        assert response.status_code == route.unconfirmed, response.content[:300]
        return
    assert response.status_code == 403, response.content[:300]
    if response["Content-Type"] == "application/json":
        assert response.json() == {"error": EMAIL_UNCONFIRMED}
    else:  # a page that says what to do
        page = response.content.decode()
        assert "Confirm your e-mail address first" in page and "new.planner@hospital.org" in page
        assert f'action="{reverse("accounts:confirm_email_resend")}"' in page
    assert ItemLink.objects.count() == links


MUTATING = [route for route in ROUTES if route.method != "GET"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", MUTATING, ids=route_id)
def test_mutating_route_refuses_a_request_without_csrf_token(route, world):
    response = call(route, world, world.steward, client=Client(enforce_csrf_checks=True))
    assert response.status_code == 403, response.content[:300]
    if route.content_type == "application/json" or wants_json(response.wsgi_request):
        assert "csrf" in response.json()["error"].lower()
    else:
        page = response.content.decode()
        assert "Error 403" in page and "CSRF" in page  # the site's error page, saying why


# Methods: a route answers 405, with the methods it takes in Allow, to any other.

NAMES = sorted({route.name for route in ROUTES})
PROBES = ["TRACE", "PROPFIND", "PUT", "PATCH", "DELETE", "POST"]


def taken_methods(name: str) -> set[str]:
    """The methods the URL access table calls `name` with (a GET also takes HEAD)."""
    methods = {route.method for route in ROUTES if route.name == name and route.steward != 405}
    return methods | {"HEAD"} if "GET" in methods else methods


def first_route(name: str) -> Route:
    return next(route for route in ROUTES if route.name == name and route.steward != 405)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_methods_a_route_does_not_take_answer_405_with_allow(name, world):
    route = first_route(name)
    taken = taken_methods(name)
    client = Client()
    client.force_login(world.steward)
    url = reverse(name, kwargs=route.resolved_kwargs(world))
    for method in PROBES:
        if method in taken:
            continue
        response = client.generic(method, url, headers=route.headers or {})
        assert response.status_code == 405, (method, response.status_code, response.content[:300])
        allowed = {m.strip() for m in response["Allow"].split(",")}
        assert allowed - {"OPTIONS"} == taken, (method, response["Allow"])
        if wants_json(response.wsgi_request) or response["Content-Type"] == "application/json":
            assert "not allowed" in response.json()["error"].lower()
        else:
            assert "method not allowed" in response.content.decode().lower()


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "GET"], ids=route_id)
def test_head_answers_as_get_does(route, world):
    response = call(replace(route, method="HEAD"), world, world.steward)
    assert response.status_code == route.steward
