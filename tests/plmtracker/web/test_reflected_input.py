"""Input that a page repeats back never turns into markup (issue 13, finding 1)."""

import ast
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from tests.accounts.test_url_access import ROUTES, route_id, world  # noqa: F401 (fixture)

PAYLOAD = "<img src=x onerror=alert(document.domain)>"
# Query parameters the pages and APIs read, and any a route's own test data names.
PARAMS = ("as_of", "location_id", "days", "q", "next", "page", "sort", "status", "picker", "exclude", "item", "replace")
ROOT = Path(__file__).resolve().parents[3]
SOURCE_DIRS = ("accounts", "collector", "dashboard", "plmtracker")


def _markup_echoed(response) -> bool:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return content_type.startswith("text/html") and PAYLOAD.encode() in body


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/export.csv?location_id=" + PAYLOAD,
        "/dashboard/export." + PAYLOAD,
        "/dashboard/groups/{group}/members.csv?location_id=" + PAYLOAD,
        "/dashboard/groups/{group}/members." + PAYLOAD,
    ],
)
@pytest.mark.django_db
def test_an_export_refusal_repeats_the_input_escaped(steward_client, world, path):  # noqa: F811
    response = steward_client.get(path.format(group=world.group_id))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert PAYLOAD.encode() not in response.content
    assert b"&lt;img src=x onerror=alert(document.domain)&gt;" in response.content


@pytest.mark.django_db
def test_an_export_refusal_answers_json_to_a_json_client(steward_client):
    response = steward_client.get(
        "/dashboard/export.csv", {"location_id": PAYLOAD}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "error" in response.json()


GET_ROUTES = [route for route in ROUTES if route.method == "GET"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", GET_ROUTES, ids=route_id)
def test_no_route_repeats_a_query_parameter_as_markup(route, world, steward_client):  # noqa: F811
    kwargs = route.resolved_kwargs(world)
    names = set(PARAMS) | set(route.resolved_data(world) or {})
    for name in sorted(names):
        response = steward_client.get(reverse(route.name, kwargs=kwargs), {name: PAYLOAD}, headers=route.headers or {})
        assert not _markup_echoed(response), f"{route.name}?{name}= repeats the input unescaped"
    text_kwargs = {key: PAYLOAD for key, value in kwargs.items() if isinstance(value, str)}
    if text_kwargs:
        try:
            url = reverse(route.name, kwargs={**kwargs, **text_kwargs})
        except NoReverseMatch:  # the path converter refuses it: nothing to repeat
            return
        response = steward_client.get(url, headers=route.headers or {})
        assert not _markup_echoed(response), f"{url} repeats the path unescaped"


def _string_built_responses(tree: ast.AST):
    """Calls like HttpResponse(f"...{x}") without a content type: HTML made from a formatted string."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if not name.startswith("HttpResponse") or any(k.arg == "content_type" for k in node.keywords):
            continue
        body = node.args[0]
        formatted = isinstance(body, ast.JoinedStr | ast.BinOp) or (
            isinstance(body, ast.Call) and getattr(body.func, "attr", "") == "format"
        )
        called = body.func.id if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) else ""
        if formatted or (isinstance(body, ast.Call) and "first_error" in (getattr(body.func, "attr", ""), called)):
            yield node.lineno


def test_no_html_response_is_built_from_a_formatted_string():
    found = []
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            found += [
                f"{path.relative_to(ROOT)}:{line}" for line in _string_built_responses(ast.parse(path.read_text()))
            ]
    assert not found, f"answer errors with plmtracker.web.views.error_response (escaped) or JSON: {found}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/collect/items?q=%00", "/groups/search?q=a%00b", "/groups?q=%00", "/dashboard?%00=1"]
)
def test_a_nul_in_a_query_parameter_is_a_400(steward_client, path):
    """PostgreSQL refuses NUL in text: the typeahead searches answered 500 there."""
    response = steward_client.get(path)
    assert response.status_code == 400
    assert b"NUL character" in response.content
