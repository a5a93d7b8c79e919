"""The attention rules (docs/DESIGN.md, "Attention"): which of today's facts need a person.

Pure functions on figures the database has already summed (`attention.queries`
loads them); the page, the JSON API and the daily digest all get their items
from here, so they never disagree. No ORM in this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dashboard.kpis import run_out_days
from dashboard.rules import leakage_cutoff, use_up_horizon_days

# Kinds in the order a person should look at them; the number is the severity class,
# ordered by consequence (docs/DESIGN.md, "Attention severity and order").
KINDS: dict[str, tuple[int, str]] = {
    "replacement_stockout_risk": (1, "Replacement stock-out risk"),
    "leakage": (2, "Original still bought"),
    "stranded_now": (2, "Original stock stranded"),
    "late_go_live": (3, "Go-live late"),
    "go_live_at_risk": (3, "Go-live at risk"),
    "overdue": (3, "Conversion overdue"),
    "open_conflicts": (4, "Open conflicts"),
}
SEVERITIES = {1: "Supply", 2: "Money", 3: "Schedule", 4: "Curation"}
# Why each class comes before the next, in the words the page shows.
SEVERITY_REASONS = {
    1: "A ward may run out of the product it needs: patients are affected within days.",
    2: "Money is being lost now (originals still bought, stock left to write off); sorted by dollars.",
    3: "A plan is slipping: late or near go-lives and overdue conversions cost time, not supply or money yet.",
    4: "The data needs curating: open conflicts make the figures less sure but cost nothing today.",
}
STATUSES = ("draft", "active")  # retired groups need no one's attention
LEAKAGE_DAYS = 7
AT_RISK_DAYS = 14
STOCKOUT_COVERAGE_DAYS = 14
STOCKOUT_RUN_OUT_DAYS = 30


@dataclass(frozen=True)
class Group:
    """What a rule needs to know of a group."""

    group_id: int
    title: str
    status: str
    owner_id: int | None
    owner: str | None  # "Name <email>" for people, None when the group has no owner
    start_date: date | None
    end_date: date | None
    last_order_date: date | None
    use_up_policy: str


@dataclass(frozen=True)
class Item:
    """One attention item: a fact about a group (and a location) that needs a person."""

    kind: str
    group_id: int
    group_title: str
    group_status: str
    owner_id: int | None
    owner: str | None
    location_id: int | None
    location_name: str | None
    value: float
    detail: str
    date: date | None
    link: str  # "dashboard", "plan", "group": which page acts on it (the view turns it into a URL)
    dollars: float | None = None  # leakage: spend of the priced lines; stranded_now: the stranded value

    @property
    def severity(self) -> int:
        return KINDS[self.kind][0]

    @property
    def severity_label(self) -> str:
        return SEVERITIES[self.severity]

    @property
    def severity_reason(self) -> str:
        return SEVERITY_REASONS[self.severity]

    @property
    def label(self) -> str:
        return KINDS[self.kind][1]

    @property
    def key(self) -> str:
        """Identifies the item across runs on one day (the digest's sent log)."""
        return f"{self.kind}:{self.group_id}:{self.location_id or ''}"

    def fields(self) -> dict:
        """The item's own fields (a shallow copy: every field is a plain value)."""
        return dict(vars(self))

    def stored(self) -> dict:
        """The item's own fields as JSON (the memory keeps it; `from_stored` reads it back)."""
        return self.fields() | {"date": self.date.isoformat() if self.date else None}

    @classmethod
    def from_stored(cls, fields: dict) -> Item:
        day = fields.get("date")
        return cls(**(fields | {"date": date.fromisoformat(day) if day else None}))

    def as_dict(self) -> dict:
        return self.fields() | {
            "severity": self.severity,
            "severity_label": self.severity_label,
            "label": self.label,
            "key": self.key,
        }


def sort_key(item: Item) -> tuple:
    """Severity, then dollars (most first; none last), then the date (earliest first; undated last), group, location."""
    return (
        item.severity,
        item.dollars is None,
        -(item.dollars or 0),
        item.date is None,
        item.date or date.max,
        item.group_id,
        item.location_id or 0,
    )


def _item(
    group: Group,
    kind: str,
    value,
    detail: str,
    when: date | None,
    link: str,
    location=(None, None),
    dollars=None,
) -> Item:
    return Item(
        kind=kind,
        group_id=group.group_id,
        group_title=group.title,
        group_status=group.status,
        owner_id=group.owner_id,
        owner=group.owner,
        location_id=location[0],
        location_name=location[1],
        value=float(value),
        detail=detail,
        date=when,
        link=link,
        dollars=None if dollars is None else round(float(dollars), 2),
    )


def leakage(
    group: Group,
    as_of: date,
    lines: int,
    qty: Decimal | float,
    last_po_date: date | None,
    spend: Decimal | float = 0,
) -> Item | None:
    """Originals bought after the cut-off in the last 7 days (as_of - 7 < po_date <= as_of); dollars: their spend."""
    cutoff = leakage_cutoff(group.last_order_date, group.start_date)
    if cutoff is None or cutoff >= as_of or not lines:
        return None
    noun = "line" if lines == 1 else "lines"
    detail = f"{lines} PO {noun} for originals ({_num(qty)} EA) after the cut-off {cutoff.isoformat()}"
    return _item(group, "leakage", lines, detail, last_po_date, "dashboard", dollars=spend or 0)


def overdue(group: Group, as_of: date) -> Item | None:
    """An active group past its end date."""
    if group.status != "active" or group.end_date is None or not group.end_date < as_of:
        return None
    days = (as_of - group.end_date).days
    detail = f"Ended {group.end_date.isoformat()} ({days} day{'s' if days != 1 else ''} past it) and still active"
    return _item(group, "overdue", days, detail, group.end_date, "plan")


def stranded_now(
    group: Group, as_of: date, stranded_ea: Decimal | float, stranded_value: Decimal | float = 0
) -> Item | None:
    """Past the end date, originals are stranded by the group's policy (dashboard.rules): the stranded EA."""
    if group.end_date is None or not as_of > group.end_date:
        return None
    if not stranded_ea or stranded_ea <= 0:
        return None
    why = {
        "use_up": f"not used within {use_up_horizon_days():,} days at today's burn",
        "use_until_end": "all of it, the policy uses them until the end date",
        "immediate": "left at the locations' go-live at today's burn",
    }[group.use_up_policy]
    detail = (
        f"{_num(stranded_ea)} EA of originals on hand after the end date {group.end_date.isoformat()} are stranded"
        f" ({why}), worth ${_num(stranded_value)}"
    )
    return _item(group, "stranded_now", stranded_ea, detail, group.end_date, "dashboard", dollars=stranded_value or 0)


def open_conflicts(group: Group, count: int, first_noted: date | None) -> Item | None:
    if not count:
        return None
    detail = f"{count} open conflict{'s' if count != 1 else ''} to resolve or keep"
    return _item(group, "open_conflicts", count, detail, first_noted, "group")


def go_live(
    group: Group,
    as_of: date,
    location: tuple[int, str],
    go_live_date: date | None,
    stage: str,
    late: bool,
    at_risk: bool,
) -> Item | None:
    """One item per (group, location) whose go-live is late or at risk (the stage rule sets the flags)."""
    stage_words = stage.replace("_", " ")
    if late and go_live_date is not None:
        days = (as_of - go_live_date).days
        detail = (
            f"Go-live was {go_live_date.isoformat()}, {days} day{'s' if days != 1 else ''} late; stage: {stage_words}"
        )
        return _item(group, "late_go_live", days, detail, go_live_date, "plan", location)
    if at_risk and go_live_date is not None:
        days = (go_live_date - as_of).days
        detail = f"Go-live {go_live_date.isoformat()} in {days} day{'s' if days != 1 else ''}; stage: {stage_words}"
        return _item(group, "go_live_at_risk", days, detail, go_live_date, "plan", location)
    return None


def originals_run_out_within(as_of: date, on_hand, burn, days: int = STOCKOUT_RUN_OUT_DAYS) -> date | None:
    """The originals' run-out date (dashboard.kpis.run_out_days) when it falls within `days` of as_of, else None."""
    whole_days = run_out_days(on_hand, burn)
    if whole_days is None or whole_days > days:
        return None
    return as_of + timedelta(days=whole_days)


def replacement_stockout_risk(
    group: Group, as_of: date, cutover_coverage_days: float | None, original_on_hand, original_burn
) -> Item | None:
    """The replacements cover less than 14 days of all the demand while the originals run out within 30."""
    if cutover_coverage_days is None or not cutover_coverage_days < STOCKOUT_COVERAGE_DAYS:
        return None
    run_out = originals_run_out_within(as_of, original_on_hand, original_burn)
    if run_out is None:
        return None
    detail = (
        f"Replacements cover {_num(cutover_coverage_days)} days of the whole demand; "
        f"the originals run out {run_out.isoformat()}"
    )
    return _item(group, "replacement_stockout_risk", cutover_coverage_days, detail, run_out, "dashboard")


def _num(value) -> str:
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"
