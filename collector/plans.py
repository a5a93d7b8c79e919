"""Every write to a conversion's plan: its name, policy and dates, and its go-live per location.

Same rules as `collector.services`: one transaction per call, the group's row
locked first, one audit row per change in the group's history (who, when, why).
A location plan holds the replacement's go-live at one location; without a
row, or with an empty date, the location goes live on the group's start date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Now

from collector.models import GroupLocationPlan, ItemGroup, ItemGroupMember, RelationAudit
from collector.services import (
    GraphError,
    NotFoundError,
    audit,
    graph_write,
    lock_group,
    touch_groups,
    update_group_fields,
    user_or_none,
)
from plmtracker.changes import groups_changed
from plmtracker.inventory.models import ItemLocation, Location
from plmtracker.ops.bulk import id_chunks

PLAN_FIELDS = ("name", "use_up_policy", "start_date", "last_order_date", "end_date")
NOTE_LENGTH = GroupLocationPlan._meta.get_field("note").max_length
UNSET: Any = object()


@graph_write
def group_plan_update(
    *,
    group_id: int,
    user=None,
    name: str | None = UNSET,
    use_up_policy: str = UNSET,
    start_date: date | None = UNSET,
    last_order_date: date | None = UNSET,
    end_date: date | None = UNSET,
    reason: str | None = None,
) -> ItemGroup:
    """Change the group's name, use-up policy and plan dates; arguments left out stay as they are."""
    given = {
        "name": name,
        "use_up_policy": use_up_policy,
        "start_date": start_date,
        "last_order_date": last_order_date,
        "end_date": end_date,
    }
    changes = {field: value for field, value in given.items() if value is not UNSET}
    return update_group_fields(group_id, changes, PLAN_FIELDS, "plan_update", user=user, reason=reason)


def stocked_locations(group_id: int) -> QuerySet:
    """Ids of the locations where a member of the group has an item_location row."""
    members = ItemGroupMember.objects.filter(group_id=group_id, item_id=OuterRef("item_id"))
    return (
        ItemLocation.objects.filter(Exists(members)).order_by("location_id").values_list("location_id", flat=True)
    ).distinct()


def stocked_location_ids(group_id: int) -> list[int]:
    """Locations where a member of the group has an item_location row (the go-live table's rows)."""
    return list(stocked_locations(group_id))


def _location_names(location_ids: Iterable[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for ids in id_chunks(location_ids):
        names.update(Location.objects.filter(pk__in=ids).values_list("location_id", "location_name"))
    return names


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_LENGTH:
        raise GraphError(f"A note has at most {NOTE_LENGTH} characters.")
    return note


def _plain_day(day: date | None) -> str | None:
    return day.isoformat() if day else None


@graph_write
def location_plan_set(
    *,
    group_id: int,
    location_id: int,
    go_live_date: date | None,
    note: str | None = None,
    user=None,
    reason: str | None = None,
) -> GroupLocationPlan | None:
    """Set the go-live (and note) of the group at one location; empty both to remove the plan."""
    lock_group(group_id)
    names = _location_names([location_id])
    if location_id not in names:
        raise NotFoundError(f"Location {location_id} does not exist.")
    note = _clean_note(note)
    plan = GroupLocationPlan.objects.filter(group_id=group_id, location_id=location_id).first()
    before = (plan.go_live_date, plan.note) if plan else (None, None)
    if before == (go_live_date, note):
        return plan
    if go_live_date is None and note is None:
        plan.delete()
        plan = None
    elif plan is None:
        plan = GroupLocationPlan.objects.create(
            group_id=group_id, location_id=location_id, go_live_date=go_live_date, note=note
        )
    else:
        plan.go_live_date, plan.note, plan.updated_at = go_live_date, note, Now()
        plan.save(update_fields=["go_live_date", "note", "updated_at"])
    touch_groups([group_id])
    details = {
        "location_id": location_id,
        "location": names[location_id],
        "from": _plain_day(before[0]),
        "to": _plain_day(go_live_date),
    }
    if note != before[1]:
        details["note"] = note
    audit("location_plan", user=user, group_id=group_id, details=details, reason=reason)
    groups_changed([group_id])
    return plan


@graph_write
def location_plans_set_empty(*, group_id: int, go_live_date: date, user=None, reason: str | None = None) -> int:
    """Give every stocked location of the group without a go-live date this one; return how many."""
    if go_live_date is None:
        raise GraphError("Choose the go-live date to give the locations that have none.")
    lock_group(group_id)
    stocked = stocked_location_ids(group_id)
    plans = dict(GroupLocationPlan.objects.filter(group_id=group_id).values_list("location_id", "go_live_date"))
    empty = [loc for loc in stocked if plans.get(loc) is None]
    if not empty:
        return 0
    with_row = [loc for loc in empty if loc in plans]
    for ids in id_chunks(with_row):
        GroupLocationPlan.objects.filter(group_id=group_id, location_id__in=ids).update(
            go_live_date=go_live_date, updated_at=Now()
        )
    GroupLocationPlan.objects.bulk_create(
        (
            GroupLocationPlan(group_id=group_id, location_id=loc, go_live_date=go_live_date)
            for loc in empty
            if loc not in plans
        ),
        batch_size=1000,
    )
    touch_groups([group_id])
    details = {"go_live_date": go_live_date.isoformat(), "location_ids": empty}
    audit("location_plans_fill", user=user, group_id=group_id, details=details, reason=reason)
    groups_changed([group_id])
    return len(empty)


@dataclass(frozen=True)
class PlanRow:
    location_id: int
    go_live_date: date | None
    note: str | None


@dataclass
class ReplaceResult:
    created: int
    updated: int
    removed: int
    unchanged: int


def _plan_rows(plans: Sequence[Mapping[str, Any] | PlanRow]) -> list[PlanRow]:
    rows: list[PlanRow] = []
    seen: set[int] = set()
    for plan in plans:
        if isinstance(plan, Mapping):
            plan = PlanRow(plan["location_id"], plan.get("go_live_date"), plan.get("note"))
        if plan.location_id in seen:
            raise GraphError(f"Location {plan.location_id} is listed twice; give each location once.")
        seen.add(plan.location_id)
        rows.append(PlanRow(plan.location_id, plan.go_live_date, _clean_note(plan.note)))
    return rows


@graph_write
def location_plans_replace(
    *, group_id: int, plans: Sequence[Mapping[str, Any] | PlanRow], user=None, reason: str | None = None
) -> ReplaceResult:
    """Make the group's location plans exactly `plans` ({location_id, go_live_date, note} each)."""
    lock_group(group_id)
    rows = _plan_rows(plans)
    names = _location_names(r.location_id for r in rows)
    unknown = sorted(r.location_id for r in rows if r.location_id not in names)
    if unknown:
        raise NotFoundError(f"Location{'s' * (len(unknown) > 1)} {', '.join(map(str, unknown))} do not exist.")
    current = {
        loc: (plan_id, day, note)
        for plan_id, loc, day, note in GroupLocationPlan.objects.filter(group_id=group_id).values_list(
            "plan_id", "location_id", "go_live_date", "note"
        )
    }
    wanted = {r.location_id: r for r in rows}
    removed = sorted(set(current) - set(wanted))
    creates = [r for r in rows if r.location_id not in current]
    updates = [r for r in rows if r.location_id in current and current[r.location_id][1:] != (r.go_live_date, r.note)]
    for ids in id_chunks(current[loc][0] for loc in removed):
        GroupLocationPlan.objects.filter(pk__in=ids).delete()
    GroupLocationPlan.objects.bulk_create(
        (GroupLocationPlan(group_id=group_id, location_id=r.location_id, go_live_date=r.go_live_date, note=r.note))
        for r in creates
    )
    GroupLocationPlan.objects.bulk_update(
        [
            GroupLocationPlan(pk=current[r.location_id][0], go_live_date=r.go_live_date, note=r.note, updated_at=Now())
            for r in updates
        ],
        ["go_live_date", "note", "updated_at"],
        batch_size=500,
    )
    result = ReplaceResult(len(creates), len(updates), len(removed), len(rows) - len(creates) - len(updates))
    if creates or updates or removed:
        touch_groups([group_id])
        details = {
            "set": {str(r.location_id): _plain_day(r.go_live_date) for r in creates + updates},
            "removed": removed,
        }
        audit("location_plans_replace", user=user, group_id=group_id, details=details, reason=reason)
        groups_changed([group_id])
    return result


@dataclass(frozen=True)
class ImportedPlan:
    group_id: int
    location_id: int
    go_live_date: date | None
    note: str | None


def _existing_plans(plans: Sequence[ImportedPlan]) -> dict[tuple[int, int], tuple[int, date | None, str | None]]:
    wanted = {(p.group_id, p.location_id) for p in plans}
    found = {}
    for ids in id_chunks(p.group_id for p in plans):
        rows = GroupLocationPlan.objects.filter(group_id__in=ids).values_list(
            "plan_id", "group_id", "location_id", "go_live_date", "note"
        )
        found.update({(g, loc): (pk, day, note) for pk, g, loc, day, note in rows if (g, loc) in wanted})
    return found


def location_plans_upsert(
    *, plans: Sequence[ImportedPlan], user=None, write: bool = True, source: str = "import"
) -> list[str]:
    """Set many location plans (a feed file's batch): "new", "update" or "skip" per plan, in order.

    Groups and locations must exist (the feed checks them). With `write` False
    nothing is written. One audit row per group the batch changes.
    """
    if write:
        return _location_plans_upsert_written(plans=plans, user=user, source=source)
    current = _existing_plans(plans)
    return [_plan_action(p, current) for p in plans]


def _plan_action(plan: ImportedPlan, current: Mapping) -> str:
    found = current.get((plan.group_id, plan.location_id))
    if found is None:
        return "new"
    return "skip" if found[1:] == (plan.go_live_date, plan.note) else "update"


@graph_write
def _location_plans_upsert_written(*, plans: Sequence[ImportedPlan], user, source: str) -> list[str]:
    group_ids = sorted({p.group_id for p in plans})
    for ids in id_chunks(group_ids):
        list(ItemGroup.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    current = _existing_plans(plans)
    actions = [_plan_action(p, current) for p in plans]
    GroupLocationPlan.objects.bulk_create(
        (
            GroupLocationPlan(group_id=p.group_id, location_id=p.location_id, go_live_date=p.go_live_date, note=p.note)
            for p, action in zip(plans, actions, strict=True)
            if action == "new"
        ),
        batch_size=1000,
    )
    GroupLocationPlan.objects.bulk_update(
        [
            GroupLocationPlan(
                pk=current[(p.group_id, p.location_id)][0], go_live_date=p.go_live_date, note=p.note, updated_at=Now()
            )
            for p, action in zip(plans, actions, strict=True)
            if action == "update"
        ],
        ["go_live_date", "note", "updated_at"],
        batch_size=500,
    )
    changed: dict[int, dict[str, str | None]] = {}
    for p, action in zip(plans, actions, strict=True):
        if action != "skip":
            changed.setdefault(p.group_id, {})[str(p.location_id)] = _plain_day(p.go_live_date)
    touch_groups(changed)
    RelationAudit.objects.bulk_create(
        RelationAudit(
            action="location_plans_replace",
            user=user_or_none(user),
            group_id=group_id,
            details={"set": dates, "removed": [], "via": source},
        )
        for group_id, dates in changed.items()
    )
    groups_changed(changed)
    return actions
