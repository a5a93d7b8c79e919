from tests.url_access import Route

ROUTES = [
    # An account that has still to confirm its e-mail starts on its account page.
    Route("home", anonymous="login", planner=302, steward=302, unconfirmed=302),
    Route("healthz", anonymous=200, planner=200, steward=200, unconfirmed=200),
    Route("favicon", anonymous=301, planner=301, steward=301, unconfirmed=301),
    Route("api_schema", anonymous=401, planner=200, steward=200),
    Route("api_docs", headers={"Accept": "text/html"}, planner=200, steward=200),
]
