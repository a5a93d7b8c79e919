"""Pages and htmx fragments of the collector, one module per page.

Routes that JSON clients share with the pages (groups, a group, its actions)
are DRF views in `collector.api`; they hand browsers to the page functions here.
"""

from __future__ import annotations

from collector.views.collect import (
    collect,
    collect_preview,
    group_options,
    item_options,
    link_recorded_message,
)
from collector.views.conflict_list import (
    conflicts,
)
from collector.views.groups import (
    GRAPH_LIMIT,
    HISTORY_PAGE,
    LINKS_PAGE,
    MEMBERS_PAGE,
    PIECE_CODES,
    PIECES_SHOWN,
    SPLIT_LIST_LIMIT,
    group_history,
    group_links,
    group_list,
    group_members,
    group_or_404,
    group_page,
    group_view_or_404,
    groups_page,
    history_page,
    links_page,
    location_row_fragment,
    location_stages,
    location_table,
    members_page,
    outline_or_404,
    picture,
    rows_page,
    shown_pieces,
    split_context,
    split_fragment,
    table_context,
)
from collector.views.helpers import (
    ID_TEXT,
    group_link,
    int_list,
    int_or_none,
    ratio_or_none,
    safe_next,
)

__all__ = [
    "ID_TEXT",
    "int_list",
    "int_or_none",
    "ratio_or_none",
    "safe_next",
    "group_link",
    "link_recorded_message",
    "collect",
    "collect_preview",
    "item_options",
    "group_options",
    "GRAPH_LIMIT",
    "SPLIT_LIST_LIMIT",
    "PIECES_SHOWN",
    "PIECE_CODES",
    "HISTORY_PAGE",
    "MEMBERS_PAGE",
    "LINKS_PAGE",
    "group_list",
    "groups_page",
    "group_view_or_404",
    "picture",
    "history_page",
    "split_context",
    "group_or_404",
    "location_table",
    "location_stages",
    "location_row_fragment",
    "outline_or_404",
    "rows_page",
    "members_page",
    "links_page",
    "table_context",
    "shown_pieces",
    "group_page",
    "group_members",
    "group_links",
    "split_fragment",
    "group_history",
    "conflicts",
]
