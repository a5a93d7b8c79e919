"""Command-line arguments the management commands share."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError


def day_option(text: str | None, option: str = "--as-of") -> date | None:
    """The day an option names (None when it is not given); a CommandError a person can act on otherwise."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, not {text!r}.") from exc
