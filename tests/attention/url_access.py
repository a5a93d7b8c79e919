from tests.url_access import ANON_JSON, Route

ROUTES = [
    Route("attention:attention", planner=200, steward=200),
    Route("attention:badge", planner=200, steward=200),
    Route("attention:api_attention", planner=200, steward=200, anonymous=ANON_JSON),
    Route("attention:digest_preference", method="POST", data={"digest": "on"}, planner=302, steward=302),
]
