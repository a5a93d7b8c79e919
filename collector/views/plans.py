"""A steward's form posts on a group's plan: the plan panel, one row of the go-live table (htmx swaps
the row), and a go-live for every location without one (JSON: `collector.api.plans`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.http import require_POST

from accounts.permissions import steward_required
from collector import plans, selectors, services
from collector.forms import FillEmptyForm, LocationPlanForm, PlanForm
from collector.views.groups import group_or_404, location_row_fragment
from collector.views.helpers import Done, Refused, group_url, steward_form_post, valid_form
from plmtracker.web import nul


def group_back(group_id: int, **kwargs) -> str:
    return group_url(group_id)


@steward_form_post(back=group_back)
def group_plan(request: HttpRequest, group_id: int) -> Done:
    fields = valid_form(PlanForm, request).changes()
    reason = fields.pop("reason", None)
    plans.group_plan_update(group_id=group_id, user=request.user, reason=reason, **fields)
    group = selectors.groups_with_counts().get(pk=group_id)
    return f"Plan of {group.title} saved.", group_url(group_id) + "#plan"


@steward_form_post(back=group_back)
def location_fill(request: HttpRequest, group_id: int) -> Done:
    day = valid_form(FillEmptyForm, request).cleaned_data["go_live_date"]
    count = plans.location_plans_set_empty(group_id=group_id, go_live_date=day, user=request.user)
    message = f"Go-live {day.isoformat()} given to {count} location{'s' * (count != 1)} without one."
    return message, group_url(group_id) + "#locations"


@require_POST
@steward_required
def location_plan(request: HttpRequest, group_id: int, location_id: int) -> HttpResponse:
    """htmx swaps the row (saved, or the refusal beside what was typed); a plain form goes back to the page."""
    if not request.htmx or nul.in_form(request):
        return location_plan_post(request, group_id=group_id, location_id=location_id)
    try:
        try:
            body = valid_form(LocationPlanForm, request).cleaned_data
            set_location_plan(request.user, group_id, location_id, body)
        except (Refused, services.GraphError) as exc:
            if isinstance(exc, services.NotFoundError):
                raise
            return location_row_fragment(request, group_id, location_id, error=exc.message)
        return location_row_fragment(request, group_id, location_id, saved=True)
    except (Http404, services.NotFoundError) as exc:
        message = exc.message if isinstance(exc, services.NotFoundError) else str(exc)
        return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")


@steward_form_post(back=group_back)
def location_plan_post(request: HttpRequest, group_id: int, location_id: int) -> Done:
    set_location_plan(request.user, group_id, location_id, valid_form(LocationPlanForm, request).cleaned_data)
    rows = selectors.location_rows(group_or_404(group_id), [location_id])
    where = rows[0].location_name if rows else f"location {location_id}"
    return f"Go-live at {where} saved.", group_url(group_id) + "#locations"


def set_location_plan(user, group_id: int, location_id: int, body: dict) -> None:
    """One row of the go-live table as its form (or a JSON client at the page's address) sends it."""
    plans.location_plan_set(
        group_id=group_id,
        location_id=location_id,
        go_live_date=body["go_live_date"],
        note=body["note"],
        user=user,
    )
