"""The export registry: every app's `<app>/exports.py` with `EXPORTS = {kind: fn}`.

A function takes keyword filters (`as_of`, `location_id`, `group_id`; it
ignores those that do not apply) and returns (headers, rows). Files are
written by `plmtracker.web.tabular.write_table`, which defuses cells a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from plmtracker.feeds.readers import FeedError, file_format
from plmtracker.web.tabular import write_table

ExportFn = Callable[..., tuple[list[str], Any]]


def export_registry() -> dict[str, ExportFn]:
    """Every export kind of every installed app that has an exports module."""
    registry: dict[str, ExportFn] = {}
    owner: dict[str, str] = {}
    for app in apps.get_app_configs():
        name = f"{app.name}.exports"
        if importlib.util.find_spec(name) is None:
            continue
        for kind, fn in getattr(importlib.import_module(name), "EXPORTS", {}).items():
            if kind in registry:
                raise ImproperlyConfigured(f"Export {kind!r} is defined by both {owner[kind]} and {name}.")
            registry[kind] = fn
            owner[kind] = name
    return registry


def export_table(kind: str, **filters: Any) -> tuple[list[str], Any]:
    registry = export_registry()
    if kind not in registry:
        raise FeedError(f"Unknown export {kind!r}: use one of {', '.join(sorted(registry))}.")
    return registry[kind](**filters)


def export_to_file(
    kind: str,
    path: str | Path,
    *,
    as_of: date | None = None,
    location_id: int | None = None,
    group_id: int | None = None,
) -> int:
    """Write the export to `path` (.csv or .xlsx); return the number of data rows.

    The file appears whole or not at all: rows go to a temporary file next to it first.
    """
    path = Path(path)
    fmt = file_format(path.name)
    headers, rows = export_table(kind, as_of=as_of, location_id=location_id, group_id=group_id)
    partial = path.with_name(f".{path.name}.part")
    try:
        with open(partial, "wb") as out:
            count = write_table(out, fmt, headers, rows, title=kind)
        os.replace(partial, path)
    except OSError as exc:
        raise FeedError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return count
