"""The attention list (django-tables2 over the folded rows: one per conversion and kind)."""

import django_tables2 as tables


class AttentionTable(tables.Table):
    pick = tables.TemplateColumn(
        template_name="attention/partials/_pick.html",
        verbose_name="",
        orderable=False,
        attrs={"td": {"class": "attention-pick"}},
    )
    severity = tables.TemplateColumn(
        template_name="attention/partials/_severity.html", order_by=("severity", "sort_date")
    )
    what = tables.TemplateColumn(
        template_name="attention/partials/_what.html",
        verbose_name="What",
        order_by=("group_title", "group_id"),
        attrs={"td": {"class": "attention-what"}},
    )
    date = tables.DateColumn(
        format="Y-m-d",
        verbose_name="Date",
        default="—",
        order_by=("sort_date",),
        attrs={"td": {"class": "text-nowrap"}},
    )
    seen = tables.TemplateColumn(
        template_name="attention/partials/_seen.html",
        verbose_name="Seen",
        order_by=("first_seen",),
        attrs={"td": {"class": "text-nowrap"}},
    )
    act = tables.TemplateColumn(
        template_name="attention/partials/_row_actions.html",
        verbose_name="",
        orderable=False,
        attrs={"td": {"class": "attention-act"}},
    )

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle mb-0", "id": "attention"}
        row_attrs = {"id": lambda record: f"row-{record['group_id']}-{record['kind']}"}
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
    "key",
    "dollars",
    "first_seen",
    "state",
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
            r["key"],
            r["dollars"],
            r["first_seen"],
            r["state"],
        ]
