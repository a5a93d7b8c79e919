from django.urls import path

from collector import api, bulk, views

app_name = "collector"

urlpatterns = [
    # Record links: the dual picker, its fragments and the JSON API.
    path("collect", views.collect, name="collect"),
    path("collect/items", views.item_options, name="item_options"),
    path("collect/preview", views.collect_preview, name="collect_preview"),
    path("api/collect/preview", api.PreviewApi.as_view(), name="api_preview"),
    path("api/collect/link", api.LinkApi.as_view(), name="api_link"),
    # Groups: pages for browsers, JSON for clients that ask; writes are stewards'.
    path("groups", api.GroupListView.as_view(), name="groups"),
    path("groups/search", views.group_options, name="group_options"),
    path("groups/<id:group_id>", api.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<id:group_id>/settings", api.GroupUpdateView.as_view(), name="group_update"),
    path("groups/<id:group_id>/merge", api.GroupMergeView.as_view(), name="group_merge"),
    path("groups/<id:group_id>/split", api.GroupSplitView.as_view(), name="group_split"),
    path("groups/<id:group_id>/history", views.group_history, name="group_history"),
    # Plans: the group's name, policy and dates; go-live per location.
    path("groups/<id:group_id>/plan", api.GroupPlanView.as_view(), name="group_plan"),
    path("groups/<id:group_id>/locations/fill", api.LocationFillView.as_view(), name="location_fill"),
    path("groups/<id:group_id>/locations/preview", views.location_preview, name="location_preview"),
    path("groups/<id:group_id>/locations/<location:location_id>", api.LocationPlanView.as_view(), name="location_plan"),
    path("api/groups/<id:group_id>/locations", api.LocationPlansApi.as_view(json_only=True), name="api_locations"),
    path("groups/<id:group_id>/members", views.group_members, name="group_members"),
    path("groups/<id:group_id>/links", views.group_links, name="group_links"),
    path(
        "members/<id:item_id>/role",
        views.json_or_page(api.MemberRoleView.as_view(), views.member_role),
        name="member_role",
    ),
    path(
        "members/<id:item_id>/move",
        views.json_or_page(api.MemberMoveView.as_view(), views.member_move),
        name="member_move",
    ),
    path(
        "links/<id:item_id>/<id:replace_item_id>",
        views.json_or_page(api.LinkRemoveView.as_view(), views.link_remove),
        name="link_remove",
    ),
    # Conflicts.
    path("conflicts", views.conflicts, name="conflicts"),
    path(
        "conflicts/<id:item_id>/resolve",
        views.json_or_page(api.ConflictResolveView.as_view(), views.conflict_resolve),
        name="conflict_resolve",
    ),
    # Bulk link upload: a file of links, previewed, then committed in one transaction.
    path("collect/bulk", bulk.bulk_upload, name="bulk"),
    path("api/collect/bulk", bulk.BulkUploadApi.as_view(), name="api_bulk"),
    # The same actions for JSON clients, JSON only. The page addresses above still answer
    # JSON to a client that asks (Accept) for one more release, with a Deprecation header.
    path("api/groups", api.GroupListView.as_view(json_only=True), name="api_groups"),
    path("api/groups/<id:group_id>", api.GroupDetailView.as_view(json_only=True), name="api_group"),
    path("api/groups/<id:group_id>/settings", api.GroupUpdateView.as_view(json_only=True), name="api_group_update"),
    path("api/groups/<id:group_id>/merge", api.GroupMergeView.as_view(json_only=True), name="api_group_merge"),
    path("api/groups/<id:group_id>/split", api.GroupSplitView.as_view(json_only=True), name="api_group_split"),
    path("api/groups/<id:group_id>/plan", api.GroupPlanView.as_view(json_only=True), name="api_group_plan"),
    path("api/members/<id:item_id>/role", api.MemberRoleView.as_view(json_only=True), name="api_member_role"),
    path("api/members/<id:item_id>/move", api.MemberMoveView.as_view(json_only=True), name="api_member_move"),
    path(
        "api/links/<id:item_id>/<id:replace_item_id>",
        api.LinkRemoveView.as_view(json_only=True),
        name="api_link_remove",
    ),
    path(
        "api/conflicts/<id:item_id>/resolve",
        api.ConflictResolveView.as_view(json_only=True),
        name="api_conflict_resolve",
    ),
]
