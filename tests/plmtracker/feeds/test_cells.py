"""Cell parsers, without a database: what a cell may hold and what is said when it may not."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from plmtracker.feeds import cells
from plmtracker.feeds.cells import CellError
from plmtracker.inventory.models import Location, PoLine

QTY = cells.decimal(18, 2)
FACTOR = cells.decimal(18, 6, above=True)
WHOLE = cells.integer(minimum=1)
INT_COLUMN = cells.integer_for(Location._meta.get_field("location_id"), minimum=0)
BIGINT_COLUMN = cells.integer_for(PoLine._meta.pk, minimum=1)


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
        (QTY, "+12", Decimal("12")),
        (QTY, ".5", Decimal("0.5")),
        (QTY, "5.", Decimal("5")),
        (WHOLE, "+7", 7),
        (INT_COLUMN, "2147483647", 2**31 - 1),
        (INT_COLUMN, 2147483647.0, 2**31 - 1),
        (BIGINT_COLUMN, "9223372036854775807", 2**63 - 1),
        (cells.text(20), "tab\there\r\nand a line", "tab\there\r\nand a line"),
        (cells.text(20), "GRÖSSE ½ 中", "GRÖSSE ½ 中"),
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
        # Python's Decimal and int take these; a feed takes ASCII digits, a sign, a point and an exponent.
        (QTY, "1_000", "'1_000' is not a number"),
        (QTY, "\uff11\uff12", "'\uff11\uff12' is not a number (use the digits 0-9)"),  # full-width 12
        (QTY, "\u0663.\u0665", "is not a number (use the digits 0-9)"),  # Arabic-Indic 3.5
        (QTY, " 12", "is not a number"),
        (QTY, "Infinity", "'Infinity' is not a number"),
        (QTY, "1.2.3", "'1.2.3' is not a number"),
        (WHOLE, "\uff17", "is not a whole number (use the digits 0-9)"),
        (WHOLE, "\u0667", "is not a whole number (use the digits 0-9)"),
        (WHOLE, "1 000", "'1 000' is not a whole number"),
        (INT_COLUMN, "2147483648", "'2147483648' is too large (at most 2,147,483,647)"),
        (INT_COLUMN, 3e9, "is too large (at most 2,147,483,647)"),
        (INT_COLUMN, "-1", "is -1; it must be at least 0"),
        (BIGINT_COLUMN, "9223372036854775808", "is too large (at most 9,223,372,036,854,775,807)"),
        (cells.text(20), "A\x00B", "holds the control character U+0000 at position 2"),
        (cells.text(20), "\x1b[31mred", "holds the control character U+001B at position 1"),
        (cells.text(20), "bell\x07", "U+0007"),
        (cells.text(20), "del\x7f", "U+007F"),
        (cells.text(20), "c1\x85", "U+0085"),
        (cells.text(20), "lone\ud800", "U+D800"),
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
