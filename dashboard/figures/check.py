"""Compare the kept daily figures with a live recomputation (`manage.py check_facts`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dashboard.figures.compute import COLUMNS, comparable, group_figures
from dashboard.figures.services import due_groups
from dashboard.models import DailyFigures
from dashboard.queries import onhand


@dataclass(frozen=True)
class Difference:
    group_id: int
    what: str  # "missing" or a column name
    kept: Any = None
    live: Any = None

    def __str__(self) -> str:
        if self.what == "missing":
            return f"group {self.group_id}: no kept row"
        return f"group {self.group_id}: {self.what} kept {self.kept!r}, live {self.live!r}"


@dataclass(frozen=True)
class CheckResult:
    day: date
    checked: int
    due: list[int] = field(default_factory=list)  # refreshed by the next read: not differences
    vanished: list[int] = field(default_factory=list)  # rows of groups merged away or deleted: never read
    differences: list[Difference] = field(default_factory=list)


def _differences(group_id: int, kept: dict[str, Any], live: dict[str, Any]) -> list[Difference]:
    kept, live = comparable(kept), comparable(live)
    found = []
    for name in COLUMNS:
        if name == "summary":
            for key in sorted(set(kept[name]) | set(live[name])):
                if kept[name].get(key) != live[name].get(key):
                    found.append(Difference(group_id, f"{name}.{key}", kept[name].get(key), live[name].get(key)))
        elif kept[name] != live[name]:
            found.append(Difference(group_id, name, kept[name], live[name]))
    return found


def check_figures(day: date | None = None) -> CheckResult:
    """Recompute every group's row for `day` (default today) and list where the kept rows differ.

    For today, a group whose stamp moved since its row was computed is only listed as due: the
    next read refreshes it before serving it. Rows of groups that no longer exist are listed as
    vanished (reads join the existing groups; the next refresh of the day removes them).
    """
    day = day or onhand.site_today()
    due = set(due_groups(day)) if day == onhand.site_today() else set()
    live = group_figures(day, None)
    kept = {row["group_id"]: row for row in DailyFigures.objects.filter(day=day).values("group_id", *COLUMNS)}
    differences: list[Difference] = []
    for group_id in sorted(set(live) - due):
        if group_id not in kept:
            differences.append(Difference(group_id, "missing"))
        else:
            differences.extend(_differences(group_id, kept[group_id], live[group_id]))
    return CheckResult(day, len(live), sorted(due & set(live)), sorted(set(kept) - set(live)), differences)
