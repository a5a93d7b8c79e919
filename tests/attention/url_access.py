from tests.url_access import ANON_JSON, Route


def conflict_item(world) -> dict:
    """The world's first group has an open conflict: its open_conflicts item fires today."""
    return {"key": f"open_conflicts:{world.group_id}:", "action": "acknowledge"}


def conflict_form(world) -> dict:
    return conflict_item(world) | {"filters": ""}


ROUTES = [
    Route("attention:attention", planner=200, steward=200),
    Route("attention:badge", planner=200, steward=200),
    Route("attention:fold", data=lambda world: {"group": world.group_id}, planner=200, steward=200),
    Route("attention:act", method="POST", data=conflict_form, planner=403, steward=302),
    Route("attention:api_attention", planner=200, steward=200, anonymous=ANON_JSON),
    Route(
        "attention:api_attention_actions",
        method="POST",
        data=conflict_item,
        content_type="application/json",
        planner=403,  # owns no group
        steward=200,
        anonymous=ANON_JSON,
    ),
    Route("attention:digest_preference", method="POST", data={"digest": "on"}, planner=302, steward=302),
]
