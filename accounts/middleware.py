from django.contrib.auth import middleware
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.registration import EMAIL_UNCONFIRMED
from plmtracker.web.http import is_api_view, wants_json


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
    """Until a self-registered account confirms its e-mail, only its account routes answer it.

    Every other route, the JSON API and its schema included, answers 403 with the
    reason: `{"error": ...}` for JSON clients, for pages a page that says what to do
    (follow the mailed link, or send it again). The start page leads to the account page.
    """

    ALLOWED = {
        "accounts:account",
        "accounts:logout",
        "accounts:password_change",
        "accounts:confirm_email",
        "accounts:confirm_email_resend",
    }
    TO_ACCOUNT = {"home"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Public views (login, health check) are open to anyone, and must not load the
        # session: they keep answering while the database is down. DRF's views carry the
        # same mark (DRF checks logins itself), but they are not public.
        if not getattr(view_func, "login_required", True) and not is_api_view(view_func):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.email_confirmed:
            return None
        name = request.resolver_match.view_name
        if name in self.ALLOWED:
            return None
        if name in self.TO_ACCOUNT:
            return HttpResponseRedirect(reverse("accounts:account"))
        if wants_json(request) or request.content_type == "application/json":
            return JsonResponse({"error": EMAIL_UNCONFIRMED}, status=403)
        return render(request, "accounts/unconfirmed.html", {"message": EMAIL_UNCONFIRMED}, status=403)
