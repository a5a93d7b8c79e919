"""Site-wide views: the home redirect, the health check and the error pages."""

from contextlib import suppress

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularSwaggerSplitView

from plmtracker.web.http import wants_json

# DRF views skip the login middleware (DRF authenticates for itself); the docs
# page is for people, so an anonymous browser is sent to the login page instead.
# The split view serves its start-up script from /api/docs/?script= instead of
# inline, so the page runs under the Content-Security-Policy.
api_docs = SpectacularSwaggerSplitView.as_view(url_name="api_schema")
api_docs.login_required = True

# The start page is the first of these that exists, so it follows the apps as they arrive.
START_PAGES = ("dashboard:overview", "collector:collect", "accounts:account")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    for name in START_PAGES[:-1]:
        with suppress(NoReverseMatch):
            return redirect(name)
    return redirect(START_PAGES[-1])


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("favicon.svg"), permanent=True)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not; no login needed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def error_response(
    request: HttpRequest, status: int, title: str, message: str, *, use_request: bool = True
) -> HttpResponse:
    """The site's error page (escaped by the template), or `{"error": message}` for JSON clients.

    Every error that repeats what the caller sent goes through here, never through a
    response built from a string, so the input cannot become markup.
    """
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    context = {"status": status, "title": title, "message": message}
    if not use_request:
        # The request's user and session may be what failed: render without them.
        return HttpResponse(render_to_string("error.html", context), status=status)
    return render(request, "error.html", context, status=status)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "You do not have permission for this."
    return error_response(request, 403, "Not allowed", message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form or call without a valid CSRF token: refused, and nothing changed."""
    message = (
        f"The request was refused by the CSRF check ({reason.rstrip('.')}) and nothing was changed. "
        "Reload the page and try again; scripts send the page's token in the X-CSRFToken header."
    )
    if request.content_type == "application/json":  # a script that sends JSON reads JSON back
        return JsonResponse({"error": message}, status=403)
    return error_response(request, 403, "Request refused", message)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    message = "There is nothing at this address."
    if exception is not None and getattr(exception, "args", None):
        detail = exception.args[0]
        if isinstance(detail, str) and not detail.startswith("No ") and "matches the given query" not in detail:
            message = detail
    return error_response(request, 404, "Not found", message)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 400, "Bad request", "The request could not be understood.")


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(
        request,
        500,
        "Something went wrong",
        "The server hit an unexpected error; it has been logged. Try again, and tell your admin if it persists.",
        use_request=False,
    )
