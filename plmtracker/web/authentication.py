"""How the JSON API knows who is calling (kept apart from plmtracker.web.api: DRF imports it early)."""

from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session login (with its CSRF check), answering 401 rather than 403 when nobody is logged in."""

    def authenticate_header(self, request) -> str:
        return 'Session realm="PLM Conversion Tracker"'
