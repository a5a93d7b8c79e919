from django.urls import path

from collector import api, bulk, views

app_name = "collector"

PAGE_READ = ("GET", "HEAD")  # methods a browser sends to a page at an address JSON clients share
PAGE_READ_WRITE = (*PAGE_READ, "POST")


def shared(route: str, name: str, api_view, page_view, api_name: str, page_methods=("POST",)) -> list:
    """A page's address and its /api/ twin. The page's view answers browsers and forms there; the API's
    view answers JSON only under /api/, and JSON clients (by Accept) at the page's address for one more
    release, with a Deprecation header (`views.json_or_page`)."""
    return [
        path(route, views.json_or_page(api_view.as_view(), page_view, page_methods), name=name),
        path(f"api/{route}", api_view.as_view(json_only=True), name=api_name),
    ]


urlpatterns = [
    # Record links: the dual picker, its fragments and the JSON API.
    path("collect", views.collect, name="collect"),
    path("collect/items", views.item_options, name="item_options"),
    path("collect/preview", views.collect_preview, name="collect_preview"),
    path("api/collect/preview", api.PreviewApi.as_view(), name="api_preview"),
    path("api/collect/link", api.LinkApi.as_view(), name="api_link"),
    # Groups: pages for browsers, JSON for clients that ask; writes are stewards'.
    *shared("groups", "groups", api.GroupListView, views.groups_list, "api_groups", PAGE_READ_WRITE),
    path("groups/search", views.group_options, name="group_options"),
    *shared("groups/<id:group_id>", "group_detail", api.GroupDetailView, views.group_detail, "api_group", PAGE_READ),
    *shared(
        "groups/<id:group_id>/settings", "group_update", api.GroupUpdateView, views.group_update, "api_group_update"
    ),
    *shared(
        "groups/<id:group_id>/merge",
        "group_merge",
        api.GroupMergeView,
        views.group_merge,
        "api_group_merge",
        PAGE_READ_WRITE,
    ),
    *shared(
        "groups/<id:group_id>/split",
        "group_split",
        api.GroupSplitView,
        views.group_split,
        "api_group_split",
        PAGE_READ_WRITE,
    ),
    path("groups/<id:group_id>/history", views.group_history, name="group_history"),
    # Plans: the group's name, policy and dates; go-live per location.
    *shared("groups/<id:group_id>/plan", "group_plan", api.GroupPlanView, views.group_plan, "api_group_plan"),
    path(
        "groups/<id:group_id>/locations/fill",
        views.json_or_page(api.LocationFillView.as_view(), views.location_fill),
        name="location_fill",
    ),
    path("groups/<id:group_id>/locations/preview", views.location_preview, name="location_preview"),
    path(
        "groups/<id:group_id>/locations/<location:location_id>",
        views.json_or_page(api.LocationPlanView.as_view(), views.location_plan),
        name="location_plan",
    ),
    path("api/groups/<id:group_id>/locations", api.LocationPlansApi.as_view(json_only=True), name="api_locations"),
    path("groups/<id:group_id>/members", views.group_members, name="group_members"),
    path("groups/<id:group_id>/links", views.group_links, name="group_links"),
    *shared("members/<id:item_id>/role", "member_role", api.MemberRoleView, views.member_role, "api_member_role"),
    *shared("members/<id:item_id>/move", "member_move", api.MemberMoveView, views.member_move, "api_member_move"),
    *shared(
        "links/<id:item_id>/<id:replace_item_id>",
        "link_remove",
        api.LinkRemoveView,
        views.link_remove,
        "api_link_remove",
    ),
    # Conflicts.
    path("conflicts", views.conflicts, name="conflicts"),
    *shared(
        "conflicts/<id:item_id>/resolve",
        "conflict_resolve",
        api.ConflictResolveView,
        views.conflict_resolve,
        "api_conflict_resolve",
    ),
    # Bulk link upload: a file of links, previewed, then committed in one transaction.
    path("collect/bulk", bulk.bulk_upload, name="bulk"),
    path("api/collect/bulk", bulk.BulkUploadApi.as_view(), name="api_bulk"),
]
