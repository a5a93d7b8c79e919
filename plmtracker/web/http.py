"""Small request helpers shared by the apps."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


def wants_json(request: HttpRequest) -> bool:
    """True for clients that ask for JSON, and for API paths unless a browser asks for HTML."""
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return True
    return request.path.startswith("/api/") and "text/html" not in accept


def is_api_view(view_func: Callable) -> bool:
    """True for a DRF view: it reads its body through its own parsers and authenticates for itself.

    DRF marks its views `login_required = False` (it checks logins itself), the same
    mark as a public page's: middleware that must tell the two apart asks this.
    """
    from rest_framework.views import APIView  # not at import: DRF's settings import this module's users

    cls = getattr(view_func, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer that does not set its own.

    Pages, JSON and exports hold what one signed-in person may see; neither the
    browser's cache nor a proxy keeps them. Static files never get here: whitenoise
    answers them above this middleware, with their own long-lived caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class MethodNotAllowedMiddleware:
    """A 405 without a body (Django's require_* decorators) gets the site's error page, or JSON.

    It keeps its Allow header; DRF's views already answer 405 with `{"error": ...}`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        from plmtracker.web.views import error_response  # the views import this module

        allowed = response.get("Allow", "")
        message = f"This address does not take {request.method} requests; it takes {allowed}."
        answer = error_response(request, 405, "Method not allowed", message)
        answer["Allow"] = allowed
        return answer
