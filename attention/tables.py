"""The attention list (django-tables2 over the folded rows: one per conversion and kind)."""

import django_tables2 as tables


class AttentionTable(tables.Table):
    """The columns give the headers and the sorting; the rows are written by the page's
    `attention.markup.RowMarkup` (the filters, who may act, today), placed by attention/partials/_table.html."""

    pick = tables.Column(verbose_name="", empty_values=(), orderable=False)
    severity = tables.Column(empty_values=(), order_by=("severity", "sort_date"))
    what = tables.Column(verbose_name="What", empty_values=(), order_by=("group_title", "group_id"))
    date = tables.Column(verbose_name="Date", empty_values=(), order_by=("sort_date",))
    seen = tables.Column(verbose_name="Seen", empty_values=(), order_by=("first_seen",))
    act = tables.Column(verbose_name="", empty_values=(), orderable=False)

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
