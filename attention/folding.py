"""The page's rows: a group's per-location items of one kind folded into one row (no ORM).

The JSON keeps one item per key; only the page folds. A fold takes the place of its most urgent
item (records arrive in the rules' order), adds up the dollars, and keeps its items' keys so one
click acts on every location.
"""

from __future__ import annotations

from datetime import date

SHOWN_NAMES = 3  # locations named in a folded row; the rest are counted


def fold(records: list[dict]) -> list[dict]:
    """One row per (group, kind), in the order of each fold's first record."""
    folds: dict[tuple[int, str], list[dict]] = {}
    for record in records:
        folds.setdefault((record["group_id"], record["kind"]), []).append(record)
    return [row(members) for members in folds.values()]


def row(members: list[dict]) -> dict:
    first = members[0]
    if len(members) == 1:
        return first | {"keys": [first["key"]], "keys_text": first["key"], "folded": 0}
    dated = [m["date"] for m in members if m["date"] is not None]
    oldest = min(dated) if dated else None
    dollars = [m["dollars"] for m in members if m["dollars"] is not None]
    names = [m["location_name"] or f"location {m['location_id']}" for m in members]
    more = len(names) - SHOWN_NAMES
    shown = ", ".join(names[:SHOWN_NAMES]) + (f" and {more} more" if more > 0 else "")
    count = len(members)
    detail = f"{first['label']} at {count} location{'s' if count != 1 else ''}: {shown}"
    if oldest is not None:
        detail += f" — oldest {oldest.isoformat()}"
    seen = [m["first_seen"] for m in members if m["first_seen"] is not None]
    states = {m["state"] for m in members}
    return first | {
        "keys": [m["key"] for m in members],
        "keys_text": " ".join(m["key"] for m in members),  # what the row's buttons post
        "folded": count,
        "location_name": f"{count} location{'s' if count != 1 else ''}",
        "detail": detail,
        "date": oldest,
        "sort_date": oldest or date.max,
        "dollars": round(sum(dollars), 2) if dollars else None,
        "first_seen": min(seen) if seen else None,
        "new": any(m["new"] for m in members),
        "open_days": max((m["open_days"] or 0) for m in members) or None,
        "state": first["state"] if len(states) == 1 else "mixed",
        "snooze_until": _common(members, "snooze_until"),
        "reason": _common(members, "reason"),
        "reason_label": _common(members, "reason_label"),
        "note": _common(members, "note"),
    }


def _common(members: list[dict], name: str):
    """The members' value of `name` when they all share it, else None."""
    values = {m.get(name) for m in members}
    return values.pop() if len(values) == 1 else None
