"""What every collector API view shares: the login rule, JSON or page answers, errors as {"error"}."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from rest_framework.parsers import FormParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsSteward
from collector import selectors, services, views
from collector.merged import MergedAway, to_winner
from collector.views.helpers import json_client
from plmtracker.web.parsers import JSONParser, MultiPartParser

READ_METHODS = ("GET", "HEAD")  # a page read: errors answer as pages, not with a redirect
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
    """A route for JSON clients and the pages' forms alike; writes are for stewards.

    Under /api/ (`as_view(json_only=True)`) it answers JSON only, whatever the client
    asks. At a page's address it answers JSON to a client that asks for it or sends it,
    for one more release: those answers carry `Deprecation` and a `Link` to the /api/
    address, which is the only one the OpenAPI schema lists (`schema_endpoints`).
    """

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    steward_methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    json_only = False

    def answers_json(self) -> bool:
        return self.json_only or json_client(self.request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not self.json_only and isinstance(response, Response) and json_client(request):
            response["Deprecation"] = "true"
            response["Link"] = f'<{API_PREFIX}{request.path}>; rel="successor-version"'
        return response

    def get_permissions(self):
        if self.request.method in self.steward_methods:
            return [IsAuthenticated(), IsSteward()]
        return [IsAuthenticated()]

    def perform_content_negotiation(self, request, force=False):
        # Browsers ask for text/html; they get pages, which DRF does not render.
        return super().perform_content_negotiation(request, force=True)

    def back_url(self) -> str:
        """Where a page's form goes back to after a refusal (unless it says `next`)."""
        return reverse("collector:groups")

    def handle_exception(self, exc):
        if isinstance(exc, MethodNotAllowed):  # 405 with Allow, for pages too (not a redirect)
            return super().handle_exception(exc)
        if isinstance(exc, MergedAway):
            if self.answers_json():
                return Response(exc.body, status=status.HTTP_404_NOT_FOUND)
            if self.request.method in READ_METHODS:
                return to_winner(self.request._request, exc)
        if isinstance(exc, services.GraphError):
            exc = GraphRefused(exc)
        elif isinstance(exc, Http404):
            exc = NotFound(str(exc) or "Not found.")
        request = self.request
        if self.answers_json():
            return super().handle_exception(exc)
        if isinstance(exc, NotAuthenticated | PermissionDenied):
            raise DjangoPermissionDenied(str(exc.detail))
        if isinstance(exc, NotFound) and request.method in READ_METHODS:
            raise Http404(str(exc.detail))
        response = super().handle_exception(exc)
        if response.status_code >= 500 or request.method in READ_METHODS:
            return response
        messages.error(request._request, response.data["error"])
        return redirect(views.safe_next(request._request, self.back_url()))

    def done(self, payload: dict, message: str, redirect_to: str, status_code: int = status.HTTP_200_OK):
        """JSON for JSON clients; for a page, the message and a redirect."""
        if self.answers_json():
            return Response(payload, status=status_code)
        messages.success(self.request._request, message)
        return redirect(views.safe_next(self.request._request, redirect_to))

    @staticmethod
    def valid(serializer_class, data) -> dict:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def group_url(group_id: int) -> str:
    return reverse("collector:group_detail", kwargs={"group_id": group_id})


def items_by_code(*codes: str) -> list[int]:
    """The ids of items named by ERP code; 404 for a code no item has."""
    found = selectors.item_codes(codes)
    for code in codes:
        if code not in found:
            raise NotFound(f"No item has the ERP code {code!r}.")
    return [found[code] for code in codes]
