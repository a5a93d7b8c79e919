"""/attention: every attention item across the groups, its CSV, the navigation's count badge, the digest switch."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from attention.forms import AttentionFilterForm
from attention.links import absolute, item_path
from attention.models import DigestOptOut
from attention.queries import attention_items
from attention.tables import CSV_HEADERS, AttentionTable, csv_rows
from plmtracker.web.pages import LIST_PAGE, is_fragment, paginate
from plmtracker.web.tabular import table_response


def records(as_of: date, **query) -> list[dict]:
    """The attention items as dicts for tables, CSV and JSON, each with the path and URL it is acted on at."""
    rows = []
    for item in attention_items(as_of, **query):
        path = item_path(item, as_of)
        rows.append(item.as_dict() | {"url": path, "absolute_url": absolute(path), "sort_date": item.date or date.max})
    return rows


@require_safe
def attention(request: HttpRequest) -> HttpResponse:
    form = AttentionFilterForm(request.GET, user=request.user)
    context: dict = {"filter": {"form": form}}
    if not form.is_valid():
        context["error"] = form.first_error()
        return render(request, "attention/attention.html", context, status=400)
    found = records(form.day, **form.query())
    if request.GET.get("export") == "csv":
        rows = csv_rows(found)
        return table_response("csv", f"attention_{form.day.isoformat()}", CSV_HEADERS, rows)
    table = AttentionTable(found)
    paginate(request, table, LIST_PAGE * 2)
    context |= {"table": table, "as_of": form.day}
    if is_fragment(request, "attention-table"):
        return render(request, "attention/partials/_attention_table.html", context)
    return render(request, "attention/attention.html", context)


@require_safe
def badge(request: HttpRequest) -> HttpResponse:
    """The count in the navigation, loaded after the page (htmx): today's items, read as the list reads them.

    Not cached: a cached count outlives the writes that change the list, and the badge then disagrees with it.
    """
    count = len(attention_items(timezone.localdate()))
    return render(request, "attention/partials/_badge.html", {"count": count})


@require_POST
def digest_preference(request: HttpRequest) -> HttpResponse:
    """Turn the daily digest on or off for the signed-in person (from /account)."""
    wanted = request.POST.get("digest") == "on"
    if wanted:
        DigestOptOut.objects.filter(user=request.user).delete()
        messages.success(request, "You will get the daily attention digest.")
    else:
        DigestOptOut.objects.get_or_create(user=request.user)
        messages.success(request, "You will no longer get the daily attention digest.")
    return redirect("accounts:account")
