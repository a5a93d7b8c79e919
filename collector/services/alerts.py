"""Conflict alerts: raised, updated and closed from the items' link degrees; kept by hand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Now

from collector import graph
from collector.models import (
    GroupAlert,
    ItemGroupMember,
    ItemLink,
)
from collector.services.errors import NotFoundError, graph_write
from collector.services.locking import audit, lock_items, user_or_none
from plmtracker.changes import groups_changed
from plmtracker.ops.bulk import id_chunks

# --------------------------------------------------------------------------
# Alerts


def _degrees(item_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    out: dict[int, int] = {}
    in_: dict[int, int] = {}
    for ids in id_chunks(item_ids):
        out.update(
            ItemLink.objects.filter(item_id__in=ids)
            .values("item_id")
            .annotate(n=Count("*"))
            .values_list("item_id", "n")
        )
        in_.update(
            ItemLink.objects.filter(replace_item_id__in=ids)
            .values("replace_item_id")
            .annotate(n=Count("*"))
            .values_list("replace_item_id", "n")
        )
    return {i: (out.get(i, 0), in_.get(i, 0)) for i in item_ids}


def alert_states(item_ids: Sequence[int]) -> tuple[dict[int, graph.AlertState], dict[int, graph.AlertState]]:
    """The items' open alerts, and the last alert each had kept as M:N, by item id."""
    open_alerts: dict[int, graph.AlertState] = {}
    kept: dict[int, graph.AlertState] = {}
    for ids in id_chunks(item_ids):
        rows = (
            GroupAlert.objects.filter(item_id__in=ids)
            .filter(Q(resolved_at__isnull=True) | Q(resolution="kept"))
            .order_by("item_id", "resolved_at", "alert_id")
            .values_list("item_id", "alert_type", "degree_out", "degree_in", "resolved_at", "alert_id")
        )
        for item_id, alert_type, out, in_, resolved_at, alert_id in rows:
            state = graph.AlertState(alert_type, out or 0, in_ or 0, alert_id)
            if resolved_at is None:
                open_alerts[item_id] = state
            else:
                kept[item_id] = state  # ordered by resolved_at: the last one stays
    return open_alerts, kept


def _alert_details(out: int, in_: int) -> str:
    return f"Replaced by {out} item{'s' * (out != 1)}; replaces {in_} item{'s' * (in_ != 1)}."


def recompute_alerts(item_ids: Iterable[int]) -> graph.AlertChanges:
    """Bring the items' alerts in line with their degrees (raise, update, close)."""
    ids = sorted(set(item_ids))
    if not ids:
        return graph.AlertChanges()
    open_alerts, kept = alert_states(ids)
    changes = graph.reconcile_alerts(_degrees(ids), open_alerts, kept)
    for closing in id_chunks(changes.close):
        GroupAlert.objects.filter(item_id__in=closing, resolved_at__isnull=True).update(
            resolved_at=Now(), resolution="cleared"
        )
    if changes.update:
        GroupAlert.objects.bulk_update(
            [
                GroupAlert(
                    alert_id=open_alerts[item_id].alert_id,
                    alert_type=alert_type,
                    degree_out=out,
                    degree_in=in_,
                    details=_alert_details(out, in_),
                )
                for item_id, (alert_type, out, in_) in changes.update.items()
            ],
            ["alert_type", "degree_out", "degree_in", "details"],
            batch_size=500,
        )
    if changes.raise_:
        GroupAlert.objects.bulk_create(
            GroupAlert(
                item_id=item_id,
                alert_type=alert_type,
                degree_out=out,
                degree_in=in_,
                details=_alert_details(out, in_),
            )
            for item_id, (alert_type, out, in_) in changes.raise_.items()
        )
    return changes


def open_alerts_for(item_ids: Iterable[int]) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = []
    for ids in id_chunks(item_ids):
        alerts.extend(
            GroupAlert.objects.filter(item_id__in=ids, resolved_at__isnull=True)
            .order_by("item_id")
            .values("alert_id", "item_id", "alert_type", "degree_out", "degree_in")
        )
    return alerts


# --------------------------------------------------------------------------
# Conflicts


@graph_write
def alert_resolve(*, item_id: int, user=None, reason: str | None = None) -> GroupAlert:
    """Keep an item's conflict as many-to-many: close its open alert, noting who and when."""
    lock_items([item_id])
    alert = GroupAlert.objects.filter(item_id=item_id, resolved_at__isnull=True).first()
    if alert is None:
        raise NotFoundError(f"Item {item_id} has no open conflict.")
    alert.resolved_at = Now()
    alert.resolved_by = user_or_none(user)
    alert.resolution = "kept"
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    alert.refresh_from_db(fields=["resolved_at"])
    group_id = ItemGroupMember.objects.filter(item_id=item_id).values_list("group_id", flat=True).first()
    audit(
        "alert_resolve",
        user=user,
        group_id=group_id,
        details={
            "item_id": item_id,
            "alert_type": alert.alert_type,
            "degree_out": alert.degree_out,
            "degree_in": alert.degree_in,
        },
        reason=reason,
    )
    groups_changed([group_id])
    return alert
