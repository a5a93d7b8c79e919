"""Form widgets shared by the apps."""

from django import forms

DAY_PATTERN = r"\d{4}-\d{2}-\d{2}"


class DayInput(forms.DateInput):
    """A day, shown and typed YYYY-MM-DD whatever the browser's locale.

    A text input with a pattern, not `type="date"` (which shows the browser's
    locale, e.g. 11/20/2026); static/js/dates.js adds a calendar button that
    opens the browser's own picker and writes its pick back as YYYY-MM-DD.
    """

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        defaults = {
            "pattern": DAY_PATTERN,
            "placeholder": "YYYY-MM-DD",
            "title": "A day written YYYY-MM-DD",
            "inputmode": "numeric",
            "maxlength": "10",
            "autocomplete": "off",
            "data-day-input": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%Y-%m-%d")
