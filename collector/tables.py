"""The groups and conflicts lists (django-tables2)."""

import django_tables2 as tables

from collector.models import GroupAlert, ItemGroup

CSV_NAMES = {"member_count": "members", "conflict_count": "open_conflicts"}
GROUP_LINK = ("collector:group_detail", {"group_id": tables.A("group_id")})
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
DAY = {"td": {"class": "text-nowrap"}}


class GroupTable(tables.Table):
    group_id = tables.Column("Group", linkify=GROUP_LINK, attrs={"a": {"hx-boost": "false"}})
    title = tables.Column(
        "Name", linkify=GROUP_LINK, attrs={"a": {"hx-boost": "false"}, "td": {"class": "group-title"}}
    )
    status = tables.TemplateColumn(
        template_code='{% include "collector/partials/_status_badge.html" with status=record.status %}'
    )
    owner = tables.Column(order_by=("owner__name", "owner__email"), default="—")
    reason = tables.Column(default="—")
    member_count = tables.Column("Members", attrs=NUMBER)
    conflict_count = tables.TemplateColumn(
        template_name="collector/partials/_conflict_count.html", verbose_name="Open conflicts", attrs=NUMBER
    )
    start_date = tables.DateColumn(verbose_name="Start", format="Y-m-d", default="—", attrs=DAY)
    end_date = tables.DateColumn(verbose_name="End", format="Y-m-d", default="—", attrs=DAY)
    use_up_policy = tables.Column("Policy")
    last_order_date = tables.DateColumn(verbose_name="Last order", format="Y-m-d", default="—", attrs=DAY)
    updated_at = tables.DateTimeColumn(verbose_name="Updated", format="Y-m-d H:i")

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
