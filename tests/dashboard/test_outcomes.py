"""The outcome arithmetic of docs/DESIGN.md, "Conversion outcome", without a database."""

from datetime import date
from decimal import Decimal

import pytest

from dashboard import outcomes
from dashboard.outcomes import OutcomeSums

AS_OF = date(2026, 11, 20)
D = Decimal


@pytest.mark.parametrize(
    ("ratios", "expected"),
    [
        ([], D(1)),  # no link inside the group: 1
        ([D("0.5")], D("0.5")),
        ([D("0.5"), D(2)], D("1.25")),  # the average, not the sum nor the first
        ([D(1), D(2), D(6)], D(3)),
    ],
)
def test_factor_is_the_average_ratio_or_one(ratios, expected):
    assert outcomes.factor(ratios) == expected


def test_factors_per_item():
    assert outcomes.factors([(1, D("0.5")), (2, D(4)), (1, D(2))]) == {1: D("1.25"), 2: D(4)}


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [
        (None, AS_OF),  # no start date: the year before as_of
        (date(2026, 10, 1), date(2026, 10, 1)),
        (AS_OF, AS_OF),
        (date(2026, 12, 1), AS_OF),  # a future start: as_of
    ],
)
def test_baseline_end_is_the_start_date_only_once_it_has_come(start_date, expected):
    assert outcomes.baseline_end(start_date, AS_OF) == expected


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [
        (None, None),
        (date(2026, 12, 1), None),
        (date(2026, 10, 1), date(2026, 10, 1)),
        (date(2026, 6, 1), date(2026, 8, 22)),  # as_of - 90 days
        (AS_OF, AS_OF),
    ],
)
def test_compliance_window_start(start_date, expected):
    assert outcomes.compliance_start(start_date, AS_OF) == expected


def sums(**values) -> OutcomeSums:
    return OutcomeSums(**{k: v if v is None else D(v) for k, v in values.items()})


def test_every_figure_from_the_sums():
    body = outcomes.outcome(
        sums(
            replacement_on_hand=80,
            original_on_hand_equiv=222,
            replacement_burn=4,
            original_burn_equiv="8.75",
            compliance_replacement_qty=35,
            compliance_original_equiv=22,
            baseline_spend=1280,
            baseline_equiv_qty=1415,
            recent_spend=35,
            recent_qty=30,
            since_start_spend=20,
            since_start_qty=20,
        ),
        date(2026, 10, 1),
        AS_OF,
    )
    assert body == {
        "demand_equiv_per_day": 12.75,
        "supply_equiv": 302.0,
        "combined_coverage_days": 23.69,
        "cutover_coverage_days": 6.27,
        "compliance_pct": 61.4,
        "p_o": 0.904594,  # 1280 / 1415
        "p_r": 1.166667,  # 35 / 30
        "projected_annual_savings": -1219.62235,  # (p_o - p_r) x 12.75 x 365: negative, as it is
        "realised_savings": -1.908127,  # 20 x p_o - 20
    }


def test_nulls_without_demand_start_or_prices():
    body = outcomes.outcome(OutcomeSums(), None, AS_OF)
    assert body == {
        "demand_equiv_per_day": 0.0,
        "supply_equiv": 0.0,
        "combined_coverage_days": None,
        "cutover_coverage_days": None,
        "compliance_pct": None,  # no start date
        "p_o": None,
        "p_r": None,
        "projected_annual_savings": None,
        "realised_savings": None,  # no start date
    }


def test_compliance_null_when_nothing_was_bought_and_realised_zero_when_no_line_qualifies():
    body = outcomes.outcome(sums(baseline_spend=10, baseline_equiv_qty=5), date(2026, 10, 1), AS_OF)
    assert (body["compliance_pct"], body["realised_savings"], body["p_o"]) == (None, 0.0, 2.0)


def test_p_r_falls_back_to_the_latest_priced_line():
    assert outcomes.p_r(sums(latest_price="0.75")) == D("0.75")
    assert outcomes.p_r(sums(recent_spend=3, recent_qty=2, latest_price="0.75")) == D("1.5")


def test_realised_savings_without_a_baseline_price_is_null():
    assert outcomes.realised_savings(sums(since_start_qty=5, since_start_spend=5), None, date(2026, 10, 1)) is None


def test_pooled_outcome_sums_savings_and_pools_compliance_of_started_groups():
    started = sums(
        replacement_burn=2, replacement_on_hand=10, compliance_replacement_qty=3, compliance_original_equiv=1
    )
    future = sums(original_burn_equiv=2, original_on_hand_equiv=30, compliance_replacement_qty=100)
    pooled = outcomes.pooled_outcome(
        [
            (started, date(2026, 10, 1), {"projected_annual_savings": 100.0, "realised_savings": -5.0}),
            (future, date(2026, 12, 1), {"projected_annual_savings": -30.0, "realised_savings": None}),
        ],
        AS_OF,
    )
    assert pooled == {
        "demand_equiv_per_day": 4.0,
        "supply_equiv": 40.0,
        "combined_coverage_days": 10.0,
        "cutover_coverage_days": 2.5,
        "compliance_pct": 75.0,  # the future group's 100 EA do not count
        "p_o": None,
        "p_r": None,
        "projected_annual_savings": 70.0,
        "realised_savings": -5.0,
    }


def test_weekly_compliance_has_every_week_and_a_gap_for_weeks_without_purchases():
    rows = [
        (date(2026, 11, 2), "replacement", 3, D(30)),
        (date(2026, 11, 2), "original", 1, D(10)),  # f = 2: 20 equivalent
        (date(2026, 11, 16), "original", 2, D(5)),  # f = 1
    ]
    weeks = outcomes.weekly_compliance(rows, {1: D(2)}, date(2026, 10, 28), date(2026, 11, 20))
    assert [(w["date"], w["compliance_pct"]) for w in weeks] == [
        (date(2026, 10, 26), None),  # nothing bought: no share, not 0 %
        (date(2026, 11, 2), 60.0),
        (date(2026, 11, 9), None),
        (date(2026, 11, 16), 0.0),  # originals only: 0 %
    ]
    assert weeks[1]["original_equiv_qty"] == 20.0
