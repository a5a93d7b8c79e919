"""A group's plan and its go-live per location."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from collector import plans, selectors, views
from collector.api.base import CollectorView
from collector.serializers import (
    FillEmptySerializer,
    GroupSerializer,
    LocationPlanFormSerializer,
    LocationPlansRequestSerializer,
    LocationPlansSerializer,
    PlanUpdateSerializer,
    error_responses,
)
from collector.views.plans import set_location_plan


class GroupPlanView(CollectorView):
    @extend_schema(
        summary="Change a group's plan",
        description="Name (empty: the derived title), use-up policy, start, last order and end dates; fields left "
        "out stay as they are. The end is on or after the start; the last order on or before the end and at most "
        "a year before the start. Stewards only.",
        request=PlanUpdateSerializer,
        responses={200: GroupSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, group_id: int):
        fields = dict(self.valid(PlanUpdateSerializer, request.data))
        reason = fields.pop("reason", None) or None
        plans.group_plan_update(group_id=group_id, user=request.user, reason=reason, **fields)
        group = selectors.groups_with_counts().get(pk=group_id)
        return Response(GroupSerializer(group).data)


def location_plans_payload(group_id: int) -> dict:
    group = views.group_or_404(group_id)
    rows = selectors.location_rows(group)
    return LocationPlansSerializer(
        {
            "group_id": group.pk,
            "start_date": group.start_date,
            "locations": [r.__dict__ | {"effective_go_live_date": r.effective_go_live_date} for r in rows],
        }
    ).data


class LocationPlansApi(CollectorView):
    """A group's go-live per location, for scripts: read by everyone, replaced by stewards."""

    steward_methods = frozenset({"PUT"})

    @extend_schema(
        operation_id="group_locations_read",
        summary="A group's go-live per location",
        description="Every location where a member is stocked or that has a plan: the plan's go-live date and note, "
        "and the effective date (the plan's, else the group's start date).",
        responses={200: LocationPlansSerializer, **error_responses(404)},
    )
    def get(self, request, group_id: int):
        return Response(location_plans_payload(group_id))

    @extend_schema(
        operation_id="group_locations_replace",
        summary="Replace a group's go-live per location",
        description="The group's location plans become exactly `locations`: rows left out are removed. One "
        "transaction, audited in the group's history. Stewards only; 404 for an unknown group or location.",
        request=LocationPlansRequestSerializer,
        responses={200: LocationPlansSerializer, **error_responses(400, 403, 404)},
    )
    def put(self, request, group_id: int):
        body = self.valid(LocationPlansRequestSerializer, request.data)
        plans.location_plans_replace(
            group_id=group_id, plans=body["locations"], user=request.user, reason=body.get("reason") or None
        )
        return Response(location_plans_payload(group_id))


class LocationPlanView(CollectorView):
    """One row of the go-live table, for JSON clients at the page's address (one more release)."""

    @extend_schema(exclude=True)
    def post(self, request, group_id: int, location_id: int):
        body = self.valid(LocationPlanFormSerializer, request.data)
        set_location_plan(request.user, group_id, location_id, body)
        payload = next(
            (r for r in location_plans_payload(group_id)["locations"] if r["location_id"] == location_id),
            {"location_id": location_id},
        )
        return Response(payload)


class LocationFillView(CollectorView):
    """A go-live for every location without one, for JSON clients at the page's address (one more release)."""

    @extend_schema(exclude=True)
    def post(self, request, group_id: int):
        body = self.valid(FillEmptySerializer, request.data)
        count = plans.location_plans_set_empty(group_id=group_id, go_live_date=body["go_live_date"], user=request.user)
        return Response({"count": count})
