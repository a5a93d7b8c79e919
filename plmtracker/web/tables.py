"""What the apps' django-tables2 tables share: a table body rendered with django-tables2's rules but without its
per-cell overhead (`LeanBody`, `templates/partials/lean_table.html`), dates without a template per cell
(`DayColumn`) and row links reversed once per table (`RowUrls`)."""

from __future__ import annotations

from collections.abc import Callable

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import signature

LEAN_TEMPLATE = "partials/lean_table.html"
URL_KEY = 918273645  # a key no route's own text holds: the place of the row's key in a reversed URL


class RowUrls:
    """`reverse(name, args=[key])` for many rows, reversed once per route: a reverse costs about half a
    millisecond here, once per row it was a tenth of the dashboard overview's time on PostgreSQL."""

    def __init__(self):
        self.routes: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, key: int) -> str:
        if name not in self.routes:
            before, after = reverse(name, args=[URL_KEY]).split(str(URL_KEY))
            self.routes[name] = (before, after)
        before, after = self.routes[name]
        return f"{before}{int(key)}{after}"


# Django date formats written with str.format: the `date` filter's regular-expression walk costs about 25 us a
# cell, a tenth of /groups' rendering. Each gives exactly what the filter gives (a test compares them).
PLAIN_FORMATS = {
    "Y-m-d": "{0.year:04d}-{0.month:02d}-{0.day:02d}",
    "Y-m-d H:i": "{0.year:04d}-{0.month:02d}-{0.day:02d} {0.hour:02d}:{0.minute:02d}",
}


class DayColumn(tables.Column):
    """A date or a time as django-tables2's `DateColumn` / `DateTimeColumn` write it (Django's `date` filter in
    the site's time zone, the default when empty), without compiling a template for every cell."""

    def __init__(self, *args, format: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.format = format
        self.plain = PLAIN_FORMATS.get(format)

    def render(self, value, bound_column):
        value = template_localtime(value)
        if self.plain is not None:
            return self.plain.format(value)
        return formats.date_format(value, self.format) or bound_column.default


class LeanBody:
    """A table body written with django-tables2's own rules (a cell's value by its accessor, a model field's
    choices shown by `get_FOO_display()`, an empty value as the column's default, else the column's or the
    table's `render_FOO` with the arguments it names, then its link), minus the work django-tables2 repeats for
    every cell: each column's `<td>` attributes, its render method's signature and its field's choices are looked
    up once per table. Mix it into a `tables.Table` and set `Meta.template_name = LEAN_TEMPLATE`.

    django-tables2 rebuilds a column's attributes, looks for a model field and inspects the render method's
    signature for every cell: on the overview's 25 rows of 14 columns that was most of the page's rendering,
    on /groups' 25 rows of 12 columns a third of it. Tests compare the HTML with django-tables2's own template.
    """

    @property
    def lean_rows(self) -> list[SafeString]:
        """Each row's `<tr>`, written in Python: its cells as the template's `{{ cell }}` writes them (escaped
        unless safe, localized), a line apart as django-tables2's template sets them."""
        columns = list(self.columns)
        for column in columns:
            if column.localize is not None or isinstance(column.column, ManyToManyColumn):
                raise ValueError(f"a lean table body cannot write column {column.name!r}: no localize, no many-to-many")
            if any(callable(v) for v in dict(column.column.attrs.get("td", {})).values()):
                raise ValueError(
                    f"a lean table body writes column {column.name!r}'s cell attributes once: no callables"
                )
        context = Context()  # a template's defaults: autoescape, the active locale and time zone

        def written(column):
            cell = lean_cell(column)
            if getattr(column.column, "escape_free", False):  # its text is the same escaped: written as it is
                return cell
            return lambda row: render_value_in_context(cell(row), context)

        cells = [(column.attrs["td"].as_html(), written(column)) for column in columns]
        return [
            SafeString(
                f"<tr {row.attrs.as_html()}>\n"
                + "".join(f"<td {td}>{cell(row)}</td>\n" for td, cell in cells)
                + "</tr>"
            )
            for row in self.paginated_rows
        ]


def lean_cell(bound_column) -> Callable:
    """The cell of `bound_column` in a row, as django-tables2's `BoundRow.get_cell` computes it."""
    accessor = tables.A(bound_column.accessor)
    column = bound_column.column
    render, link, default = bound_column.render, bound_column.link, bound_column.default
    args, catch_all = signature(render)
    value_only = args == ("value",) and not catch_all and not link  # most cells: `render(value)`, nothing else
    link_text_only = isinstance(column, BaseLinkColumn) and column.text is not None
    # A column that says its values are plain figures (`plain_values = True`: never a model field with choices)
    # is read in one step and rendered from its value alone, as the dashboard's figure columns.
    plain = value_only and getattr(column, "plain_values", False)
    one_step = accessor.SEPARATOR not in accessor  # then the accessor's penultimate is the record itself
    shows_choices: dict[tuple[type, type], bool] = {}  # whether the accessor ends at a model field with choices

    def call(row, value):
        if value_only:
            return render(value)
        given = {
            "value": value,
            "record": row.record,
            "column": column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": row.table,
        }
        wanted = given if catch_all else {name: given[name] for name in args if name in given}
        # As django-tables2: a render asking for what a cell does not have is not called.
        content = render(**wanted) if len(wanted) == len(args) or catch_all else None
        return link(content, **given) if link else content

    keys = accessor.bits

    def plain_value(record):
        """`accessor.resolve(record, quiet=True)`, walking nested dicts directly (the KPI rows): several
        times cheaper than the general resolve, which tries a dict, an attribute and a list index per step."""
        value = record
        for key in keys:
            if type(value) is not dict or key not in value:
                return accessor.resolve(record, quiet=True)
            value = value[key]
        return accessor.resolve(record, quiet=True) if callable(value) else value

    def cell(row):
        record = row.record
        if plain:
            value = plain_value(record)
            return default if value in column.empty_values else render(value)
        value = None
        penultimate, remainder = (record, str(accessor)) if one_step else accessor.penultimate(record)
        if isinstance(penultimate, models.Model):
            kind = (type(record), type(penultimate))
            if kind not in shows_choices:
                try:
                    field = accessor.get_field(record)
                except FieldDoesNotExist:
                    field = None
                shows_choices[kind] = bool(getattr(field, "choices", ())) and hasattr(
                    penultimate, f"get_{remainder}_display"
                )
            if shows_choices[kind]:
                value = getattr(penultimate, f"get_{remainder}_display")()
                remainder = None
        if remainder:
            try:
                value = accessor.resolve(record)
            except Exception:  # as django-tables2: a column that is not a field (its issue #257)
                if link_text_only:
                    return call(row, None)
        if value in column.empty_values:
            return default
        return call(row, value)

    return cell
