"""The attention list (django-tables2 over the rule items)."""

import django_tables2 as tables


class AttentionTable(tables.Table):
    severity = tables.TemplateColumn(
        template_name="attention/partials/_severity.html", order_by=("severity", "sort_date")
    )
    label = tables.Column("What", order_by=("kind",), attrs={"td": {"class": "text-nowrap"}})
    group = tables.TemplateColumn(
        template_code='<a href="{{ record.url }}" hx-boost="false">{{ record.group_title }}</a>'
        '<div class="small text-body-secondary">Group {{ record.group_id }} · {{ record.group_status|capfirst }}</div>',
        order_by=("group_title", "group_id"),
    )
    location_name = tables.Column("Location", default="All locations")
    detail = tables.Column("Figure", orderable=False)
    date = tables.DateColumn(
        format="Y-m-d",
        verbose_name="Date",
        default="—",
        order_by=("sort_date",),
        attrs={"td": {"class": "text-nowrap"}},
    )
    owner = tables.Column(default="No owner")
    act = tables.TemplateColumn(
        template_code='<a class="btn btn-outline-primary btn-sm" href="{{ record.url }}" hx-boost="false">Open</a>',
        verbose_name="",
        orderable=False,
    )

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle mb-0", "id": "attention"}
        empty_text = "Nothing needs attention for these filters."


CSV_HEADERS = [
    "severity",
    "kind",
    "group_id",
    "group",
    "group_status",
    "location_id",
    "location",
    "value",
    "figure",
    "date",
    "owner",
    "url",
]


def csv_rows(records: list[dict]):
    for r in records:
        yield [
            r["severity_label"],
            r["kind"],
            r["group_id"],
            r["group_title"],
            r["group_status"],
            r["location_id"],
            r["location_name"],
            r["value"],
            r["detail"],
            r["date"],
            r["owner"],
            r["absolute_url"],
        ]
