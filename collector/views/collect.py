"""/collect: the dual picker, its preview and the typeahead fragments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_safe

from collector import selectors, services
from collector.forms import CollectForm
from collector.views.helpers import group_link, int_or_none, ratio_or_none
from plmtracker.inventory.models import Item


def link_recorded_message(result: services.LinkResult, item: Item, replace: Item) -> str:
    if result.ratio_updated:
        return format_html(
            "{} is already recorded as replaced by {}; its ratio is now {}. {}",
            item.erp_item_code,
            replace.erp_item_code,
            services.format_ratio(result.ratio),
            group_link(result.group_id),
        )
    if not result.created:
        return format_html(
            "{} is already recorded as replaced by {}; nothing changed. {}",
            item.erp_item_code,
            replace.erp_item_code,
            group_link(result.group_id),
        )
    notes = []
    if result.ratio != 1:
        notes.append(f"Ratio {services.format_ratio(result.ratio)}.")
    if result.merged_group_ids:
        merged = ", ".join(str(g) for g in result.merged_group_ids)
        notes.append(f"Group {merged} merged into group {result.group_id}.")
    if result.alerts:
        notes.append(f"{len(result.alerts)} open conflict(s) on these items for a steward to review.")
    return format_html(
        "Recorded: {} is replaced by {}. {} {}",
        item.erp_item_code,
        replace.erp_item_code,
        " ".join(notes),
        group_link(result.group_id),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def collect(request: HttpRequest) -> HttpResponse:
    """Record that one item is replaced by another, with a live preview of the result."""
    status = 200
    if request.method == "POST":
        form = CollectForm(request.POST)
        if form.is_valid():
            item, replace = form.cleaned_data["item"], form.cleaned_data["replace"]
            try:
                result = services.link_add(
                    item_id=item.pk,
                    replace_item_id=replace.pk,
                    user=request.user,
                    reason=form.cleaned_data["reason"] or None,
                    ratio=form.cleaned_data["ratio"],
                    merge_confirmed=form.cleaned_data["confirm_merge"],
                )
            except services.GraphError as exc:
                form.add_error(None, exc.message)
            else:
                level = messages.SUCCESS if result.created else messages.INFO
                messages.add_message(request, level, link_recorded_message(result, item, replace))
                return redirect("collector:collect")
        status = 400
        query = request.POST
    else:
        form = CollectForm(initial={"ratio": ratio_or_none(request.GET.get("ratio")) or 1})
        query = request.GET
    preview = selectors.link_preview(
        int_or_none(query.get("item")), int_or_none(query.get("replace")), ratio_or_none(query.get("ratio"))
    )
    return render(request, "collector/collect.html", {"form": form, "preview": preview}, status=status)


@require_safe
def collect_preview(request: HttpRequest) -> HttpResponse:
    """The fragment under the pickers: both items' groups, the ratio and what the link would do."""
    preview = selectors.link_preview(
        int_or_none(request.GET.get("item")),
        int_or_none(request.GET.get("replace")),
        ratio_or_none(request.GET.get("ratio")),
    )
    return render(request, "collector/partials/_collect_preview.html", {"preview": preview, "oob": True})


@require_safe
def item_options(request: HttpRequest) -> HttpResponse:
    """Typeahead options: items by ERP code prefix or description words."""
    query = request.GET.get("q", "")
    options = [
        {
            "value": o.item_id,
            "label": f"{o.code} — {o.description}" if o.description else o.code,
            "code": o.code,
            "text": o.description,
            "hint": f"Group {o.group_id} · {o.role or 'no role'}" if o.group_id else "Not in a group",
            "muted": not o.active,
        }
        for o in selectors.item_search(query)
    ]
    return render(
        request,
        "collector/partials/_options.html",
        {"options": options, "query": query, "picker": request.GET.get("picker", "item"), "noun": "item"},
    )


@require_safe
def group_options(request: HttpRequest) -> HttpResponse:
    """Typeahead options for the merge picker: groups by number or by a member."""
    query = request.GET.get("q", "")
    options = [
        {
            "value": g.group_id,
            "label": f"{g.title} (group {g.group_id}) · {g.member_count} members · {g.get_status_display()}",
            "code": f"Group {g.group_id}",
            "text": g.title,
            "hint": f"{g.get_status_display()} · {g.member_count} members · {g.conflict_count} open conflicts",
            "muted": g.status == "retired",
        }
        for g in selectors.group_search(query, exclude=int_or_none(request.GET.get("exclude")))
    ]
    return render(
        request,
        "collector/partials/_options.html",
        {"options": options, "query": query, "picker": request.GET.get("picker", "group"), "noun": "group"},
    )
