"""Groups, members, links, location plans and conflicts out, for export_data, the admin and page downloads.

Same contract as plmtracker/inventory/exports.py: keyword filters in, (headers, rows)
out, rows streamed. `links`, `groups` and `location_plans` import back through
their feeds (the columns a feed does not read are left aside with a warning).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from django.db.models import Count, Q, QuerySet

from collector.models import GroupAlert, GroupLocationPlan, ItemGroup, ItemGroupMember, ItemLink
from collector.naming import annotate_group_title
from collector.services import format_ratio

Table = tuple[list[str], Iterable[tuple[Any, ...]]]
CHUNK = 5000


def groups(*, group_id: int | None = None, queryset: QuerySet | None = None, **_: Any) -> Table:
    """One row per group, its originals and replacements listed by ERP code."""
    queryset = ItemGroup.objects.order_by("group_id") if queryset is None else queryset.order_by("group_id")
    if group_id is not None:
        queryset = queryset.filter(group_id=group_id)
    headers = [
        "group_id",
        "name",
        "title",
        "status",
        "reason",
        "owner",
        "start_date",
        "end_date",
        "use_up_policy",
        "last_order_date",
        "originals",
        "replacements",
        "members",
        "open_conflicts",
        "updated_at",
    ]
    return headers, _group_rows(queryset)


def _group_rows(queryset: QuerySet) -> Iterator[tuple[Any, ...]]:
    """Walk groups and their members side by side, both ordered by group id (two streamed queries)."""
    counted = queryset.annotate(
        member_count=Count("members", distinct=True),
        open_conflicts=Count(
            "members__item__alerts", filter=Q(members__item__alerts__resolved_at__isnull=True), distinct=True
        ),
    )
    group_rows = annotate_group_title(counted, group_ref="group_id", name_field="name").values_list(
        "group_id",
        "name",
        "title",
        "status",
        "reason",
        "owner__email",
        "start_date",
        "end_date",
        "use_up_policy",
        "last_order_date",
        "member_count",
        "open_conflicts",
        "updated_at",
    )
    members = (
        ItemGroupMember.objects.filter(group__in=queryset.values("pk"))
        .order_by("group_id", "sequence", "item_id")
        .values_list("group_id", "role", "item__erp_item_code")
        .iterator(chunk_size=CHUNK)
    )
    by_group = groupby(members, key=lambda m: m[0])
    pending = next(by_group, None)
    for group_id, *fields, member_count, conflicts, updated in group_rows.iterator(chunk_size=CHUNK):
        originals: list[str] = []
        replacements: list[str] = []
        while pending is not None and pending[0] <= group_id:
            if pending[0] == group_id:
                for _, role, code in pending[1]:
                    if role == "original":
                        originals.append(code)
                    elif role == "replacement":
                        replacements.append(code)
            pending = next(by_group, None)
        yield (
            group_id,
            *fields,
            " ".join(originals),
            " ".join(replacements),
            member_count,
            conflicts,
            updated,
        )


def group_members(*, group_id: int | None = None, **_: Any) -> Table:
    """One row per member: the group's fields, then the item, its role and place."""
    queryset = ItemGroupMember.objects.order_by("group_id", "sequence", "item_id")
    if group_id is not None:
        queryset = queryset.filter(group_id=group_id)
    queryset = annotate_group_title(queryset, group_ref="group_id", name_field="group__name")
    headers = ["group_id", "group", "status", "reason", "owner", "erp_item_code", "description", "role", "sequence"]
    return headers, queryset.values_list(
        "group_id",
        "title",
        "group__status",
        "group__reason",
        "group__owner__email",
        "item__erp_item_code",
        "item__description",
        "role",
        "sequence",
    ).iterator(chunk_size=CHUNK)


def links(*, group_id: int | None = None, queryset: QuerySet | None = None, **_: Any) -> Table:
    """Links in the columns the links feed reads (item, replace, reason, ratio), then where and who."""
    if queryset is None:
        queryset = ItemLink.objects.order_by("item__erp_item_code", "replace_item__erp_item_code")
    if group_id is not None:
        queryset = queryset.filter(item__membership__group_id=group_id)
    headers = ["item", "replace", "reason", "ratio", "group_id", "created_by", "created_at"]
    rows = queryset.values_list(
        "item__erp_item_code",
        "replace_item__erp_item_code",
        "reason",
        "ratio",
        "item__membership__group_id",
        "created_by__email",
        "created_at",
    ).iterator(chunk_size=CHUNK)
    return headers, ((*r[:3], format_ratio(r[3]), *r[4:]) for r in rows)


def location_plans(*, group_id: int | None = None, location_id: int | None = None, **_: Any) -> Table:
    """Go-live per group and location in the columns the location_plans feed reads, then names."""
    queryset = GroupLocationPlan.objects.order_by("group_id", "location_id")
    if group_id is not None:
        queryset = queryset.filter(group_id=group_id)
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    titled = annotate_group_title(queryset, group_ref="group_id", name_field="group__name")
    headers = ["group_id", "location_id", "go_live_date", "note", "group", "location_name", "updated_at"]
    return headers, titled.values_list(
        "group_id", "location_id", "go_live_date", "note", "title", "location__location_name", "updated_at"
    ).iterator(chunk_size=CHUNK)


def conflicts(*, group_id: int | None = None, **_: Any) -> Table:
    """Open conflicts and those kept as many-to-many (cleared ones are history)."""
    queryset = GroupAlert.objects.filter(Q(resolved_at__isnull=True) | Q(resolution="kept")).order_by(
        "item__erp_item_code", "-noted_at"
    )
    if group_id is not None:
        queryset = queryset.filter(item__membership__group_id=group_id)
    queryset = annotate_group_title(
        queryset, group_ref="item__membership__group_id", name_field="item__membership__group__name"
    )
    headers = [
        "item",
        "description",
        "group_id",
        "group",
        "alert_type",
        "degree_out",
        "degree_in",
        "noted_at",
        "state",
        "resolved_at",
        "resolved_by",
    ]
    rows = queryset.values_list(
        "item__erp_item_code",
        "item__description",
        "item__membership__group_id",
        "title",
        "alert_type",
        "degree_out",
        "degree_in",
        "noted_at",
        "resolution",
        "resolved_at",
        "resolved_by__email",
    ).iterator(chunk_size=CHUNK)
    return headers, ((*r[:8], "kept as M:N" if r[8] == "kept" else "open", *r[9:]) for r in rows)


EXPORTS = {
    "groups": groups,
    "group_members": group_members,
    "links": links,
    "location_plans": location_plans,
    "conflicts": conflicts,
}
