"""Steward import and export in the admin: the feed's checks, a preview, then the import on confirm."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from collector.models import ItemGroup, ItemLink, RelationAudit
from plmtracker.inventory.models import Item, ItemLocation, Location
from tests.factories import ItemFactory, LocationFactory, UomFactory, UserFactory
from tests.plmtracker.feeds.helpers import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

ADMINS = {
    "items": "admin:plmtracker_item",
    "locations": "admin:plmtracker_location",
    "item_locations": "admin:plmtracker_itemlocation",
    "links": "admin:collector_itemlink",
    "groups": "admin:collector_itemgroup",
}


def upload(client, kind, path, fmt_index=0):
    with open(path, "rb") as f:
        return client.post(reverse(f"{ADMINS[kind]}_import"), {"import_file": f, "format": fmt_index, "resource": 0})


def confirm(client, kind, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"{ADMINS[kind]}_process_import"), {k: form[k].value() for k in form.fields})


@pytest.fixture
def uoms():
    return UomFactory(code="EA"), UomFactory(code="BX", description="Box")


def test_items_preview_then_confirm(steward_client, uoms, tmp_path):
    ItemFactory(erp_item_code="1000001", description="OLD", base_uom=uoms[0])
    header = ["erp_item_code", "description", "base_uom", "active_flag"]
    rows = [["1000001", "NEW NAME", "EA", "1"], ["2000001", "=SUM(A1)", "BX", "0"]]
    preview = upload(steward_client, "items", write_csv(tmp_path / "items.csv", header, rows))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview" in page and "NEW NAME" in page
    assert [r.import_type for r in preview.context["result"].rows] == ["update", "new"]
    assert Item.objects.get(erp_item_code="1000001").description == "OLD"  # nothing yet

    done = confirm(steward_client, "items", preview)
    assert done.status_code == 302
    assert Item.objects.get(erp_item_code="1000001").description == "NEW NAME"
    assert Item.objects.get(erp_item_code="2000001").description == "=SUM(A1)"
    shown = [str(m) for m in done.wsgi_request._messages]
    assert shown == ["Imported the items file: 1 created, 1 updated, 0 unchanged."]


def test_bad_rows_are_listed_with_the_feed_messages_and_no_confirm(steward_client, uoms, tmp_path):
    header = ["erp_item_code", "description", "base_uom", "active_flag"]
    rows = [
        ["2000001", "A", "XX", "1"],
        ["2000002", "B", "EA", "maybe"],
        ["2000003", "C", "EA", "1"],
        ["2000003", "D", "EA", "1"],
    ]
    response = upload(steward_client, "items", write_csv(tmp_path / "items.csv", header, rows))
    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert "no unit of measure has the code &#x27;XX&#x27;" in page
    assert "is not a yes/no flag" in page
    assert "same erp_item_code as line 4" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert [r.number for r in response.context["result"].invalid_rows] == [2, 3, 5]
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"erp_item_code,description\n", "header row but no data rows"),
        (b"", "file is empty"),
        (b"description\nx\n", "missing the column erp_item_code"),
        (b"erp_item_code\n\xff\n", "Line 2 is not UTF-8 text"),
    ],
)
def test_a_file_it_cannot_take_is_a_form_error(steward_client, tmp_path, content, message):
    path = tmp_path / "items.csv"
    path.write_bytes(content)
    response = upload(steward_client, "items", path)
    assert message in str(response.context["form"].errors["import_file"])


def test_item_locations_from_xlsx_upsert_locations(steward_client, uoms, tmp_path):
    ItemFactory(erp_item_code="1000001")
    header = ["erp_item_code", "location_id", "location_name", "location_type", "on_hand_ea"]
    path = write_xlsx(tmp_path / "il.xlsx", header, [["1000001", "300", "ICU PAR", "par", "12"]])
    preview = upload(steward_client, "item_locations", path, fmt_index=1)
    assert preview.context["confirm_form"] is not None
    confirm(steward_client, "item_locations", preview)
    assert Location.objects.get(location_id=300).location_name == "ICU PAR"
    assert ItemLocation.objects.get(location_id=300).on_hand_ea == 12


def test_links_go_through_the_collector_services(steward_client, steward, tmp_path):
    a, b, c = ItemFactory(), ItemFactory(), ItemFactory()
    rows = [[a.erp_item_code, b.erp_item_code, "EOL"], [a.erp_item_code, c.erp_item_code, ""]]
    preview = upload(steward_client, "links", write_csv(tmp_path / "l.csv", ["item", "replace", "reason"], rows))
    assert not ItemLink.objects.exists()
    confirm(steward_client, "links", preview)
    assert ItemLink.objects.count() == 2
    assert ItemGroup.objects.count() == 1
    assert RelationAudit.objects.filter(action="link_add", user=steward, details__via="import").count() == 2


def test_groups_change_through_the_service(steward_client, steward, tmp_path):
    from collector.services import link_add

    group_id = link_add(item_id=ItemFactory().pk, replace_item_id=ItemFactory().pk).group_id
    path = write_csv(tmp_path / "g.csv", ["group_id", "status", "owner"], [[str(group_id), "active", steward.email]])
    confirm(steward_client, "groups", upload(steward_client, "groups", path))
    group = ItemGroup.objects.get()
    assert (group.status, group.owner) == ("active", steward)
    assert RelationAudit.objects.filter(action="group_update", group_id=group_id).exists()


def test_export_uses_the_feed_columns_and_defuses_formulas(steward_client, uoms):
    ItemFactory(erp_item_code="1000001", description="@SUM(A1)", base_uom=uoms[0])
    response = steward_client.post(reverse("admin:plmtracker_item_export"), {"format": 0, "resource": 0})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["erp_item_code", "description", "base_uom", "active_flag"], ["1000001", "'@SUM(A1)", "EA", "1"]]


def test_export_follows_the_list_filter(steward_client):
    LocationFactory(location_id=1, location_type="par")
    LocationFactory(location_id=2, location_type="main")
    url = reverse("admin:plmtracker_location_export") + "?location_type__exact=main"
    response = steward_client.post(url, {"format": 0, "resource": 0})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["2"]


def test_only_stewards_import_and_export(uoms):
    staff = UserFactory(is_staff=True)  # admin-site access without the steward role
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:plmtracker_item_import")).status_code == 403
    assert client.get(reverse("admin:plmtracker_item_export")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_admin_import_takes_at_most_its_rows(steward_client, uoms, tmp_path, settings, fmt):
    settings.PLM_ADMIN_IMPORT_MAX_ROWS = 3
    header = ["erp_item_code", "description", "base_uom", "active_flag"]
    rows = [[f"200000{n}", f"ITEM {n}", "EA", "1"] for n in range(4)]
    write = write_xlsx if fmt == "xlsx" else write_csv
    fits = upload(
        steward_client, "items", write(tmp_path / f"fits.{fmt}", header, rows[:3]), ["csv", "xlsx"].index(fmt)
    )
    assert fits.context["confirm_form"] is not None
    over = upload(steward_client, "items", write(tmp_path / f"over.{fmt}", header, rows), ["csv", "xlsx"].index(fmt))
    message = str(over.context["form"].errors["import_file"])
    if fmt == "csv":
        assert "The admin import takes at most 3 rows (it previews every one); this file has more." in message
        assert "manage.py import_data items FILE" in message
    else:  # refused before the workbook is parsed
        assert "The sheet declares 5 rows; at most 4 are read (the admin import takes at most 3 rows)." in message
    assert not Item.objects.exists()
