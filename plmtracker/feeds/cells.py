"""Cell parsers: turn what a CSV or XLSX cell holds into a value, or say why not.

A parser gets a non-empty cell (a stripped string from CSV; a string, number,
date or bool from XLSX) and returns the value to store or raises CellError
with a reason a person can act on. Empty cells are handled by the column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from plmtracker.web import dates
from plmtracker.web.validators import control_character, whole_digits

Parser = Callable[[Any], Any]

BIGINT_MAX = 2**63 - 1
# ASCII digits only: Python's int() and Decimal() also take 1_000, full-width and Arabic-Indic digits.
INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
TRUE_WORDS = {"1", "true", "yes", "y", "t"}
FALSE_WORDS = {"0", "false", "no", "n", "f"}


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _number_text(value: Any) -> str:
    """An XLSX number as the text an ERP would have written (12.0 -> "12")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(max_length: int) -> Parser:
    def parse(value: Any) -> str:
        if value.__class__ is not str:
            value = _number_text(value)
        if len(value) > max_length:
            raise CellError(f"is {len(value)} characters long; at most {max_length} fit")
        if (problem := control_character(value)) is not None:
            raise CellError(f"{problem}; only tabs and line breaks may be in a text")
        return value

    return parse


def decimal(max_digits: int, places: int, *, minimum: Decimal | None = Decimal(0), above: bool = False) -> Parser:
    """A decimal with at most `places` decimals; `minimum` (inclusive, or exclusive when `above`).

    At most 15 significant digits in all, whatever the column holds: SQLite keeps a
    number with decimals as a double, which is exact to 15 digits only, and a wider
    one would come back as a value its column cannot hold.
    """
    whole = whole_digits(max_digits, places)
    step = Decimal(1).scaleb(-places)

    def few_decimals(text: str, dot: int, number: Decimal) -> bool:
        if "e" in text or "E" in text:
            return number == number.quantize(step, rounding="ROUND_DOWN")
        return not text[dot + 1 + places :].strip("0")  # 1.500 has two decimals

    def refuse(value: Any, number: Decimal) -> None:
        """Say what is wrong with a number that failed the quick checks."""
        if not number.is_finite():
            raise CellError(f"{_shown(value)} is not a number")
        if minimum is not None and (number <= minimum if above else number < minimum):
            if minimum == 0 and not above:
                raise CellError(f"is {value}; it cannot be negative")
            raise CellError(f"is {value}; it must be {'more than' if above else 'at least'} {minimum}")
        if number.adjusted() >= whole:
            raise CellError(f"{_shown(value)} is too large (at most {whole} digits before the point)")
        raise CellError(f"{_shown(value)} has more than {places} decimal places")

    def parse(value: Any) -> Decimal:
        kind = value.__class__
        if kind is bool:
            raise CellError(f"{_shown(value)} is not a number")
        text = value if kind is str else repr(value) if kind is float else str(value)
        if kind is str and not DECIMAL_TEXT.fullmatch(text):
            raise CellError(f"{_shown(value)} is not a number{_decimal_hint(text)}")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"{_shown(value)} is not a number{_decimal_hint(text)}") from None
        # The quick checks: finite, in range, few enough digits after the point.
        dot = text.find(".")
        if (
            number.is_finite()
            and (minimum is None or (number > minimum if above else number >= minimum))
            and number.adjusted() < whole
            and (
                ("e" not in text and "E" not in text and (dot < 0 or len(text) - dot - 1 <= places))
                or few_decimals(text, dot, number)
            )
        ):
            return number
        refuse(value, number)

    return parse


def _decimal_hint(text: str) -> str:
    if "," in text:
        return " (use a point for decimals: 1.5)"
    if text.isascii():
        return ""
    return " (use the digits 0-9)"


def integer(*, minimum: int | None = None, low: int = -BIGINT_MAX, high: int = BIGINT_MAX) -> Parser:
    """A whole number in ASCII digits, at least `minimum`, within the column's range low..high."""
    low = low if minimum is None else max(low, minimum)

    def parse(value: Any) -> int:
        if value.__class__ is str:
            if not INTEGER_TEXT.fullmatch(value):
                hint = "" if value.isascii() else " (use the digits 0-9)"
                raise CellError(f"{_shown(value)} is not a whole number{hint}")
            number = int(value)
        elif isinstance(value, bool):
            raise CellError(f"{_shown(value)} is not a whole number")
        elif isinstance(value, float):
            if not value.is_integer():
                raise CellError(f"{_shown(value)} is not a whole number")
            number = int(value)
        elif isinstance(value, int):
            number = value
        else:
            try:
                number = int(value)
            except ValueError:
                raise CellError(f"{_shown(value)} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise CellError(f"is {number}; it must be at least {minimum}")
        if number > high:
            raise CellError(f"{_shown(value)} is too large (at most {high:,})")
        if number < low:
            raise CellError(f"{_shown(value)} is too small (at least {low:,})")
        return number

    return parse


def integer_for(field: models.Field, *, minimum: int | None = None) -> Parser:
    """`integer` within the range the column holds on every database (INT: 32 bits, BIGINT: 64)."""
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    return integer(minimum=minimum, low=low, high=high)


def in_range(found: date) -> date:
    """The day (or moment) itself, or a CellError when it lies outside the days the tracker takes."""
    problem = dates.out_of_range(found)
    if problem:
        raise CellError(problem)
    return found


def day(value: Any) -> date:
    return in_range(_day(value))


def _day(value: Any) -> date:
    if value.__class__ is str:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CellError(f"{_shown(value)} is not a date (use YYYY-MM-DD)") from None
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise CellError(f"{_shown(value)} is a date and time; a date (YYYY-MM-DD) is expected")
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CellError(f"{_shown(value)} is not a date (use YYYY-MM-DD)") from None


def moment(value: Any) -> datetime:
    """A date or a date and time; without a zone it is in the site's time zone."""
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time(0))
    else:
        try:
            found = datetime.fromisoformat(str(value))
        except ValueError:
            raise CellError(
                f"{_shown(value)} is not a date or date and time (use YYYY-MM-DD or YYYY-MM-DD HH:MM)"
            ) from None
    # Checked before the zone is applied: near the calendar's ends that would overflow.
    in_range(found)
    if timezone.is_naive(found):
        found = timezone.make_aware(found)
    return found


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _number_text(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"{_shown(value)} is not a yes/no flag: use 1/0, true/false or yes/no")


def choice(codes: Iterable[str], what: str) -> Parser:
    allowed = list(codes)
    lookup = {c.lower(): c for c in allowed}

    def parse(value: Any) -> str:
        found = lookup.get(str(value).strip().lower())
        if found is None:
            raise CellError(f"{_shown(value)} is not a {what}: use one of {', '.join(allowed)}")
        return found

    return parse
