"""Schemathesis against the live server: every operation of the OpenAPI schema, logged in as a steward.

No answer may be a 5xx, and every answer must match the schema: its status,
its content type and its body. A crash found here gets a regression test
beside the code it concerns.
"""

import pytest
import requests
import schemathesis
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from collector.services import link_add
from tests.factories import ItemFactory, ItemLocationFactory, PoLineFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 60

# The schema the server publishes at /api/schema/, made in-process so the
# operations can be listed when the tests are collected.
SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
OPERATIONS = sorted(op.ok().label for op in SCHEMA.get_all_operations())


def test_the_schema_has_operations_to_fuzz():
    assert len(OPERATIONS) >= 15
    assert "POST /api/collect/link" in OPERATIONS
    assert {"GET /api/groups/{group_id}/locations", "PUT /api/groups/{group_id}/locations"} <= set(OPERATIONS)


@pytest.fixture
def fuzz_session(live_server, steward):
    """A requests session logged in as a steward, with a CSRF token the server accepts."""
    client = Client()
    client.force_login(steward)
    token = _get_new_csrf_string()
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    session.cookies.set(settings.CSRF_COOKIE_NAME, token)
    # One connection per request: the test server's keep-alive handling, not the app, would
    # otherwise decide how a malformed request affects the next one.
    session.headers.update(
        {"X-CSRFToken": token, "Accept": "application/json", "Referer": live_server.url, "Connection": "close"}
    )
    return session


@pytest.fixture
def world(transactional_db):
    """Something to find: two groups with links, stock, purchases and an open conflict."""
    items = [ItemFactory(erp_item_code=f"{2000000 + n}") for n in range(6)]
    link_add(item_id=items[0].pk, replace_item_id=items[1].pk)
    link_add(item_id=items[0].pk, replace_item_id=items[2].pk)
    link_add(item_id=items[3].pk, replace_item_id=items[4].pk)
    for item in items[:3]:
        ItemLocationFactory(item=item, on_hand_ea=40)
        PoLineFactory(item=item)
    return items


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_never_fails_and_matches_its_schema(label, world, live_server, fuzz_session):
    operation = SCHEMA.find_operation_by_label(label)
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def fuzz(case):
        # The schema names the session cookie as the API's login; schemathesis fills it with
        # made-up values. Send the steward's real one instead (from the session's cookie jar).
        case.cookies = {k: v for k, v in (case.cookies or {}).items() if k != settings.SESSION_COOKIE_NAME}
        response = case.call_and_validate(base_url=live_server.url, session=fuzz_session, checks=CHECKS)
        statuses.add(response.status_code)

    fuzz()
    # The session really is a steward's, and its CSRF token is accepted: the fuzzing reached the views.
    assert not statuses & {401, 403}, statuses
