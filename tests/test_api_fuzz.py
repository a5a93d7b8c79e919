"""Schemathesis against the live server: every operation of the OpenAPI schema, logged in as a steward.

No answer may be a 5xx, and every answer must match the schema: its status,
its content type and its body. A crash found here gets a regression test
beside the code it concerns. The same run as an account that has still to
confirm its e-mail gets refusals only; and every path answers 405, with the
methods it takes in Allow, to the methods its schema does not list.

The normal run is derandomized: every run sends the same cases, so CI gives the
same result twice. `scripts/fuzz.sh` (not part of .ci/run) explores with fresh
random cases (PLM_FUZZ_RANDOM=1) and more of them (PLM_FUZZ_EXAMPLES).
"""

import os

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
from tests.factories import ItemFactory, ItemLocationFactory, PoLineFactory, UserFactory

# The fuzz run: out of the fast lane (its tests on the live server are slow by fixture too).
pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("PLM_FUZZ_EXAMPLES", "60"))
# Derandomized unless asked: hypothesis then draws the same cases for an operation on every run.
RANDOM = os.environ.get("PLM_FUZZ_RANDOM") == "1"
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=not RANDOM,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# The schema the server publishes at /api/schema/, made in-process so the
# operations can be listed when the tests are collected.
SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
OPERATIONS = sorted(op.ok().label for op in SCHEMA.get_all_operations())


def test_the_schema_has_operations_to_fuzz():
    assert len(OPERATIONS) >= 15
    assert "POST /api/collect/link" in OPERATIONS
    assert {"GET /api/groups/{group_id}/locations", "PUT /api/groups/{group_id}/locations"} <= set(OPERATIONS)


def test_the_normal_run_is_reproducible():
    """Two draws for one operation give the same cases unless a random run is asked for."""
    operation = SCHEMA.find_operation_by_label("POST /api/conflicts/{item_id}/resolve")

    def draw() -> list:
        cases = []

        @given(case=operation.as_strategy())
        @hypothesis_settings(FUZZ_SETTINGS, max_examples=10)
        def collect(case):
            cases.append((case.path_parameters, case.body))

        collect()
        return cases

    if RANDOM:
        pytest.skip("a randomized run (scripts/fuzz.sh) is meant to differ")
    assert FUZZ_SETTINGS.derandomize
    assert draw() == draw()


def session_of(user, live_server) -> requests.Session:
    """A requests session logged in as `user`, with a CSRF token the server accepts."""
    client = Client()
    client.force_login(user)
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
def fuzz_session(live_server, steward):
    return session_of(steward, live_server)


@pytest.fixture
def unconfirmed_session(live_server, settings, db):
    """A planner registered in `domains` mode who has not followed the confirmation link yet."""
    settings.PLM_REGISTRATION, settings.PLM_REGISTRATION_DOMAINS = "domains", ["hospital.org"]
    return session_of(UserFactory(email="new.planner@hospital.org", email_confirmed=False), live_server)


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


def fuzz_operation(label: str, base_url: str, session: requests.Session, examples: int = EXAMPLES) -> set[int]:
    """Run schemathesis' cases for one operation with the session's login; the statuses it got."""
    operation = SCHEMA.find_operation_by_label(label)
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @hypothesis_settings(FUZZ_SETTINGS, max_examples=examples)
    def fuzz(case):
        # The schema names the session cookie as the API's login; schemathesis fills it with
        # made-up values. Send the session's real one instead (from its cookie jar).
        case.cookies = {k: v for k, v in (case.cookies or {}).items() if k != settings.SESSION_COOKIE_NAME}
        response = case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)
        statuses.add(response.status_code)

    fuzz()
    return statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_never_fails_and_matches_its_schema(label, world, live_server, fuzz_session):
    statuses = fuzz_operation(label, live_server.url, fuzz_session)
    # The session really is a steward's, and its CSRF token is accepted: the fuzzing reached the views.
    assert not statuses & {401, 403}, statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("label", OPERATIONS)
def test_an_unconfirmed_account_gets_refusals_only(label, world, live_server, unconfirmed_session):
    """Whatever it sends, an account with its e-mail still to confirm reads and writes nothing."""
    statuses = fuzz_operation(label, live_server.url, unconfirmed_session, examples=max(EXAMPLES // 4, 10))
    # 403 with the reason; before the gate, a NUL in the query string (400) or an id beyond the keys (404).
    assert 403 in statuses and statuses <= {400, 403, 404}, statuses


# The methods rule: a path answers 405 to any method its schema does not list.

PROBES = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"]
PATHS = sorted({op.ok().path for op in SCHEMA.get_all_operations()})
# Form posts the pages send, taken at the API path too, left out of the schema on purpose.
PAGE_FORMS = {"/api/links/{item_id}/{replace_item_id}": {"POST"}}


def documented_methods(path: str) -> set[str]:
    methods = {op.ok().method.upper() for op in SCHEMA.get_all_operations() if op.ok().path == path}
    return methods | PAGE_FORMS.get(path, set())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PATHS)
def test_a_method_the_schema_does_not_list_answers_405(path, world, live_server, fuzz_session):
    ids = {"group_id": world[0].membership.group_id, "item_id": world[0].pk, "replace_item_id": world[1].pk}
    url = live_server.url + path.format(**ids)
    documented = documented_methods(path)
    for method in PROBES:
        if method in documented:
            continue
        # A connection of its own for each call: the test server may close the last one early.
        response = requests.request(method, url, headers=fuzz_session.headers, cookies=fuzz_session.cookies)
        assert response.status_code == 405, (method, response.status_code, response.text[:300])
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert allowed - {"HEAD", "OPTIONS"} == documented, (method, response.headers["Allow"])
        assert "not allowed" in response.json()["error"].lower()
