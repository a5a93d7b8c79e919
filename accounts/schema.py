"""How the OpenAPI schema describes the API's login: the session cookie, CSRF token on writes."""

from drf_spectacular.authentication import SessionScheme


class SessionCookieScheme(SessionScheme):
    """drf-spectacular knows DRF's session login; the project's subclass logs in the same way."""

    target_class = "plmtracker.web.authentication.SessionAuthentication"

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": "Log in at /login. Requests that change data send the page's CSRF token "
            "in the X-CSRFToken header.",
        }
