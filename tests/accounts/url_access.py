from tests.url_access import Route

ROUTES = [
    Route("accounts:login", anonymous=200, planner=302, steward=302),
    # Logging out is a POST; a GET is refused.
    Route("accounts:logout", method="POST", anonymous=302, planner=302, steward=302),
    Route("accounts:logout", id="get", anonymous="login", planner=405, steward=405),
]
