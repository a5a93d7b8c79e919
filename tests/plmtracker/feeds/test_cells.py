"""Cell parsers, without a database: what a cell may hold and what is said when it may not."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from plmtracker.feeds import cells
from plmtracker.feeds.cells import CellError

QTY = cells.decimal(18, 2)
FACTOR = cells.decimal(18, 6, above=True)
WHOLE = cells.integer(minimum=1)


@pytest.mark.parametrize(
    ("parser", "value", "expected"),
    [
        (QTY, "12.50", Decimal("12.5")),
        (QTY, "12.500", Decimal("12.5")),  # trailing zeros are not extra places
        (QTY, "1e2", Decimal("100")),
        (QTY, "1.5E1", Decimal("15")),
        (cells.decimal(18, 4), "1.2e-2", Decimal("0.012")),
        (QTY, 12.5, Decimal("12.5")),  # XLSX numbers
        (QTY, 7, Decimal("7")),
        (FACTOR, "0.000001", Decimal("0.000001")),
        (WHOLE, "42", 42),
        (WHOLE, 42.0, 42),
        (cells.day, "2026-11-01", date(2026, 11, 1)),
        (cells.day, datetime(2026, 11, 1), date(2026, 11, 1)),
        (cells.flag, "Yes", True),
        (cells.flag, "0", False),
        (cells.flag, 1, True),
        (cells.text(10), 1000023.0, "1000023"),  # an ERP code Excel stored as a number
        (cells.choice(["main", "par"], "location type"), "PAR", "par"),
    ],
)
def test_accepted(parser, value, expected):
    assert parser(value) == expected


@pytest.mark.parametrize(
    ("parser", "value", "message"),
    [
        (QTY, "abc", "'abc' is not a number"),
        (QTY, "1,5", "'1,5' is not a number (use a point for decimals: 1.5)"),
        (QTY, "NaN", "'NaN' is not a number"),
        (QTY, "-3", "is -3; it cannot be negative"),
        (QTY, "0.125", "'0.125' has more than 2 decimal places"),
        (QTY, 0.125, "'0.125' has more than 2 decimal places"),
        (QTY, "1e-3", "'1e-3' has more than 2 decimal places"),
        (cells.decimal(18, 4), "1.e-9", "'1.e-9' has more than 4 decimal places"),
        (QTY, "1" * 17, "is too large"),
        (QTY, True, "is not a number"),
        (FACTOR, "0", "is 0; it must be more than 0"),
        (WHOLE, "1.5", "'1.5' is not a whole number"),
        (WHOLE, 1.5, "'1.5' is not a whole number"),
        (WHOLE, "1_000", "'1_000' is not a whole number"),
        (WHOLE, "0", "is 0; it must be at least 1"),
        (WHOLE, str(2**64), "is too large"),
        (cells.day, "11/01/2026", "'11/01/2026' is not a date (use YYYY-MM-DD)"),
        (cells.day, datetime(2026, 11, 1, 8, 30), "is a date and time; a date (YYYY-MM-DD) is expected"),
        (cells.moment, "yesterday", "'yesterday' is not a date or date and time"),
        (cells.flag, "maybe", "'maybe' is not a yes/no flag: use 1/0, true/false or yes/no"),
        (cells.text(5), "toolong", "is 7 characters long; at most 5 fit"),
        (cells.choice(["main", "par"], "location type"), "ward", "'ward' is not a location type: use one of main, par"),
    ],
)
def test_refused(parser, value, message):
    with pytest.raises(CellError) as caught:
        parser(value)
    assert message in caught.value.message


def test_a_naive_moment_is_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "UTC"
    assert cells.moment("2026-11-01 08:30").isoformat() == "2026-11-01T08:30:00+00:00"
    assert cells.moment(date(2026, 11, 1)).isoformat() == "2026-11-01T00:00:00+00:00"
