"""A group's pages at the addresses JSON clients share (the list, a group, its split) and a steward's
form posts on groups: a new group, settings, merge, split (JSON: `collector.api.groups`)."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_safe

from collector import services
from collector.forms import GroupFieldsForm, GroupSettingsForm, MergeForm, SplitForm
from collector.merged import MergedAway, to_winner
from collector.views.groups import group_page, groups_page, merge_fragment, split_fragment
from collector.views.helpers import (
    Done,
    group_link,
    group_url,
    int_list,
    int_or_none,
    steward_form_post,
    valid_form,
)


def follow_merge(view):
    """A page of a group merged into another goes to the same page of the winner, saying so."""

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs) -> HttpResponse:
        try:
            return view(request, **kwargs)
        except MergedAway as gone:
            return to_winner(request, gone)

    return wrapper


def group_back(group_id: int, **kwargs) -> str:
    return group_url(group_id)


def list_back(**kwargs) -> str:
    return reverse("collector:groups")


@require_http_methods(["GET", "HEAD", "POST"])
def groups_list(request: HttpRequest) -> HttpResponse:
    """The list of groups; its form makes an empty group (a steward's)."""
    if request.method == "POST":
        return group_create(request)
    return groups_page(request)


@steward_form_post(back=list_back)
def group_create(request: HttpRequest) -> Done:
    group = services.group_create(user=request.user, **valid_form(GroupFieldsForm, request).changes())
    return f"Group {group.pk} created. Add members by recording links.", group_url(group.pk)


@require_safe
@follow_merge
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    return group_page(request, group_id)


@steward_form_post(back=group_back)
def group_update(request: HttpRequest, group_id: int) -> Done:
    fields = valid_form(GroupSettingsForm, request).changes()
    change_reason = fields.pop("change_reason", None)
    services.group_update(group_id=group_id, user=request.user, change_reason=change_reason, **fields)
    return f"Group {group_id} saved.", group_url(group_id)


@require_http_methods(["GET", "HEAD", "POST"])
def group_merge(request: HttpRequest, group_id: int) -> HttpResponse:
    """The merge card: its comparison with the chosen target (htmx fragment, or the group's page) and the merge."""
    if request.method == "POST":
        return group_merge_post(request, group_id=group_id)
    return merge_page(request, group_id=group_id)


@follow_merge
def merge_page(request: HttpRequest, group_id: int) -> HttpResponse:
    target = int_or_none(request.GET.get("target_group_id"))
    if request.htmx:
        return merge_fragment(request, group_id, target)
    return group_page(request, group_id, merge_target=target)


@steward_form_post(back=group_back)
def group_merge_post(request: HttpRequest, group_id: int) -> Done:
    body = valid_form(MergeForm, request).cleaned_data
    target = body["target_group_id"]
    moved = services.group_merge(
        group_id=group_id, target_group_id=target, user=request.user, reason=body["reason"] or None
    )
    return f"Group {group_id} merged into group {target}: {moved} member(s) moved.", group_url(target)


@require_http_methods(["GET", "HEAD", "POST"])
def group_split(request: HttpRequest, group_id: int) -> HttpResponse:
    """The split panel: its preview (htmx fragment, or the group's page with the members ticked) and the split."""
    if request.method == "POST":
        return group_split_post(request, group_id=group_id)
    return split_page(request, group_id=group_id)


@follow_merge
def split_page(request: HttpRequest, group_id: int) -> HttpResponse:
    item_ids = int_list(request.GET.getlist("item_ids"))
    if request.htmx:
        return split_fragment(request, group_id, item_ids)
    highlight = int_or_none(request.GET.get("highlight"))
    return group_page(request, group_id, split_ids=item_ids, highlight=highlight)


@steward_form_post(back=group_back)
def group_split_post(request: HttpRequest, group_id: int) -> Done:
    body = valid_form(SplitForm, request).cleaned_data
    result = services.group_split(
        group_id=group_id,
        item_ids=body["item_ids"],
        user=request.user,
        reason=body["reason"] or None,
        allow_alone=body["allow_alone"],
    )
    message = format_html(
        "{} member(s) split off into {}; {} link(s) cut.",
        len(result.moved_item_ids),
        group_link(result.new_group_id, f"group {result.new_group_id}"),
        len(result.cut_links),
    )
    return message, group_url(group_id)
