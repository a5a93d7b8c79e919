"""What every collector API view shares: the login rule, JSON answers, errors as {"error"}."""

from __future__ import annotations

from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    NotFound,
)
from rest_framework.parsers import FormParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsSteward
from collector import selectors, services
from collector.merged import MergedAway
from plmtracker.web.parsers import JSONParser, MultiPartParser

API_PREFIX = "/api"  # the JSON-only twin of a page's address: /groups/7 -> /api/groups/7


def schema_endpoints(endpoints):
    """drf-spectacular preprocessing hook: list the collector's routes at their /api/ address only."""
    return [
        (path, regex, method, view)
        for path, regex, method, view in endpoints
        if path.startswith(API_PREFIX + "/") or not issubclass(getattr(view, "cls", object), CollectorView)
    ]


class GraphRefused(APIException):
    """A `services.GraphError` as an API answer, keeping its status and message."""

    def __init__(self, exc: services.GraphError) -> None:
        self.status_code = exc.status_code
        super().__init__(detail=exc.message)


class SiteLoginView(APIView):
    """An API view behind the site's login requirement.

    DRF exempts its views from Django's LoginRequiredMiddleware (and would
    answer an anonymous client 403); the middleware answers 401 JSON to API
    clients and sends browsers to the login page, as everywhere else.
    """

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.login_required = True
        return view


class CollectorView(SiteLoginView):
    """A collector route for JSON clients; writes are for stewards.

    Under /api/ (`as_view(json_only=True)`). At a page's address (`collector.urls.shared`) the
    page's own view answers browsers and forms; this one answers JSON clients there for one
    more release, marked with `Deprecation` and a `Link` to the /api/ address, which is the
    only one the OpenAPI schema lists (`schema_endpoints`).
    """

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    steward_methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    json_only = False

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not self.json_only and isinstance(response, Response):
            response["Deprecation"] = "true"
            response["Link"] = f'<{API_PREFIX}{request.path}>; rel="successor-version"'
        return response

    def get_permissions(self):
        if self.request.method in self.steward_methods:
            return [IsAuthenticated(), IsSteward()]
        return [IsAuthenticated()]

    def perform_content_negotiation(self, request, force=False):
        # JSON whatever the client asks for (a browser's Accept names text/html first).
        return super().perform_content_negotiation(request, force=True)

    def handle_exception(self, exc):
        if isinstance(exc, MergedAway):
            return Response(exc.body, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, services.GraphError):
            exc = GraphRefused(exc)
        elif isinstance(exc, Http404):
            exc = NotFound(str(exc) or "Not found.")
        return super().handle_exception(exc)

    @staticmethod
    def valid(serializer_class, data) -> dict:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def items_by_code(*codes: str) -> list[int]:
    """The ids of items named by ERP code; 404 for a code no item has."""
    found = selectors.item_codes(codes)
    for code in codes:
        if code not in found:
            raise NotFound(f"No item has the ERP code {code!r}.")
    return [found[code] for code in codes]
