"""Conflicts: the open alerts, all or one group's."""

from __future__ import annotations

from django.db.models import F, QuerySet

from collector import naming
from collector.models import (
    GroupAlert,
)


def conflicts() -> QuerySet[GroupAlert]:
    """Alerts with their item, the item's group (and its title) and who resolved them (one query)."""
    alerts = GroupAlert.objects.select_related("item", "item__membership__group", "resolved_by")
    titled = naming.annotate_group_title(
        alerts, group_ref="item__membership__group_id", name_field="item__membership__group__name"
    )
    return titled.annotate(group_title=F("title"))


OPEN_CONFLICTS_SHOWN = 10


def open_conflicts(group_id: int, limit: int = OPEN_CONFLICTS_SHOWN) -> tuple[list[GroupAlert], int]:
    """The first open conflicts on the group's members (by ERP code) and how many there are (two queries)."""
    rows = group_open_conflicts(group_id)
    return list(rows.select_related("item").order_by("item__erp_item_code")[:limit]), rows.count()


def group_open_conflicts(group_id: int) -> QuerySet[GroupAlert]:
    return GroupAlert.objects.filter(resolved_at__isnull=True, item__membership__group_id=group_id)
