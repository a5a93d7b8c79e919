"""/attention: every attention item across the groups, its CSV, the navigation's count badge, the digest switch."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from attention import memory, rules
from attention.forms import AttentionFilterForm, default_owner
from attention.links import absolute, item_path
from attention.models import DigestOptOut
from attention.queries import attention_items
from attention.rules import Item
from attention.services import attention_refresh, record_today
from attention.tables import CSV_HEADERS, AttentionTable, csv_rows
from plmtracker.web.pages import LIST_PAGE, is_fragment, paginate
from plmtracker.web.tabular import table_response


def _matches(item: Item, kinds=None, owner_id=None, statuses=None) -> bool:
    return (
        (not kinds or item.kind in kinds)
        and (owner_id is None or item.owner_id == owner_id)
        and (not statuses or item.group_status in statuses)
    )


def current_items(as_of: date, **query) -> list[Item]:
    """The items of `as_of` for `query`; today's memory is recorded first when a write has left it stale.

    A stale day costs one computation of every item, which records the memory and is then filtered here;
    a fresh one computes only the items asked for.
    """
    if as_of == timezone.localdate() and not memory.is_fresh(as_of):
        everything = attention_items(as_of)
        attention_refresh(as_of=as_of, items=everything)
        return [item for item in everything if _matches(item, **query)]
    return attention_items(as_of, **query)


def records(
    as_of: date,
    *,
    states=memory.LISTED,
    new_only: bool = False,
    severity: int | None = None,
    location_id: int | None = None,
    **query,
) -> list[dict]:
    """The attention items as dicts for tables, CSV and JSON, with their memory and the path they are acted on at."""
    items = current_items(as_of, **query)
    remembered = memory.memories(as_of)  # after: the first read of the day records it
    rows = []
    for item in items:
        if severity is not None and item.severity != severity:
            continue
        if location_id is not None and item.location_id != location_id:
            continue
        held = remembered.get(item.key, memory.UNRECORDED).as_dict(as_of)
        if held["state"] not in states or (new_only and not held["new"]):
            continue
        path = item_path(item, as_of)
        rows.append(
            item.as_dict()
            | held
            | {
                "severity_reason": item.severity_reason,
                "url": path,
                "absolute_url": absolute(path),
                "sort_date": item.date or date.max,
            }
        )
    return rows


@require_safe
def attention(request: HttpRequest) -> HttpResponse:
    form = AttentionFilterForm(request.GET, user=request.user)
    reasons = [(n, rules.SEVERITIES[n], reason) for n, reason in rules.SEVERITY_REASONS.items()]
    context: dict = {"filter": {"form": form}, "severity_reasons": reasons}
    if not form.is_valid():
        context["error"] = form.first_error()
        return render(request, "attention/attention.html", context, status=400)
    found = records(form.day, **form.query(), **form.shown())
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
    """The count in the navigation, loaded after the page (htmx): what the default list shows today.

    Counted from today's memory (a few short statements); the memory is recorded again first when a write
    announced a change after it (plmtracker/changes.py), so the count never lags the list.
    """
    today = record_today()
    mine = default_owner(request.user) == "me"
    count = memory.listed_count(today, owner_id=request.user.pk if mine else None)
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
