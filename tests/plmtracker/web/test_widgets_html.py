"""`PlainSelect` and `DayInput` write what Django's widget templates write, for every kind of value and attribute."""

from datetime import date

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from plmtracker.web.widgets import DayInput, PlainSelect

CHOICES = [
    ("ALL", "All locations"),
    ("1", 'Main <store> & "dock"'),
    ("Group <1>", [("2", "a"), ("3", gettext_lazy("Lazy"))]),
    (4, mark_safe("<b>safe</b>")),
    ("", "---"),
]
ATTRS = [
    {"class": "form-select form-select-sm"},
    {"required": True, "disabled": False, "data-x": 'q"uote', "size": 3},
]


@pytest.mark.parametrize("attrs", ATTRS, ids=["class", "flags"])
@pytest.mark.parametrize("value", ["1", "3", 4, "", None, "missing"])
def test_the_html_is_djangos(attrs, value):
    def html(widget) -> str:
        return widget(attrs=attrs, choices=CHOICES).render("location<", value, attrs={"id": "id_location"})

    plain = html(PlainSelect)
    assert plain == html(forms.Select)
    assert plain.count("<option ") == 6 and plain.count(" selected") == (value != "missing")  # None picks the "" option
    assert "Main &lt;store&gt; &amp; &quot;dock&quot;" in plain and "<b>safe</b>" in plain


def test_a_bound_form_field_renders_the_same():
    class Form(forms.Form):
        plain = forms.ChoiceField(choices=CHOICES, widget=PlainSelect(attrs={"class": "x"}))
        django = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"class": "x"}))

    form = Form({"plain": "2", "django": "2"})
    assert str(form["plain"]).replace("plain", "django") == str(form["django"])


class DjangoDayInput(DayInput):
    """DayInput as Django's templates write it (the base class's render)."""

    def render(self, name, value, attrs=None, renderer=None):
        return forms.DateInput.render(self, name, value, attrs, renderer)


@pytest.mark.parametrize("value", [None, "", date(2026, 11, 20), "2026-13-45", 'x"<y>'])
@pytest.mark.parametrize("attrs", [None, {"class": "form-control", "required": True, "disabled": False}])
def test_the_day_input_writes_djangos_html(value, attrs):
    def html(widget) -> str:
        return widget(attrs=attrs).render("as_of<", value, attrs={"id": "id_as_of"})

    plain = html(DayInput)
    assert plain == html(DjangoDayInput)
    assert plain.startswith('<input type="text" name="as_of&lt;"') and 'pattern="\\d{4}-\\d{2}-\\d{2}"' in plain
    assert ("value=" in plain) == (value is not None)
