"""The attention list's row markup, written in Python once per row (no template, no ORM).

The table's rows (`attention/partials/_table.html`) and a folded row's locations
(`attention/partials/_fold.html`) show the same "seen" cell and the same buttons; both are written
here, so the markup exists once. What is the same on every row of a page (the "Snooze or dismiss"
block with its day input and reasons, the fold address with the page's filters, the act address,
who may act) is written once per page by `RowMarkup.for_page`; a row adds only its own values.

Every value of a row goes through `_e` (`html.escape`: what `django.utils.html.escape` does, without
its lazy-string wrapper, which cost as much as the rest of a row); only markup written here or by
`format_html` is inserted as it is. A template per row resolved some 700 variables through the
context stack and pushed a context per `{% include %}`: see docs/PERFORMANCE.md for the figures.
The whitespace between elements is what the templates wrote, so the rows read and wrap as before.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from django.template.defaultfilters import floatformat, slugify
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

BADGES = {1: "text-bg-danger", 2: "text-bg-warning", 3: "text-bg-info"}  # by severity; curation and others: secondary
OTHER_BADGE = "text-bg-secondary"
ACT = '<div class="d-flex flex-wrap gap-1 align-items-start">\n'
MORE = (  # the row's "Snooze or dismiss": its fields are posted with the row's keys (the wrapper's hx-vals)
    '<details class="attention-more">\n'
    '<summary class="btn btn-outline-secondary btn-sm">Snooze or dismiss</summary>\n'
    '<div class="d-flex flex-wrap gap-1 mt-1">\n'
    '<input type="date" class="form-control form-control-sm attention-until" name="until" min="{1}"'
    ' aria-label="Snooze until">\n'
    '<button type="button" class="btn btn-outline-secondary btn-sm" hx-post="{0}" name="action" value="snooze">'
    "Snooze</button>\n"
    '<select class="form-select form-select-sm attention-reason" name="reason" aria-label="Why dismiss">{2}</select>\n'
    '<button type="button" class="btn btn-outline-secondary btn-sm" hx-post="{0}" name="action" value="dismiss">'
    "Dismiss</button>\n"
    '<input type="text" class="form-control form-control-sm" name="note" maxlength="500"'
    ' placeholder="Note (optional)" aria-label="Note">\n'
    "</div>\n"
    "</details>"
)
BUTTON = (
    '<button type="button" class="btn btn-outline-secondary btn-sm" hx-post="{}" name="action" value="{}">{}</button>'
)
KEYS = (  # the wrapper of a row's buttons: they post its keys, the page's filters and the row's own fields
    '<div class="d-flex flex-wrap gap-1 attention-row-form" hx-vals=\'{{"key": "{}"}}\'\n'
    ' hx-include="#attention-bulk [name=filters], closest .attention-row-form"'
    ' hx-target="#attention-table" hx-swap="outerHTML">\n'
)


def _e(value) -> str:
    """`value` escaped for HTML text and attribute values."""
    return html.escape(str(value))


def day(value: date | None) -> str:
    """A day as the pages show it (YYYY-MM-DD), "" for none."""
    return value.isoformat() if value else ""


def plural(count: int) -> str:
    return "" if count == 1 else "s"


def _badge(text: str) -> str:
    return f'<span class="badge text-bg-light border">{text}</span>'


def seen(record: dict) -> str:
    """The "seen" cell's markup: new today or open for N days, since when, the state, the note."""
    if record["new"]:
        age = '<span class="badge text-bg-primary">New today</span>'
    elif days := record["open_days"]:
        age = f'<span class="small">Open {_e(days)} day{plural(days)}</span>'
    else:
        age = ""
    first_seen = record["first_seen"]
    since = f'<div class="small text-body-secondary">since {day(first_seen)}</div>' if first_seen else ""
    state = record["state"]
    if state == "acknowledged":
        badge = _badge("Acknowledged")
    elif state == "snoozed":
        until = record.get("snooze_until")
        badge = _badge(f"Snoozed until {day(until)}" if until else "Snoozed")
    elif state == "dismissed":
        reason = record.get("reason_label")
        badge = _badge(f"Dismissed: {_e(reason)}" if reason else "Dismissed")
    elif state == "mixed":
        badge = _badge("Mixed states")
    else:
        badge = ""
    note = record.get("note")
    written = f'<div class="small text-body-secondary">{_e(note)}</div>' if note else ""
    return f"{age}\n{since}\n{badge}\n{written}\n"


@dataclass(frozen=True)
class RowMarkup:
    """What every row of one page shares: who may act, on which day, the page's filters and URLs (escaped)."""

    actionable: bool  # the list of today: rows have buttons (another day's list is read-only)
    steward: bool
    user_id: int | None
    ack: str  # the Acknowledge button
    reopen: str  # the Reopen button
    more: str  # the "Snooze or dismiss" block
    fold_query: str  # the fold fragment's address up to the row's own group and kind

    @classmethod
    def for_page(
        cls,
        *,
        actionable: bool,
        steward: bool,
        user_id,
        act_url: str,
        fold_url: str,
        filters: str,
        tomorrow: str,
        reasons,
    ) -> RowMarkup:
        return cls(
            actionable=actionable,
            steward=steward,
            user_id=user_id,
            ack=format_html(BUTTON, act_url, "acknowledge", "Acknowledge"),
            reopen=format_html(BUTTON, act_url, "reopen", "Reopen"),
            more=format_html(MORE, act_url, tomorrow, reasons),
            fold_query=f"{_e(fold_url)}?" + (f"{_e(filters)}&amp;" if filters else ""),
        )

    def may_act(self, record: dict) -> bool:
        return self.steward or record["owner_id"] == self.user_id

    def actions(self, record: dict) -> str:
        """The row's Open link and, on today's list for whoever may act, its buttons (they post the row's keys)."""
        opened = f'<a class="btn btn-outline-primary btn-sm" href="{_e(record["url"])}" hx-boost="false">Open</a>\n'
        if not (self.actionable and record["first_seen"] and self.may_act(record)):
            return f"{ACT}{opened}\n</div>\n"
        state = record["state"]
        return (
            f"{ACT}{opened}\n\n{KEYS.format(_e(record.get('keys_text') or record['key']))}"
            f"{self.ack if state != 'acknowledged' else ''}\n{self.reopen if state != 'open' else ''}\n"
            f"{self.more}\n</div>\n\n</div>\n"
        )

    def table_row(self, record: dict, index: int) -> str:
        """One row of the list (`index` from 0: the rows alternate "even" and "odd")."""
        group_id, kind = _e(record["group_id"]), _e(record["kind"])
        label = _e(record["label"])
        pick = (
            f'<input type="checkbox" class="form-check-input" form="attention-bulk" name="key"'
            f' value="{_e(record["keys_text"])}" aria-label="Select {label} of group {group_id}">'
            if self.may_act(record)
            else ""
        )
        dollars = record["dollars"]
        money = (
            f' <span class="text-body-secondary fw-normal">${_e(floatformat(dollars, "2g"))}</span>'
            if dollars is not None
            else ""
        )
        folded, place = record["folded"], record["location_name"]
        status = str(record["group_status"])
        fold = (
            f'\n<button type="button" class="btn btn-link btn-sm p-0" hx-get="{self.fold_query}group={group_id}'
            f'&amp;kind={kind}"\n hx-target="#fold-{group_id}-{kind}" hx-swap="innerHTML">'
            f"Show the {_e(folded)} location{plural(folded)}</button>\n"
            f'<div id="fold-{group_id}-{kind}" class="attention-fold"></div>\n'
            if folded
            else ""
        )
        return (
            f'<tr id="row-{group_id}-{kind}" class="{"odd" if index % 2 else "even"}">\n'
            f'<td class="attention-pick">{pick}</td>\n'
            f'<td><span class="badge {BADGES.get(record["severity"], OTHER_BADGE)}"'
            f' title="{_e(record["severity_reason"])}">{_e(record["severity_label"])}</span></td>\n'
            f'<td class="attention-what">\n<div class="fw-semibold">{label}{money}</div>\n'
            f'<div class="small">{_e(record["detail"])}</div>\n'
            f'<div class="small text-body-secondary"><a href="{_e(record["url"])}" hx-boost="false">'
            f"{_e(record['group_title'])}</a> · Group {group_id} · {_e(status[:1].upper() + status[1:])}"
            f"{f' · {_e(place)}' if place and not folded else ''} · {_e(record['owner'] or 'No owner')}</div>\n"
            f'{fold}</td>\n<td class="text-nowrap">{day(record["date"]) or "—"}</td>\n'
            f'<td class="text-nowrap">{seen(record)}</td>\n'
            f'<td class="attention-act">{self.actions(record)}</td>\n</tr>\n'
        )

    def fold_row(self, record: dict) -> str:
        """One location of a folded row, with its own buttons (the fold fragment)."""
        return (
            f'<li class="py-1 border-bottom attention-fold-row" id="fold-row-{_e(slugify(record["key"]))}">\n'
            f'<div class="small"><strong>{_e(record["location_name"] or "All locations")}</strong>:'
            f" {_e(record['detail'])}</div>\n{seen(record)}{self.actions(record)}</li>\n"
        )

    def table_rows(self, rows) -> list[SafeString]:
        """The page's rows (django-tables2's paginated rows) as markup (every value in them escaped by `_e`)."""
        return [mark_safe(self.table_row(row.record, index)) for index, row in enumerate(rows)]

    def fold_rows(self, records: list[dict]) -> list[SafeString]:
        """A folded row's locations as markup."""
        return [mark_safe(self.fold_row(record)) for record in records]
