"""The location stage rule of docs/DESIGN.md ("Location stages"), case by case, without a database."""

from datetime import date, timedelta

import pytest

from dashboard.stages import NOT_SET_UP, location_stage

AS_OF = date(2026, 11, 20)
PAST, TODAY, SOON, DAY_14, DAY_15 = (AS_OF + timedelta(days=n) for n in (-10, 0, 5, 14, 15))


def stage(go_live, original_on_hand=5, original_burn=1, replacement_rows=1, stocked=True, par_set=True):
    return location_stage(
        go_live=go_live,
        as_of=AS_OF,
        original_on_hand=original_on_hand,
        original_burn=original_burn,
        replacement_rows=replacement_rows,
        stocked=stocked,
        par_set=par_set,
    )


@pytest.mark.parametrize(
    ("case", "inputs", "expected"),
    [
        # 1. converted: gone live, nothing of the originals left or burning, replacements on hand (par not needed)
        ("converted", {"go_live": PAST, "original_on_hand": 0, "original_burn": 0, "par_set": False}, "converted"),
        ("converted on the day", {"go_live": TODAY, "original_on_hand": 0, "original_burn": 0}, "converted"),
        ("no original there", {"go_live": PAST, "original_on_hand": None, "original_burn": None}, "converted"),
        ("not yet live: not converted", {"go_live": SOON, "original_on_hand": 0, "original_burn": 0}, "ready"),
        ("no go-live: never converted", {"go_live": None, "original_on_hand": 0, "original_burn": 0}, "ready"),
        ("originals still burn", {"go_live": PAST, "original_on_hand": 0, "original_burn": 1}, "live"),
        ("originals still on hand", {"go_live": PAST, "original_on_hand": 1, "original_burn": 0}, "live"),
        (
            "not stocked: not converted",
            {"go_live": PAST, "original_on_hand": 0, "original_burn": 0, "stocked": False, "par_set": False},
            "set_up",
        ),
        # 2. not_set_up: no replacement row there
        ("no replacement", {"go_live": PAST, "replacement_rows": 0, "stocked": False, "par_set": False}, NOT_SET_UP),
        # 3. set_up: a row, but not stocked and par set
        ("row with 0 on hand, par set", {"go_live": SOON, "stocked": False}, "set_up"),
        ("stocked, no par", {"go_live": SOON, "par_set": False}, "set_up"),
        # 4. ready: before go-live, or no go-live at all
        ("before go-live", {"go_live": SOON}, "ready"),
        ("no go-live", {"go_live": None}, "ready"),
        # 5. live
        ("go-live today", {"go_live": TODAY}, "live"),
        ("after go-live", {"go_live": PAST}, "live"),
    ],
)
def test_the_first_rule_that_holds_decides_the_stage(case, inputs, expected):
    assert stage(**inputs)[0] == expected, case


@pytest.mark.parametrize(
    ("go_live", "behind", "late", "at_risk"),
    [
        (PAST, {"replacement_rows": 0, "stocked": False, "par_set": False}, True, False),  # not_set_up, past go-live
        (TODAY, {"par_set": False}, True, False),  # set_up on the go-live day: late
        (AS_OF + timedelta(days=1), {"par_set": False}, False, True),
        (DAY_14, {"replacement_rows": 0, "stocked": False, "par_set": False}, False, True),  # as_of + 14: at risk
        (DAY_15, {"par_set": False}, False, False),  # beyond 14 days: neither
        (None, {"par_set": False}, False, False),  # no go-live: neither
    ],
)
def test_late_and_at_risk_flag_locations_behind_their_go_live(go_live, behind, late, at_risk):
    assert stage(go_live, **behind)[1:] == (late, at_risk)


@pytest.mark.parametrize("go_live", [PAST, TODAY, SOON, DAY_14, None])
def test_ready_live_and_converted_locations_are_never_flagged(go_live):
    for original in ({}, {"original_on_hand": 0, "original_burn": 0}):
        result = stage(go_live, **original)
        assert result[0] in {"ready", "live", "converted"}
        assert result[1:] == (False, False)


def test_stage_rule_takes_keyword_arguments_only():
    with pytest.raises(TypeError):
        location_stage(PAST, AS_OF, 0, 0, 1, True, True)  # type: ignore[misc]
