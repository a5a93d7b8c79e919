"""Checks every input shares: files' cells, JSON bodies, query strings, forms and the admin."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Control characters other than tab and line breaks, and lone surrogates: PostgreSQL
# refuses NUL outright, and none of them belongs in a code, a name or a reason.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character(value: str) -> str | None:
    """What the first control character in `value` is and where, or None when there is none."""
    found = CONTROL.search(value)
    if found is None:
        return None
    return f"holds the control character U+{ord(found.group()):04X} at position {found.start() + 1}"


def refuse_control_characters(value: str) -> None:
    """A field validator (Django forms and DRF serializers alike)."""
    if isinstance(value, str) and (problem := control_character(value)) is not None:
        raise ValidationError(f"The text {problem}; only tabs and line breaks may be in a text.")


# SQLite keeps a number with decimals as a double, which is exact to 15 significant digits only:
# a wider one comes back as a value its column cannot hold, and every page that reads it fails.
SIGNIFICANT_DIGITS = 15


def whole_digits(max_digits: int, decimal_places: int) -> int:
    """Digits a number may have before the point, so that with its decimals it keeps 15 in all."""
    return min(max_digits, SIGNIFICANT_DIGITS) - decimal_places


@deconstructible(path="plmtracker.web.validators.FitsADouble")
class FitsADouble:
    """A decimal field's validator: at most 15 significant digits with the field's decimals, as the feeds take.

    On every decimal model field, so that the admin, model forms and serializers all refuse what
    SQLite could not give back (on-hand 9999999999999999.99 in a column of 2 decimals).
    """

    code = "max_whole_digits"

    def __init__(self, max_digits: int, decimal_places: int) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def __call__(self, value: Decimal | None) -> None:
        if value is None or not value.is_finite():  # the field's own validator refuses NaN and infinity
            return
        most = whole_digits(self.max_digits, self.decimal_places)
        if value.adjusted() >= most:
            raise ValidationError(
                f"{value} is too large: at most {most} digits before the point "
                f"(a number keeps {SIGNIFICANT_DIGITS} significant digits in all).",
                code=self.code,
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FitsADouble) and (self.max_digits, self.decimal_places) == (
            other.max_digits,
            other.decimal_places,
        )

    def __hash__(self) -> int:
        return hash((self.code, self.max_digits, self.decimal_places))
