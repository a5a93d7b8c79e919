"""The dashboard's selectors: the day, the location and the trend length, validated once for pages and API."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from dashboard.outcomes import MAX_TREND_DAYS
from dashboard.queries import Filters
from plmtracker.web.dates import day_in_range
from plmtracker.web.widgets import DayInput, PlainSelect

ALL = "ALL"
DAYS_CHOICES = [30, 60, 90, 180, 365]
DEFAULT_DAYS = 90
MAX_DAYS = MAX_TREND_DAYS


class KpiFilterForm(forms.Form):
    """`as_of` (YYYY-MM-DD, default today), `location_id` (ALL or a location number), `days` (trend length)."""

    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[day_in_range],
        widget=DayInput(attrs={"class": "form-control form-control-sm"}),
        error_messages={"invalid": "The “as of” day must be a date written YYYY-MM-DD, e.g. 2026-11-20."},
    )
    location_id = forms.TypedChoiceField(
        required=False,
        widget=PlainSelect(attrs={"class": "form-select form-select-sm"}),  # every location, every page
        error_messages={"invalid_choice": "There is no location %(value)s: use ALL or a location number."},
    )
    days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_DAYS,
        widget=PlainSelect(
            choices=[(d, f"{d} days") for d in DAYS_CHOICES], attrs={"class": "form-select form-select-sm"}
        ),
        error_messages={
            "invalid": "The trend length must be a whole number of days.",
            "min_value": "The trend must be at least 1 day long.",
            "max_value": f"The trend can be at most {MAX_DAYS} days long.",
        },
    )

    def __init__(self, data, locations: list[tuple[int, str]], **kwargs):
        # What is left out takes its default, and the selectors show it.
        data = data.copy()
        for name, default in (
            ("as_of", timezone.localdate().isoformat()),
            ("location_id", ALL),
            ("days", DEFAULT_DAYS),
        ):
            if not data.get(name):
                data[name] = str(default)
        super().__init__(data, **kwargs)
        field = self.fields["location_id"]
        field.choices = [(ALL, "All locations"), *((str(pk), label) for pk, label in locations)]
        field.coerce = lambda value: None if value in ("", ALL) else int(value)
        field.empty_value = None

    def clean_location_id(self):
        value = self.data.get("location_id", "")
        return None if value in ("", ALL) else self.cleaned_data["location_id"]

    @property
    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(as_of=data.get("as_of") or timezone.localdate(), location_id=data.get("location_id"))

    @property
    def trend_days(self) -> int:
        return self.cleaned_data.get("days") or DEFAULT_DAYS

    def first_error(self) -> str:
        """The first problem, as one sentence (the JSON API's {"error": ...}); each message names what it is about."""
        for errors in self.errors.values():
            return errors[0]
        return ""
