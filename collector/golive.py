"""The effective go-live of a group at a location (docs/DESIGN.md, "Location stages").

The location plan's own date, else the group's start date. `effective_go_live`
is the rule; `effective_go_live_sql` computes the same in SQL, so lists and
stage sums read it in the statement that needs it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Expression, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from collector.models import GroupLocationPlan


def effective_go_live(plan_date: date | None, start_date: date | None) -> date | None:
    """The plan's go-live at the location, else the group's start date (None when both are unset)."""
    return plan_date or start_date


def effective_go_live_sql(
    group_ref: str = "group_id", location_ref: str = "location_id", start_date: str = "group__start_date"
) -> Expression:
    """`effective_go_live` of the outer row: `group_ref` and `location_ref` are the row's paths to the
    group's and the location's ids, `start_date` its path to the group's start date."""
    plan = GroupLocationPlan.objects.filter(group_id=OuterRef(group_ref), location_id=OuterRef(location_ref))
    return Coalesce(Subquery(plan.values("go_live_date")[:1]), F(start_date))
