"""The conversion rules that figures, attention and exports share, each beside its SQL twin
(docs/DESIGN.md, "Leakage" and "Stranded stock"), as `collector.naming` keeps the group title.

- the leakage cut-off: orders of originals after it are leakage;
- the stranded stock: what a location will not use of an original before the policy's day.

The run-out rule is `dashboard.kpis.run_out_days`; the effective go-live `collector.golive`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, DecimalField, Expression, F, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from dashboard.kpis import Number, days_left

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=28, decimal_places=6))

# --- leakage cut-off ----------------------------------------------------------


def leakage_cutoff(last_order_date: date | None, start_date: date | None) -> date | None:
    """Orders of originals dated after this day are leakage: the last order date, else the start date."""
    return last_order_date or start_date


def leakage_cutoff_sql(last_order_date: Expression | str, start_date: Expression | str) -> Coalesce:
    """`leakage_cutoff` in SQL, from the row's (or the outer row's: OuterRef) two dates."""
    return Coalesce(last_order_date, start_date)


# --- stranded stock -------------------------------------------------------------


def use_up_horizon_days() -> int:
    """H of the use_up policy (PLM_USE_UP_HORIZON_DAYS, default 365)."""
    return settings.PLM_USE_UP_HORIZON_DAYS


def stranded_days(policy: str, as_of: date, end_date: date | None, go_live: date | None = None) -> int | None:
    """How many more days of burn an original row gets before what is left on hand is stranded.

    use_up: H (what the location will not use within the horizon); use_until_end: the days
    to the end date (0 once past it; None without one); immediate: the days to the go-live
    of the row's location (None without one: the row is left out).
    """
    if policy == "use_up":
        return use_up_horizon_days()
    if policy == "use_until_end":
        return days_left(as_of, end_date)
    return days_left(as_of, go_live)


def stranded_ea(on_hand: Number | None, burn: Number | None, days: int | None) -> Decimal | None:
    """max(0, on_hand - burn x days) of one original (item, location) row; no burn there: all of it."""
    if days is None:
        return None
    left = Decimal(on_hand or 0) - Decimal(burn or 0) * days
    return left if left > 0 else Decimal(0)


def stranded_ea_sql(days: int | Expression, on_hand: str = "on_hand", burn: str = "burn") -> Case:
    """`stranded_ea` in SQL over rows annotated with `on_hand` and `burn`; `days` is a number or an expression
    per row (NULL gives 0: the row is left out)."""
    left = F(on_hand) - F(burn) * (Value(days) if isinstance(days, int) else days)
    return Case(When(GreaterThan(left, 0), then=left), default=ZERO)
