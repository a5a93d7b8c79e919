"""A steward imports items in the admin: choose the file, read the preview, confirm."""

import pytest

from plmtracker.inventory.models import Item
from tests.factories import ItemFactory, UomFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_import_preview_and_confirm(page, log_in, steward, screenshot, tmp_path):
    ea = UomFactory(code="EA")
    ItemFactory(erp_item_code="1000001", description="GLOVE EXAM NITRILE M", base_uom=ea)
    path = tmp_path / "items.csv"
    path.write_text(
        "erp_item_code;description;base_uom;active_flag\n"
        "1000001;GLOVE EXAM NITRILE PF M BLUE;EA;yes\n"
        "2000001;SYRINGE LUER LOCK 10ML;EA;1\n",
        encoding="utf-8",
    )
    log_in(steward)
    page.goto("/admin/plmtracker/item/")
    page.click("a.import_link")
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    preview = page.locator("table.import-preview")
    preview.wait_for()
    assert "Update" in preview.inner_text() and "New" in preview.inner_text()
    assert "SYRINGE LUER LOCK 10ML" in preview.inner_text()
    screenshot("admin-items-import-preview")
    assert not Item.objects.filter(erp_item_code="2000001").exists()

    page.click("input[name=confirm]")
    page.wait_for_url("**/admin/plmtracker/item/")
    assert "Imported the items file: 1 created, 1 updated, 0 unchanged." in page.inner_text("body")
    assert Item.objects.get(erp_item_code="1000001").description == "GLOVE EXAM NITRILE PF M BLUE"
    assert page.console_errors == []
