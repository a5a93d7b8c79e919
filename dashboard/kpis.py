"""KPI arithmetic on figures the database has already summed: no ORM here.

The sums (on-hand, burn, PO quantity and spend, location counts) come from
`dashboard.queries`; what is derived from them lives here so it can be tested
without a database and reads the same in every view, export and API.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

Number = int | float | Decimal

# How many decimals each kind of figure keeps in JSON and exports: the
# precision of the columns it is summed from (on-hand numeric(18,2), burn
# numeric(18,6), qty numeric(18,2) x price numeric(18,4)), so the numbers are
# exact on every database and free of binary floating-point noise.
# Equivalent EA (on-hand x a ratio of 6 decimals) and prices per each keep 6.
PLACES = {"ea": 2, "burn": 6, "money": 6, "days": 2, "pct": 2, "equiv": 6, "price": 6}


def figure(value: Number | None, kind: str) -> float | None:
    """A summed figure as a plain JSON number, rounded to its kind's precision."""
    if value is None:
        return None
    return round(float(value), PLACES[kind])


def coverage_days(on_hand: Number | None, burn: Number | None) -> float | None:
    """Days the on-hand lasts at the burn rate: on_hand / burn; None when burn is 0."""
    if not burn:
        return None
    return figure(Decimal(on_hand or 0) / Decimal(burn), "days")


def readiness_pct(original_locations: int, ready_locations: int) -> float | None:
    """100 x ready_locations / original_locations; None with no such location.

    readiness_pct passes the locations at stage ready, live or converted; setup_pct, with the same
    function, those where a replacement has a row (docs/DESIGN.md, "Readiness and set-up").
    """
    if not original_locations:
        return None
    return figure(Decimal(100 * ready_locations) / Decimal(original_locations), "pct")


# A run-out further away than this is no forecast anyone plans with (and at a
# burn of 0.000001 EA/day it would lie beyond the calendar): it reads "not
# within 10 years" instead of a date.
RUN_OUT_HORIZON_YEARS = 10
RUN_OUT_HORIZON_DAYS = 3652


def run_out_days(on_hand: Number | None, burn: Number | None) -> int | None:
    """Whole days until the stock reaches zero at the current burn: floor(on_hand / burn); None when burn is 0."""
    if not burn:
        return None
    return max(0, math.floor(Decimal(on_hand or 0) / Decimal(burn)))


def run_out_date(as_of: date, on_hand: Number | None, burn: Number | None) -> date | None:
    """The day the stock reaches zero at the current burn: as_of + floor(on_hand / burn) days.

    None when burn is 0 (it never runs out at that rate) or when that day lies
    beyond the horizon (`run_out_beyond_horizon` tells which); as_of itself
    when nothing is on hand.
    """
    days = run_out_days(on_hand, burn)
    if days is None or days > RUN_OUT_HORIZON_DAYS:
        return None
    return as_of + timedelta(days=days)


def run_out_beyond_horizon(on_hand: Number | None, burn: Number | None) -> bool:
    """True when the stock lasts longer than the horizon at the current burn (but burn is not 0)."""
    days = run_out_days(on_hand, burn)
    return days is not None and days > RUN_OUT_HORIZON_DAYS


def run_out(as_of: date, on_hand: Number | None, burn: Number | None, prefix: str = "") -> dict[str, Any]:
    """The run-out fields of a JSON body: `<prefix>run_out_date` and `<prefix>run_out_beyond_horizon`."""
    return {
        f"{prefix}run_out_date": run_out_date(as_of, on_hand, burn),
        f"{prefix}run_out_beyond_horizon": run_out_beyond_horizon(on_hand, burn),
    }


def days_left(as_of: date, end_date: date | None) -> int | None:
    """Whole days from as_of to the group's end date, 0 once it has passed; None without an end date."""
    if end_date is None:
        return None
    return max(0, (end_date - as_of).days)
