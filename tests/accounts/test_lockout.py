"""Five failed logins per email or per address pause logins for 15 minutes."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.db.models import F
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PAUSED = "logins are paused for 15 minutes"


def log_in(client: Client, email: str, password: str = PASSWORD, address: str = "10.0.0.1", **headers):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def fail(client: Client, email: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        log_in(client, email, "wrong-password", address)


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def age_failures(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_four_failures_then_the_right_password_logs_in(client, planner):
    fail(client, planner.email, 4)
    response = log_in(client, planner.email)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_fifth_failure_locks_and_the_right_password_is_refused(client, planner):
    fail(client, planner.email, 4)
    response = log_in(client, planner.email, "wrong-password")
    assert response.status_code == 429
    assert PAUSED in response.content.decode()

    response = log_in(client, planner.email)
    assert response.status_code == 429
    page = response.content.decode()
    assert PAUSED in page
    assert 'id="lockout-message"' in page
    assert 'value="planner@example.org"' in page  # the form keeps the email
    assert not signed_in(client)


def test_one_email_is_locked_from_every_address_in_any_case(client, planner):
    for n, email in enumerate(["planner@example.org", "PLANNER@example.org", " Planner@Example.org"]):
        fail(client, email, 2 if n < 2 else 1, address=f"10.0.1.{n}")
    assert log_in(client, planner.email, address="10.9.9.9").status_code == 429
    # Another account from a fresh address is not affected.
    UserFactory(email="other@example.org")
    assert log_in(client, "other@example.org", address="10.9.9.9").status_code == 302


def test_one_address_is_locked_for_every_email(client, planner):
    for n in range(5):
        fail(client, f"guess{n}@example.org", 1, address="10.0.0.66")
    assert log_in(client, planner.email, address="10.0.0.66").status_code == 429
    assert log_in(client, planner.email, address="10.0.0.67").status_code == 302


def test_a_successful_login_resets_the_count(client, planner):
    fail(client, planner.email, 4)
    assert log_in(client, planner.email).status_code == 302
    client.post(reverse("accounts:logout"))
    assert AccessAttempt.objects.count() == 0
    fail(client, planner.email, 4)
    assert log_in(client, planner.email).status_code == 302


def test_logging_in_to_ones_own_account_does_not_clear_the_addresss_failures(client, planner):
    UserFactory(email="mallory@example.org")
    fail(client, planner.email, 4, address="10.0.0.13")
    assert log_in(client, "mallory@example.org", address="10.0.0.13").status_code == 302
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.0.0.13")
    response = log_in(client, planner.email, "another-guess", address="10.0.0.13")
    assert response.status_code == 429


def test_the_pause_ends_after_15_minutes_and_refusals_do_not_extend_it(client, planner):
    fail(client, planner.email, 5)
    for _ in range(3):
        assert log_in(client, planner.email).status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 5
    age_failures(14)
    assert log_in(client, planner.email).status_code == 429
    age_failures(2)
    assert log_in(client, planner.email).status_code == 302


def test_failures_more_than_15_minutes_apart_do_not_add_up(client, planner):
    fail(client, planner.email, 4)
    age_failures(16)
    fail(client, planner.email, 4)
    assert log_in(client, planner.email).status_code == 302


def test_a_password_reset_lifts_the_accounts_lock(client, planner, mailoutbox):
    fail(client, planner.email, 5)
    client.post(reverse("accounts:password_reset"), {"email": planner.email})
    link = re.search(r"http://testserver(\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "amber-lantern-quietly-42"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert log_in(client, planner.email, new).status_code == 302


def test_json_clients_get_the_lockout_as_json(client, planner):
    fail(client, planner.email, 5)
    response = log_in(client, planner.email, accept="application/json")
    assert response.status_code == 429
    assert PAUSED in response.json()["error"]


def test_the_admin_login_is_locked_too(client, admin):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": admin.email, "password": "nope"}, REMOTE_ADDR="10.0.0.5")
    response = client.post(
        reverse("admin:login"), {"username": admin.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 429
    assert not signed_in(client)


def test_force_login_and_the_admin_still_work(admin_client, steward_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200
    assert steward_client.get(reverse("accounts:account")).status_code == 200


def test_a_login_costs_the_same_queries_however_many_failures_are_on_record(client, planner):
    def queries_of_a_failed_and_a_good_login(address: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as failed:
            log_in(client, planner.email, "wrong-password", address)
        with CaptureQueriesContext(connection) as good:
            log_in(client, planner.email, address=address)
        client.post(reverse("accounts:logout"))
        return len(failed), len(good)

    before = queries_of_a_failed_and_a_good_login("10.0.0.1")
    now = timezone.now()
    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username=f"other{n}@example.org",
            ip_address=f"10.2.{n // 256}.{n % 256}",
            user_agent="x",
            failures_since_start=3,
            attempt_time=now,
        )
        for n in range(500)
    )
    assert queries_of_a_failed_and_a_good_login("10.0.0.2") == before
    assert before[0] <= 16


@pytest.fixture
def behind_a_proxy(settings):
    """One load balancer in front, at 10.0.0.1 (its network trusted)."""
    settings.PLM_PROXY_COUNT = 1
    settings.PLM_TRUSTED_PROXIES = ["10.0.0.0/24"]


def test_behind_a_proxy_each_client_address_counts_alone(client, planner, behind_a_proxy):
    for n in range(5):
        log_in(client, f"guess{n}@example.org", "nope", address="10.0.0.1", x_forwarded_for="203.0.113.5")
    assert log_in(client, planner.email, address="10.0.0.1", x_forwarded_for="203.0.113.5").status_code == 429
    assert log_in(client, planner.email, address="10.0.0.1", x_forwarded_for="203.0.113.6").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_client_reaching_the_app_directly_cannot_spoof_its_address(client, planner, behind_a_proxy):
    """A password spray from 198.51.100.7 with a new X-Forwarded-For each time still trips its lock."""
    for n in range(5):
        log_in(client, f"guess{n}@example.org", "nope", address="198.51.100.7", x_forwarded_for=f"203.0.113.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    spoofed = log_in(client, planner.email, address="198.51.100.7", x_forwarded_for="203.0.113.99")
    assert spoofed.status_code == 429
    assert PAUSED in spoofed.content.decode()
    # Clients behind the real proxy are not caught by that lock.
    assert log_in(client, planner.email, address="10.0.0.1", x_forwarded_for="198.51.100.8").status_code == 302


@pytest.mark.parametrize(
    "proxies, trusted, forwarded, expected",
    [
        (0, ["10.0.0.1"], "203.0.113.9", "10.0.0.1"),  # no proxy: a client's X-Forwarded-For is ignored
        (1, ["10.0.0.1"], "203.0.113.9", "203.0.113.9"),
        (1, ["10.0.0.0/8"], "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote 1.2.3.4 itself
        (2, ["10.0.0.1"], "203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (2, ["10.0.0.1"], "", "10.0.0.1"),
        (1, ["10.0.0.1"], "not-an-address", "10.0.0.1"),
        (1, ["10.0.0.1"], "2001:db8::7", "2001:db8::7"),
        (1, ["127.0.0.1", "::1"], "203.0.113.9", "10.0.0.1"),  # the default: a proxy on the same box only
        (1, ["10.0.0.2", "192.168.0.0/16"], "203.0.113.9", "10.0.0.1"),  # not from a trusted proxy
        (1, [], "203.0.113.9", "10.0.0.1"),
    ],
)
def test_client_address_behind_proxies(settings, proxies, trusted, forwarded, expected):
    settings.PLM_PROXY_COUNT = proxies
    settings.PLM_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_trusted_proxy_network_may_be_ipv6(settings):
    settings.PLM_PROXY_COUNT = 1
    settings.PLM_TRUSTED_PROXIES = ["fd00::/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="fd00::5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "203.0.113.9"
