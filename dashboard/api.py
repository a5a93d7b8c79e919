"""JSON API: KPIs and trends of a group or an item (spec section 3, Dashboard)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from collector.merged import merged_away
from dashboard import queries
from dashboard.figures import selectors as figures
from dashboard.forms import KpiFilterForm
from dashboard.serializers import (
    GroupKpisSerializer,
    GroupTimeseriesSerializer,
    ItemKpisSerializer,
    ItemTimeseriesSerializer,
    OverviewSerializer,
)
from plmtracker.web.api import ErrorSerializer

AS_OF = OpenApiParameter("as_of", str, description="Day the KPIs are for, YYYY-MM-DD (default: today).")
LOCATION = OpenApiParameter("location_id", str, description="ALL (default) or a location number.")
DAYS = OpenApiParameter("days", int, description="Length of the trend, 1-730 days ending at as_of (default 90).")
ERRORS = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    404: ErrorSerializer,
}
BAD_REQUEST = OpenApiExample(
    "Bad parameter",
    value={"error": "The “as of” day must be a date written YYYY-MM-DD, e.g. 2026-11-20."},
    status_codes=["400"],
)


def _form(request: Request) -> KpiFilterForm:
    form = KpiFilterForm(request.query_params, queries.location_choices())
    if not form.is_valid():
        raise ParseError(form.first_error())
    return form


def _answer(body: dict[str, Any] | None, serializer: type[Serializer], missing: str) -> Response:
    if body is None:
        raise NotFound(missing)
    return Response(serializer(body).data)


class _Endpoint(APIView):
    """GET with the dashboard's selectors; `compute(key, form)` returns the body or None when the key is unknown."""

    serializer: type[Serializer]
    what: str
    compute: Callable[[int, KpiFilterForm], dict[str, Any] | None]

    def answer(self, key: int, request: Request) -> Response:
        body = self.compute(key, _form(request))
        if body is None and self.what == "group":
            gone = merged_away(key)
            if gone is not None:
                return Response(gone.body, status=404)
        return _answer(body, self.serializer, f"There is no {self.what} {key}.")


class GroupKpis(_Endpoint):
    serializer, what = GroupKpisSerializer, "group"
    compute = staticmethod(lambda key, form: queries.group_kpis(key, form.filters))

    @extend_schema(
        summary="A group's KPIs: originals vs replacements, readiness, members, run-out, stranded stock, leakage",
        parameters=[AS_OF, LOCATION],
        responses={200: GroupKpisSerializer, **ERRORS},
        examples=[BAD_REQUEST],
    )
    def get(self, request: Request, group_id: int) -> Response:
        return self.answer(group_id, request)


class GroupTimeseries(_Endpoint):
    serializer, what = GroupTimeseriesSerializer, "group"

    @staticmethod
    def compute(key: int, form: KpiFilterForm) -> dict[str, Any] | None:
        if not queries.group_exists(key):
            return None
        return queries.group_trends(key, form.filters, form.trend_days)

    @extend_schema(
        summary="A group's on-hand and burn per day and PO per week, originals vs replacements",
        parameters=[DAYS, LOCATION, AS_OF],
        responses={200: GroupTimeseriesSerializer, **ERRORS},
        examples=[BAD_REQUEST],
    )
    def get(self, request: Request, group_id: int) -> Response:
        return self.answer(group_id, request)


class ItemKpis(_Endpoint):
    serializer, what = ItemKpisSerializer, "item"
    compute = staticmethod(lambda key, form: queries.item_kpis(key, form.filters))

    @extend_schema(
        summary="An item's KPIs, overall and per location",
        parameters=[AS_OF, LOCATION],
        responses={200: ItemKpisSerializer, **ERRORS},
        examples=[BAD_REQUEST],
    )
    def get(self, request: Request, item_id: int) -> Response:
        return self.answer(item_id, request)


class ItemTimeseries(_Endpoint):
    serializer, what = ItemTimeseriesSerializer, "item"

    @staticmethod
    def compute(key: int, form: KpiFilterForm) -> dict[str, Any] | None:
        if not queries.item_exists(key):
            return None
        return queries.item_trends(key, form.filters, form.trend_days)

    @extend_schema(
        summary="An item's on-hand and burn per day and PO per week",
        parameters=[DAYS, LOCATION, AS_OF],
        responses={200: ItemTimeseriesSerializer, **ERRORS},
        examples=[BAD_REQUEST],
    )
    def get(self, request: Request, item_id: int) -> Response:
        return self.answer(item_id, request)


class Overview(APIView):
    @extend_schema(
        summary="The overview: active groups' figures summed, their conversion outcome, and the top groups",
        parameters=[AS_OF, LOCATION],
        responses={200: OverviewSerializer, 400: ErrorSerializer, 401: ErrorSerializer},
        examples=[BAD_REQUEST],
    )
    def get(self, request: Request) -> Response:
        return Response(OverviewSerializer(figures.overview_page(_form(request).filters)).data)
