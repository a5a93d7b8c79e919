from django.contrib import messages
from django.contrib.auth import middleware
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from accounts.registration import EMAIL_UNCONFIRMED
from plmtracker.web.http import wants_json


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's login requirement, answering JSON clients with 401 instead of a login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Public views (login, health check) never load the session: they keep
        # working, and answering for themselves, while the database is down.
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        if wants_json(request):
            return JsonResponse({"error": "Authentication required: log in first."}, status=401)
        return super().handle_no_permission(request, view_func)


class EmailConfirmationMiddleware:
    """Until a self-registered account confirms its e-mail, it sees its account page and nothing else.

    A page request is sent to the account page (which says why and can resend the
    link); anything else, writes and JSON included, is refused with 403 and the reason.
    """

    ALLOWED = {
        "accounts:account",
        "accounts:logout",
        "accounts:password_change",
        "accounts:confirm_email",
        "accounts:confirm_email_resend",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Public views (login, health check) are open to anyone, and must not load the
        # session: they keep answering while the database is down.
        if not getattr(view_func, "login_required", True):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.email_confirmed:
            return None
        if request.resolver_match.view_name in self.ALLOWED:
            return None
        page = request.method in ("GET", "HEAD") and not wants_json(request) and not request.headers.get("HX-Request")
        if page:
            messages.warning(request, EMAIL_UNCONFIRMED)
            return HttpResponseRedirect(reverse("accounts:account"))
        raise PermissionDenied(EMAIL_UNCONFIRMED)
