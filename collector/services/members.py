"""A member's role and place in its group's sequence."""

from __future__ import annotations

from django.db.models import F

from collector.models import (
    MEMBER_ROLES,
    ItemGroupMember,
)
from collector.services.errors import GraphError, NotFoundError, graph_write
from collector.services.locking import audit, lock_group, touch_groups
from plmtracker.changes import groups_changed

# --------------------------------------------------------------------------
# Members


def _lock_member(item_id: int) -> ItemGroupMember:
    member = ItemGroupMember.objects.filter(item_id=item_id).first()
    if member is None:
        raise NotFoundError(f"Item {item_id} is not a member of any group.")
    lock_group(member.group_id)
    member = ItemGroupMember.objects.filter(item_id=item_id).first()
    if member is None:
        raise NotFoundError(f"Item {item_id} is not a member of any group.")
    return member


@graph_write
def member_set_role(*, item_id: int, role: str | None, user=None, reason: str | None = None) -> ItemGroupMember:
    """Make a member an original, a replacement, or neither (None)."""
    if role is not None and role not in dict(MEMBER_ROLES):
        raise GraphError(f"Role must be original, replacement or empty, not {role!r}.")
    member = _lock_member(item_id)
    if member.role != role:
        old = member.role
        member.role = role
        member.save(update_fields=["role"])
        touch_groups([member.group_id])
        audit(
            "member_role",
            user=user,
            group_id=member.group_id,
            details={"item_id": item_id, "from": old, "to": role},
            reason=reason,
        )
        groups_changed([member.group_id])
    return member


@graph_write
def member_move(*, item_id: int, direction: str, user=None) -> ItemGroupMember:
    """Promote (`up`) or demote (`down`) a member one place in its group's sequence."""
    if direction not in ("up", "down"):
        raise GraphError("Direction must be 'up' or 'down'.")
    member = _lock_member(item_id)
    order = list(
        ItemGroupMember.objects.filter(group_id=member.group_id)
        .order_by(F("sequence").asc(nulls_last=True), "item_id")
        .values_list("item_id", flat=True)
    )
    at = order.index(item_id)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
        # Renumber 1..n: sequences stay dense however they were edited before.
        current = dict(ItemGroupMember.objects.filter(group_id=member.group_id).values_list("item_id", "sequence"))
        changed = [ItemGroupMember(item_id=i, sequence=n) for n, i in enumerate(order, start=1) if current.get(i) != n]
        ItemGroupMember.objects.bulk_update(changed, ["sequence"])
        touch_groups([member.group_id])
        audit(
            "member_move",
            user=user,
            group_id=member.group_id,
            details={"item_id": item_id, "direction": direction, "position": to + 1},
        )
        groups_changed([member.group_id])
        member.refresh_from_db()
    return member
