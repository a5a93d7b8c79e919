"""What the attention commands' arguments accept."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError

from plmtracker.web import dates


def as_of_day(value: str) -> date:
    """The --as-of day, or a CommandError saying what is wrong with it."""
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date written YYYY-MM-DD, not {value!r}.") from exc
    problem = dates.out_of_range(day)
    if problem:
        raise CommandError(f"--as-of: {problem}.")
    return day
