"""Small request helpers shared by the apps."""

from django.http import HttpRequest


def wants_json(request: HttpRequest) -> bool:
    """True for API calls and for clients that ask for JSON rather than HTML."""
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept
