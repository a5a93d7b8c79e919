"""GET /api/attention: the attention list as JSON, with the page's filters."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from attention import rules
from attention.forms import AttentionFilterForm
from attention.serializers import AttentionSerializer
from attention.views import records
from plmtracker.web.api import ErrorSerializer


class AttentionApi(APIView):
    @extend_schema(
        summary="What needs a person today: leakage, late or at-risk go-lives, stock-out risk, stranded stock, "
        "overdue groups, open conflicts",
        parameters=[
            OpenApiParameter("as_of", str, description="Day, YYYY-MM-DD (default: today)."),
            OpenApiParameter("kind", str, enum=list(rules.KINDS), description="One kind only."),
            OpenApiParameter("owner", str, description="The owner's e-mail address, or 'me'."),
            OpenApiParameter("status", str, enum=list(rules.STATUSES), description="Group status (default both)."),
        ],
        responses={200: AttentionSerializer, 400: ErrorSerializer, 401: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        form = AttentionFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ParseError(form.first_error())
        items = records(form.day, **form.query(), **form.shown())
        body = {"as_of": form.day, "count": len(items), "items": items}
        return Response(AttentionSerializer(body).data)
