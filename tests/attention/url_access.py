from tests.url_access import ANON_JSON, Route


def conflict_item(world) -> dict:
    """The world's first group has an open conflict: its open_conflicts item fires today."""
    return {"key": f"open_conflicts:{world.group_id}:", "action": "acknowledge"}


ROUTES = [
    Route("attention:attention", planner=200, steward=200),
    Route("attention:badge", planner=200, steward=200),
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
