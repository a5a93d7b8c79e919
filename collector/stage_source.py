"""The stage of each location of a group, for the go-live table on the group page.

The stage rule and its SQL belong to the dashboard (`dashboard.stages`, `dashboard.queries.stages`),
a layer above the collector, which may not import it. The dashboard registers its function here
when it starts (`DashboardConfig.ready`), so the collector's page shows the stage the dashboard
computes, from the one rule, without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# (group id, day[, go_lives]) -> {location id: {"stage": ..., "late": ..., "at_risk": ..., "counted": ...}}
StageSource = Callable[..., dict[int, dict[str, Any]]]

registered: list[StageSource] = []  # at most one: the dashboard's


def register_stage_source(source: StageSource) -> None:
    if registered and registered[0] is not source:
        raise ImproperlyConfigured("A stage source is already registered; the stage rule lives in one place.")
    registered[:] = [source]


def location_stages(
    group_id: int, as_of: date, go_lives: dict[int, date | None] | None = None
) -> dict[int, dict[str, Any]]:
    """Stage and late/at-risk flags per location of the group on `as_of`; with `go_lives` (location id ->
    effective go-live), the stages those dates would give (a preview: nothing is saved)."""
    if not registered:
        raise ImproperlyConfigured(
            "No stage source is registered: the dashboard app (which registers it in its AppConfig.ready) "
            "must be in INSTALLED_APPS."
        )
    if go_lives is None:
        return registered[0](group_id, as_of)
    return registered[0](group_id, as_of, go_lives)
