"""A real browser registers, logs out, logs in again and sees who it is."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "amber-lantern-quietly-42"


def user_menu(page):
    return page.locator("#user-menu > a")


def test_register_log_out_log_in_and_see_the_user_menu(page, screenshot):
    page.goto("/account")
    page.wait_for_url("**/login?next=/account")
    screenshot("accounts-login")
    page.click("text=Create an account")
    page.wait_for_url("**/register?next=/account")

    page.fill("#id_email", "rosa.planner@example.org")
    page.fill("#id_name", "Rosa Quintero")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", "not the same")
    page.click("button[type=submit]")
    assert "didn’t match" in page.locator(".invalid-feedback").inner_text()
    screenshot("accounts-register-errors")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/account")
    assert user_menu(page).inner_text().split() == ["Rosa", "Quintero", "planner"]
    assert page.locator("#account-role").inner_text() == "planner"

    user_menu(page).click()
    page.click("#user-menu button:has-text('Log out')")
    page.wait_for_url("**/login")
    assert page.locator("#toasts").inner_text().strip() == "You have logged out."
    assert page.locator("#user-menu").count() == 0

    page.fill("#id_username", "Rosa.Planner@example.org")
    page.fill("#id_password", "wrong password")
    page.click("button[type=submit]")
    assert "do not match an account" in page.locator(".alert-danger").inner_text()
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#user-menu")  # on the start page, whichever app provides it
    user_menu(page).click()
    assert user_menu(page).inner_text().split() == ["Rosa", "Quintero", "planner"]
    assert "rosa.planner@example.org" in page.locator("#user-menu .dropdown-menu").inner_text()
    screenshot("accounts-logged-in")
    assert page.console_errors == []


def test_a_locked_out_user_resets_the_password_by_mail_and_logs_in(page, screenshot, mailoutbox):
    UserFactory(email="kim@example.org", name="Kim Steward")
    page.goto("/login")
    for _ in range(5):
        page.fill("#id_username", "kim@example.org")
        page.fill("#id_password", "guess")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    assert "logins are paused for 15 minutes" in page.locator("#lockout-message").inner_text()
    assert page.locator("#user-menu").count() == 0
    screenshot("accounts-lockout")

    page.click("text=Forgot your password?")
    page.fill("#id_email", "kim@example.org")
    page.click("button[type=submit]")
    page.wait_for_url("**/password-reset/sent")
    screenshot("accounts-reset-sent")
    link = re.search(r"http://\S+/password-reset/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    screenshot("accounts-reset-confirm")
    page.click("button[type=submit]")
    page.wait_for_url("**/password-reset/done")
    page.click("a.btn:has-text('Log in')")
    page.fill("#id_username", "kim@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#user-menu")
    assert user_menu(page).inner_text().split() == ["Kim", "Steward", "planner"]
    # The browser reports the 429 lockout answers as failed loads; nothing else may be there.
    assert [error for error in page.console_errors if "429" not in error] == []


def test_a_directory_user_signs_in_by_name_and_lands_on_the_dashboard(page, screenshot, use_directory):
    from tests.accounts.ldap_server import PASSWORD as DIRECTORY_PASSWORD

    page.goto("/login")
    assert page.locator("label[for=id_username]").inner_text() == "Email or directory name"
    page.fill("#id_username", "carol")
    page.fill("#id_password", DIRECTORY_PASSWORD)
    screenshot("accounts-directory-login")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard$"))
    assert user_menu(page).inner_text().split() == ["Carol", "Buyer", "steward"]
    screenshot("accounts-directory-dashboard")
    page.goto("/account")
    assert "From your directory groups" in page.locator("#role-source").inner_text()
    screenshot("accounts-directory-account")
    assert page.console_errors == []
