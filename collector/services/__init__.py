"""Every write to the relation graph, one module per concern.

Each public function is one transaction that writes one audit row per change.
Concurrency: an action locks the items it links (in id order), then the
groups those items are in (in id order), and re-reads the memberships until
they are stable, so two users acting on overlapping groups queue instead of
interleaving. On PostgreSQL and SQL Server these are row locks; on SQLite the
IMMEDIATE transactions (see plmtracker.ops.db) let one writer in at a time. A
deadlock the database breaks is retried.

Callers import from here (`from collector.services import link_add`); the modules
below are where each write lives.
"""

from __future__ import annotations

from collector.services.alerts import (
    alert_resolve,
    alert_states,
    open_alerts_for,
    recompute_alerts,
)
from collector.services.errors import (
    RETRY_ATTEMPTS,
    RETRY_SQLSTATES,
    GraphError,
    MergeNotConfirmedError,
    NotFoundError,
    ReverseLinkError,
    SelfLinkError,
    graph_write,
)
from collector.services.groups import (
    GROUP_FIELDS,
    LAST_ORDER_LEAD,
    SplitResult,
    alone_message,
    check_group_fields,
    group_create,
    group_merge,
    group_split,
    group_update,
    split_preview,
    update_group_fields,
)
from collector.services.links import (
    LINK_SOURCE,
    BulkLinkResult,
    LinkBatch,
    LinkRemoval,
    LinkResult,
    audit_links,
    check_link_ends,
    group_components,
    link_add,
    link_remove,
    links_add_bulk,
    load_state,
    persist_links,
    plan_links,
    reverse_link_message,
)
from collector.services.locking import (
    audit,
    item_codes,
    link_details,
    lock_group,
    lock_groups,
    lock_items,
    lock_memberships,
    memberships,
    touch_groups,
    user_or_none,
)
from collector.services.members import (
    member_move,
    member_set_role,
)
from collector.services.merge import (
    carry_location_plans,
    carry_updates,
    copy_location_plans,
    create_groups,
    merge_into,
    move_members,
    persist_members,
)
from collector.services.ratios import (
    MAX_RATIO,
    RATIO_DIGITS,
    RATIO_PLACES,
    check_ratio,
    format_ratio,
    link_ids,
    ratio_changes,
    ratio_detail,
    write_ratio_updates,
)

__all__ = [
    "GraphError",
    "SelfLinkError",
    "ReverseLinkError",
    "NotFoundError",
    "MergeNotConfirmedError",
    "RETRY_SQLSTATES",
    "RETRY_ATTEMPTS",
    "graph_write",
    "lock_items",
    "memberships",
    "lock_groups",
    "lock_memberships",
    "lock_group",
    "touch_groups",
    "audit",
    "user_or_none",
    "item_codes",
    "link_details",
    "alert_states",
    "recompute_alerts",
    "open_alerts_for",
    "alert_resolve",
    "RATIO_DIGITS",
    "RATIO_PLACES",
    "MAX_RATIO",
    "check_ratio",
    "ratio_detail",
    "format_ratio",
    "ratio_changes",
    "write_ratio_updates",
    "link_ids",
    "move_members",
    "merge_into",
    "copy_location_plans",
    "carry_location_plans",
    "carry_updates",
    "persist_members",
    "create_groups",
    "LinkResult",
    "reverse_link_message",
    "check_link_ends",
    "LINK_SOURCE",
    "link_add",
    "LinkRemoval",
    "link_remove",
    "group_components",
    "BulkLinkResult",
    "LinkBatch",
    "load_state",
    "plan_links",
    "persist_links",
    "links_add_bulk",
    "audit_links",
    "group_create",
    "LAST_ORDER_LEAD",
    "check_group_fields",
    "GROUP_FIELDS",
    "group_update",
    "update_group_fields",
    "group_merge",
    "SplitResult",
    "split_preview",
    "alone_message",
    "group_split",
    "member_set_role",
    "member_move",
]
