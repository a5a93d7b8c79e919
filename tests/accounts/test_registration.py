"""Registration policies through the real pages: domains, invitations, closed, and e-mail confirmation."""

import io
import re
import smtplib
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConfirmationMail, Invitation
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "amber-lantern-quietly-42"
REGISTER = "/register"
LINK_API = "/api/collect/link"


def register(client: Client, url: str = REGISTER, **fields):
    data = {"email": "new.planner@hospital.org", "name": "", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(url, {**data, **fields})


def link_in(message) -> str:
    """The path of the one link in a mail (the test client calls paths)."""
    urls = re.findall(r"https?://[^\s]+", message.body)
    assert len(urls) == 1, message.body
    return re.sub(r"^https?://[^/]+", "", urls[0])


def record_link(client: Client):
    a, b = ItemFactory(), ItemFactory()
    return client.post(LINK_API, {"item": a.erp_item_code, "replace": b.erp_item_code}, content_type="application/json")


# open: today's behaviour


def test_open_registration_needs_no_confirmation(client, settings):
    settings.PLM_REGISTRATION = "open"
    assert register(client).status_code == 302
    assert User.objects.get().email_confirmed
    assert mail.outbox == []
    assert record_link(client).status_code == 201


# domains


@pytest.fixture
def domains(settings):
    settings.PLM_REGISTRATION = "domains"
    settings.PLM_REGISTRATION_DOMAINS = ["hospital.org", "clinic.org"]


def test_domains_refuse_other_addresses_with_a_message(client, domains):
    response = register(client, email="someone@gmail.example")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accounts here are for addresses ending in @hospital.org, @clinic.org" in page
    assert not User.objects.exists()
    assert mail.outbox == []


def test_domains_account_must_confirm_its_e_mail_before_any_write(client, domains):
    response = register(client, email="New.Planner@Clinic.org")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    user = User.objects.get()
    assert (user.email, user.email_confirmed) == ("new.planner@clinic.org", False)
    assert client.session[SESSION_KEY] == str(user.pk)

    # Until confirmed: the account page only; a link POST answers 403 with the reason.
    account = client.get(reverse("accounts:account")).content.decode()
    assert 'id="email-unconfirmed"' in account
    assert reverse("attention:badge") not in account  # no navigation to pages it cannot open yet
    refused = record_link(client)
    assert refused.status_code == 403
    assert "Confirm your e-mail address first" in refused.json()["error"]
    page = client.get("/dashboard")
    assert page.status_code == 403 and "Confirm your e-mail address first" in page.content.decode()
    assert client.get("/collect", headers={"HX-Request": "true"}).status_code == 403
    api = client.get("/api/overview")  # the API too (DRF's views skipped the gate)
    assert api.status_code == 403 and "Confirm your e-mail address first" in api.json()["error"]
    assert client.get("/")["Location"] == reverse("accounts:account")

    # The mail's link confirms; then the planner works as any other.
    (message,) = mail.outbox
    assert message.to == ["new.planner@clinic.org"]
    response = client.get(link_in(message))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed
    assert record_link(client).status_code == 201
    assert client.get("/dashboard").status_code == 200


def test_confirmation_link_can_be_sent_again_and_works_from_another_browser(client, domains):
    register(client)
    assert client.post(reverse("accounts:confirm_email_resend")).status_code == 302
    assert len(mail.outbox) == 2
    stranger = Client()
    response = stranger.get(link_in(mail.outbox[1]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert User.objects.get().email_confirmed


def test_expired_or_forged_confirmation_link_says_why(client, domains, settings):
    register(client)
    path = link_in(mail.outbox[0])
    forged = client.get(path[:-3] + "xyz")
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    settings.PLM_EMAIL_CONFIRMATION_DAYS = 0
    expired = client.get(path)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert not User.objects.get().email_confirmed


# invite


@pytest.fixture
def invite_only(settings):
    settings.PLM_REGISTRATION = "invite"
    settings.PLM_REGISTRATION_CONTACT = "the PLM team (plm@hospital.org)"


def test_invite_only_register_page_says_whom_to_ask_and_makes_nothing(client, invite_only):
    page = client.get(REGISTER).content.decode()
    assert "Accounts here are made by invitation. Ask the PLM team (plm@hospital.org)" in page
    assert register(client).status_code == 403
    assert not User.objects.exists()


def test_invitation_from_the_admin_is_used_once(client, invite_only, admin):
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(
        reverse("admin:accounts_invitation_add"), {"email": "Invited.Buyer@Hospital.org", "days": 7}, follow=True
    )
    assert "Invitation mailed to invited.buyer@hospital.org" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.invited_by == admin
    (message,) = mail.outbox
    assert message.to == ["invited.buyer@hospital.org"]
    assert "Avery Admin" in message.body
    path = link_in(message)

    form = client.get(path)
    assert form.status_code == 200 and "invited.buyer@hospital.org" in form.content.decode()
    # The address is the invited one, whatever the form posts.
    response = register(client, url=path, email="someone.else@gmail.example", name="Ivy Invited")
    assert response.status_code == 302
    user = User.objects.get(email="invited.buyer@hospital.org")
    assert (user.name, user.email_confirmed, user.role) == ("Ivy Invited", True, "planner")
    invitation.refresh_from_db()
    assert invitation.accepted_user == user and invitation.accepted_at is not None
    assert record_link(client).status_code == 201

    again = register(Client(), url=path, name="Second Try")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert User.objects.count() == 2  # the admin and the one invited


def test_an_invitation_the_mail_server_refuses_is_a_form_error_in_the_admin(invite_only, admin, settings):
    """No 500 and no invitation left behind when the mail cannot be sent (nothing listens on port 9)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(reverse("admin:accounts_invitation_add"), {"email": "nobody@hospital.org", "days": 7})
    assert response.status_code == 200
    assert "The invitation mail to nobody@hospital.org could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()


def test_expired_invitation_is_refused(client, invite_only):
    call_command("invite_user", "late@hospital.org", "--days", "1", stdout=io.StringIO())
    path = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    for response in (client.get(path), register(client, url=path)):
        assert response.status_code == 410
        assert "This invitation expired on" in response.content.decode()
    assert not User.objects.exists()


def test_invite_command_prints_and_mails_the_link(settings, capsys):
    settings.PLM_BASE_URL = "https://plm.hospital.org"
    call_command("invite_user", "Buyer@Hospital.org")
    out = capsys.readouterr().out
    assert "Invited buyer@hospital.org" in out
    assert "https://plm.hospital.org/register/invite/" in out
    assert mail.outbox[0].to == ["buyer@hospital.org"]
    assert "https://plm.hospital.org/register/invite/" in mail.outbox[0].body


def test_invite_command_refuses_an_address_with_an_account(planner):
    with pytest.raises(CommandError, match="already has an account"):
        call_command("invite_user", "PLANNER@example.org")
    assert not Invitation.objects.exists()


def test_forged_invitation_link_is_refused(client):
    response = client.get(reverse("accounts:register_invite", kwargs={"token": "eyJpIjoxfQ:forged:sig"}))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


# closed


def test_closed_register_page_says_whom_to_ask(client, settings):
    settings.PLM_REGISTRATION = "closed"
    settings.PLM_REGISTRATION_CONTACT = "the IT service desk"
    page = client.get(REGISTER).content.decode()
    assert "Accounts here are not made by registering. Ask the IT service desk for one." in page
    assert "How to get an account" in client.get("/login").content.decode()
    assert register(client).status_code == 403
    assert not User.objects.exists()


# The mail server down


@pytest.fixture
def mail_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "mail relay unavailable")

    monkeypatch.setattr("accounts.registration.send_mail", refuse)


def test_a_failed_confirmation_mail_is_explained_and_can_be_sent_again(client, domains, mail_down, monkeypatch):
    response = register(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "could not be sent just now" in page
    assert not User.objects.get().email_confirmed
    monkeypatch.undo()
    client.post(reverse("accounts:confirm_email_resend"))
    client.get(link_in(mail.outbox[0]))
    assert User.objects.get().email_confirmed


def test_an_invitation_that_cannot_be_mailed_is_not_kept(mail_down):
    with pytest.raises(CommandError, match="could not be sent"):
        call_command("invite_user", "buyer@hospital.org")
    assert not Invitation.objects.exists()


# The confirmation mail: limited per account and per address, and no text the registrant chose


def resend(client: Client):
    return client.post(reverse("accounts:confirm_email_resend"), follow=True)


def test_resends_stop_at_three_an_hour_and_say_when_to_ask_again(client, domains):
    register(client)
    assert resend(client).status_code == 200 and resend(client).status_code == 200
    assert len(mail.outbox) == 3
    refused = resend(client).content.decode()
    assert len(mail.outbox) == 3
    assert "was sent to new.planner@hospital.org 3 times in the last hour, as often as we send it" in refused
    assert "ask again after" in refused
    # An hour after the first, one more may go.
    ConfirmationMail.objects.filter(pk=ConfirmationMail.objects.order_by("sent_at").first().pk).update(
        sent_at=timezone.now() - timedelta(minutes=61)
    )
    assert "A new confirmation link is on its way" in resend(client).content.decode()
    assert len(mail.outbox) == 4


def test_the_limit_holds_per_address_across_accounts(client, domains):
    register(client)
    resend(client)
    resend(client)
    User.objects.all().delete()  # an admin removes the account; the address got 3 mails this hour
    again = Client()
    response = register(again)
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert "3 times in the last hour" in again.get(response["Location"]).content.decode()


def test_the_confirmation_mail_carries_no_text_the_registrant_chose(client, domains):
    register(client, name="Urgent: pay invoice at evil.example today")
    (message,) = mail.outbox
    assert "evil.example" not in message.body and "Urgent" not in message.body + message.subject
    assert message.body.startswith("Hello,\n")


@pytest.mark.django_db(transaction=True)
def test_twenty_resends_at_once_send_three_mails(domains):
    user = User.objects.create_user("new.planner@hospital.org", PASSWORD, email_confirmed=False)
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def press_resend() -> None:
        try:
            client = Client()
            client.force_login(user)
            start.wait()
            client.post(reverse("accounts:confirm_email_resend"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press_resend) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 3
    assert ConfirmationMail.objects.count() == 3
