"""Card states follow their values by the thresholds of dashboard.states, shown by colour and a word."""

from datetime import date

import pytest

from dashboard import cards, states


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("cutover_coverage_days", 0.0, "act"),
        ("cutover_coverage_days", 13.9, "act"),
        ("cutover_coverage_days", 14, "watch"),
        ("cutover_coverage_days", 29.9, "watch"),
        ("cutover_coverage_days", 30, "ok"),
        ("replacement_coverage_days", 10, "act"),
        ("replacement_coverage_days", 45, "ok"),
        ("readiness_pct", 25, "act"),
        ("readiness_pct", 50, "watch"),
        ("readiness_pct", 99.9, "watch"),
        ("readiness_pct", 100, "ok"),
        ("compliance_pct", 49.9, "act"),
        ("compliance_pct", 50, "watch"),
        ("compliance_pct", 90, "ok"),
        ("stranded_ea", 0, "ok"),
        ("stranded_ea", 0.5, "act"),
        ("leakage_spend", 0, "ok"),
        ("leakage_spend", 12.5, "act"),
        ("projected_annual_savings", -1, "watch"),
        ("projected_annual_savings", 0, "ok"),
        ("cutover_coverage_days", None, ""),  # no demand: no figure, no state
        ("original_coverage_days", 3, ""),  # originals are meant to run down
    ],
)
def test_state_follows_the_value(key, value, expected):
    assert states.state(key, value) == expected


def test_a_card_shows_its_state_in_a_word_an_icon_and_a_colour():
    card = cards.judged("cutover_coverage_days", "Cut-over coverage", 0.0, cards.days(0.0))
    assert (card.state, card.state_word, card.state_icon, card.state_colour) == ("act", "Act", "▲", "danger")
    assert card.state_rule == "Act below 14, watch below 30, else OK"
    calm = cards.judged("stranded_ea", "Stranded", 0.0, "0 EA")
    assert (calm.state_word, calm.state_colour) == ("OK", "success")


@pytest.mark.parametrize(
    ("status", "end", "expected"),
    [
        ("active", date(2026, 11, 19), True),
        ("active", date(2026, 11, 20), False),  # the end date itself is not overdue
        ("active", None, False),
        ("retired", date(2026, 1, 1), False),
        ("draft", date(2026, 1, 1), False),
    ],
)
def test_overdue_is_an_active_group_past_its_end(status, end, expected):
    assert states.overdue(status, end, date(2026, 11, 20)) is expected
