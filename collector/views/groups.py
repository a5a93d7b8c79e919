"""/groups and /groups/<id>: the list, a group's page, its tables, go-live rows, merge, split and history fragments."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from collector import golive_preview, history, layout, naming, selectors, services, stage_source
from collector.filters import GroupFilter
from collector.forms import GoLivePreviewForm
from collector.merged import merged_away, to_winner
from collector.models import GROUP_STATUSES, MEMBER_ROLES, USE_UP_POLICIES, ItemGroup
from collector.tables import GroupTable
from plmtracker.web.pages import LIST_PAGE, is_fragment, paginate
from plmtracker.web.tabular import table_response

GRAPH_LIMIT = 150  # members; a larger group is listed, not drawn
SPLIT_LIST_LIMIT = 300  # members offered as tick boxes for a split; a larger group splits through the API
PIECES_SHOWN = 10
PIECE_CODES = 12  # codes named per piece
HISTORY_PAGE = 15
MEMBERS_PAGE = 50
LINKS_PAGE = 50


def group_list(request: HttpRequest) -> tuple[GroupFilter, GroupTable]:
    """The filtered, sorted, paged groups table (shared by the page, its fragment, CSV and JSON)."""
    filterset = GroupFilter(request.GET or None, queryset=selectors.groups_with_counts())
    table = GroupTable(filterset.qs)
    paginate(request, table, LIST_PAGE)
    return filterset, table


def groups_page(request: HttpRequest) -> HttpResponse:
    filterset, table = group_list(request)
    if request.GET.get("export") == "csv":
        headers, rows = table.as_rows()
        return table_response("csv", "conversion-groups", headers, rows)
    context = {"filter": filterset, "table": table, "statuses": GROUP_STATUSES}
    if is_fragment(request, "groups-table"):
        return render(request, "collector/partials/_groups_table.html", context)
    return render(request, "collector/groups.html", context)


# --------------------------------------------------------------------------
# /groups/<id>


def group_view_or_404(group_id: int) -> selectors.GroupView:
    """The group's members and links; `MergedAway` (a 404) for a group merged into another."""
    view = selectors.group_view(group_id)
    if view is not None:
        return view
    gone = merged_away(group_id)
    if gone is not None:
        raise gone
    raise Http404(f"Group {group_id} does not exist.")


def picture(view: selectors.GroupView) -> dict | None:
    """The group as a directed graph, ready for the SVG template; None when too large to draw."""
    if not view.members or len(view.members) > GRAPH_LIMIT:
        return None
    placed = layout.layout([m.item_id for m in view.members], [link.ends for link in view.links])
    codes = view.codes
    return {
        "width": placed.width,
        "height": placed.height,
        "nodes": [
            {
                "member": m,
                "box": placed.boxes[m.item_id],
                "code": layout.fit(m.code),
                "lines": [(text, 36 + 13 * n) for n, text in enumerate(layout.label_lines(m.description))],
            }
            for m in view.members
        ],
        "arrows": [
            {"path": a.path, "back": a.back, "label": f"{codes[a.source]} is replaced by {codes[a.target]}"}
            for a in placed.arrows
        ],
        "node_width": layout.NODE_WIDTH,
        "node_height": layout.NODE_HEIGHT,
    }


def history_page(group_id: int, page: str | int | None) -> dict:
    """One page of the group's history, each row with its sentence (three queries)."""
    rows = Paginator(selectors.group_history(group_id), HISTORY_PAGE).get_page(page)
    codes = selectors.codes_of(history.item_ids_named(r.details for r in rows))
    entries = [
        {
            "row": r,
            "label": history.ACTION_LABELS.get(r.action, r.action),
            "text": history.describe(r.action, r.details, codes),
            "elsewhere": r.group_id != group_id,
        }
        for r in rows
    ]
    return {"page": rows, "entries": entries, "group_id": group_id}


def split_context(view: selectors.GroupView, item_ids: Iterable[int], highlight: int | None = None) -> dict:
    """What splitting the ticked members off would do, asked of the service's dry run."""
    by_id = {m.item_id: m for m in view.members}
    chosen = [i for i in item_ids if i in by_id]
    context = {"split_ids": chosen, "split_plan": None, "split_error": None, "highlight_id": highlight}
    if not chosen:
        return context
    try:
        plan = services.group_split(group_id=view.group.pk, item_ids=chosen, dry_run=True)
    except services.GraphError as exc:
        context["split_error"] = exc.message
        return context
    cut = set(plan.cut_links)
    context["split_plan"] = {
        "staying": [by_id[i] for i in plan.staying_item_ids],
        "moving": [by_id[i] for i in plan.moved_item_ids],
        "cut": [link for link in view.links if link.ends in cut],
        "alone": [by_id[i] for i in plan.alone_item_ids],
    }
    return context


def merge_comparison(group_id: int, target: int) -> selectors.MergeComparison:
    """This group beside `target` and what merging it there keeps; refused as the merge itself would be."""
    if target == group_id:
        raise services.GraphError("A group cannot be merged into itself: choose another group.")
    comparison = selectors.merge_comparison(group_id, target)
    if comparison is not None:
        return comparison
    gone = merged_away(group_id)
    if gone is not None:
        raise gone
    missing = target if ItemGroup.objects.filter(pk=group_id).exists() else group_id
    raise services.NotFoundError(f"Group {missing} does not exist (it may have been merged into another group).")


def merge_context(group_id: int, target: int | None) -> dict:
    """What the merge card shows for the chosen target: both groups side by side, or why not."""
    context = {"merge_target": target, "merge_comparison": None, "merge_error": None}
    if target is None:
        return context
    try:
        context["merge_comparison"] = merge_comparison(group_id, target)
    except services.GraphError as exc:
        context["merge_error"] = exc.message
    return context


def merge_fragment(request: HttpRequest, group_id: int, target: int | None) -> HttpResponse:
    group = group_or_404(group_id)
    return render(
        request, "collector/partials/_merge_preview.html", {"group": group, **merge_context(group_id, target)}
    )


def group_or_404(group_id: int) -> ItemGroup:
    group = ItemGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404(f"Group {group_id} does not exist.")
    return group


def location_table(group: ItemGroup, location_ids: Iterable[int] | None = None) -> list[dict]:
    """The go-live table's rows: the location, its plan and its stage today (two queries)."""
    rows = selectors.location_rows(group, location_ids)
    stages = location_stages(group.pk)
    return [{"row": r, **stages.get(r.location_id, {})} for r in rows]


def location_stages(group_id: int) -> dict[int, dict]:
    """Stage and flags per location of the group today, by the dashboard's stage rule (one query)."""
    return stage_source.location_stages(group_id, timezone.localdate())


def location_row_fragment(
    request: HttpRequest, group_id: int, location_id: int, *, saved: bool = False, error: str = ""
) -> HttpResponse:
    group = group_or_404(group_id)
    found = location_table(group, [location_id])
    if not found:
        raise Http404(f"Location {location_id} is not one of group {group_id}'s.")
    context = {
        "loc": found[0],
        "group": group,
        "is_steward": request.user.is_steward,
        "saved": saved,
        "error": error,
        "warnings": golive_preview.date_warnings(found[0]["row"].go_live_date, group.start_date, group.end_date)
        if saved
        else [],
    }
    return render(request, "collector/partials/_location_row.html", context)


@require_safe
def location_preview(request: HttpRequest, group_id: int) -> HttpResponse:
    """What a go-live edit would change, before it is saved (the go-live table's htmx fragment): at one
    location (`location_id`), or at every stocked location without a go-live ("Set all empty")."""
    group = group_or_404(group_id)
    form = GoLivePreviewForm(request.GET)
    raw_location = form.data.get("location_id", "")
    target_id = f"preview-{raw_location}" if raw_location.isdigit() else "fill-preview"
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return render(
            request, "collector/partials/_golive_preview.html", {"error": error, "target_id": target_id}, status=400
        )
    location_id = form.cleaned_data["location_id"]
    day = form.cleaned_data["go_live_date"]
    if location_id is not None and not selectors.location_rows(group, [location_id]):
        raise Http404(f"Location {location_id} is not one of group {group_id}'s.")
    if location_id is None and day is None:
        return render(request, "collector/partials/_golive_preview.html", {"target_id": target_id})
    context = {
        "preview": golive_preview.preview(group, day, timezone.localdate(), location_id),
        "location_id": location_id,
        "target_id": target_id,
    }
    return render(request, "collector/partials/_golive_preview.html", context)


def outline_or_404(group_id: int, detail_limit: int = 0) -> tuple[selectors.GroupOutline, selectors.GroupView | None]:
    """The group's outline (and its rows when it has at most `detail_limit` members); 404 as `group_view_or_404`."""
    found = selectors.group_outline(group_id, detail_limit=detail_limit)
    if found is None:
        group_view_or_404(group_id)  # says where a merged-away group went
    return found


def rows_page(count: int, number: str | int | None, per_page: int, fetch) -> Page:
    """Page `number` of `count` rows, fetching only that page's rows: `fetch(start, stop)`."""
    paginator = Paginator(range(count), per_page)
    page = paginator.get_page(number)
    start = page.start_index() - 1 if count else 0
    return Page(fetch(start, page.end_index()), page.number, paginator)


def members_page(
    outline: selectors.GroupOutline, view: selectors.GroupView | None, number, per_page: int = MEMBERS_PAGE
) -> Page:
    """One page of the members: from the rows already read, or one query. Past the last page: the last."""
    fetch = (
        (lambda start, stop: view.members[start:stop]) if view else partial(selectors.group_members, outline.group.pk)
    )
    return rows_page(outline.member_count, number, per_page, fetch)


def links_page(
    outline: selectors.GroupOutline, view: selectors.GroupView | None, number, per_page: int = LINKS_PAGE
) -> Page:
    """One page of the links: from the rows already read, or one query. Past the last page: the last."""
    fetch = (lambda start, stop: view.links[start:stop]) if view else partial(selectors.group_links, outline.group.pk)
    return rows_page(outline.link_count, number, per_page, fetch)


def table_context(request: HttpRequest, group) -> dict:
    """What the members and links fragments need besides their page."""
    return {
        "group": group,
        "group_url": reverse("collector:group_detail", kwargs={"group_id": group.pk}),
        "is_steward": request.user.is_steward,
        "roles": MEMBER_ROLES,
    }


def shown_pieces(outline: selectors.GroupOutline, view: selectors.GroupView | None) -> list[dict]:
    """The pieces beyond the first (the ones a split would take off), the first PIECES_SHOWN of them."""
    shown = [sorted(piece) for piece in outline.pieces[1 : PIECES_SHOWN + 1]]
    named = [i for piece in shown for i in piece[:PIECE_CODES]]
    codes = view.codes if view else selectors.codes_of(named)
    return [
        {
            "item_ids": piece if len(piece) <= SPLIT_LIST_LIMIT else [],
            "codes": sorted(codes[i] for i in piece[:PIECE_CODES]),
            "size": len(piece),
        }
        for piece in shown
    ]


def group_page(
    request: HttpRequest,
    group_id: int,
    split_ids: Iterable[int] = (),
    highlight: int | None = None,
    merge_target: int | None = None,
) -> HttpResponse:
    # All members and links are read only for a group small enough to tick for a split (or to draw).
    outline, view = outline_or_404(group_id, detail_limit=SPLIT_LIST_LIMIT)
    if view is None and split_ids:
        view = selectors.group_view(group_id)  # the links a chosen split cuts
    steward = request.user.is_steward
    context = {
        **table_context(request, outline.group),
        "outline": outline,
        "view": view,
        "picture": picture(view) if view else None,
        "graph_limit": GRAPH_LIMIT,
        "split_list_limit": SPLIT_LIST_LIMIT,
        "pieces": shown_pieces(outline, view),
        "pieces_hidden": max(0, len(outline.pieces) - 1 - PIECES_SHOWN),
        "members": members_page(outline, view, request.GET.get("members_page")),
        "links": links_page(outline, view, request.GET.get("links_page")),
        "history": history_page(group_id, 1),
        "statuses": GROUP_STATUSES,
        "policies": USE_UP_POLICIES,
        "locations": location_table(outline.group),
        "today": timezone.localdate(),
        "owners": get_user_model().objects.filter(is_active=True).order_by("name", "email") if steward else [],
        **(split_context(view, split_ids, highlight) if view else {"highlight_id": highlight}),
        **(merge_context(group_id, merge_target) if steward else {}),
    }
    return render(request, "collector/group_detail.html", context)


@require_safe
def group_members(request: HttpRequest, group_id: int) -> HttpResponse:
    """One page of the group's members (the members table's pager)."""
    outline, _ = outline_or_404(group_id)
    context = {**table_context(request, outline.group), "members": members_page(outline, None, request.GET.get("page"))}
    return render(request, "collector/partials/_members_table.html", context)


@require_safe
def group_links(request: HttpRequest, group_id: int) -> HttpResponse:
    """One page of the group's links (the links table's pager)."""
    outline, _ = outline_or_404(group_id)
    context = {**table_context(request, outline.group), "links": links_page(outline, None, request.GET.get("page"))}
    return render(request, "collector/partials/_links_table.html", context)


def split_fragment(request: HttpRequest, group_id: int, split_ids: Iterable[int]) -> HttpResponse:
    view = group_view_or_404(group_id)
    context = {"group": view.group, "view": view, **split_context(view, split_ids)}
    return render(request, "collector/partials/_split_preview.html", context)


@require_safe
def group_history(request: HttpRequest, group_id: int) -> HttpResponse:
    """The history pager's fragment for htmx; opened directly, a page of its own around the same fragment."""
    if request.htmx and not request.htmx.boosted:
        return render(
            request, "collector/partials/_history.html", {"history": history_page(group_id, request.GET.get("page"))}
        )
    group = naming.annotate_group_title(ItemGroup.objects.filter(pk=group_id)).first()
    if group is None:
        gone = merged_away(group_id)
        if gone is not None:
            return to_winner(request, gone)
        raise Http404(f"Group {group_id} does not exist.")
    context = {"group": group, "history": history_page(group_id, request.GET.get("page"))}
    return render(request, "collector/group_history.html", context)
