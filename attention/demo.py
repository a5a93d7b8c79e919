"""The attention list's demo step: one conversion under way about to run short of its replacements.

Registered by `AttentionConfig.ready` (plmtracker.demo.engine lists every step in order).
"""

from __future__ import annotations

from django.db import transaction

from dashboard.queries import Filters, stock_pairs
from plmtracker.demo.engine import DemoRun, Step
from plmtracker.inventory.models import ItemLocation, OnHandSnapshot


def seed_stockout_risk(run: DemoRun) -> None:
    """One conversion under way whose replacements are about to run short, for the attention list.

    In the active group (started before today) whose originals burn the most, each original location
    keeps 12 days of its own burn and each stocked replacement location 1 EA: the originals run out
    within 30 days while the replacements cover far less than 14 days of the whole demand. Zeros stay
    zeros, so the stages the go-live step arranged keep their stage. The snapshots follow the stock: each
    changed pair's history is scaled by the same factor as today's level, so the trend keeps its day-to-day
    shape instead of falling to the new level overnight.
    """
    under_way = [
        g
        for g, status in run.group_status.items()
        if status == "active" and (run.group_start[g] or run.today) < run.today
    ]
    if not under_way:
        return
    pairs = list(
        stock_pairs(Filters(run.today), item__membership__group_id__in=under_way).values_list(
            "item__membership__group_id",
            "item__membership__role",
            "pk",
            "item_id",
            "location_id",
            "on_hand_ea",
            "burn",
        )
    )
    burn_of: dict[int, float] = {}
    for group, role, *_, burn in pairs:
        if role == "original":
            burn_of[group] = burn_of.get(group, 0.0) + float(burn)
    if not burn_of:
        return
    group = max(sorted(burn_of), key=lambda g: burn_of[g])
    changed: dict[int, tuple[int, int, float]] = {}
    for g, role, pk, item_id, location_id, on_hand, burn in pairs:
        if g != group:
            continue
        if role == "original":
            changed[pk] = (item_id, location_id, round(float(burn) * 12, 2))
        elif role == "replacement" and on_hand > 0:
            changed[pk] = (item_id, location_id, 1.0)
    level = {(item_id, location_id): on_hand for item_id, location_id, on_hand in changed.values()}
    rows = [ItemLocation(pk=pk, on_hand_ea=on_hand) for pk, (_, _, on_hand) in changed.items()]
    snapshots = [
        snapshot
        for snapshot in OnHandSnapshot.objects.filter(item_id__in={i for i, _ in level}).only(
            "pk", "item_id", "location_id", "snapshot_date", "on_hand_ea"
        )
        if (snapshot.item_id, snapshot.location_id) in level
    ]
    today = {(s.item_id, s.location_id): float(s.on_hand_ea) for s in snapshots if s.snapshot_date == run.today}
    for snapshot in snapshots:
        pair = (snapshot.item_id, snapshot.location_id)
        before = today.get(pair)
        factor = level[pair] / before if before else None
        snapshot.on_hand_ea = round(float(snapshot.on_hand_ea) * factor, 2) if factor is not None else level[pair]
    with transaction.atomic():
        ItemLocation.objects.bulk_update(rows, ["on_hand_ea"])
        OnHandSnapshot.objects.bulk_update(snapshots, ["on_hand_ea"])


STEPS = (Step(100, "stockout_risk", seed_stockout_risk),)
