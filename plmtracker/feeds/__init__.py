"""Data feeds: CSV/XLSX files in (import_data, the admin, bulk link upload) and out (export_data).

    result = import_file("po_lines", "po_lines.csv", dry_run=False, skip_invalid=False)

Each kind of file is a `Feed` (columns, natural key, rules); `engine` runs
any of them in streamed, set-based batches inside one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from plmtracker.feeds.engine import Feed, ImportResult, RowError
from plmtracker.feeds.kinds import (
    BurnRatesFeed,
    ConversionsFeed,
    ItemLocationsFeed,
    ItemsFeed,
    LocationsFeed,
    PoLinesFeed,
    UomFeed,
)
from plmtracker.feeds.limits import Limits
from plmtracker.feeds.readers import FeedError, open_table
from plmtracker.feeds.relations import GroupsFeed, LinksFeed, LocationPlansFeed

FEEDS: dict[str, Feed] = {
    feed.kind: feed
    for feed in (
        UomFeed(),
        ItemsFeed(),
        LocationsFeed(),
        ItemLocationsFeed(),
        ConversionsFeed(),
        BurnRatesFeed(),
        PoLinesFeed(),
        LinksFeed(),
        GroupsFeed(),
        LocationPlansFeed(),
    )
}

__all__ = ["FEEDS", "Feed", "FeedError", "ImportResult", "RowError", "feed_for", "import_file"]


def feed_for(kind: str) -> Feed:
    try:
        return FEEDS[kind]
    except KeyError:
        raise FeedError(f"Unknown feed {kind!r}: use one of {', '.join(FEEDS)}.") from None


def import_file(
    kind: str, source: str | Path | IO[bytes], *, name: str | None = None, limits: Limits | None = None, **options: Any
) -> ImportResult:
    """Import a CSV or XLSX file of `kind`; `limits` as `open_table`, options as `Feed.run` (dry_run, user, ...)."""
    feed = feed_for(kind)
    with open_table(source, name, limits=limits) as table:
        return feed.run(table, **options)
