"""Refuse text with NUL characters before it reaches a view.

PostgreSQL cannot store or even compare a string holding U+0000: a query
parameter, form field or JSON string with one would fail deep in a query
(a 500). No field of the tracker has a use for it, so the request is refused
with 400 wherever it comes in: the query string, url-encoded and multipart forms
(fields and file names) here, the API's JSON and multipart bodies in
`plmtracker.web.parsers`, feed cells in `plmtracker.feeds.cells`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from plmtracker.web.http import is_api_view, wants_json

MESSAGE = "Text cannot contain NUL characters (\\x00)."
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def has_nul(value) -> bool:
    """True when a string anywhere in `value` (dicts, lists, strings) holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def _in_query(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in pairs)


def _in_files(files) -> bool:
    return any("\x00" in key or any("\x00" in (f.name or "") for f in uploads) for key, uploads in files.lists())


def refused(request: HttpRequest) -> HttpResponse:
    if wants_json(request) or request.content_type == "application/json":
        return JsonResponse({"error": MESSAGE}, status=400)
    return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")


def in_form(request: HttpRequest) -> bool:
    """True when a posted form's fields or file names hold a NUL (for a view that refuses it itself)."""
    return _in_query(request.POST.lists()) or _in_files(request.FILES)


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _in_query(request.GET.lists()) or (
            request.method == "POST" and request.content_type == FORM and _in_query(request.POST.lists())
        ):
            return refused(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        """Multipart forms (file uploads), once the view is known.

        The API's views read their bodies through their own parsers, which refuse a NUL
        themselves, and a view marked `refuses_nul` answers it in its page's way (the
        collector's form posts: back, with the reason); every other view gets the form
        Django parses, which the CSRF check reads next anyway.
        """
        if request.method != "POST" or request.content_type != MULTIPART or is_api_view(view_func):
            return None
        if getattr(view_func, "refuses_nul", False):  # answers it in its own way (nul.in_form)
            return None
        if in_form(request):
            return refused(request)
        return None
