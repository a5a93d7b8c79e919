"""The daily digest: each group owner gets their groups' attention items, each steward all of them.

`plan_digests` decides who gets what (opt-outs, the day's sent log); `send_digests`
renders each message (HTML with a plain-text part), sends it through Django's
e-mail backend and records what went out, so a second run the same day sends
only what is new. One recipient's failure is reported and does not stop the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string

from accounts.models import STEWARD_GROUP
from attention.links import absolute, item_path
from attention.models import DigestOptOut, DigestSent
from attention.queries import attention_items
from attention.rules import Item


@dataclass
class Digest:
    user: object
    items: list[Item]
    everything: bool  # a steward's digest (all groups) rather than an owner's

    @property
    def email(self) -> str:
        return self.user.email


@dataclass
class Outcome:
    sent: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)


def _recipients(owner_ids: set[int], only: str | None) -> tuple[list, set[int]]:
    """Active people with an address, stewards and the items' owners, less those who opted out; and the stewards."""
    User = get_user_model()
    stewards = set(
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=STEWARD_GROUP)).values_list("pk", flat=True)
    )
    users = User.objects.filter(pk__in=stewards | owner_ids, is_active=True).exclude(email="")
    users = users.exclude(pk__in=DigestOptOut.objects.values("user_id"))
    if only:
        users = users.filter(email__iexact=only)
    return list(users.order_by("email")), stewards


def plan_digests(as_of: date, only: str | None = None) -> list[Digest]:
    """Who gets which items at `as_of`: nothing already sent to them that day, nobody who opted out, no empty mail."""
    items = attention_items(as_of)
    if not items:
        return []
    users, stewards = _recipients({i.owner_id for i in items if i.owner_id}, only)
    sent: dict[int, set[str]] = {}
    for user_id, key in DigestSent.objects.filter(as_of=as_of, user__in=[u.pk for u in users]).values_list(
        "user_id", "item_key"
    ):
        sent.setdefault(user_id, set()).add(key)
    digests = []
    for user in users:
        everything = user.pk in stewards
        mine = [i for i in items if everything or i.owner_id == user.pk]
        new = [i for i in mine if i.key not in sent.get(user.pk, set())]
        if new:
            digests.append(Digest(user=user, items=new, everything=everything))
    return digests


def render_digest(digest: Digest, as_of: date) -> EmailMultiAlternatives:
    entries = [{"item": i, "url": absolute(item_path(i, as_of))} for i in digest.items]
    groups: dict[int, dict] = {}
    for entry in entries:
        item = entry["item"]
        groups.setdefault(item.group_id, {"title": item.group_title, "group_id": item.group_id, "entries": []})
        groups[item.group_id]["entries"].append(entry)
    context = {
        "user": digest.user,
        "as_of": as_of,
        "count": len(entries),
        "groups": list(groups.values()),
        "everything": digest.everything,
        "attention_url": absolute(f"/attention?as_of={as_of.isoformat()}"),
        "account_url": absolute("/account"),
    }
    noun = "item needs" if len(entries) == 1 else "items need"
    subject = f"PLM Conversion Tracker: {len(entries)} {noun} attention on {as_of.isoformat()}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("attention/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.email],
    )
    message.attach_alternative(render_to_string("attention/email/digest.html", context), "text/html")
    return message


def send_digests(digests: list[Digest], as_of: date, connection=None) -> Outcome:
    """Send each digest on its own; record the items of those that went out."""
    outcome = Outcome()
    for digest in digests:
        message = render_digest(digest, as_of)
        message.connection = connection
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # any failure of one recipient is reported; the rest still go
            outcome.failed.append((digest, f"{type(exc).__name__}: {exc}"))
            continue
        DigestSent.objects.bulk_create(
            [DigestSent(as_of=as_of, user=digest.user, item_key=i.key) for i in digest.items],
            ignore_conflicts=True,
        )
        outcome.sent.append(digest)
    return outcome
