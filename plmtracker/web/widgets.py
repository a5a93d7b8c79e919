"""Form widgets shared by the apps."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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

    def render(self, name, value, attrs=None, renderer=None):
        """Django's `input.html`, written in Python (its attribute include cost most of a dashboard's filters)."""
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{shown}{_attrs_html(widget['attrs'])}>"
        )


def _attrs_html(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html`, written in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A `Select` written in Python, the same HTML as Django's `select.html` and `select_option.html` templates.

    Django renders each option through two template includes; a page's location selector (every location, on
    every dashboard request) cost more than the rest of the filter form. Only the template is left out: the
    context (choices, selection, attributes) is Django's own `get_context`.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs_html(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))
