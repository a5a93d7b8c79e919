"""Reads of the relation graph for the pages and the API, one module per concern.

Each function answers with a fixed number of queries however large the
groups grow. What a new link would do is asked of the services' own rules
(`links_add_bulk(dry_run=True)`), so the preview and the result agree.
Callers import from here (`from collector.selectors import item_search`).
"""

from __future__ import annotations

from collector.selectors.alerts import (
    OPEN_CONFLICTS_SHOWN,
    conflicts,
    group_open_conflicts,
    open_conflicts,
)
from collector.selectors.cards import (
    ALERT_LABELS,
    NEIGHBOUR_LIMIT,
    ItemCard,
    Neighbour,
    item_cards,
)
from collector.selectors.groups import (
    GroupOutline,
    GroupView,
    LinkRow,
    LocationRow,
    MemberRow,
    group_history,
    group_links,
    group_members,
    group_outline,
    group_search,
    group_view,
    groups_matching,
    groups_with_counts,
    history_group_ids,
    location_rows,
    location_rows_queryset,
    merged_into,
)
from collector.selectors.merge import (
    MergeComparison,
    MergeGroup,
    MergeRow,
    merge_comparison,
    merge_comparisons,
)
from collector.selectors.preview import (
    PREVIEW_MEMBER_LIMIT,
    RISKY_MERGE_MEMBERS,
    LinkPreview,
    MergeSide,
    MergeSides,
    PreviewMember,
    PreviewWarning,
    first_word,
    link_preview,
    member_descriptions,
)
from collector.selectors.search import (
    MAX_WORDS,
    MIN_WORD,
    SEARCH_LIMIT,
    ItemOption,
    codes_of,
    group_of,
    item_codes,
    item_match,
    item_search,
    item_search_queryset,
    search_words,
)

__all__ = [
    "SEARCH_LIMIT",
    "MIN_WORD",
    "MAX_WORDS",
    "search_words",
    "item_match",
    "ItemOption",
    "item_search_queryset",
    "item_search",
    "group_of",
    "codes_of",
    "item_codes",
    "NEIGHBOUR_LIMIT",
    "ALERT_LABELS",
    "Neighbour",
    "ItemCard",
    "item_cards",
    "PREVIEW_MEMBER_LIMIT",
    "RISKY_MERGE_MEMBERS",
    "PreviewWarning",
    "PreviewMember",
    "MergeSide",
    "MergeSides",
    "LinkPreview",
    "MergeComparison",
    "MergeGroup",
    "MergeRow",
    "merge_comparison",
    "merge_comparisons",
    "link_preview",
    "first_word",
    "member_descriptions",
    "groups_with_counts",
    "groups_matching",
    "group_search",
    "MemberRow",
    "LinkRow",
    "GroupView",
    "group_members",
    "group_links",
    "GroupOutline",
    "group_outline",
    "group_view",
    "LocationRow",
    "location_rows_queryset",
    "location_rows",
    "history_group_ids",
    "merged_into",
    "group_history",
    "conflicts",
    "OPEN_CONFLICTS_SHOWN",
    "open_conflicts",
    "group_open_conflicts",
]
