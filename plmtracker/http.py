"""Small request helpers shared by the apps."""

from django.http import HttpRequest


def wants_json(request: HttpRequest) -> bool:
    """True for clients that ask for JSON, and for API paths unless a browser asks for HTML."""
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return True
    return request.path.startswith("/api/") and "text/html" not in accept
