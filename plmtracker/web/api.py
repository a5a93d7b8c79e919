"""Shared JSON API behaviour: every error is {"error": "..."}."""

from rest_framework import serializers
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """The body of every API error, for the OpenAPI schema (one component, "Error", for all apps)."""

    error = serializers.CharField()


def first_error(detail) -> str:
    """The first message of a DRF error's detail, as the API words it ("field: message")."""
    if isinstance(detail, dict):
        field, value = next(iter(detail.items()))
        message = first_error(value)
        return message if field in ("detail", "non_field_errors", "error") else f"{field}: {message}"
    if isinstance(detail, list) and detail:
        return first_error(detail[0])
    return str(detail)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"error": first_error(response.data)}
    return response


# The answers any operation of a given shape can give, whatever its view documents:
# schemathesis (tests/test_api_fuzz.py) fails on any status the schema does not list.
ERROR_STATUSES = {
    400: "The request is malformed or a value is refused (the body is not valid JSON, a field holds a NUL, ...).",
    401: "Not logged in.",
    403: (
        "Not allowed: a steward's action, the CSRF token is missing or wrong, or the account has still to "
        "confirm its e-mail address."
    ),
    404: "Nothing with that id.",
    415: "The body is in a media type the operation does not take.",
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def _statuses_of(method: str, operation: dict) -> set[int]:
    # 403 everywhere: an account that has still to confirm its e-mail (accounts.middleware); on a
    # write also the CSRF check, before any permission.
    statuses = {401, 403}
    if operation.get("requestBody"):
        statuses |= {400, 415}
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    if "query" in places:
        statuses.add(400)  # a value of the wrong kind, or a NUL (plmtracker.web.nul.RefuseNulMiddleware)
    if "path" in places:
        statuses.add(404)
    return statuses


def document_error_statuses(result, generator, request, public):
    """drf-spectacular hook: list the error answers each operation really gives, by its shape.

    A body can be malformed (400) or of another media type (415), a query parameter
    refused (400); a write can fail the CSRF check (403), and any call from an account
    that has still to confirm its e-mail is refused (403); an id in the path can name
    nothing (404). Views document the answers of their own (409, 413, ...) with
    `extend_schema`.
    """
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in UNSAFE_METHODS | {"get"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses_of(method, operation)):
                answer = responses.setdefault(str(status), {"content": error, "description": ""})
                answer["description"] = answer.get("description") or ERROR_STATUSES[status]
    return result
