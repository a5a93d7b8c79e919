from tests.url_access import ANON_JSON, Route

GROUP = lambda w: {"group_id": w.group_id}  # noqa: E731
ITEM = lambda w: {"item_id": w.item.pk}  # noqa: E731

ROUTES = [
    Route("dashboard:overview", planner=200, steward=200),
    Route("dashboard:overview_export", kwargs={"fmt": "csv"}, planner=200, steward=200),
    Route("dashboard:group", kwargs=GROUP, planner=200, steward=200),
    Route("dashboard:group_export", kwargs=lambda w: {"group_id": w.group_id, "fmt": "xlsx"}, planner=200, steward=200),
    Route("dashboard:item", kwargs=ITEM, planner=200, steward=200),
    Route("dashboard:api_overview", planner=200, steward=200, anonymous=ANON_JSON),
    Route("dashboard:api_group_kpis", kwargs=GROUP, planner=200, steward=200, anonymous=ANON_JSON),
    Route("dashboard:api_group_timeseries", kwargs=GROUP, planner=200, steward=200, anonymous=ANON_JSON),
    Route("dashboard:api_item_kpis", kwargs=ITEM, planner=200, steward=200, anonymous=ANON_JSON),
    Route("dashboard:api_item_timeseries", kwargs=ITEM, planner=200, steward=200, anonymous=ANON_JSON),
]
