"""When the database is down: a 503 that says what is wrong and what to check.

Django turns an exception anywhere below a middleware into a 500 response
before the outer middleware sees it, so the exception is noticed where Django
announces it (the `got_request_exception` signal) and the outermost middleware
swaps the 500 for the outage answer. The answer is rendered without touching
the database (no user, no session), and nothing is cached: once the database
is back, the next request works again without a restart.
"""

from __future__ import annotations

import contextlib
import logging
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from plmtracker.ops.db import database_settings_summary
from plmtracker.web.http import wants_json

logger = logging.getLogger("plmtracker.web.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
FLAG = "_plm_database_unreachable"


def is_outage(exc: BaseException | None) -> bool:
    """True for errors that mean the database cannot be reached, not that a query was wrong."""
    return isinstance(exc, OUTAGE_ERRORS) and not _is_lock_contention(exc)


def _is_lock_contention(exc: BaseException) -> bool:
    # A deadlock or a busy SQLite file is the database working, not down.
    state = getattr(exc.__cause__, "sqlstate", None)
    return state in {"40P01", "40001", "55P03"} or "database is locked" in str(exc)


@receiver(got_request_exception)
def _note_outage(sender, request=None, **kwargs) -> None:
    exc = sys.exc_info()[1]
    if request is not None and is_outage(exc):
        setattr(request, FLAG, _first_line(exc))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def outage_response(request: HttpRequest, detail: str) -> HttpResponse:
    summary = database_settings_summary()
    if wants_json(request):
        return JsonResponse(
            {
                "error": f"The database is unreachable ({summary['engine']} at {summary['where']}); try again shortly.",
                "database": "unreachable",
            },
            status=503,
            headers={"Retry-After": "30"},
        )
    html = render_to_string("outage.html", {**summary, "detail": detail})
    return HttpResponse(html, status=503, headers={"Retry-After": "30"})


class DatabaseOutageMiddleware:
    """Outermost middleware: answer 503 with recovery guidance while the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except OUTAGE_ERRORS as exc:
            # Raised again while Django rendered its error page for the first one.
            if not is_outage(exc):
                raise
            setattr(request, FLAG, _first_line(exc))
            response = None
        detail = getattr(request, FLAG, None)
        if detail is None:
            return response  # type: ignore[return-value]
        logger.error("Database unreachable while serving %s: %s", request.path, detail)
        # The broken connection goes; the next request opens a new one.
        with contextlib.suppress(DatabaseError):
            connection.close()
        return outage_response(request, detail)
