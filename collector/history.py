"""What an audit row of the relation graph says, in a planner's words (no ORM)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collector.choices import AlertType, GroupStatus, MemberRole, UseUpPolicy

ACTION_LABELS = {
    "group_create": "Group created",
    "group_merge": "Groups merged",
    "group_split": "Group split",
    "group_update": "Settings changed",
    "link_add": "Link added",
    "link_remove": "Link removed",
    "member_role": "Role changed",
    "member_move": "Sequence changed",
    "alert_resolve": "Conflict kept as many-to-many",
    "link_ratio": "Ratio changed",
    "plan_update": "Plan changed",
    "location_plan": "Go-live set",
    "location_plans_fill": "Go-live filled in",
    "location_plans_replace": "Go-lives replaced",
    "attention_state": "Attention item",
}
SOURCES = {  # where a batch of links came from
    "bulk": "a bulk upload",
    "import": "a data import",
    "seed_demo": "the demo data",
}
ROLE_LABELS = dict(MemberRole.choices)
FIELD_LABELS = {
    "status": "Status",
    "owner": "Owner",
    "reason": "Reason",
    "start_date": "Start date",
    "end_date": "End date",
    "name": "Name",
    "use_up_policy": "Use-up policy",
    "last_order_date": "Last order date",
}
VALUE_LABELS = {  # a value inside a sentence: its label in lower case
    "use_up_policy": {code: label.lower() for code, label in UseUpPolicy.choices},
    "status": {code: label.lower() for code, label in GroupStatus.choices},
}
ALERT_LABELS = dict(AlertType.choices)
GROUPING = {
    "create": "started the group",
    "attach": "joined the group",
    "merge": "merged two groups",
    "within": "inside the group",
}


def degrees_text(out: int | None, in_: int | None) -> str:
    """An item's conflict degrees in words: "replaced by 2, replaces 0"."""
    return f"replaced by {out or 0}, replaces {in_ or 0}"


def role_text(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", "no role")


def item_ids_named(details_list: Iterable[Mapping[str, Any]]) -> set[int]:
    """Item ids the rows name by id only, whose codes the descriptions need."""
    ids: set[int] = set()
    for details in details_list:
        if "item_id" in details and "item" not in details:
            ids.add(details["item_id"])
        ids.update(details.get("moved_item_ids", []))
    return ids


def _code(item_id: int, codes: Mapping[int, str]) -> str:
    return codes.get(item_id, f"item {item_id}")


def describe(action: str, details: Mapping[str, Any], codes: Mapping[int, str]) -> str:
    """One sentence for an audit row; `codes` maps item ids to ERP codes."""
    d = details
    if action == "link_add":
        how = GROUPING.get(d.get("grouping", ""), "")
        via = f", from {SOURCES.get(d['via'], d['via'])}" if d.get("via") else ""
        ratio = f" at a ratio of {d['ratio']}" if d.get("ratio") else ""
        return f"{d['item']} is replaced by {d['replace']}{ratio}" + (f" ({how}{via})" if how else "")
    if action == "link_ratio":
        return f"{d['item']} → {d['replace']}: ratio {d.get('from')} → {d.get('to')}"
    if action == "link_remove":
        pieces = d.get("components_after")
        after = f"; the group's links now make {pieces} pieces" if pieces and pieces > 1 else ""
        return f"Removed {d['item']} → {d['replace']}{after}"
    if action == "group_create":
        via = d.get("via")
        if via == "split":
            return f"Created by a split of group {d.get('from_group_id')}"
        return {"link": "Created by its first link", "manual": "Created by hand"}.get(
            via, f"Created from {SOURCES.get(via, via)}"
        )
    if action == "group_merge":
        moved = d.get("members_moved")
        count = f" ({moved} members moved)" if moved is not None else ""
        how = " by a new link" if d.get("via") == "link" else ""
        return f"Group {d.get('loser_group_id')} merged in{how}{count}"
    if action == "group_split":
        moved = [_code(i, codes) for i in d.get("moved_item_ids", [])]
        cut = len(d.get("cut_links", []))
        return f"{', '.join(moved)} split off into group {d.get('new_group_id')}; {cut} link(s) cut"
    if action in ("group_update", "plan_update"):
        parts = [
            f"{FIELD_LABELS.get(field, field)} {_value(field, c['from'])} → {_value(field, c['to'])}"
            for field, c in d.get("changes", {}).items()
        ]
        return "; ".join(parts) or "No change"
    if action == "location_plan":
        where = d.get("location") or f"location {d.get('location_id')}"
        note = f" (note: {d['note']})" if d.get("note") else ""
        return f"Go-live at {where}: {_plain(d.get('from'))} → {_plain(d.get('to'))}{note}"
    if action == "location_plans_fill":
        count = len(d.get("location_ids", []))
        return f"Go-live {d.get('go_live_date')} given to {count} location{'s' * (count != 1)} without one"
    if action == "location_plans_replace":
        dates = d.get("set", {})
        shown = ", ".join(f"{loc}: {_plain(day)}" for loc, day in list(dates.items())[:8])
        more = f" and {len(dates) - 8} more" if len(dates) > 8 else ""
        removed = d.get("removed", [])
        gone = f"; removed {', '.join(map(str, removed))}" if removed else ""
        via = f" (via {d['via']})" if d.get("via") else ""
        return f"Go-live by location set: {shown or 'none'}{more}{gone}{via}"
    if action == "member_role":
        return f"{_code(d['item_id'], codes)}: {role_text(d.get('from'))} → {role_text(d.get('to'))}"
    if action == "member_move":
        verb = "promoted" if d.get("direction") == "up" else "demoted"
        return f"{_code(d['item_id'], codes)} {verb} to position {d.get('position')}"
    if action == "alert_resolve":
        kind = ALERT_LABELS.get(d.get("alert_type", ""), "conflict")
        return (
            f"{_code(d['item_id'], codes)}: “{kind}” kept as many-to-many "
            f"({degrees_text(d.get('degree_out'), d.get('degree_in'))})"
        )
    if action == "attention_state":
        where = f" at location {d['location_id']}" if d.get("location_id") else ""
        until = f" until {d['until']}" if d.get("until") else ""
        reason = f" ({d['reason'].replace('_', ' ')})" if d.get("reason") else ""
        note = f"; note: {d['note']}" if d.get("note") else ""
        kind = str(d.get("kind", "")).replace("_", " ")
        return f"{kind.capitalize()}{where}: {d.get('from')} → {d.get('to')}{until}{reason}{note}"
    return ", ".join(f"{k}: {v}" for k, v in d.items())


def _value(field: str, value: Any) -> str:
    """A changed field's value in words: a policy or status by its meaning, not its code."""
    return _plain(VALUE_LABELS.get(field, {}).get(value, value))


def _plain(value: Any) -> str:
    return "none" if value in (None, "") else str(value)
