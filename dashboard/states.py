"""Whether a card's figure is fine, worth watching or calls for action: every threshold in one place.

A card takes its state from its value, never from the card it sits in. The page shows the state
by colour and by a word with an icon (colour-blind safe); a figure with no value (no burn, no
purchases) has no state.
"""

from __future__ import annotations

from datetime import date

OK, WATCH, ACT = "ok", "watch", "act"
WORDS = {OK: "OK", WATCH: "Watch", ACT: "Act"}
ICONS = {OK: "✓", WATCH: "●", ACT: "▲"}
COLOURS = {OK: "success", WATCH: "warning", ACT: "danger"}

# Higher is better: below the first figure = act, below the second = watch, else ok.
AT_LEAST = {
    "replacement_coverage_days": (14, 30),  # days the replacements on hand last at their burn
    "cutover_coverage_days": (14, 30),  # days the replacements on hand last at all the demand
    "readiness_pct": (50, 100),  # share of the originals' locations ready, live or converted
    "compliance_pct": (50, 90),  # share of the purchases bought as replacement
}
# Nothing is the goal: 0 = ok, anything more = act.
NONE_WANTED = frozenset({"stranded_ea", "leakage_spend"})
# Money that should not be negative: below 0 = watch.
NOT_NEGATIVE = frozenset({"projected_annual_savings", "realised_savings"})


def state(key: str, value: float | None) -> str:
    """ok, watch or act for the card `key` showing `value`; "" when the card has no state or no value."""
    if value is None:
        return ""
    if key in AT_LEAST:
        act_below, watch_below = AT_LEAST[key]
        return ACT if value < act_below else WATCH if value < watch_below else OK
    if key in NONE_WANTED:
        return OK if value == 0 else ACT
    if key in NOT_NEGATIVE:
        return WATCH if value < 0 else OK
    return ""


def overdue(status: str, end_date: date | None, today: date) -> bool:
    """An active group past its end date."""
    return status == "active" and end_date is not None and end_date < today


def rule(key: str) -> str:
    """The card's thresholds in words, for its tooltip; "" for a card without a state."""
    if key in AT_LEAST:
        act_below, watch_below = AT_LEAST[key]
        return f"Act below {act_below:g}, watch below {watch_below:g}, else OK"
    if key in NONE_WANTED:
        return "OK at 0, act above"
    if key in NOT_NEGATIVE:
        return "Watch below 0, else OK"
    return ""
