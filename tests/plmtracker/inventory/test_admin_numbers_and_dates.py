"""Numbers and dates typed into the admin stay ones every database reads back and every page shows.

Before: the admin took on-hand 9999999999999999.99 and burn 999999999999.999999 (more than the
15 significant digits a double keeps: SQLite could not read them back, and the item page, its
KPI API, the row's admin page and the PO-line list answered 500 from then on), a last count on
9999-12-31 23:59:59 with a UTC+14 site time zone (the item admin pages and the item_locations
export answered 500), and `?po_date__year=9999` or `?as_of_date__year=9999` (500).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from plmtracker.inventory.models import BurnRateDaily, ItemLocation, PoLine
from tests.factories import BurnRateFactory, ItemFactory, ItemLocationFactory, LocationFactory, PoLineFactory

pytestmark = pytest.mark.django_db

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14


@pytest.fixture
def stock():
    item = ItemFactory(erp_item_code="1000001")
    row = ItemLocationFactory(item=item, location=LocationFactory(location_id=2001), on_hand_ea=5)
    return item, row


def change(admin_client, row, **values):
    """Post the item location's admin form with `values` changed; the response."""
    url = reverse("admin:plmtracker_itemlocation_change", args=[row.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(values)
    return admin_client.post(url, data)


def pages_read_back(admin_client, item) -> list[int]:
    urls = [
        reverse("admin:plmtracker_item_change", args=[item.pk]),
        reverse("admin:plmtracker_itemlocation_changelist"),
        reverse("admin:plmtracker_itemlocation_change", args=[item.locations.get().pk]),
        f"/dashboard/items/{item.pk}",
        f"/api/items/{item.pk}/kpis",
    ]
    return [admin_client.get(url).status_code for url in urls]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("on_hand_ea", "9999999999999999.99", "at most 13 digits before the point"),
        ("reorder_point", "10000000000000", "at most 13 digits before the point"),
    ],
)
def test_the_admin_refuses_numbers_a_double_cannot_keep(admin_client, stock, field, value, message):
    item, row = stock
    response = change(admin_client, row, **{field: value})
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    assert ItemLocation.objects.get().on_hand_ea == 5
    assert pages_read_back(admin_client, item) == [200] * 5


def test_the_largest_number_that_fits_is_taken_and_read_back(admin_client, stock):
    item, row = stock
    assert change(admin_client, row, on_hand_ea="9999999999999.99").status_code == 302
    assert ItemLocation.objects.get().on_hand_ea == Decimal("9999999999999.99")
    assert pages_read_back(admin_client, item) == [200] * 5


def test_burn_and_po_lines_keep_fifteen_digits(admin_client, stock):
    item, row = stock
    burn = BurnRateFactory(item=item, location=row.location)
    url = reverse("admin:plmtracker_burnratedaily_change", args=[burn.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = admin_client.post(url, {**data, "burnrate_ea_per_day": "999999999999.999999"})
    assert "at most 9 digits before the point" in str(response.context["adminform"].form.errors)
    assert BurnRateDaily.objects.get().burnrate_ea_per_day == burn.burnrate_ea_per_day
    line = PoLineFactory(item=item)
    price = PoLine.objects.get().price
    url = reverse("admin:plmtracker_poline_change", args=[line.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = admin_client.post(url, {**data, "price": "99999999999999.9999"})
    assert "at most 11 digits before the point" in str(response.context["adminform"].form.errors)
    assert admin_client.get(reverse("admin:plmtracker_poline_changelist")).status_code == 200
    assert PoLine.objects.get().price == price


@pytest.mark.parametrize(
    ("max_digits", "places", "fits", "too_large"),
    [(18, 2, "9999999999999.99", "10000000000000"), (18, 6, "-999999999.999999", "-1000000000"), (15, 6, "1", "1e9")],
)
def test_the_validator_keeps_the_feeds_rule(max_digits, places, fits, too_large):
    from django.core.exceptions import ValidationError

    from plmtracker.feeds import cells
    from plmtracker.web.validators import FitsADouble

    validator = FitsADouble(max_digits, places)
    validator(Decimal(fits))
    cells.decimal(max_digits, places, minimum=None)(fits)
    with pytest.raises(ValidationError):
        validator(Decimal(too_large))
    with pytest.raises(cells.CellError):
        cells.decimal(max_digits, places, minimum=None)(too_large)


def test_a_last_count_past_the_range_is_refused_in_a_far_east_time_zone(admin_client, stock, settings):
    settings.TIME_ZONE = KIRITIMATI
    item, row = stock
    response = change(admin_client, row, last_counted_at_0="9999-12-31", last_counted_at_1="23:59:59")
    assert response.status_code == 200
    assert "outside the dates the tracker takes" in str(response.context["adminform"].form.errors)
    assert ItemLocation.objects.get().last_counted_at is None
    assert change(admin_client, row, last_counted_at_0="2999-12-31", last_counted_at_1="23:59:59").status_code == 302
    assert pages_read_back(admin_client, item) == [200] * 5
    export = admin_client.post(reverse("admin:plmtracker_itemlocation_export"), {"format": 0, "resource": 0})
    assert export.status_code == 200 and "2999-12-31 23:59" in export.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("model", "field"),
    [("poline", "po_date"), ("burnratedaily", "as_of_date"), ("onhandsnapshot", "snapshot_date")],
)
@pytest.mark.parametrize(
    "query",
    ["{f}__year=9999", "{f}__year=9999&{f}__month=12", "{f}__year=9999&{f}__month=12&{f}__day=31", "{f}__year=1"],
)
def test_a_date_filter_outside_the_range_is_refused_not_a_500(admin_client, stock, model, field, query):
    PoLineFactory(item=stock[0])
    url = reverse(f"admin:plmtracker_{model}_changelist")
    response = admin_client.get(f"{url}?{query.format(f=field)}")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")  # Django's "bad filter" answer
    assert admin_client.get(f"{url}?{field}__year=2026").status_code == 200


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("admin:collector_relationaudit_changelist", "at__year=9999"),
        ("admin:attention_digestsent_changelist", "as_of__year=9999"),
    ],
)
def test_every_date_hierarchy_refuses_far_years(admin_client, url, query):
    response = admin_client.get(f"{reverse(url)}?{query}")
    assert response.status_code == 302
