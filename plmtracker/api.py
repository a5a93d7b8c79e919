"""Shared JSON API behaviour: every error is {"error": "..."}."""

from rest_framework import serializers
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """The body of every API error, for the OpenAPI schema (one component, "Error", for all apps)."""

    error = serializers.CharField()


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        field, value = next(iter(detail.items()))
        message = _first_message(value)
        return message if field in ("detail", "non_field_errors", "error") else f"{field}: {message}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"error": _first_message(response.data)}
    return response
