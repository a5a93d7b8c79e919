"""Dashboard pages: the overview, a group and an item; htmx requests get the page body only."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from collector import selectors
from collector.merged import merged_away, to_winner
from collector.models import USE_UP_POLICIES
from dashboard import cards, queries, states
from dashboard.exports import group_members_table, overview_table
from dashboard.figures import charts as history
from dashboard.figures import selectors as figures
from dashboard.forms import KpiFilterForm
from dashboard.queries import outcomes
from dashboard.readiness import readiness_picture
from dashboard.tables import GroupLocationTable, ItemLocationTable, MemberTable, TopGroupsTable
from plmtracker.web.tabular import FORMATS, table_response
from plmtracker.web.views import error_response

STAGE_CHART_GROUPS = 10  # the overview's stage chart: the top groups, one bar each


def _filter_form(request: HttpRequest) -> KpiFilterForm:
    return KpiFilterForm(request.GET, queries.location_choices())


def _page(request: HttpRequest, template: str, body: str, context: dict, status: int = 200) -> HttpResponse:
    """The whole page, or only its body for an htmx request (selectors, auto-refresh)."""
    if request.htmx and not request.htmx.boosted:
        return render(request, body, context, status=status)
    return render(request, template, {**context, "body_template": body}, status=status)


def _query_string(form: KpiFilterForm) -> str:
    filters = form.filters
    return f"as_of={filters.as_of.isoformat()}&location_id={filters.location_param}&days={form.trend_days}"


def _invalid(request: HttpRequest, template: str, form: KpiFilterForm, context: dict) -> HttpResponse:
    return render(request, template, {**context, "form": form, "error": form.first_error()}, status=400)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "dashboard/overview.html", form, {})
    filters = form.filters
    kpis = figures.overview_page(filters)
    table = TopGroupsTable(
        kpis["top_groups"], query=_query_string(form), order_by=request.GET.get("sort"), as_of=filters.as_of
    )
    context = {
        "form": form,
        "filters": filters,
        "kpis": kpis,
        "cards": cards.overview_cards(kpis),
        "outcome_cards": cards.outcome_cards(kpis["outcome"], prices=False),
        "table": table,
        "chart_data": {"stages": cards.stages_by_group_chart(kpis["top_groups"][:STAGE_CHART_GROUPS])}
        | (stage_share := history.stage_share_chart(filters.as_of))["charts"],
        "stage_share": stage_share,
        "stage_chart_groups": STAGE_CHART_GROUPS,
        "top": queries.TOP_GROUPS,
        "query": _query_string(form),
    }
    return _page(request, "dashboard/overview.html", "dashboard/partials/_overview_body.html", context)


@require_safe
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "dashboard/group.html", form, {"group_id": group_id})
    filters = form.filters
    kpis = queries.group_kpis(group_id, filters)
    if kpis is None:
        gone = merged_away(group_id)
        if gone is not None:
            return to_winner(request, gone)
        raise Http404(f"There is no group {group_id}.")
    # One date range for every chart on the page: the trend length the page asks for. Compliance is
    # plotted from the start date only (before it there is no conversion to comply with).
    first_day = filters.as_of - timedelta(days=form.trend_days)
    trends = queries.group_trends(group_id, filters, form.trend_days)
    start = kpis["start_date"]
    compliance_from = first_day if start is None else max(first_day, start)
    weeks = (
        outcomes.compliance_trend(group_id, compliance_from, filters.as_of) if compliance_from <= filters.as_of else []
    )
    picture = readiness_picture(kpis["locations"])
    context = {
        "form": form,
        "filters": filters,
        "group_id": group_id,
        "kpis": kpis,
        "outcome_cards": cards.outcome_cards(kpis["outcome"]),
        "members": MemberTable(kpis["items"], query=_query_string(form)),
        "locations": GroupLocationTable(kpis["locations"]),
        "original_cards": cards.role_cards(kpis["original"], "original"),
        "replacement_cards": cards.role_cards(kpis["replacement"], "replacement"),
        "forecast_cards": cards.forecast_cards(kpis),
        "picture": picture,
        "stage_summary": cards.stage_summary(picture["counts"]),
        "policy_label": dict(USE_UP_POLICIES).get(kpis["use_up_policy"], kpis["use_up_policy"]),
        "overdue": states.overdue(kpis["status"], kpis["end_date"], filters.as_of),
        "trends": trends,
        "compliance_from": compliance_from,
        "snapshots_begin": cards.first_day_with(trends["on_hand"]),
        "chart_data": cards.chart_data(trends, cards.GROUP_SERIES)
        | {
            "compliance": cards.compliance_chart(weeks),
            "stages": cards.stage_chart(picture["counts"]),
        }
        | (progress := history.group_history_charts(group_id, filters.as_of))["charts"],
        "history": progress,
        "query": _query_string(form),
    }
    if not (request.htmx and not request.htmx.boosted):  # the header is not part of the refreshed body
        context["conflicts"], context["conflict_count"] = selectors.open_conflicts(group_id)
    return _page(request, "dashboard/group.html", "dashboard/partials/_group_body.html", context)


@require_safe
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "dashboard/item.html", form, {"item_id": item_id})
    filters = form.filters
    kpis = queries.item_kpis(item_id, filters)
    if kpis is None:
        raise Http404(f"There is no item {item_id}.")
    context = {
        "form": form,
        "filters": filters,
        "item_id": item_id,
        "kpis": kpis,
        "locations": ItemLocationTable(kpis["locations"]),
        "cards": cards.item_cards(kpis),
        "trends": (trends := queries.item_trends(item_id, filters, form.trend_days)),
        "snapshots_begin": cards.first_day_with(trends["on_hand"]),
        "chart_data": cards.chart_data(trends, cards.ITEM_SERIES),
        "query": _query_string(form),
    }
    return _page(request, "dashboard/item.html", "dashboard/partials/_item_body.html", context)


def _export(request: HttpRequest, fmt: str, filename: str, table_fn, **kwargs) -> HttpResponse:
    if fmt not in FORMATS:
        return error_response(request, 400, "Bad request", f"Unknown export format {fmt!r}: use csv or xlsx.")
    form = _filter_form(request)
    if not form.is_valid():
        return error_response(request, 400, "Bad request", form.first_error())
    filters = form.filters
    headers, rows = table_fn(as_of=filters.as_of, location_id=filters.location_id, **kwargs)
    return table_response(fmt, f"{filename}_{filters.as_of.isoformat()}", headers, rows)


@require_safe
def overview_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every active group ranked by original 90-day PO spend, as CSV or XLSX."""
    return _export(request, fmt, "dashboard_groups", overview_table)


@require_safe
def group_export(request: HttpRequest, group_id: int, fmt: str) -> HttpResponse:
    """The group's member table as CSV or XLSX."""
    try:
        return _export(request, fmt, f"group_{group_id}_members", group_members_table, group_id=group_id)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
