"""KPI arithmetic on summed figures, without a database."""

from datetime import date
from decimal import Decimal

import pytest

from dashboard.kpis import coverage_days, days_left, figure, readiness_pct, run_out_date

DAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("on_hand", "burn", "expected"),
    [
        (200, 8, 25.0),
        (50, 3, 16.67),
        (0, 4, 0.0),
        (20, 0, None),
        (20, None, None),
        (Decimal("10.5"), Decimal("2"), 5.25),
    ],
)
def test_coverage_is_on_hand_over_burn_and_undefined_without_burn(on_hand, burn, expected):
    assert coverage_days(on_hand, burn) == expected


@pytest.mark.parametrize(
    ("original", "ready", "expected"), [(3, 1, 33.33), (4, 1, 25.0), (2, 2, 100.0), (1, 0, 0.0), (0, 0, None)]
)
def test_readiness_is_a_share_of_original_locations(original, ready, expected):
    assert readiness_pct(original, ready) == expected


@pytest.mark.parametrize(
    ("on_hand", "burn", "expected"),
    [(200, 8, date(2026, 12, 15)), (130, 7, date(2026, 12, 8)), (0, 5, DAY), (20, 0, None)],
)
def test_run_out_counts_whole_days_from_as_of(on_hand, burn, expected):
    assert run_out_date(DAY, on_hand, burn) == expected


def test_days_left_stop_at_zero_and_need_an_end_date():
    assert days_left(DAY, date(2026, 12, 20)) == 30
    assert days_left(DAY, date(2026, 11, 1)) == 0
    assert days_left(DAY, None) is None


def test_figures_are_plain_floats_at_their_precision():
    assert figure(Decimal("12.3400"), "ea") == 12.34
    assert isinstance(figure(Decimal("12"), "ea"), float)
    assert figure(0.1 + 0.2, "money") == 0.3
    assert figure(None, "ea") is None
