from tests.url_access import ANON_JSON, Route

ROUTES = [
    Route("collector:bulk", planner=200, steward=200),
    # A POST without a file answers the form with its reason; planners may upload (same right as one link).
    Route("collector:bulk", id="post", method="POST", planner=400, steward=400),
    Route("collector:api_bulk", method="POST", anonymous=ANON_JSON, planner=400, steward=400),
    Route("collector:api_bulk", id="get", anonymous=ANON_JSON, planner=405, steward=405),
]
