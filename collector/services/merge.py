"""Members moved between groups: appended, merged in, and the location plans that go with them."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Now

from collector import graph
from collector.models import (
    GroupLocationPlan,
    ItemGroup,
    ItemGroupMember,
)
from plmtracker.changes import groups_merged
from plmtracker.ops.bulk import id_chunks


def move_members(old_group: int, new_group: int, offset: int) -> int:
    """Move every member of `old_group` to `new_group`, shifting its sequence by `offset`, in one UPDATE."""
    return ItemGroupMember.objects.filter(group_id=old_group).update(
        group_id=new_group, sequence=F("sequence") + offset
    )


def merge_into(loser: int, winner: int) -> int:
    """Move every member of `loser` to `winner` in one UPDATE and delete `loser` (a merge by hand)."""
    # The two ends come from the (group, sequence) index, one entry each, however large the groups.
    sequences = ItemGroupMember.objects.filter(sequence__isnull=False).values("sequence")
    bounds = (
        ItemGroup.objects.filter(pk=winner)
        .annotate(
            winner_max=Subquery(sequences.filter(group_id=winner).order_by("-sequence")[:1]),
            loser_min=Subquery(sequences.filter(group_id=loser).order_by("sequence")[:1]),
        )
        .values("winner_max", "loser_min")
        .get()
    )
    moved = move_members(loser, winner, graph.merge_offset(bounds["winner_max"], bounds["loser_min"]))
    carry_location_plans(loser, winner)
    groups_merged(loser=loser, winner=winner)
    ItemGroup.objects.filter(pk=loser).delete()
    return moved


def copy_location_plans(source: int, target: int) -> int:
    """Give a group made by a split the location plans of the group it came from."""
    plans = GroupLocationPlan.objects.filter(group_id=source).values_list("location_id", "go_live_date", "note")
    made = GroupLocationPlan.objects.bulk_create(
        GroupLocationPlan(group_id=target, location_id=loc, go_live_date=day, note=note) for loc, day, note in plans
    )
    return len(made)


def carry_location_plans(loser: int, winner: int) -> int:
    """Give the winner the loser's location plans: the winner's date wins where both have one.

    Two statements whatever the number of locations: the loser's dates fill the
    winner's empty ones, then the loser's rows for locations the winner has no
    row for move over. What is left of the loser's rows goes with the loser.
    """
    return sum(rows.update(**values) for rows, values in carry_updates(loser, winner))


def carry_updates(loser: int, winner: int) -> list[tuple[Any, dict[str, Any]]]:
    """The two UPDATEs of `carry_location_plans`, as (rows, new values), in order."""
    losers = GroupLocationPlan.objects.filter(group_id=loser, location_id=OuterRef("location_id"))
    dated = losers.filter(go_live_date__isnull=False)
    winners = GroupLocationPlan.objects.filter(group_id=winner, location_id=OuterRef("location_id"))
    return [
        (
            GroupLocationPlan.objects.filter(group_id=winner, go_live_date__isnull=True).filter(Exists(dated)),
            {
                "go_live_date": Subquery(dated.values("go_live_date")[:1]),
                "note": Coalesce(F("note"), Subquery(dated.values("note")[:1])),
                "updated_at": Now(),
            },
        ),
        (GroupLocationPlan.objects.filter(group_id=loser).exclude(Exists(winners)), {"group_id": winner}),
    ]


def persist_members(
    state: graph.GraphState,
    before: dict[int, tuple[int, int | None]],
    real_id: dict[int, int],
    existing_groups: set[int],
) -> None:
    """Write where a replayed batch of links left the members, and drop the groups it merged away.

    A merge moves a whole group by one offset, however many merges follow it in the batch,
    so the members of each group that existed move in one UPDATE (a 10,000-member group
    costs what a 2-member one does); the items the batch brings in are one bulk insert.
    """
    for old_group, (new_group, offset) in sorted(state.moves.items()):
        if new_group != old_group:
            move_members(old_group, real_id.get(new_group, new_group), offset)
    ItemGroupMember.objects.bulk_create(
        (
            ItemGroupMember(
                item_id=item_id, group_id=real_id.get(m.group_id, m.group_id), role=m.role, sequence=m.sequence
            )
            for item_id, m in state.members.items()
            if item_id not in before
        ),
        batch_size=1000,
    )
    # A group that existed loses only to a smaller id, one that existed too: both still have their rows here.
    for loser, winner in state.merges:
        if loser in existing_groups:
            carry_location_plans(loser, winner)
            groups_merged(loser=loser, winner=winner)
    for ids in id_chunks(g for g in state.deleted_groups if g in existing_groups):
        ItemGroup.objects.filter(pk__in=ids).delete()


def create_groups(count: int) -> list[int]:
    if not count:
        return []
    groups = ItemGroup.objects.bulk_create([ItemGroup() for _ in range(count)])
    if all(g.pk is not None for g in groups):
        return [g.pk for g in groups]
    # Backends that cannot return ids from a bulk insert: create one by one.
    return [ItemGroup.objects.create().pk for _ in range(count)]
