"""Location stages of a conversion (docs/DESIGN.md, "Location stages"): the rule, without a database.

`dashboard.queries.stages` sums what the rule needs per (group, location) in
SQL; the rule itself lives here so it reads the same everywhere and is tested
case by case.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

NOT_SET_UP = "not_set_up"
SET_UP = "set_up"
READY = "ready"
LIVE = "live"
CONVERTED = "converted"
STAGES = (NOT_SET_UP, SET_UP, READY, LIVE, CONVERTED)
STAGE_LABELS = {
    NOT_SET_UP: "Not set up",
    SET_UP: "Set up",
    READY: "Ready",
    LIVE: "Live",
    CONVERTED: "Converted",
}
READY_STAGES = frozenset({READY, LIVE, CONVERTED})  # what readiness_pct counts
BEHIND = frozenset({NOT_SET_UP, SET_UP})  # the stages the late and at-risk flags look at
AT_RISK_DAYS = 14

Number = int | float | Decimal


def location_stage(
    *,
    go_live: date | None,
    as_of: date,
    original_on_hand: Number | None,
    original_burn: Number | None,
    replacement_rows: int,
    stocked: bool,
    par_set: bool,
) -> tuple[str, bool, bool]:
    """The stage of a group at a location, and its `late` and `at_risk` flags.

    `go_live` is the effective go-live (the plan's date, else the group's
    start date); `original_*` are the originals' sums there (on-hand as of
    as_of); `replacement_rows` counts the replacements' item_location rows there;
    `stocked` is replacement on-hand > 0; `par_set` is some replacement row with
    reorder_point > 0 or reorder_upto_qty > 0. The first rule that holds decides.
    """
    gone_live = go_live is not None and go_live <= as_of
    if gone_live and not original_on_hand and not original_burn and stocked:
        stage = CONVERTED
    elif not replacement_rows:
        stage = NOT_SET_UP
    elif not (stocked and par_set):
        stage = SET_UP
    elif not gone_live:
        stage = READY
    else:
        stage = LIVE
    behind = stage in BEHIND
    late = behind and gone_live
    at_risk = behind and go_live is not None and as_of < go_live <= as_of + timedelta(days=AT_RISK_DAYS)
    return stage, late, at_risk
