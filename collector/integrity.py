"""Checks that the relation graph obeys its rules, for operators and the load test.

Reads only. The invariant (both ends of every link in one group) is checked
in SQL; the alerts by replaying the same rule the services apply
(`graph.reconcile_alerts`): on a consistent graph it has nothing to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from collector import graph
from collector.models import GroupAlert, ItemLink
from collector.services import alert_states

ID_BATCH = 2000


@dataclass
class GraphReport:
    links: int
    crossing_links: list[tuple[int, int]] = field(default_factory=list)
    ungrouped_ends: list[tuple[int, int]] = field(default_factory=list)
    alert_changes_due: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.crossing_links or self.ungrouped_ends or any(self.alert_changes_due.values()))


def check_graph(*, sample: int = 20) -> GraphReport:
    """Count links, and list (up to `sample` of each) what breaks the rules."""
    links = ItemLink.objects.all()
    report = GraphReport(links=links.count())
    report.ungrouped_ends = list(
        links.filter(Q(item__membership__isnull=True) | Q(replace_item__membership__isnull=True)).values_list(
            "item_id", "replace_item_id"
        )[:sample]
    )
    report.crossing_links = list(
        links.exclude(item__membership__group_id=F("replace_item__membership__group_id"))
        .filter(item__membership__isnull=False, replace_item__membership__isnull=False)
        .values_list("item_id", "replace_item_id")[:sample]
    )
    out = dict(links.values("item_id").annotate(n=Count("*")).values_list("item_id", "n"))
    in_ = dict(links.values("replace_item_id").annotate(n=Count("*")).values_list("replace_item_id", "n"))
    alerted = set(GroupAlert.objects.values_list("item_id", flat=True).distinct())
    items = sorted(set(out) | set(in_) | alerted)
    open_alerts: dict[int, graph.AlertState] = {}
    kept: dict[int, graph.AlertState] = {}
    for start in range(0, len(items), ID_BATCH):  # within every backend's parameter limit
        batch_open, batch_kept = alert_states(items[start : start + ID_BATCH])
        open_alerts.update(batch_open)
        kept.update(batch_kept)
    degrees = {i: (out.get(i, 0), in_.get(i, 0)) for i in items}
    due = graph.reconcile_alerts(degrees, open_alerts, kept)
    report.alert_changes_due = {"raise": len(due.raise_), "update": len(due.update), "close": len(due.close)}
    return report
