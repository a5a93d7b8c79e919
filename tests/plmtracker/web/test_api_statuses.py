"""The schema lists every status an operation really answers (issue 13, finding 11).

Each operation is called the ways a client can get it wrong (a malformed body, another
media type, a NUL in a text field, no CSRF token, an id that names nothing); whatever
it answers must be among the statuses its schema documents, or schemathesis flips.
"""

import json

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tests.accounts.test_url_access import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    (method, path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method in {"get", "post", "put", "patch", "delete"}
]
WITH_BODY = [op for op in OPERATIONS if op[2].get("requestBody")]
UNSAFE = [op for op in OPERATIONS if op[0] != "get"]
WITH_PATH_ID = [op for op in OPERATIONS if "{" in op[1]]


def label(op) -> str:
    return f"{op[0].upper()} {op[1]}"


def url(path: str, world, missing: bool = False) -> str:  # noqa: F811
    ids = {"group_id": world.group_id, "item_id": world.items[0].pk, "replace_item_id": world.items[1].pk}
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(2_147_483_647 if missing else value))
    return path


def documented(operation) -> set[int]:
    return {int(status) for status in operation["responses"]}


def body_fields(operation) -> dict:
    content = operation["requestBody"]["content"]
    schema = next(iter(content.values()))["schema"]
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    return SCHEMA["components"]["schemas"].get(name, schema).get("properties", {})


def call(client, method, path, body: str | None = None, content_type="application/json"):
    if body is None:
        return client.generic(method.upper(), path, headers={"Accept": "application/json"})
    return client.generic(method.upper(), path, body, content_type=content_type, headers={"Accept": "application/json"})


@pytest.mark.parametrize("op", WITH_BODY, ids=label)
def test_a_malformed_body_or_another_media_type_is_documented(op, world, steward_client):  # noqa: F811
    method, path, operation = op
    for body, content_type in (("{", "application/json"), ("item=1", "text/plain")):
        response = call(steward_client, method, url(path, world), body, content_type)
        assert response.status_code in documented(operation), (label(op), content_type, response.content[:200])


@pytest.mark.parametrize("op", WITH_BODY, ids=label)
def test_a_nul_in_any_text_field_is_documented(op, world, steward_client):  # noqa: F811
    method, path, operation = op
    texts = {name: "a\x00b" for name, field in body_fields(operation).items() if field.get("type") == "string"}
    response = call(steward_client, method, url(path, world), json.dumps(texts))
    assert response.status_code < 500
    assert response.status_code in documented(operation), (label(op), response.content[:200])


def test_a_nul_in_a_conflict_reason_is_a_documented_400(world, steward_client):  # noqa: F811
    operation = SCHEMA["paths"]["/api/conflicts/{item_id}/resolve"]["post"]
    address = url("/api/conflicts/{item_id}/resolve", world)
    response = call(steward_client, "post", address, json.dumps({"reason": "\x00"}))
    assert response.status_code == 400 and "error" in response.json()
    assert 400 in documented(operation)


@pytest.mark.parametrize("op", UNSAFE, ids=label)
def test_a_write_without_csrf_token_is_a_documented_403(op, world, steward):  # noqa: F811
    method, path, operation = op
    client = Client(enforce_csrf_checks=True)
    client.force_login(steward)
    response = call(client, method, url(path, world), "{}" if operation.get("requestBody") else None)
    assert response.status_code == 403
    assert 403 in documented(operation), label(op)


@pytest.mark.parametrize("op", WITH_PATH_ID, ids=label)
def test_an_id_that_names_nothing_is_a_documented_404(op, world, steward_client):  # noqa: F811
    method, path, operation = op
    response = call(
        steward_client, method, url(path, world, missing=True), "{}" if operation.get("requestBody") else None
    )
    assert response.status_code in documented(operation), (label(op), response.content[:200])


WITH_QUERY = [op for op in OPERATIONS if any(p["in"] == "query" for p in op[2].get("parameters", []))]


@pytest.mark.parametrize("op", WITH_QUERY, ids=label)
def test_a_nul_in_a_query_parameter_is_a_documented_400(op, world, steward_client):  # noqa: F811
    method, path, operation = op
    name = next(p["name"] for p in operation["parameters"] if p["in"] == "query")
    response = call(steward_client, method, f"{url(path, world)}?{name}=%00")
    assert response.status_code == 400 and 400 in documented(operation), label(op)


@pytest.mark.parametrize("op", OPERATIONS, ids=label)
def test_an_unconfirmed_account_is_refused_as_documented(op, world):  # noqa: F811
    method, path, operation = op
    client = Client()
    client.force_login(world.unconfirmed)
    response = call(client, method, url(path, world), "{}" if operation.get("requestBody") else None)
    assert response.status_code == 403, (label(op), response.content[:200])
    assert "Confirm your e-mail address first" in response.json()["error"]
    assert 403 in documented(operation)
