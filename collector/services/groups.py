"""Groups: created, changed, merged by hand and split."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F
from django.db.models.functions import Now

from collector import graph
from collector.models import (
    GROUP_STATUSES,
    USE_UP_POLICIES,
    ItemGroup,
    ItemGroupMember,
    ItemLink,
)
from collector.services.alerts import recompute_alerts
from collector.services.errors import GraphError, NotFoundError, graph_write
from collector.services.locking import audit, item_codes, lock_group, lock_groups, touch_groups
from collector.services.merge import copy_location_plans, merge_into
from plmtracker.changes import groups_changed
from plmtracker.ops.bulk import id_chunks

# --------------------------------------------------------------------------
# Groups


@graph_write
def group_create(
    *,
    user=None,
    status: str = "draft",
    reason: str | None = None,
    owner=None,
    start_date: date | None = None,
    end_date: date | None = None,
    name: str | None = None,
    use_up_policy: str | None = "use_up",
    last_order_date: date | None = None,
) -> ItemGroup:
    """Create an empty group (groups are normally made by their first link), with its plan fields if given."""
    fields = _clean_name(
        {
            "status": status,
            "reason": reason or None,
            "owner": owner,
            "start_date": start_date,
            "end_date": end_date,
            "name": name,
            "use_up_policy": use_up_policy,
            "last_order_date": last_order_date,
        }
    )
    check_group_fields(**fields)
    group = ItemGroup.objects.create(**fields)
    audit("group_create", user=user, group_id=group.pk, details={"via": "manual"}, reason=reason)
    groups_changed([group.pk])
    return group


# How far before the start date the last order of the originals may be (a cut-off a year
# ahead of the conversion is a typo, not a plan).
LAST_ORDER_LEAD = timedelta(days=365)


def check_group_fields(**fields: Any) -> None:
    status = fields.get("status")
    if status is not None and status not in dict(GROUP_STATUSES):
        raise GraphError(f"Status must be one of {', '.join(dict(GROUP_STATUSES))}, not {status!r}.")
    policy = fields.get("use_up_policy")
    if "use_up_policy" in fields and policy not in dict(USE_UP_POLICIES):
        raise GraphError(f"The use-up policy must be one of {', '.join(dict(USE_UP_POLICIES))}, not {policy!r}.")
    name = fields.get("name")
    if name is not None and len(name) > ItemGroup._meta.get_field("name").max_length:
        raise GraphError(f"A group name has at most {ItemGroup._meta.get_field('name').max_length} characters.")
    start, end, last_order = fields.get("start_date"), fields.get("end_date"), fields.get("last_order_date")
    if start and end and end < start:
        raise GraphError("The end date must be on or after the start date.")
    if last_order and end and last_order > end:
        raise GraphError(f"The last order date ({last_order}) must be on or before the end date ({end}).")
    if last_order and start and last_order < start - LAST_ORDER_LEAD:
        raise GraphError(
            f"The last order date ({last_order}) is more than a year before the start date ({start}); check the year."
        )


GROUP_FIELDS = ("status", "reason", "owner", "start_date", "end_date", "name", "use_up_policy", "last_order_date")


def _clean_name(changes: dict[str, Any]) -> dict[str, Any]:
    """A name is stripped; a blank one means none (the derived title shows)."""
    if "name" in changes:
        changes = {**changes, "name": (changes["name"] or "").strip() or None}
    if changes.get("use_up_policy", "") is None:
        changes = {**changes, "use_up_policy": "use_up"}
    return changes


@graph_write
def group_update(*, group_id: int, user=None, change_reason: str | None = None, **changes: Any) -> ItemGroup:
    """Change a group's status, owner, reason, dates, name or plan; the audit row keeps before and after."""
    return update_group_fields(group_id, changes, GROUP_FIELDS, "group_update", user=user, reason=change_reason)


def update_group_fields(
    group_id: int, changes: dict[str, Any], allowed: Sequence[str], action: str, *, user, reason: str | None
) -> ItemGroup:
    """Lock the group, check the fields together, save what differs and audit it as `action`."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise GraphError(f"Unknown group field(s): {', '.join(sorted(unknown))}.")
    changes = _clean_name(changes)
    group = lock_group(group_id)
    merged = {f: getattr(group, f) for f in GROUP_FIELDS} | changes
    check_group_fields(**merged)
    diff = {}
    for name, value in changes.items():
        old = getattr(group, name)
        if old != value:
            diff[name] = {"from": _plain(old), "to": _plain(value)}
            setattr(group, name, value)
    if diff:
        group.updated_at = Now()
        group.save(update_fields=[*diff, "updated_at"])
        group.refresh_from_db(fields=["updated_at"])
        audit(action, user=user, group_id=group_id, details={"changes": diff}, reason=reason)
        groups_changed([group_id])
    return group


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


@graph_write
def group_merge(*, group_id: int, target_group_id: int, user=None, reason: str | None = None) -> int:
    """Move every member of `group_id` into `target_group_id` and delete `group_id`."""
    if group_id == target_group_id:
        raise GraphError("A group cannot be merged into itself: choose another group.")
    locked = lock_groups((group_id, target_group_id))
    for g in (group_id, target_group_id):
        if g not in locked:
            raise NotFoundError(f"Group {g} does not exist (it may have been merged into another group).")
    moved = merge_into(group_id, target_group_id)
    touch_groups([target_group_id])
    audit(
        "group_merge",
        user=user,
        group_id=target_group_id,
        details={"loser_group_id": group_id, "members_moved": moved, "via": "manual"},
        reason=reason,
    )
    groups_changed([group_id, target_group_id])
    return moved


@dataclass
class SplitResult:
    """What a split does (dry run) or did: who moves, who stays, which links go."""

    group_id: int
    new_group_id: int | None  # None in a dry run
    moved_item_ids: list[int]
    cut_links: list[tuple[int, int]]
    staying_item_ids: list[int] = field(default_factory=list)
    alone_item_ids: list[int] = field(default_factory=list)  # left in a group of one, with no link
    dry_run: bool = False


def split_preview(*, group_id: int, item_ids: Iterable[int]) -> list[tuple[int, int]]:
    """The links a split of `item_ids` out of the group would cut."""
    moving = set(item_ids)
    links = ItemLink.objects.filter(item__membership__group_id=group_id).values_list("item_id", "replace_item_id")
    return graph.cut_links(links, moving)


def _renumber(group_id: int) -> None:
    """Sequences 1..n in the group's current order (gaps closed, unnumbered members last)."""
    rows = ItemGroupMember.objects.filter(group_id=group_id).order_by(F("sequence").asc(nulls_last=True), "item_id")
    changed = [
        ItemGroupMember(item_id=item_id, sequence=n)
        for n, (item_id, sequence) in enumerate(rows.values_list("item_id", "sequence"), start=1)
        if sequence != n
    ]
    ItemGroupMember.objects.bulk_update(changed, ["sequence"], batch_size=500)


def alone_message(codes: Sequence[str]) -> str:
    return (
        f"{', '.join(codes)} would be left alone in a group of one, with no link. "
        "Tick “Leave it alone in a group of one” if that is what you want, or choose other members."
    )


def group_split(
    *,
    group_id: int,
    item_ids: Iterable[int],
    user=None,
    reason: str | None = None,
    allow_alone: bool = False,
    dry_run: bool = False,
) -> SplitResult:
    """Move the chosen members into a new group and cut the links that would cross it.

    A dry run checks the same rules and answers what would change, writing
    nothing (the confirmation shows it). A split that would leave a member
    alone in a group of one is refused unless `allow_alone`; both groups'
    sequences are renumbered 1..n.
    """
    if dry_run:
        return _group_split(group_id, set(item_ids), user, reason, allow_alone, dry_run=True)
    return _group_split_written(group_id, set(item_ids), user, reason, allow_alone, dry_run=False)


def _group_split(
    group_id: int, moving: set[int], user, reason: str | None, allow_alone: bool, *, dry_run: bool
) -> SplitResult:
    group = ItemGroup.objects.filter(pk=group_id).first() if dry_run else lock_group(group_id)
    if group is None:
        raise NotFoundError(f"Group {group_id} does not exist (it may have been merged into another group).")
    if not moving:
        raise GraphError("Choose at least one member to split off.")
    members = set(ItemGroupMember.objects.filter(group_id=group_id).values_list("item_id", flat=True))
    strangers = moving - members
    if strangers:
        raise GraphError(f"Item(s) {', '.join(map(str, sorted(strangers)))} are not members of group {group_id}.")
    if moving == members:
        raise GraphError("A split must leave at least one member behind; choose fewer members.")
    staying = members - moving
    cut = split_preview(group_id=group_id, item_ids=moving)
    alone = sorted(next(iter(side)) for side in (moving, staying) if len(side) == 1)
    result = SplitResult(group_id, None, sorted(moving), cut, sorted(staying), alone, dry_run)
    if alone and not allow_alone and not dry_run:
        raise GraphError(alone_message([item_codes(alone)[i] for i in alone]))
    if dry_run:
        return result
    new_group = ItemGroup.objects.create(
        status=group.status,
        reason=group.reason,
        owner=group.owner,
        start_date=group.start_date,
        end_date=group.end_date,
        use_up_policy=group.use_up_policy,
        last_order_date=group.last_order_date,
    )
    for ids in id_chunks(moving):
        ItemGroupMember.objects.filter(item_id__in=ids).update(group_id=new_group.pk)
    copied = copy_location_plans(group_id, new_group.pk)
    if cut:
        # The links now crossing from one group to the other, in both directions.
        for this, other in ((group_id, new_group.pk), (new_group.pk, group_id)):
            ItemLink.objects.filter(item__membership__group_id=this, replace_item__membership__group_id=other).delete()
        recompute_alerts({i for link in cut for i in link})
    _renumber(group_id)
    _renumber(new_group.pk)
    touch_groups([group_id])
    details = {
        "new_group_id": new_group.pk,
        "moved_item_ids": sorted(moving),
        "cut_links": [list(link) for link in cut],
        "plans_copied": copied,
    }
    audit("group_split", user=user, group_id=group_id, details=details, reason=reason)
    audit(
        "group_create",
        user=user,
        group_id=new_group.pk,
        details={"via": "split", "from_group_id": group_id},
        reason=reason,
    )
    groups_changed([group_id, new_group.pk])
    result.new_group_id = new_group.pk
    return result


_group_split_written = graph_write(_group_split)
