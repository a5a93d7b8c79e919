"""Locking, loading and auditing: the steps every graph write takes in the same order.

An action locks the items it touches (in id order), then the groups those items are in
(in id order), and re-reads the memberships until they are stable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models.functions import Now

from collector import graph
from collector.models import (
    ItemGroup,
    ItemGroupMember,
    RelationAudit,
)
from collector.services.errors import NotFoundError
from plmtracker.inventory.models import Item
from plmtracker.ops.bulk import id_chunks

# Locking and loading


def lock_items(item_ids: Iterable[int]) -> set[int]:
    """Lock the items' rows in id order; return the ids that exist."""
    found: set[int] = set()
    for ids in id_chunks(item_ids):
        found.update(Item.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return found


def memberships(item_ids: Iterable[int]) -> dict[int, graph.Member]:
    members: dict[int, graph.Member] = {}
    for ids in id_chunks(item_ids):
        rows = ItemGroupMember.objects.filter(item_id__in=ids).values_list("item_id", "group_id", "role", "sequence")
        members.update((item_id, graph.Member(group_id, role, seq)) for item_id, group_id, role, seq in rows)
    return members


def lock_groups(group_ids: Iterable[int]) -> set[int]:
    locked: set[int] = set()
    for ids in id_chunks(group_ids):
        locked.update(
            ItemGroup.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )
    return locked


def lock_memberships(item_ids: Iterable[int]) -> dict[int, graph.Member]:
    """Lock the groups the items are in and return their memberships, stable under the lock."""
    item_ids = list(item_ids)
    members = memberships(item_ids)
    while True:
        group_ids = {m.group_id for m in members.values()}
        locked = lock_groups(group_ids)
        if not connection.features.has_select_for_update:
            return members
        again = memberships(item_ids)
        if again == members and locked == group_ids:
            return members
        # A merge moved an item while we waited for its old group: lock anew.
        members = again


def lock_group(group_id: int) -> ItemGroup:
    try:
        return ItemGroup.objects.select_for_update().get(pk=group_id)
    except ItemGroup.DoesNotExist:
        raise NotFoundError(f"Group {group_id} does not exist (it may have been merged into another group).") from None


def touch_groups(group_ids: Iterable[int]) -> None:
    for ids in id_chunks(group_ids):
        ItemGroup.objects.filter(pk__in=ids).update(updated_at=Now())


def audit(action: str, *, user, group_id: int | None, details: dict[str, Any], reason: str | None = None) -> None:
    RelationAudit.objects.create(
        action=action, user=user_or_none(user), group_id=group_id, details=details, reason=reason or None
    )


def user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def item_codes(item_ids: Iterable[int]) -> dict[int, str]:
    codes: dict[int, str] = {}
    for ids in id_chunks(item_ids):
        codes.update(Item.objects.filter(pk__in=ids).values_list("pk", "erp_item_code"))
    return codes


def link_details(item_id: int, replace_item_id: int, codes: dict[int, str], **extra: Any) -> dict[str, Any]:
    """What an audit row says about a link: both ends by id and by ERP code."""
    return {
        "item_id": item_id,
        "replace_item_id": replace_item_id,
        "item": codes[item_id],
        "replace": codes[replace_item_id],
        **extra,
    }
