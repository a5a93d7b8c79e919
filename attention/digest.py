"""The daily digest (docs/DESIGN.md, "Digest"): what is new since a person's last digest, most urgent first.

`plan_digests` records the day's attention memory, then decides per person (owners: their
groups; stewards: everything) which open items are new since their last digest (first_seen
after it), at most 20 with "and N more", under one summary line; a person with nothing new
gets nothing. `send_digests` renders each message (HTML that reads on a phone, with a
plain-text part), sends it through Django's e-mail backend and records what went out.
One recipient's failure is reported and does not stop the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Max, Q
from django.template.loader import render_to_string

from accounts.models import STEWARD_GROUP
from attention.links import absolute, item_path
from attention.memory import UNRECORDED, memories
from attention.models import DigestOptOut, DigestSent
from attention.queries import attention_items
from attention.rules import Item
from attention.services import attention_refresh

DIGEST_ITEMS = 20  # items a digest lists; the rest are counted and linked


@dataclass
class Digest:
    user: object
    items: list[Item]  # the new open items it lists, most urgent first (at most DIGEST_ITEMS)
    everything: bool  # a steward's digest (all groups) rather than an owner's
    more: int = 0  # new items left out of the list
    summary: dict[str, int] = field(default_factory=dict)  # open, new, acknowledged, snoozed in the person's scope

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
    """Who gets which items at `as_of`: open items new since their last digest; nobody who opted out; no empty mail."""
    items = attention_items(as_of)
    attention_refresh(as_of=as_of, items=items)
    if not items:
        return []
    held = memories(as_of)
    users, stewards = _recipients({i.owner_id for i in items if i.owner_id}, only)
    last = dict(
        DigestSent.objects.filter(user__in=[u.pk for u in users], as_of__lte=as_of)
        .values("user_id")
        .annotate(last=Max("as_of"))
        .values_list("user_id", "last")
    )
    digests = []
    for user in users:
        everything = user.pk in stewards
        mine = [i for i in items if everything or i.owner_id == user.pk]
        states = [(i, held.get(i.key, UNRECORDED)) for i in mine]
        since = last.get(user.pk)
        new = [
            i
            for i, m in states
            if m.state == "open" and (since is None or m.first_seen is None or m.first_seen > since)
        ]
        if not new:
            continue
        summary = {
            "open": sum(m.state == "open" for _, m in states),
            "new": len(new),
            "acknowledged": sum(m.state == "acknowledged" for _, m in states),
            "snoozed": sum(m.state == "snoozed" for _, m in states),
        }
        digests.append(
            Digest(
                user=user,
                items=new[:DIGEST_ITEMS],
                everything=everything,
                more=max(0, len(new) - DIGEST_ITEMS),
                summary=summary,
            )
        )
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
        "more": digest.more,
        "summary": digest.summary,
        "attention_url": absolute(f"/attention?as_of={as_of.isoformat()}"),
        "account_url": absolute("/account"),
    }
    new = digest.summary.get("new", len(entries))
    noun = "new item needs" if new == 1 else "new items need"
    subject = f"PLM Conversion Tracker: {new} {noun} attention on {as_of.isoformat()}"
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
