"""Who may register (PLM_REGISTRATION), invitations, and the e-mail confirmation link.

Both links are signed with the site's key (django.core.signing), so nobody can
make one up; an invitation also works only once and until its `expires_at`, a
confirmation link for PLM_EMAIL_CONFIRMATION_DAYS days.
"""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConfirmationMail, Invitation, User, UserManager

CONFIRM_SALT = "accounts.confirm-email"
INVITATION_SALT = "accounts.invitation"
EMAIL_UNCONFIRMED = (
    "Confirm your e-mail address first: follow the link in the mail we sent you "
    "(your account page can send it again). Until then you can only see your account page."
)


class LinkInvalid(Exception):
    """A link that cannot be used; the message says why, for the person holding it."""


class TooManyMails(Exception):
    """The confirmation mail was sent as often as allowed lately; the message says when it may go again."""


def policy() -> str:
    return settings.PLM_REGISTRATION


def self_service() -> bool:
    """Whether /register can make an account by itself (the login page's footer says so)."""
    return policy() in ("open", "domains")


def needs_confirmation() -> bool:
    """Self-registered accounts confirm their address everywhere but in `open` registration."""
    return policy() != "open"


def domain_allowed(email: str) -> bool:
    domain = email.rpartition("@")[2].lower()
    return domain in settings.PLM_REGISTRATION_DOMAINS


def _mail(template: str, to: str, context: dict) -> None:
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


# E-mail confirmation


def confirmation_token(user: User) -> str:
    # The address is signed along: a link stops working when the address changes.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


MAIL_WINDOW = timedelta(hours=1)


def confirmation_send(*, user: User, base_url: str) -> None:
    """Mail the confirmation link; at most PLM_EMAIL_CONFIRMATION_MAILS_PER_HOUR an hour per account and per address.

    TooManyMails when the limit is reached (it says when the next one may go). A mail
    the server refuses is not counted. The mail holds no text the registrant chose
    (not the name): it goes to an address nobody has confirmed yet.
    """
    limit = settings.PLM_EMAIL_CONFIRMATION_MAILS_PER_HOUR
    now = timezone.now()
    with transaction.atomic():
        # One send per account at a time (SQLite's IMMEDIATE transactions queue anyway), so
        # parallel resends cannot all pass the count.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        sent = sorted(
            ConfirmationMail.objects.filter(
                Q(user=user) | Q(email=user.email), sent_at__gt=now - MAIL_WINDOW
            ).values_list("sent_at", flat=True)
        )
        if len(sent) >= limit:
            again = timezone.localtime(sent[-limit] + MAIL_WINDOW)
            raise TooManyMails(
                f"The confirmation link was sent to {user.email} {len(sent)} times in the last hour, as often as "
                f"we send it. Look for those mails (also in the spam folder), or ask again after "
                f"{again:%H:%M} ({again.tzname()})."
            )
        ConfirmationMail.objects.filter(sent_at__lt=now - timedelta(days=1)).delete()  # only the last hour counts
        ConfirmationMail.objects.create(user=user, email=user.email, sent_at=now)
        link = base_url + reverse("accounts:confirm_email", kwargs={"token": confirmation_token(user)})
        _mail(
            "confirm_email",
            user.email,
            {"email": user.email, "link": link, "days": settings.PLM_EMAIL_CONFIRMATION_DAYS},
        )


def email_confirm(*, token: str) -> User:
    """Mark the address of the link's account confirmed (again is harmless); LinkInvalid says why not."""
    max_age = timedelta(days=settings.PLM_EMAIL_CONFIRMATION_DAYS)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkInvalid(
            "This confirmation link has expired. Log in and send a new one from your account page."
        ) from None
    except signing.BadSignature:
        raise LinkInvalid("This confirmation link is not valid. Copy the whole link from the mail.") from None
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise LinkInvalid("This confirmation link is for an address that no account has any more.")
    if not user.email_confirmed:
        User.objects.filter(pk=user.pk).update(email_confirmed=True)
        user.email_confirmed = True
    return user


# Invitations


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=INVITATION_SALT)


def invitation_link(invitation: Invitation, base_url: str) -> str:
    return base_url + reverse("accounts:register_invite", kwargs={"token": invitation_token(invitation)})


@transaction.atomic
def invitation_create(*, email: str, invited_by: User | None, base_url: str, days: int | None = None) -> Invitation:
    """Invite `email` to register and mail the link; LinkInvalid when the address has an account or the mail fails."""
    email = UserManager.normalize_login(email)
    if User.objects.filter(email__iexact=email).exists():
        raise LinkInvalid(f"{email} already has an account: they log in, or reset the password if they forgot it.")
    days = settings.PLM_INVITATION_DAYS if days is None else days
    invitation = Invitation.objects.create(
        email=email, invited_by=invited_by, expires_at=timezone.now() + timedelta(days=days)
    )
    link = invitation_link(invitation, base_url)
    try:
        _mail("invitation", email, {"invitation": invitation, "link": link, "inviter": invited_by})
    except (smtplib.SMTPException, OSError) as exc:  # rolls the invitation back: none exists unmailed
        raise LinkInvalid(f"The invitation mail to {email} could not be sent ({exc}); check EMAIL_HOST.") from exc
    invitation.link = link
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link stands for; LinkInvalid says why it cannot be used."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise LinkInvalid("This invitation link is not valid. Copy the whole link from the mail.") from None
    invitation = Invitation.objects.filter(pk=data.get("i"), email=data.get("e")).first()
    if invitation is None:
        raise LinkInvalid("This invitation was withdrawn. Ask for a new one.")
    if invitation.accepted_at is not None:
        raise LinkInvalid("This invitation has already been used. Log in with the account it made.")
    if invitation.expires_at <= timezone.now():
        raise LinkInvalid(
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M}. Ask for a new one."
        )
    return invitation


def invitation_accept(*, invitation: Invitation, user: User) -> None:
    """Use the invitation up; call inside the transaction that makes `user`. LinkInvalid if it was used meanwhile."""
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_user=user
    )
    if not used:
        raise LinkInvalid("This invitation has already been used. Log in with the account it made.")
