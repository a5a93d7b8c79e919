"""History charts drawn from the kept daily figures: a group's progress, the overview's stage share."""

from __future__ import annotations

from datetime import date
from typing import Any

from dashboard.cards import STAGE_COLOURS
from dashboard.figures.selectors import group_history, stage_share_history
from dashboard.stages import STAGE_LABELS, STAGES


def _line(label: str, role: str, values: list[Any]) -> dict[str, Any]:
    return {"label": label, "role": role, "data": values}


def group_history_charts(group_id: int, last_day: date) -> dict[str, Any]:
    """The group's compliance and readiness (%), cut-over coverage (days) and realised savings ($) per kept
    day up to `last_day`, and the first kept day (None: no row yet). One statement."""
    rows = group_history(group_id, last_day)
    labels = [row["day"].isoformat() for row in rows]
    return {
        "history_start": rows[0]["day"] if rows else None,
        "charts": {
            "history_progress": {
                "type": "line",
                "unit": "pct",
                "labels": labels,
                "datasets": [
                    _line("Compliance", "replacement", [row["compliance_pct"] for row in rows]),
                    _line("Readiness", "item", [row["readiness_pct"] for row in rows]),
                ],
            },
            "history_coverage": {
                "type": "line",
                "labels": labels,
                "datasets": [
                    _line("Cut-over coverage (days)", "replacement", [r["cutover_coverage_days"] for r in rows])
                ],
            },
            "history_savings": {
                "type": "line",
                "unit": "money",
                "labels": labels,
                "datasets": [_line("Realised savings", "replacement", [row["realised_savings"] for row in rows])],
            },
        }
        if rows
        else {},
    }


def stage_share_chart(last_day: date) -> dict[str, Any]:
    """Per kept day up to `last_day`, the share (%) of the active conversions' locations at each stage,
    stacked, and the first kept day (None: no row yet). One statement."""
    days = stage_share_history(last_day)
    if not days:
        return {"history_start": None, "charts": {}}

    def share(counts: dict[str, int], stage: str) -> float | None:
        total = sum(counts.get(name, 0) for name in STAGES)
        return round(100 * counts.get(stage, 0) / total, 1) if total else None

    return {
        "history_start": days[0]["day"],
        "charts": {
            "stage_share": {
                "type": "bar",
                "stacked": True,
                "unit": "pct",
                "labels": [day["day"].isoformat() for day in days],
                "datasets": [
                    {
                        "label": STAGE_LABELS[stage],
                        "colour": STAGE_COLOURS[stage],
                        "data": [share(day["counts"], stage) for day in days],
                    }
                    for stage in STAGES
                ],
            }
        },
    }
