"""The group page's one readiness picture: which locations it counts and how many are at each stage.

The header, the readiness card, the location table and the stage chart all count the locations where an
original is stocked (docs/DESIGN.md, "Readiness and set-up"); a location that stocks only replacements is
listed in the table, marked, and counted in none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dashboard.kpis import readiness_pct
from dashboard.stages import READY_STAGES, STAGES


def readiness_picture(locations: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Stage counts over the locations where an original is stocked (the group KPIs' `locations` rows)."""
    locations = list(locations)
    counted = [loc for loc in locations if loc["original_stocked"]]
    counts = dict.fromkeys(STAGES, 0) | {"late": 0, "at_risk": 0}
    for loc in counted:
        counts[loc["stage"]] += 1
        counts["late"] += loc["late"]
        counts["at_risk"] += loc["at_risk"]
    ready = sum(counts[stage] for stage in READY_STAGES)
    return {
        "counted": len(counted),
        "counts": counts,
        "ready": ready,
        "readiness_pct": readiness_pct(len(counted), ready),
        "replacement_only": len(locations) - len(counted),
    }
