"""The groups and conflicts lists (django-tables2)."""

from functools import cached_property

import django_tables2 as tables
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from collector.models import GroupAlert, ItemGroup
from plmtracker.web.tables import LEAN_TEMPLATE, DayColumn, LeanBody, RowUrls

CSV_NAMES = {"member_count": "members", "conflict_count": "open_conflicts"}
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
DAY = {"td": {"class": "text-nowrap"}}


class GroupTable(LeanBody, tables.Table):
    """The groups list. Its cells are written in Python (no template per cell) through `LeanBody`."""

    group_id = tables.Column("Group")
    title = tables.Column("Name", attrs={"td": {"class": "group-title"}})
    status = tables.Column()
    owner = tables.Column(order_by=("owner__name", "owner__email"), default="—")
    reason = tables.Column(default="—")
    member_count = tables.Column("Members", attrs=NUMBER)
    conflict_count = tables.Column("Open conflicts", attrs=NUMBER)
    start_date = DayColumn("Start", format="Y-m-d", default="—", attrs=DAY)
    end_date = DayColumn("End", format="Y-m-d", default="—", attrs=DAY)
    use_up_policy = tables.Column("Policy")
    last_order_date = DayColumn("Last order", format="Y-m-d", default="—", attrs=DAY)
    updated_at = DayColumn("Updated", format="Y-m-d H:i")

    class Meta:
        model = ItemGroup
        fields = [
            "group_id",
            "title",
            "status",
            "owner",
            "reason",
            "member_count",
            "conflict_count",
            "start_date",
            "end_date",
            "use_up_policy",
            "last_order_date",
            "updated_at",
        ]
        order_by = "-updated_at"
        attrs = {"class": "table table-hover table-sm align-middle mb-0", "id": "groups"}
        empty_text = "No group matches these filters: clear them, or record a link on Collect to make a group."
        template_name = LEAN_TEMPLATE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = RowUrls()
        self.badges: dict[str, str] = {}

    def group_link(self, group_id: int, text) -> str:
        return format_html('<a hx-boost="false" href="{}">{}</a>', self.urls("collector:group_detail", group_id), text)

    def render_group_id(self, value):
        return self.group_link(value, value)

    def render_title(self, value, record):
        return self.group_link(record.group_id, value)

    def render_status(self, record):
        """The status badge of every page (its partial), rendered once per status and table."""
        if record.status not in self.badges:
            self.badges[record.status] = get_template("collector/partials/_status_badge.html").render(
                {"status": record.status}
            )
        return self.badges[record.status]

    def render_conflict_count(self, value, record):
        if not value:
            return mark_safe('<span class="text-body-secondary">0</span>')
        return format_html(
            '<a class="badge text-bg-danger text-decoration-none" hx-boost="false" href="{}?group={}" '
            'title="Open conflicts on its members">{}</a>',
            self.conflicts_url,
            record.group_id,
            value,
        )

    @cached_property
    def conflicts_url(self) -> str:
        return reverse("collector:conflicts")

    def as_rows(self):
        """The filtered, sorted rows for a CSV download (all pages)."""
        headers = [CSV_NAMES.get(name, name) for name in self.Meta.fields]

        def rows():
            for g in self.data.data.iterator(chunk_size=2000):
                owner = g.owner.email if g.owner else None
                yield [
                    g.group_id,
                    g.title,
                    g.status,
                    owner,
                    g.reason,
                    g.member_count,
                    g.conflict_count,
                    g.start_date,
                    g.end_date,
                    g.use_up_policy,
                    g.last_order_date,
                    g.updated_at,
                ]

        return headers, rows()


class ConflictTable(tables.Table):
    item = tables.TemplateColumn(
        template_name="collector/partials/_conflict_item.html", order_by=("item__erp_item_code",)
    )
    alert_type = tables.TemplateColumn(template_name="collector/partials/_alert_badge.html", verbose_name="Type")
    degree_out = tables.Column("Replaced by", attrs=NUMBER)
    degree_in = tables.Column("Replaces", attrs=NUMBER)
    group = tables.TemplateColumn(
        template_name="collector/partials/_conflict_group.html",
        accessor="item__membership__group_id",
        order_by=("item__membership__group_id",),
    )
    noted_at = tables.DateTimeColumn(verbose_name="Noted", format="Y-m-d H:i", attrs={"td": {"class": "noted"}})
    state = tables.TemplateColumn(
        template_name="collector/partials/_conflict_state.html", accessor="resolved_at", verbose_name="State"
    )
    actions = tables.TemplateColumn(
        template_name="collector/partials/_conflict_actions.html", orderable=False, verbose_name=""
    )

    class Meta:
        model = GroupAlert
        fields = ["item", "alert_type", "degree_out", "degree_in", "group", "noted_at", "state", "actions"]
        order_by = "-noted_at"
        attrs = {"class": "table table-hover table-sm align-middle mb-0", "id": "conflicts"}
        empty_text = "No conflict matches these filters: clear them to see every conflict."
