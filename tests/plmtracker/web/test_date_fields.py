"""Every field that takes a day from people or files takes it through the shared range validator.

A day near the calendar's ends makes date arithmetic overflow (a 500 for everyone
who opens the page afterwards), so each model, form, filter and serializer field
of type date passes `validators=[day_in_range]` (plmtracker/web/dates.py), or is
read-only (it only describes an answer). This walks the source, so a new field
cannot be forgotten.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from plmtracker.web.dates import day_in_range

ROOT = Path(__file__).resolve().parents[3]
APPS = ["accounts", "attention", "collector", "dashboard", "plmtracker"]
# module alias -> the date field classes it declares with
DATE_FIELDS = {
    "models": {"DateField"},
    "forms": {"DateField"},
    "serializers": {"DateField"},
    "django_filters": {"DateFilter", "DateFromToRangeFilter"},
}


def sources() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    )


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def takes_days_in_range(call: ast.Call) -> bool:
    validators = keyword(call, "validators")
    if validators is not None and "day_in_range" in ast.unparse(validators):
        return True
    read_only = keyword(call, "read_only")
    return isinstance(read_only, ast.Constant) and read_only.value is True


def date_fields(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.attr in DATE_FIELDS.get(node.func.value.id, ())
        ):
            yield node


def test_the_walk_finds_the_date_fields():
    found = [(path.relative_to(ROOT), call.lineno) for path in sources() for call in date_fields(path)]
    assert len(found) >= 40  # models, forms, filters and the API's serializers


def test_every_date_field_takes_its_day_through_the_range_validator():
    loose = [
        f"{path.relative_to(ROOT)}:{call.lineno}: {ast.unparse(call)[:80]}"
        for path in sources()
        for call in date_fields(path)
        if not takes_days_in_range(call)
    ]
    assert not loose, "pass validators=[day_in_range] (or read_only=True for an answer's field):\n" + "\n".join(loose)


@pytest.mark.parametrize(
    "model", [m for m in apps.get_models() if m._meta.app_label in APPS], ids=lambda m: m._meta.label
)
def test_every_model_date_column_checks_its_range(model):
    for field in model._meta.get_fields():
        if type(field) is models.DateField:
            assert day_in_range in field.validators, f"{model._meta.label}.{field.name}"
