"""GET /api/attention (the list as JSON, a page at a time) and POST /api/attention/actions (act on an item)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from attention import rules
from attention.forms import MAX_PAGE, MAX_PAGE_SIZE, PAGE_SIZE, AttentionFilterForm, AttentionPageForm
from attention.models import STATES
from attention.serializers import (
    AttentionActionRequestSerializer,
    AttentionActionResultSerializer,
    AttentionSerializer,
)
from attention.services import AttentionActionError, attention_act_today
from attention.views import records, todays_page
from plmtracker.web.api import ErrorSerializer, first_error


class AttentionApi(APIView):
    @extend_schema(
        summary="What needs a person today, most urgent first: stock-out risk, leakage and stranded stock by "
        "dollars, late or at-risk go-lives and overdue groups, open conflicts",
        parameters=[
            OpenApiParameter("as_of", str, description="Day, YYYY-MM-DD (default: today)."),
            OpenApiParameter("kind", str, enum=list(rules.KINDS), description="One kind only."),
            OpenApiParameter(
                "owner",
                str,
                description="The owner's e-mail address, 'me' or 'all' (default: 'me' for a planner "
                "who owns a group, else 'all').",
            ),
            OpenApiParameter("status", str, enum=list(rules.STATUSES), description="Group status (default both)."),
            OpenApiParameter("state", str, enum=[*STATES, "all"], description="Default: open and acknowledged."),
            OpenApiParameter("severity", int, enum=list(rules.SEVERITIES), description="One class only."),
            OpenApiParameter("location", int, description="One location's items only (by id)."),
            OpenApiParameter("new", bool, description="Only items first seen on as_of."),
            OpenApiParameter("page", int, description=f"Page, from 1 (at most {MAX_PAGE}); past the last: the last."),
            OpenApiParameter(
                "page_size", int, description=f"Items per page, 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE})."
            ),
        ],
        responses={200: AttentionSerializer, 400: ErrorSerializer, 401: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        form = AttentionFilterForm(request.query_params, user=request.user)
        paging = AttentionPageForm(request.query_params)
        if not form.is_valid():
            raise ParseError(form.first_error())
        if not paging.is_valid():
            raise ParseError(paging.first_error())
        size = paging.cleaned_data["page_size"] or PAGE_SIZE
        number = paging.cleaned_data["page"] or 1
        if form.day == timezone.localdate():  # today's: counted and sliced in SQL from the memory
            page, items = todays_page(size, number, **form.query(), **form.shown())
        else:
            page = Paginator(records(form.day, **form.query(), **form.shown()), size).get_page(number)
            items = page.object_list
        body = {
            "as_of": form.day,
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "page_size": size,
            "items": items,
        }
        return Response(AttentionSerializer(body).data)


class AttentionActionsApi(APIView):
    @extend_schema(
        summary="Acknowledge, snooze, dismiss or reopen one of today's attention items",
        description="Owners of the item's group and data stewards may act; others get 403. Snooze needs "
        "`until` after today, dismiss a `reason` (not_applicable, accepted, data_wrong). Audited in the "
        "group's history.",
        request=AttentionActionRequestSerializer,
        responses={200: AttentionActionResultSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        asked = AttentionActionRequestSerializer(data=request.data)
        if not asked.is_valid():
            raise ParseError(first_error(asked.errors))
        body = asked.validated_data
        try:
            (run,) = attention_act_today(user=request.user, keys=[body["key"]], asked=body)
        except AttentionActionError as exc:
            raise ParseError(exc.message) from exc
        result = {
            "key": run.key,
            "kind": run.kind,
            "group_id": run.group_id,
            "location_id": run.location_id,
            "first_seen": run.first_seen,
            "state": run.state,
            "snooze_until": run.snooze_until,
            "reason": run.reason or None,
            "note": run.note or None,
        }
        return Response(AttentionActionResultSerializer(result).data)
