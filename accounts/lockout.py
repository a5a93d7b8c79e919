"""Login lockout with django-axes: 5 failures per email or per address pause logins for 15 minutes.

Axes counts failures in the database (several app servers share them), refuses a
locked-out login in its authentication backend and turns the refusal into the
answer built here. The settings name these functions (AXES_*_CALLABLE, AXES_HANDLER).
"""

import ipaddress
from contextlib import suppress
from functools import lru_cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts import registration
from accounts.directory import directory_email, sign_in_name
from accounts.forms import LoginForm
from accounts.models import UserManager
from plmtracker.web.http import wants_json

LOCKOUT_STATUS = 429


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a login attempt is counted against: the e-mail, as stored.

    `Bob@X.org` and `bob@x.org` count as one account; so do a directory name in any
    spelling the directory matches (`ａｌｉｃｅ`, `ALIＣE`, `ali\u00adce`) and that person's
    e-mail: a name is looked up in the directory (once per request), and the failures
    count against the e-mail of the entry it finds. A name that finds nobody counts as typed
    (in its one spelling).
    """
    raw = (credentials or {}).get("username") or request.POST.get("username")
    name = sign_in_name(raw)
    if not name:
        return None
    if "@" in name:
        return name
    found = request.__dict__.setdefault("_sign_in_accounts", {})
    if name not in found:
        found[name] = directory_email(name, request) or name
    return found[name]


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def from_trusted_proxy(address: str | None) -> bool:
    """Whether the request came straight from one of DJANGO_TRUSTED_PROXIES."""
    try:
        peer = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(peer in network for network in _networks(tuple(settings.PLM_TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str | None:
    """The client's address; behind DJANGO_PROXY_COUNT proxies, the one the outermost proxy saw.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the entry that many places from the end is the client's;
    anything a client wrote there itself stands further left and is ignored. The
    header counts only on a request from a trusted proxy: a client that reaches the
    app directly could write any address there.
    """
    peer = request.META.get("REMOTE_ADDR")
    proxies = settings.PLM_PROXY_COUNT
    if not proxies or not from_trusted_proxy(peer):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= proxies:
        with suppress(ValueError):  # not an address: a misconfigured proxy count let a client write it
            return str(ipaddress.ip_address(forwarded[-proxies]))
    return peer


def lockout_minutes(request: HttpRequest | None = None) -> int:
    return int(get_cool_off(request).total_seconds() // 60)


def lockout_message(request: HttpRequest | None = None) -> str:
    return (
        f"Too many failed logins for this email or from your address: logins are paused for "
        f"{lockout_minutes(request)} minutes. Try again later, or reset your password if you have forgotten it."
    )


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The login page again, with the lockout explained (JSON clients get {"error": ...})."""
    message = lockout_message(request)
    if wants_json(request):
        return JsonResponse({"error": message}, status=LOCKOUT_STATUS)
    form = LoginForm(request, initial={"username": login_username(request, credentials) or ""})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "lockout_message": message,
        "registration_open": registration.self_service(),
    }
    return render(request, "accounts/login.html", context, status=LOCKOUT_STATUS)


def clear_login_failures(email: str) -> int:
    """Forget the failed logins recorded for this account (from every address)."""
    count, _ = AccessAttempt.objects.filter(username=UserManager.normalize_login(email)).delete()
    return count


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful login clears only that account's failures.

    Axes would also clear every failure recorded from the address; with open
    registration anyone could then guess another account's password four times,
    log in to their own account, and start again.
    """

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        return clear_login_failures(get_client_username(request, credentials) or "")
