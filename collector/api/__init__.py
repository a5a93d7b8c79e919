"""The collector's JSON API (Django REST framework): JSON only.

Errors are {"error": "..."} with 400, 404 or 409 from the services' rules and 403
for a planner on a steward's action. The pages and their forms are plain Django
views in `collector.views`, calling the same services. Under /api/
(`as_view(json_only=True)`) a route is in the OpenAPI schema; at a page's address
(`collector.urls.shared`) it answers JSON clients for one more release, marked
deprecated (see `base.CollectorView`).
One module per concern; callers import from here (`from collector import api`).
"""

from __future__ import annotations

from collector.api.base import (
    API_PREFIX,
    CollectorView,
    GraphRefused,
    SiteLoginView,
    items_by_code,
    schema_endpoints,
)
from collector.api.collect import (
    LinkApi,
    PreviewApi,
)
from collector.api.groups import (
    GROUP_JSON_PAGE,
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
    "API_PREFIX",
    "schema_endpoints",
    "GraphRefused",
    "SiteLoginView",
    "CollectorView",
    "items_by_code",
    "PreviewApi",
    "LinkApi",
    "GroupListView",
    "GROUP_JSON_PAGE",
    "group_payload",
    "GroupDetailView",
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
