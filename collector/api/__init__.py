"""The collector's JSON API (Django REST framework), shared with the pages' forms.

A route answers JSON to a client that sends or asks for JSON, and serves the
pages otherwise: a GET renders the page, a form post runs the same service
and redirects back with a message. Errors are {"error": "..."} with 400, 404
or 409 from the services' rules and 403 for a planner on a steward's action;
the pages turn them into a message, or the site's error page.

Under /api/ (`as_view(json_only=True)`) a route answers JSON only; at a page's address it
answers JSON clients for one more release, marked deprecated (see `base.CollectorView`).
One module per concern; callers import from here (`from collector import api`).
"""

from __future__ import annotations

from collector.api.base import (
    API_PREFIX,
    READ_METHODS,
    CollectorView,
    GraphRefused,
    SiteLoginView,
    group_url,
    items_by_code,
    json_client,
    schema_endpoints,
)
from collector.api.collect import (
    LinkApi,
    PreviewApi,
)
from collector.api.groups import (
    GROUP_JSON_PAGE,
    GroupActionView,
    GroupDetailView,
    GroupListView,
    GroupMergeView,
    GroupSplitView,
    GroupUpdateView,
    group_payload,
)
from collector.api.members import (
    ConflictResolveView,
    LinkRemoveView,
    MemberMoveView,
    MemberRoleView,
    MemberView,
)
from collector.api.plans import (
    GroupPlanView,
    LocationFillView,
    LocationPlansApi,
    LocationPlanView,
    location_plans_payload,
)

__all__ = [
    "READ_METHODS",
    "API_PREFIX",
    "schema_endpoints",
    "json_client",
    "GraphRefused",
    "SiteLoginView",
    "CollectorView",
    "group_url",
    "items_by_code",
    "PreviewApi",
    "LinkApi",
    "GroupListView",
    "GROUP_JSON_PAGE",
    "group_payload",
    "GroupDetailView",
    "GroupActionView",
    "GroupUpdateView",
    "GroupMergeView",
    "GroupSplitView",
    "GroupPlanView",
    "location_plans_payload",
    "LocationPlansApi",
    "LocationPlanView",
    "LocationFillView",
    "MemberView",
    "MemberRoleView",
    "MemberMoveView",
    "LinkRemoveView",
    "ConflictResolveView",
]
