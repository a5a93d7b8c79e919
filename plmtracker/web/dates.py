"""The days the tracker takes: 1900-01-01 to 2999-12-31.

Python's calendar runs from year 1 to 9999, so a day near either end makes
date arithmetic overflow (`as_of - 90 days`, `start_date + 1 day`). Every
date that comes in from people or files (the dashboard's as_of, a group's
dates, the groups filter, feed cells) is checked here, once, against a range
wide enough for any real conversion.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
RANGE_TEXT = f"{EARLIEST.isoformat()} to {LATEST.isoformat()}"


def out_of_range(value: date | datetime) -> str | None:
    """Why the day cannot be taken, or None when it is within the range."""
    day = value.date() if isinstance(value, datetime) else value
    if EARLIEST <= day <= LATEST:
        return None
    return f"{day.isoformat()} is outside the dates the tracker takes ({RANGE_TEXT})"


@deconstructible(path="plmtracker.web.dates.DayInRange")
class DayInRange:
    """A validator for form, serializer, filter and model fields: the day lies within the range."""

    code = "date_out_of_range"

    def __call__(self, value: date | datetime | None) -> None:
        if value is None:
            return
        problem = out_of_range(value)
        if problem:
            raise ValidationError(f"{problem}.", code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DayInRange)

    def __hash__(self) -> int:
        return hash(self.code)


day_in_range = DayInRange()
