"""/attention: every attention item across the groups, its CSV, the navigation's count badge, the digest switch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cached_property

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST, require_safe
from django_tables2.data import TableListData

from accounts.permissions import is_steward
from attention import memory, rules
from attention.folding import fold
from attention.forms import AttentionActionForm, AttentionFilterForm, default_owner
from attention.links import absolute, item_paths
from attention.markup import RowMarkup
from attention.models import REASONS, DigestOptOut
from attention.queries import attention_items
from attention.rules import Item, sort_key
from attention.services import AttentionActionError, attention_act_today, record_today, record_today_folded
from attention.tables import CSV_HEADERS, AttentionTable, csv_rows
from plmtracker.web.pages import LIST_PAGE, is_fragment, paginate
from plmtracker.web.tabular import table_response

REASON_OPTIONS = format_html(
    '<option value="">Reason…</option>{}', format_html_join("", '<option value="{}">{}</option>', REASONS.items())
)
ACTION_WORDS = {"acknowledge": "Acknowledged", "snooze": "Snoozed", "dismiss": "Dismissed", "reopen": "Reopened"}


def _matches(item: Item, kinds=None, owner_id=None, statuses=None, group_id=None) -> bool:
    return (
        (not kinds or item.kind in kinds)
        and (owner_id is None or item.owner_id == owner_id)
        and (not statuses or item.group_status in statuses)
        and (group_id is None or item.group_id == group_id)
    )


def current_items(as_of: date, **query) -> list[Item]:
    """The items of `as_of` for `query`, in the rules' order.

    Today's are read from the memory (the items its latest refresh computed), which is recorded
    again first when a write announced a change after it: never stale, and one short statement
    when fresh. Another day is computed by the rules.
    """
    if as_of != timezone.localdate():
        return attention_items(as_of, **query)
    record_today()
    return [item for item in memory.stored_items(as_of, **query) if _matches(item, **query)]


def record(item: Item, held: memory.Memory, as_of: date, path_of) -> dict:
    """One item as a dict for tables, CSV and JSON: its fields, its memory and the path it is acted on at."""
    path = path_of(item)
    return (
        item.as_dict()
        | held.as_dict(as_of)
        | {
            "severity_reason": item.severity_reason,
            "url": path,
            "absolute_url": absolute(path),
            "sort_date": item.date or date.max,
        }
    )


def todays_page(size: int, number: int, **shown) -> tuple[Page, list[dict]]:
    """A page of today's list read in SQL (count, then one ordered slice): what the JSON pages."""
    today = record_today()
    page = Paginator(memory.listed_runs(today, **shown), size).get_page(number)
    path_of = item_paths(today)
    rows = [record(Item.from_stored(run.item), memory.memory_of(run, today), today, path_of) for run in page]
    return page, rows


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
    path_of = item_paths(as_of)
    rows = []
    for item in items:
        if severity is not None and item.severity != severity:
            continue
        if location_id is not None and item.location_id != location_id:
            continue
        held = remembered.get(item.key, memory.UNRECORDED)
        if held.state not in states or (new_only and held.first_seen != as_of):
            continue
        rows.append(record(item, held, as_of, path_of))
    return rows


def _page_context(request: HttpRequest, query: QueryDict, context: dict | None = None) -> tuple[dict, int]:
    """The list's context for the filters in `query`, and its status (400 with the reason on a bad filter)."""
    form = AttentionFilterForm(query, user=request.user)
    reasons = [(n, rules.SEVERITIES[n], reason) for n, reason in rules.SEVERITY_REASONS.items()]
    context = (context or {}) | {
        "filter": {"form": form},
        "severity_reasons": reasons,
        "reason_options": REASON_OPTIONS,
        "act_url": reverse("attention:act"),
        "fold_url": reverse("attention:fold"),
        "steward": is_steward(request.user),
        "filters": query.urlencode(),
    }
    if not form.is_valid():
        return context | {"error": form.first_error()}, 400
    context |= {"as_of": form.day, "today": timezone.localdate(), "query": form.query(), "shown": form.shown()}
    context["tomorrow_iso"] = (context["today"] + timedelta(days=1)).isoformat()
    context["markup"] = RowMarkup.for_page(  # what the rows share, written once (attention/markup.py)
        actionable=context["as_of"] == context["today"],
        steward=context["steward"],
        user_id=request.user.pk,
        act_url=context["act_url"],
        fold_url=context["fold_url"],
        filters=context["filters"],
        tomorrow=context["tomorrow_iso"],
        reasons=REASON_OPTIONS,
    )
    return context, 200


def _found(context: dict, **narrower) -> list[dict]:
    return records(context["as_of"], **(context["query"] | narrower), **context["shown"])


def _in_order(item: Item) -> tuple:
    """The rules' order (memory.listed_runs sorts by the same), the kind last so ties fall the same way every time."""
    return (*sort_key(item), item.kind)


def _kept_folds_answer(filters: dict) -> bool:
    """Whether today's kept folds (attention_fold: the default states, every location) answer these filters."""
    return (
        set(filters.get("states") or memory.LISTED) == set(memory.LISTED)
        and not filters.get("new_only")
        and filters.get("location_id") is None
    )


class TodaysFolds(Sequence):
    """Today's folded rows, counted and fetched a page at a time in SQL (django-tables2 slices it).

    For the default states at every location, the kept folds (attention_fold) give the order and the
    totals: an aggregate and an ordered slice over one row per fold. Other filters group today's runs;
    there the first page's slice carries the totals (a window over the grouped rows), so the common
    request reads the runs once for both; another page counts first.
    """

    def __init__(self, today: date, filters: dict, first_page: int, kept: bool = False):
        self.today = today
        self.runs = memory.listed_runs(today, **filters)
        self.kept = None
        if kept and _kept_folds_answer(filters):
            narrow = {name: filters.get(name) for name in ("kinds", "owner_id", "statuses", "group_id", "severity")}
            self.kept = memory.kept_folds(today, **narrow)
            self.folds = memory.fold_order(self.kept)
        else:
            self.folds = memory.folds(self.runs)
        self.first_page = first_page

    @cached_property
    def first(self) -> list[tuple]:
        """The first page's (group_id, kind, rows, items): one statement over the runs, or two over the kept folds."""
        if self.kept is not None:
            rows, items = self.totals
            return [(*pair, rows, items) for pair in self.folds[: self.first_page].values_list("group_id", "kind")]
        counted = memory.with_totals(self.folds)[: self.first_page]
        return list(counted.values_list("group_id", "kind", "all_rows", "all_items"))

    @cached_property
    def totals(self) -> tuple[int, int]:
        if self.kept is not None:
            return memory.fold_totals(self.kept)
        return (self.first[0][2], self.first[0][3]) if self.first else (0, 0)

    @property
    def rows(self) -> int:
        return self.totals[0]

    @property
    def items(self) -> int:
        return self.totals[1]

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if (index.start or 0, index.stop) == (0, self.first_page):
            pairs = [(group_id, kind) for group_id, kind, _, _ in self.first]
        else:
            pairs = list(self.folds[index].values_list("group_id", "kind"))
        if not pairs:
            return []
        wanted = set(pairs)
        # Unordered, the group index finds the page's runs; ordered, SQLite would walk the whole day. Sorted here.
        # The pairs are picked here too: a filter of 50 (group, kind) pairs cost more to build than to read.
        runs = self.runs.filter(group_id__in={group_id for group_id, _ in pairs}).order_by()
        picked = ((Item.from_stored(run.item), run) for run in runs if (run.group_id, run.kind) in wanted)
        items = sorted(picked, key=lambda pair: _in_order(pair[0]))
        path_of = item_paths(self.today)
        found = [record(item, memory.memory_of(run, self.today), self.today, path_of) for item, run in items]
        return fold(found)


class FoldedData(TableListData):
    """Hands django-tables2 the lazy rows as they are (it would copy a sequence into a list)."""

    def __init__(self, rows: TodaysFolds):
        self.data = rows


def _table(request: HttpRequest, context: dict) -> dict:
    listed = request.GET
    request.GET = QueryDict(context["filters"])  # sorting and paging links keep the filters
    if context["as_of"] == context["today"] and "sort" not in request.GET:
        _, kept = record_today_folded()
        rows = TodaysFolds(context["today"], context["query"] | context["shown"], LIST_PAGE * 2, kept)
        table, count = AttentionTable(FoldedData(rows)), rows.items
    else:  # another day, or sorted by a column: every item, folded here
        found = _found(context)
        table, count = AttentionTable(fold(found)), len(found)
    paginate(request, table, LIST_PAGE * 2)  # TodaysFolds' first page
    request.GET = listed
    return context | {"table": table, "item_count": count}


@require_safe
def attention(request: HttpRequest) -> HttpResponse:
    context, status = _page_context(request, request.GET)
    if status != 200:
        return render(request, "attention/attention.html", context, status=status)
    if request.GET.get("export") == "csv":
        rows = csv_rows(_found(context))
        return table_response("csv", f"attention_{context['as_of'].isoformat()}", CSV_HEADERS, rows)
    context = _table(request, context)
    if is_fragment(request, "attention-table"):
        return render(request, "attention/partials/_attention_table.html", context)
    return render(request, "attention/attention.html", context)


@require_safe
def fold_rows(request: HttpRequest) -> HttpResponse:
    """A folded row's locations, each with its own actions (htmx, under the row)."""
    text = request.GET.get("group", "")
    group_id = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else 0
    if not 0 < group_id < 2**31:
        return HttpResponseBadRequest("group must be a group id.", content_type="text/plain; charset=utf-8")
    query = request.GET.copy()
    for name in ("group", "fold"):
        query.pop(name, None)
    context, status = _page_context(request, query)
    if status != 200:
        return HttpResponseBadRequest(context["error"], content_type="text/plain; charset=utf-8")
    rows = _found(context, group_id=group_id)
    return render(request, "attention/partials/_fold.html", context | {"rows": rows})


@require_POST
def act(request: HttpRequest) -> HttpResponse:
    """The row and bulk buttons: act on the ticked keys, then show the list again (htmx swaps the table).

    Filters the list could not show (a bad page number, say) refuse the action too: nothing is written.
    """
    form = AttentionActionForm(request.POST)
    query = QueryDict(request.POST.get("filters", ""))
    context, list_status = _page_context(request, query)
    message, status = "", 200
    if list_status != 200:
        message, status = context["error"], list_status
    elif not form.is_valid():
        message, status = form.first_error(), 400
    else:
        data = form.cleaned_data
        try:
            keys = [key for value in request.POST.getlist("key") for key in value.split()]
            runs = attention_act_today(user=request.user, keys=keys, asked=data)
        except AttentionActionError as exc:
            message, status = exc.message, 400
        else:
            count = len(runs)
            message = f"{ACTION_WORDS[data['action']]} {count} item{'s' if count != 1 else ''}."
    if not getattr(request, "htmx", False):
        (messages.success if status == 200 else messages.error)(request, message)
        return redirect(f"{reverse('attention:attention')}?{query.urlencode()}")
    if list_status != 200:
        return render(request, "attention/partials/_attention_table.html", context, status=list_status)
    context |= {"action_message": message, "action_ok": status == 200}
    return render(request, "attention/partials/_attention_table.html", _table(request, context), status=status)


@require_safe
def badge(request: HttpRequest) -> HttpResponse:
    """The count in the navigation, loaded after the page (htmx): what the default list shows today.

    Counted from today's memory (a few short statements); the memory is recorded again first when a write
    announced a change after it (plmtracker/changes.py), so the count never lags the list.
    """
    today, kept = record_today_folded()
    mine = default_owner(request.user) == "me"
    count = memory.listed_count(today, owner_id=request.user.pk if mine else None, kept=kept)
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
