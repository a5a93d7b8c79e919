from django.urls import path

from dashboard import api, views

app_name = "dashboard"

urlpatterns = [
    path("dashboard", views.overview, name="overview"),
    path("dashboard/export.<str:fmt>", views.overview_export, name="overview_export"),
    path("dashboard/groups/<id:group_id>", views.group, name="group"),
    path("dashboard/groups/<id:group_id>/members.<str:fmt>", views.group_export, name="group_export"),
    path("dashboard/items/<id:item_id>", views.item, name="item"),
    path("api/overview", api.Overview.as_view(), name="api_overview"),
    path("api/groups/<id:group_id>/kpis", api.GroupKpis.as_view(), name="api_group_kpis"),
    path("api/groups/<id:group_id>/timeseries", api.GroupTimeseries.as_view(), name="api_group_timeseries"),
    path("api/items/<id:item_id>/kpis", api.ItemKpis.as_view(), name="api_item_kpis"),
    path("api/items/<id:item_id>/timeseries", api.ItemTimeseries.as_view(), name="api_item_timeseries"),
]
