"""The daily digest end to end, against a real SMTP server on a loopback port (aiosmtpd)."""

from __future__ import annotations

import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.test import override_settings

from attention.models import DigestOptOut, DigestSent
from attention.services import attention_act, attention_refresh
from collector.models import GroupLocationPlan
from tests.factories import ItemLocationFactory, LocationFactory


class Mailbox:
    """An SMTP handler that keeps what arrives and refuses the addresses in `refuse`."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpts, m in self.messages if address in rcpts]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
            PLM_BASE_URL="https://plm.example.org/",
        ):
            yield mailbox
    finally:
        controller.stop()


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def send(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_digest", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_owners_get_their_groups_and_stewards_everything(world, smtp):
    output = send()
    assert "2 message(s) sent" in output
    recipients = sorted(r for rcpts, _ in smtp.messages for r in rcpts)
    assert recipients == ["olga@example.org", "sam@example.org"]  # the planner owns nothing

    (owner_mail,) = smtp.to("olga@example.org")
    text, html = parts(owner_mail)
    assert owner_mail["Subject"] == f"PLM Conversion Tracker: 4 new items need attention on {world.today.isoformat()}"
    assert "4 open, 4 new, 0 acknowledged, 0 snoozed." in text
    assert 'name="viewport"' in html and "980" not in html and "<table" not in html  # reads on a phone
    assert "Gloves to nitrile" in text and "GAUZE D -> GAUZE E" in text
    assert "SYRINGE B" not in text  # G2 has no owner: only stewards see it
    assert f"https://plm.example.org/dashboard/groups/{world.g1}?as_of={world.today.isoformat()}" in text
    assert f'href="https://plm.example.org/dashboard/groups/{world.g1}?as_of={world.today.isoformat()}"' in html
    assert "Original stock stranded" in html and "30 EA of originals on hand" in html

    (steward_mail,) = smtp.to("sam@example.org")
    text, html = parts(steward_mail)
    assert "7 new items since your last digest across all conversions" in text
    assert text.index("Replacement stock-out risk") < text.index("Original stock stranded")  # most urgent first
    assert f"https://plm.example.org/groups/{world.g2}#locations" in text  # go-live items lead to the plan
    assert "Go-live late at PAR 2003" in text
    assert DigestSent.objects.filter(as_of=world.today).count() == 4 + 7


def test_a_second_run_the_same_day_sends_nothing_again(world, smtp):
    send()
    assert len(smtp.messages) == 2
    assert "Nothing to send" in send()
    assert len(smtp.messages) == 2


def test_dry_run_and_only(world, smtp):
    output = send("--dry-run")
    assert "would send 4 item(s) to olga@example.org" in output and "would send 7 item(s) to sam@example.org" in output
    assert "To: olga@example.org\nSubject: PLM Conversion Tracker: 4 new items need attention on " in output
    assert "Hello Olga Owner," in output and "30 EA of originals on hand" in output  # the text part
    assert smtp.messages == [] and not DigestSent.objects.exists()
    send("--only", "OLGA@example.org")
    assert [r for rcpts, _ in smtp.messages for r in rcpts] == ["olga@example.org"]


def test_people_who_turned_it_off_get_nothing(world, smtp, client):
    client.force_login(world.owner)
    response = client.post("/account/digest", {})  # the switch left unticked
    assert response.status_code == 302 and DigestOptOut.objects.filter(user=world.owner).exists()
    assert "Daily attention digest" in client.get("/account").content.decode()
    send()
    assert [r for rcpts, _ in smtp.messages for r in rcpts] == ["sam@example.org"]
    client.post("/account/digest", {"digest": "on"})
    assert not DigestOptOut.objects.filter(user=world.owner).exists()


def test_one_refused_recipient_does_not_stop_the_others(world, smtp):
    smtp.refuse.add("olga@example.org")
    with pytest.raises(CommandError, match="1 of 2 digest"):
        send()
    assert [r for rcpts, _ in smtp.messages for r in rcpts] == ["sam@example.org"]
    assert not DigestSent.objects.filter(user=world.owner).exists()  # nothing logged: it is sent next run
    smtp.refuse.clear()
    assert "1 message(s) sent" in send()
    assert len(smtp.to("olga@example.org")) == 1


def test_nothing_to_say_sends_nothing(db, smtp):
    assert "Nothing to send" in send()
    assert smtp.messages == []


def test_a_bad_day_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        send("--as-of", "2026-13-01")
    with pytest.raises(CommandError, match=r"outside the dates the tracker takes \(1900-01-01 to 2999-12-31\)"):
        send("--as-of", "0001-01-01")


def test_the_next_day_sends_only_what_is_new_and_open(world, smtp):
    """Yesterday G1 had not ended: today its stranded stock is the one new item."""
    yesterday = world.today - timedelta(days=1)
    send("--as-of", yesterday.isoformat())
    smtp.messages.clear()
    attention_refresh(as_of=world.today)
    stranded = f"stranded_now:{world.g1}:"
    attention_act(user=world.steward, keys=[stranded], action="acknowledge", as_of=world.today)
    assert "Nothing to send" in send()  # acknowledged: left out of the digest
    attention_act(user=world.steward, keys=[stranded], action="reopen", as_of=world.today)
    assert "2 message(s) sent" in send()
    text, _ = parts(smtp.to("olga@example.org")[0])
    assert "1 new item since your last digest" in text and "Original stock stranded" in text
    assert "Conversion overdue" not in text  # sent yesterday
    assert "4 open, 1 new, 0 acknowledged, 0 snoozed." in text
    assert "Nothing to send" in send()


def test_at_most_twenty_and_a_count_of_the_rest(world, smtp):
    for n in range(25):
        location = LocationFactory(location_id=3000 + n, location_name=f"WARD {n}")
        ItemLocationFactory(item_id=world.g2_original, location=location, on_hand_ea=5)
        GroupLocationPlan.objects.create(group_id=world.g2, location=location, go_live_date=world.day(-1 - n))
    send("--only", "sam@example.org")
    ((_, mail),) = smtp.messages
    text, html = parts(mail)
    assert text.count("\n  - [") == 20
    assert "And 12 more new items: https://plm.example.org/attention" in text  # 7 + 25 = 32 new
    assert "And 12 more new items" in html
