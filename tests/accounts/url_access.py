from tests.url_access import Route

RESET_LINK = {"uidb64": "MQ", "token": "no-such-token"}  # an invalid link: the page says so

ROUTES = [
    # Strangers log in, register and reset passwords; signed-in users are sent on.
    Route("accounts:login", anonymous=200, planner=302, steward=302),
    Route(
        "accounts:login",
        id="post",
        method="POST",
        data={"username": "", "password": ""},
        anonymous=200,
        planner=302,
        steward=302,
    ),
    Route("accounts:register", anonymous=200, planner=302, steward=302),
    Route("accounts:register", id="post", method="POST", data={"email": ""}, anonymous=200, planner=302, steward=302),
    # Logging out is a POST; a GET is refused.
    Route("accounts:logout", method="POST", anonymous=302, planner=302, steward=302),
    Route("accounts:logout", id="get", anonymous="login", planner=405, steward=405),
    Route("accounts:password_reset", anonymous=200, planner=200, steward=200),
    Route(
        "accounts:password_reset",
        id="post",
        method="POST",
        data={"email": "nobody@example.org"},
        anonymous=302,
        planner=302,
        steward=302,
    ),
    Route("accounts:password_reset_done", anonymous=200, planner=200, steward=200),
    Route("accounts:password_reset_confirm", kwargs=RESET_LINK, anonymous=200, planner=200, steward=200),
    Route(
        "accounts:password_reset_confirm",
        id="post",
        method="POST",
        kwargs=RESET_LINK,
        anonymous=200,
        planner=200,
        steward=200,
    ),
    Route("accounts:password_reset_complete", anonymous=200, planner=200, steward=200),
    # One's own account and password: signed-in users only.
    Route("accounts:account", planner=200, steward=200),
    Route("accounts:password_change", planner=200, steward=200),
    Route(
        "accounts:password_change", id="post", method="POST", data={"old_password": "wrong"}, planner=200, steward=200
    ),
]
