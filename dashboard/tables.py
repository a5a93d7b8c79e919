"""The dashboard's HTML tables (django-tables2), over the dicts `dashboard.queries` returns."""

import html

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dashboard.cards import BEYOND_HORIZON
from dashboard.stages import STAGE_LABELS
from plmtracker.inventory.models import LOCATION_TYPES
from plmtracker.web.tables import LEAN_TEMPLATE, LeanBody, RowUrls

LOCATION_TYPE_LABELS = dict(LOCATION_TYPES)

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def headed(title: str) -> dict:
    """A figure column whose short header says its whole name on hover."""
    return {"td": {"class": "num"}, "th": {"class": "num", "title": title}}


class NumberColumn(tables.Column):
    """A right-aligned figure; `None` (undefined, e.g. coverage with no burn) shows as an em dash."""

    plain_values = True  # a figure from the KPI rows: read straight by the lean body (plmtracker.web.tables)

    def __init__(self, *args, places: int = 0, prefix: str = "", suffix: str = "", **kwargs):
        kwargs.setdefault("attrs", NUM)
        kwargs.setdefault("default", "—")
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)
        self.places, self.prefix, self.suffix = places, prefix, suffix

    def render(self, value):
        sign = "-" if value < 0 else ""  # -$12.00, not $-12.00: a conversion can cost money
        return f"{sign}{self.prefix}{abs(value):,.{self.places}f}{self.suffix}"

    @property
    def escape_free(self) -> bool:
        """Whether every cell it writes (digits, signs, its affixes, its default) reads the same escaped, so a
        lean table body writes it as it is (plmtracker.web.tables)."""
        text = f"{self.prefix}{self.suffix}{self.default}"
        return html.escape(text) == text and not isinstance(self.default, SafeString)


class RoleColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("default", mark_safe('<span class="badge text-bg-light border">no role</span>'))
        super().__init__(*args, **kwargs)

    def render(self, value):
        css = "text-bg-warning" if value == "original" else "text-bg-success"
        return format_html('<span class="badge {}">{}</span>', css, value.capitalize())


class DateColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("default", "—")
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return value.isoformat()


STAGE_BADGES = {
    "not_set_up": "text-bg-light border",
    "set_up": "text-bg-secondary",
    "ready": "text-bg-info",
    "live": "text-bg-primary",
    "converted": "text-bg-success",
}


class StageColumn(tables.Column):
    """A location's stage in words, as a badge, with its late / at-risk flags beside it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        badge = format_html(
            '<span class="badge {}" data-stage="{}">{}</span>', STAGE_BADGES[value], value, STAGE_LABELS[value]
        )
        flags = [
            format_html('<span class="badge text-bg-{}" data-flag="{}">{}</span>', css, flag, text)
            for flag, css, text in (("late", "danger", "late"), ("at_risk", "warning", "at risk"))
            if record[flag]
        ]
        if not record.get("original_stocked", True):  # group locations: readiness counts only the originals'
            flags.append(
                mark_safe(
                    '<span class="badge text-bg-light border text-body-secondary" data-flag="not_counted" '
                    'title="No original is stocked here: readiness does not count this location">'
                    "only replacements</span>"
                )
            )
        return format_html("{} {}", badge, mark_safe(" ".join(flags)))


class RunOutColumn(DateColumn):
    """A run-out date; "not within 10 years" when the record's `..._beyond_horizon` is true."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, empty_values=(), **kwargs)

    def render(self, value, record, bound_column):
        if record.get(bound_column.name.removesuffix("date") + "beyond_horizon"):
            return BEYOND_HORIZON
        return "—" if value is None else value.isoformat()


class BaseTable(tables.Table):
    """Links in the table carry `query` (the page's as_of, location and days)."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle mb-0 dashboard-table"}
        orderable = False

    def __init__(self, data, *args, query: str = "", **kwargs):
        super().__init__(data, *args, **kwargs)
        self.query = query
        self.urls = RowUrls()

    def link(self, name: str, key: int, text) -> str:
        return format_html('<a href="{}?{}">{}</a>', self.url(name, key), self.query, text)

    def url(self, name: str, key: int) -> str:
        """`reverse(name, args=[key])`, reversed once per table and route (`RowUrls`)."""
        return self.urls(name, key)


class TopGroupsTable(LeanBody, BaseTable):
    """The overview's groups, narrow enough for 1280 px: the title truncates (the whole title on hover),
    the reason sits under it, the headers wrap and the figures do not."""

    title = tables.Column("Group", orderable=False, attrs={"td": {"class": "group-cell"}})
    owner = tables.Column("Owner", default="—", orderable=False, attrs={"td": {"class": "owner-cell"}})
    member_count = NumberColumn("Members")
    # Short headers (the whole name on hover), so that the money columns fit 1280 px.
    original_spend = NumberColumn(
        "Orig. PO $ 90d",
        accessor="original__po_spend_90d",
        places=2,
        prefix="$",
        attrs=headed("Originals' PO spend, 90 days"),
    )
    original_qty = NumberColumn(
        "Orig. PO EA 90d", accessor="original__po_qty_90d", attrs=headed("Originals' PO eaches, 90 days")
    )
    original_on_hand = NumberColumn(
        "Orig. on hand EA", accessor="original__on_hand_ea", attrs=headed("Originals on hand, eaches")
    )
    original_coverage = NumberColumn(
        "Orig. cover d", accessor="original__coverage_days", places=1, attrs=headed("Originals' coverage, days")
    )
    replacement_on_hand = NumberColumn(
        "Repl. on hand EA", accessor="replacement__on_hand_ea", attrs=headed("Replacements on hand, eaches")
    )
    replacement_coverage = NumberColumn(
        "Repl. cover d", accessor="replacement__coverage_days", places=1, attrs=headed("Replacements' coverage, days")
    )
    readiness_pct = NumberColumn("Readiness", places=0, suffix="%")
    setup_pct = NumberColumn("Set up", places=0, suffix="%")
    # Sortable (?sort=compliance_pct, ?sort=-projected_annual_savings, ...): these rank the conversions' progress.
    compliance_pct = NumberColumn(
        "Compliance", accessor="outcome__compliance_pct", places=1, suffix="%", orderable=True
    )
    projected_annual_savings = NumberColumn(
        "Projected savings $/yr", accessor="outcome__projected_annual_savings", places=0, prefix="$", orderable=True
    )
    realised_savings = NumberColumn(
        "Realised savings $", accessor="outcome__realised_savings", places=2, prefix="$", orderable=True
    )

    class Meta(BaseTable.Meta):
        attrs = {"class": "table table-sm table-hover align-middle mb-0 dashboard-table top-groups-table"}
        template_name = LEAN_TEMPLATE

    def __init__(self, data, *args, as_of=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.as_of = as_of

    def render_title(self, value, record):
        end = record.get("end_date")
        overdue = (
            format_html(
                '<span class="badge text-bg-danger" data-flag="overdue" title="Ended {}, still active">Overdue</span> ',
                end.isoformat(),
            )
            if self.as_of and end and end < self.as_of and record.get("status") == "active"
            else ""
        )
        return format_html(
            '<div class="text-truncate" title="{}">{}</div>'
            '<div class="small text-body-secondary text-truncate" title="{}">{}#{}{}</div>',
            value,
            self.link("dashboard:group", record["group_id"], value),
            record.get("reason") or "",
            overdue,
            record["group_id"],
            format_html(" · {}", record["reason"]) if record.get("reason") else "",
        )

    def render_owner(self, value):
        return format_html('<span class="d-block text-truncate" title="{}">{}</span>', value, value)


class MemberTable(BaseTable):
    erp_item_code = tables.Column("Item", orderable=False)
    description = tables.Column("Description", default="—", orderable=False)
    role = RoleColumn("Role")
    on_hand_ea = NumberColumn("On hand EA")
    burn_ea_per_day = NumberColumn("Burn EA/day", places=2)
    coverage_days = NumberColumn("Coverage d", places=1)
    po_qty_90d = NumberColumn("PO EA (90d)")
    po_spend_90d = NumberColumn("PO $ (90d)", places=2, prefix="$")

    def render_erp_item_code(self, value, record):
        return self.link("dashboard:item", record["item_id"], value)


class GroupLocationTable(BaseTable):
    location_name = tables.Column("Location", orderable=False)
    original_on_hand_ea = NumberColumn("Original on hand EA")
    original_burn_ea_per_day = NumberColumn("Original burn EA/day", places=2)
    original_coverage_days = NumberColumn("Original coverage d", places=1)
    original_run_out_date = RunOutColumn("Originals run out")
    replacement_on_hand_ea = NumberColumn("Replacement on hand EA")
    go_live_date = DateColumn("Go-live")
    stage = StageColumn("Stage")

    def render_location_name(self, value, record):
        return format_html('{} <span class="text-body-secondary small">#{}</span>', value, record["location_id"])


class ItemLocationTable(BaseTable):
    location_name = tables.Column("Location", orderable=False)
    location_type = tables.Column("Type", orderable=False)
    on_hand_ea = NumberColumn("On hand EA")
    burn_ea_per_day = NumberColumn("Burn EA/day", places=2)
    coverage_days = NumberColumn("Coverage d", places=1)
    run_out_date = RunOutColumn("Runs out")

    def render_location_type(self, value):
        return LOCATION_TYPE_LABELS.get(value, value)

    def render_location_name(self, value, record):
        return format_html('{} <span class="text-body-secondary small">#{}</span>', value, record["location_id"])
