"""A steward's form posts on members, links and conflicts: role, place in the sequence, link removal,
keeping a conflict. Each goes back to the page it came from with a message (JSON: `collector.api.members`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from collector import history, selectors, services
from collector.forms import MoveForm, ReasonForm, RoleForm
from collector.views.helpers import Done, group_url, steward_form_post, valid_form


def member_back(item_id: int, **kwargs) -> str:
    """A refused change to a member goes back to its group (or the list, when it has none)."""
    group_id = selectors.group_of(item_id)
    return group_url(group_id) if group_id else reverse("collector:groups")


def conflicts_back(**kwargs) -> str:
    return reverse("collector:conflicts")


@steward_form_post(back=member_back)
def member_role(request: HttpRequest, item_id: int) -> Done:
    body = valid_form(RoleForm, request).cleaned_data
    member = services.member_set_role(
        item_id=item_id, role=body["role"], user=request.user, reason=body["reason"] or None
    )
    code = selectors.codes_of([item_id]).get(item_id, item_id)
    return f"Role of {code}: {history.role_text(member.role)}.", group_url(member.group_id) + "#members"


@steward_form_post(back=member_back)
def member_move(request: HttpRequest, item_id: int) -> Done:
    body = valid_form(MoveForm, request).cleaned_data
    member = services.member_move(item_id=item_id, direction=body["direction"], user=request.user)
    code = selectors.codes_of([item_id]).get(item_id, item_id)
    return f"{code} is now at position {member.sequence}.", group_url(member.group_id) + "#members"


@steward_form_post(back=member_back)
def link_remove(request: HttpRequest, item_id: int, replace_item_id: int) -> Done:
    body = valid_form(ReasonForm, request).cleaned_data
    codes = selectors.codes_of([item_id, replace_item_id])
    removal = services.link_remove(
        item_id=item_id, replace_item_id=replace_item_id, user=request.user, reason=body["reason"] or None
    )
    message = f"Removed the link {codes.get(item_id)} → {codes.get(replace_item_id)}."
    if removal.components > 1:
        message += (
            f" The group's links now make {removal.components} pieces: split it below if they are separate conversions."
        )
    return message, group_url(removal.group_id) if removal.group_id else reverse("collector:groups")


@steward_form_post(back=conflicts_back)
def conflict_resolve(request: HttpRequest, item_id: int) -> Done:
    body = valid_form(ReasonForm, request).cleaned_data
    services.alert_resolve(item_id=item_id, user=request.user, reason=body["reason"] or None)
    code = selectors.codes_of([item_id]).get(item_id, item_id)
    return f"The conflict on {code} is kept as many-to-many.", reverse("collector:conflicts")
