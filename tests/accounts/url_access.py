from datetime import timedelta

from django.utils import timezone

from accounts.models import Invitation
from accounts.registration import confirmation_token, invitation_token
from tests.url_access import Route

RESET_LINK = {"uidb64": "MQ", "token": "no-such-token"}  # an invalid link: the page says so
BAD_TOKEN = {"token": "no-such-token"}


def open_invitation(world) -> dict:
    invitation = Invitation.objects.create(email="invited@example.org", expires_at=timezone.now() + timedelta(days=1))
    return {"token": invitation_token(invitation)}


def planner_confirmation(world) -> dict:
    return {"token": confirmation_token(world.planner)}


ROUTES = [
    # Strangers log in, register and reset passwords; signed-in users are sent on.
    Route("accounts:login", anonymous=200, planner=302, steward=302, unconfirmed=302),
    Route(
        "accounts:login",
        id="post",
        method="POST",
        data={"username": "", "password": ""},
        anonymous=200,
        planner=302,
        steward=302,
        unconfirmed=302,
    ),
    Route("accounts:register", anonymous=200, planner=302, steward=302, unconfirmed=302),
    Route(
        "accounts:register",
        id="post",
        method="POST",
        data={"email": ""},
        anonymous=200,
        planner=302,
        steward=302,
        unconfirmed=302,
    ),
    # An invitation link: strangers register with it; a bad or used one says why (410).
    Route("accounts:register_invite", kwargs=open_invitation, anonymous=200, planner=302, steward=302, unconfirmed=302),
    Route(
        "accounts:register_invite", id="bad", kwargs=BAD_TOKEN, anonymous=410, planner=302, steward=302, unconfirmed=302
    ),
    Route(
        "accounts:register_invite",
        id="post",
        method="POST",
        kwargs=open_invitation,
        data={"password1": ""},
        anonymous=200,
        planner=302,
        steward=302,
        unconfirmed=302,
    ),
    # The confirmation link works in any browser, signed in or not; a bad one says why (400).
    Route(
        "accounts:confirm_email", kwargs=planner_confirmation, anonymous=302, planner=302, steward=302, unconfirmed=302
    ),
    Route(
        "accounts:confirm_email", id="bad", kwargs=BAD_TOKEN, anonymous=400, planner=400, steward=400, unconfirmed=400
    ),
    Route("accounts:confirm_email_resend", method="POST", planner=302, steward=302, unconfirmed=302),
    Route("accounts:confirm_email_resend", id="get", planner=405, steward=405, unconfirmed=405),
    # Logging out is a POST; a GET is refused.
    Route("accounts:logout", method="POST", anonymous=302, planner=302, steward=302, unconfirmed=302),
    Route("accounts:logout", id="get", anonymous="login", planner=405, steward=405, unconfirmed=405),
    # Password reset: anyone, signed in or not.
    Route("accounts:password_reset", anonymous=200, planner=200, steward=200, unconfirmed=200),
    Route(
        "accounts:password_reset",
        id="post",
        method="POST",
        data={"email": "nobody@example.org"},
        anonymous=302,
        planner=302,
        steward=302,
        unconfirmed=302,
    ),
    Route("accounts:password_reset_done", anonymous=200, planner=200, steward=200, unconfirmed=200),
    Route(
        "accounts:password_reset_confirm", kwargs=RESET_LINK, anonymous=200, planner=200, steward=200, unconfirmed=200
    ),
    Route(
        "accounts:password_reset_confirm",
        id="post",
        method="POST",
        kwargs=RESET_LINK,
        anonymous=200,
        planner=200,
        steward=200,
        unconfirmed=200,
    ),
    Route("accounts:password_reset_complete", anonymous=200, planner=200, steward=200, unconfirmed=200),
    # One's own account and password: signed-in users only, confirmed or not.
    Route("accounts:account", planner=200, steward=200, unconfirmed=200),
    Route("accounts:password_change", planner=200, steward=200, unconfirmed=200),
    Route(
        "accounts:password_change",
        id="post",
        method="POST",
        data={"old_password": "wrong"},
        planner=200,
        steward=200,
        unconfirmed=200,
    ),
]
