"""Data feeds: CSV/XLSX files in (import_data, the admin, bulk link upload) and out (export_data).

    result = import_file("po_lines", "po_lines.csv", dry_run=False, skip_invalid=False)

Each kind of file is a `Feed` (columns, natural key, rules); `engine` runs
any of them in streamed, set-based batches inside one transaction. The app
that owns a kind registers it here from its AppConfig.ready (`register_feeds`,
and `engine.register_lookup` for the codes its columns name): the inventory's
in `plmtracker.inventory.feeds`, the collector's links, groups and location
plans in `collector.feeds`. This package imports no app.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ImproperlyConfigured

from plmtracker.feeds.engine import Feed, ImportResult, RowError
from plmtracker.feeds.limits import Limits
from plmtracker.feeds.readers import FeedError, open_table

FEEDS: dict[str, Feed] = {}  # kind -> feed, in the order the apps registered them

__all__ = ["FEEDS", "Feed", "FeedError", "ImportResult", "RowError", "feed_for", "import_file", "register_feeds"]


def register_feeds(*feeds: Feed) -> None:
    """Add an app's feed kinds; a kind belongs to one app (registering the same one again changes nothing)."""
    for feed in feeds:
        known = FEEDS.setdefault(feed.kind, feed)
        if type(known) is not type(feed):
            raise ImproperlyConfigured(
                f"Feed {feed.kind!r} is registered by both {type(known).__module__} and {type(feed).__module__}."
            )


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
