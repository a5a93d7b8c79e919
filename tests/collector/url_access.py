"""Who may call the collector's routes.

Planners record and preview links and read everything; merge, split, link
removal, conflict resolution, roles, sequence and settings are stewards'.
A page's form post that succeeds redirects (302); a JSON client gets the
status of the API. World: items[0] -> items[1], items[0] -> items[2] (an open
OUT_DEG_GT1 on items[0]) in `group_id`; items[3] -> items[4] in `other_group_id`.
"""

from tests.url_access import ANON_JSON, Route

JSON = "application/json"
ASK_JSON = {"Accept": JSON}


def item(n):
    return lambda w: {"item_id": w.items[n].pk}


def group(w):
    return {"group_id": w.group_id}


ROUTES = [
    # Record links.
    Route("collector:collect", planner=200, steward=200),
    Route(
        "collector:collect",
        id="post",
        method="POST",
        data=lambda w: {"item": w.items[5].pk, "replace": w.items[4].pk, "reason": "Backorder"},
        planner=302,
        steward=302,
    ),
    Route("collector:item_options", data={"q": "GLOVE"}, planner=200, steward=200),
    Route(
        "collector:collect_preview",
        data=lambda w: {"item": w.items[5].pk, "replace": w.items[4].pk},
        planner=200,
        steward=200,
    ),
    Route(
        "collector:api_preview",
        data=lambda w: {"item": w.items[5].erp_item_code, "replace": w.items[4].erp_item_code},
        anonymous=ANON_JSON,
        planner=200,
        steward=200,
    ),
    Route(
        "collector:api_link",
        method="POST",
        content_type=JSON,
        data=lambda w: {"item": w.items[5].erp_item_code, "replace": w.items[4].erp_item_code},
        anonymous=ANON_JSON,
        planner=201,
        steward=201,
    ),
    # Groups: read by everyone, curated by stewards.
    Route("collector:groups", planner=200, steward=200),
    Route("collector:groups", id="json", headers=ASK_JSON, anonymous=ANON_JSON, planner=200, steward=200),
    Route("collector:groups", id="post", method="POST", data={"status": "draft"}, planner=403, steward=302),
    Route(
        "collector:groups",
        id="post-json",
        method="POST",
        content_type=JSON,
        headers=ASK_JSON,
        data={"status": "draft", "reason": "Contract change"},
        anonymous=ANON_JSON,
        planner=403,
        steward=201,
    ),
    Route("collector:group_options", data={"q": "1"}, planner=200, steward=200),
    Route("collector:group_detail", kwargs=group, planner=200, steward=200),
    Route(
        "collector:group_detail",
        id="json",
        kwargs=group,
        headers=ASK_JSON,
        anonymous=ANON_JSON,
        planner=200,
        steward=200,
    ),
    Route("collector:group_history", kwargs=group, data={"page": 1}, planner=200, steward=200),
    Route("collector:group_members", kwargs=group, data={"page": 1}, planner=200, steward=200),
    Route("collector:group_links", kwargs=group, data={"page": 1}, planner=200, steward=200),
    Route(
        "collector:group_update",
        method="POST",
        kwargs=group,
        data={"status": "active", "change_reason": "Go live"},
        planner=403,
        steward=302,
    ),
    # Plans: the plan panel, the go-live table's rows and "set all empty", the JSON plans.
    Route(
        "collector:group_plan",
        method="POST",
        kwargs=group,
        data={"name": "Gloves to one SKU", "use_up_policy": "immediate"},
        planner=403,
        steward=302,
    ),
    Route(
        "collector:group_plan",
        id="json",
        method="POST",
        kwargs=group,
        data={"use_up_policy": "use_until_end"},
        content_type=JSON,
        headers=ASK_JSON,
        anonymous=ANON_JSON,
        planner=403,
        steward=200,
    ),
    Route(
        "collector:location_plan",
        method="POST",
        kwargs=lambda w: {"group_id": w.group_id, "location_id": w.location_id},
        data={"go_live_date": "2026-12-01", "note": "Ward 3 first"},
        planner=403,
        steward=302,
    ),
    Route(
        "collector:location_plan",
        id="htmx",
        method="POST",
        kwargs=lambda w: {"group_id": w.group_id, "location_id": w.location_id},
        data={"go_live_date": "2026-12-01"},
        headers={"HX-Request": "true"},
        planner=403,
        steward=200,
    ),
    Route(
        "collector:location_fill",
        method="POST",
        kwargs=group,
        data={"go_live_date": "2026-12-01"},
        planner=403,
        steward=302,
    ),
    Route("collector:location_preview", kwargs=group, data={"go_live_date": "2026-12-01"}, planner=200, steward=200),
    Route("collector:api_locations", kwargs=group, anonymous=ANON_JSON, planner=200, steward=200),
    Route(
        "collector:api_locations",
        id="put",
        method="PUT",
        kwargs=group,
        data=lambda w: {"locations": [{"location_id": w.location_id, "go_live_date": "2026-12-01"}]},
        content_type=JSON,
        anonymous=ANON_JSON,
        planner=403,
        steward=200,
    ),
    Route(
        "collector:group_merge",
        method="POST",
        kwargs=group,
        data=lambda w: {"target_group_id": w.other_group_id},
        planner=403,
        steward=302,
    ),
    Route(
        "collector:group_merge",
        id="json",
        method="POST",
        kwargs=group,
        content_type=JSON,
        headers=ASK_JSON,
        data=lambda w: {"target_group_id": w.other_group_id},
        anonymous=ANON_JSON,
        planner=403,
        steward=200,
    ),
    # GET previews the split (the page, with the members ticked); POST splits.
    Route("collector:group_split", kwargs=group, data=lambda w: {"item_ids": w.items[2].pk}, planner=200, steward=200),
    Route(
        "collector:group_split",
        id="post",
        method="POST",
        kwargs=group,
        data=lambda w: {"item_ids": [w.items[2].pk]},
        planner=403,
        steward=302,
    ),
    Route(
        "collector:group_split",
        id="post-json",
        method="POST",
        kwargs=group,
        content_type=JSON,
        headers=ASK_JSON,
        data=lambda w: {"item_ids": [w.items[2].pk], "allow_alone": True},
        anonymous=ANON_JSON,
        planner=403,
        steward=201,
    ),
    Route("collector:member_role", method="POST", kwargs=item(1), data={"role": "original"}, planner=403, steward=302),
    Route("collector:member_move", method="POST", kwargs=item(1), data={"direction": "up"}, planner=403, steward=302),
    Route(
        "collector:link_remove",
        method="DELETE",
        kwargs=lambda w: {"item_id": w.items[0].pk, "replace_item_id": w.items[2].pk},
        headers=ASK_JSON,
        anonymous=ANON_JSON,
        planner=403,
        steward=200,
    ),
    Route(
        "collector:link_remove",
        id="form",
        method="POST",
        kwargs=lambda w: {"item_id": w.items[0].pk, "replace_item_id": w.items[2].pk},
        planner=403,
        steward=302,
    ),
    # Conflicts.
    Route("collector:conflicts", planner=200, steward=200),
    Route("collector:conflict_resolve", method="POST", kwargs=item(0), planner=403, steward=302),
    Route(
        "collector:conflict_resolve",
        id="json",
        method="POST",
        kwargs=item(0),
        content_type=JSON,
        headers=ASK_JSON,
        anonymous=ANON_JSON,
        planner=403,
        steward=200,
    ),
    # Bulk link upload: a POST without a file answers the form with its reason; planners may
    # upload (the same right as adding links one by one).
    Route("collector:bulk", planner=200, steward=200),
    Route("collector:bulk", id="post", method="POST", planner=400, steward=400),
    Route("collector:api_bulk", method="POST", anonymous=ANON_JSON, planner=400, steward=400),
    Route("collector:api_bulk", id="get", anonymous=ANON_JSON, planner=405, steward=405),
]
