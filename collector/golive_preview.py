"""What a go-live edit would change, said before it is saved: the locations' stage changes (by the
dashboard's stage rule, through `stage_source`) and dates outside the group's start and end."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from collector import selectors, stage_source
from collector.models import ItemGroup

# The stages in the order a location moves through them (dashboard.stages.STAGES), in words.
STAGE_WORDS = {
    "not_set_up": "Not set up",
    "set_up": "Set up",
    "ready": "Ready",
    "live": "Live",
    "converted": "Converted",
}
STAGE_ORDER = list(STAGE_WORDS)


def date_warnings(day: date | None, start: date | None, end: date | None) -> list[str]:
    """Why a go-live date deserves a second look: before the group's start, or after its end."""
    if day is None:
        return []
    warnings = []
    if start is not None and day < start:
        warnings.append(f"{day.isoformat()} is before the group's start date {start.isoformat()}.")
    if end is not None and day > end:
        warnings.append(f"{day.isoformat()} is after the group's end date {end.isoformat()}.")
    return warnings


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def change_sentence(before: dict[int, dict[str, Any]], after: dict[int, dict[str, Any]]) -> str:
    """ "This turns 6 Converted and 1 Live back to Ready." from the stages before and after, per location."""
    moves = Counter(
        (before[loc]["stage"], after[loc]["stage"])
        for loc in after
        if loc in before and before[loc]["stage"] != after[loc]["stage"]
    )
    late = sum(1 for loc in after if after[loc]["late"] and not before.get(loc, {}).get("late"))
    if not moves and not late:
        return "No location changes stage."
    clauses = []
    for target in STAGE_ORDER:
        sources = [(source, n) for (source, to), n in moves.items() if to == target]
        if not sources:
            continue
        sources.sort(key=lambda pair: (-pair[1], STAGE_ORDER.index(pair[0])))  # the most first
        back = all(STAGE_ORDER.index(source) > STAGE_ORDER.index(target) for source, _ in sources)
        named = _and([f"{n} {STAGE_WORDS[source]}" for source, n in sources])
        clauses.append(f"{named} {'back ' if back else ''}to {STAGE_WORDS[target]}")
    sentence = f"This turns {'; '.join(clauses)}." if clauses else ""
    if late:
        sentence += f" {late} location{'s' * (late != 1)} would be late."
    return sentence.strip()


def preview(group: ItemGroup, day: date | None, today: date, location_id: int | None = None) -> dict[str, Any]:
    """What giving `day` would do: to one location (`location_id`), or to every stocked location without a
    go-live (the "Set all empty" form). Two stage queries and one of the table's rows, whatever the size."""
    rows = selectors.location_rows(group, None if location_id is None else [location_id])
    if location_id is None:
        chosen = [r.location_id for r in rows if r.stocked and r.go_live_date is None]
    else:
        chosen = [r.location_id for r in rows]
    effective = day or group.start_date  # an emptied date: the start date holds
    before = stage_source.location_stages(group.pk, today)
    after = stage_source.location_stages(group.pk, today, {loc: effective for loc in chosen}) if chosen else before
    return {
        "count": len(chosen),
        "day": day,
        "sentence": change_sentence(before, after) if chosen else "",
        "warnings": date_warnings(day, group.start_date, group.end_date),
    }
