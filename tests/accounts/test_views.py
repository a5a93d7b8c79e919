"""Register, log in, log out, `next=`, password reset and change, the account page."""

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct-horse-battery"  # the factories' password
NEW_PASSWORD = "amber-lantern-quietly-42"


def signed_in_user_id(client: Client):
    return client.session.get(SESSION_KEY)


def register(client: Client, **fields):
    data = {"email": "new.planner@example.org", "name": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(reverse("accounts:register"), {**data, **fields})


def log_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password, **extra})


# Register


def test_register_makes_a_planner_signs_them_in_and_greets_them(client):
    response = register(client, email="  New.Planner@Example.ORG ", name="Nia Planner")
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get()
    assert (user.email, user.name, user.role) == ("new.planner@example.org", "Nia Planner", "planner")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert signed_in_user_id(client) == str(user.pk)
    assert user.last_login is not None
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Welcome, Nia Planner" in page
    assert 'id="account-role">planner<' in page


def test_register_without_a_name_is_fine(client):
    assert register(client).status_code == 302
    assert User.objects.get().name in (None, "")


def test_register_follows_a_safe_next(client):
    response = register(client, next="/account")
    assert response["Location"] == "/account"


@pytest.mark.parametrize("email", ["planner@example.org", "PLANNER@Example.org"])
def test_register_refuses_an_email_that_exists_in_any_case(client, planner, email):
    response = register(client, email=email)
    assert response.status_code == 200
    assert "An account with this email already exists" in response.content.decode()
    assert User.objects.count() == 1
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"password1": "abc123", "password2": "abc123"}, "This password is too short"),
        ({"password1": "password123", "password2": "password123"}, "This password is too common"),
        ({"password1": "83920174629", "password2": "83920174629"}, "This password is entirely numeric"),
        ({"email": "nia.lopez@example.org", "password1": "nia.lopez", "password2": "nia.lopez"}, "too similar"),
        ({"password2": "something-else-entirely"}, "The two password fields didn’t match"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"email": ""}, "This field is required"),
    ],
    ids=["short", "common", "numeric", "like-email", "mismatch", "bad-email", "no-email"],
)
def test_register_refuses_bad_input_and_writes_nothing(client, fields, message):
    response = register(client, **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "is-invalid" in page
    assert User.objects.count() == 0
    assert signed_in_user_id(client) is None


# Log in and out


def test_login_signs_in_sets_last_login_at_and_goes_home(client, planner):
    assert planner.last_login is None
    response = log_in(client, "Planner@Example.org")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(planner.pk)
    planner.refresh_from_db()
    assert planner.last_login is not None


def test_login_with_a_bad_password_says_so(client, planner):
    response = log_in(client, planner.email, "not-the-password")
    assert response.status_code == 200
    assert "That email and password do not match an account" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_login_of_a_switched_off_account_is_refused(client):
    UserFactory(email="gone@example.org", is_active=False)
    response = log_in(client, "gone@example.org")
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_anonymous_page_goes_to_login_and_back_to_it_after(client, planner):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/account"
    login_page = client.get(response["Location"]).content.decode()
    assert 'name="next" value="/account"' in login_page
    response = log_in(client, planner.email, next="/account")
    assert response["Location"] == "/account"
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example.com/", "//evil.example.com/account", "http:/evil.example.com"]
)
def test_login_ignores_a_next_to_another_site(client, planner, unsafe):
    response = log_in(client, planner.email, next=unsafe)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_register_ignores_a_next_to_another_site(client):
    response = register(client, next="https://evil.example.com/")
    assert response["Location"] == "/"


def test_logout_signs_out_and_says_so(planner_client):
    response = planner_client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[0] == ("/login", 302)
    assert signed_in_user_id(planner_client) is None
    assert "You have logged out." in response.content.decode()
    assert planner_client.get(reverse("accounts:account")).status_code == 302


def test_login_page_links_to_register_and_reset(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'href="/register"' in page
    assert 'href="/password-reset"' in page


# Password reset by mail


def reset_link(mail) -> str:
    match = re.search(r"http://testserver(/password-reset/[^/\s]+/[^/\s]+)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_password_reset_mail_link_sets_a_new_password_end_to_end(client, planner, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "PLANNER@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["planner@example.org"]
    assert mail.subject == "Reset your PLM Conversion Tracker password"
    assert "Hello Pat Planner" in mail.body

    # Django swaps the token for a session marker and redirects to the form.
    form_url = client.get(reset_link(mail), follow=True).redirect_chain[-1][0]
    page = client.get(form_url).content.decode()
    assert "Choose a new password" in page
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    planner.refresh_from_db()
    assert planner.check_password(NEW_PASSWORD)

    assert log_in(client, planner.email, NEW_PASSWORD)["Location"] == "/"
    # The link works once.
    client.post(reverse("accounts:logout"))
    assert "This link no longer works" in client.get(reset_link(mail), follow=True).content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "If an account exists for that email" in response.content.decode()
    assert mailoutbox == []


def test_password_reset_refuses_a_weak_new_password(client, planner, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": planner.email})
    form_url = client.get(reset_link(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    planner.refresh_from_db()
    assert planner.check_password(PASSWORD)


# One's own account


def test_account_page_shows_who_and_which_role(steward_client, steward, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        page = steward_client.get(reverse("accounts:account")).content.decode()
    assert steward.email in page
    assert "Sam Steward" in page
    assert 'id="account-role">steward<' in page
    assert "Open the admin" in page


def test_password_change_keeps_the_user_signed_in(planner_client, planner):
    response = planner_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:account")
    assert "Your password has been changed." in response.content.decode()
    planner.refresh_from_db()
    assert planner.check_password(NEW_PASSWORD)
    assert signed_in_user_id(planner_client) == str(planner.pk)


def test_password_change_needs_the_old_password(planner_client, planner):
    response = planner_client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    planner.refresh_from_db()
    assert planner.check_password(PASSWORD)


def test_home_takes_a_planner_to_a_page_they_may_see(planner_client):
    response = planner_client.get("/", follow=True)
    assert response.status_code == 200
    assert 'id="user-menu"' in response.content.decode()
