"""The browser harness: a real chromium logs in to the admin and opens a changelist."""

import pytest

from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_login_and_item_changelist(page, screenshot):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    ItemFactory(erp_item_code="4455667", description="CATHETER FOLEY 16FR 10ML SILICONE BD")

    page.goto("/admin/login/")
    page.fill("input[name=username]", "root@example.org")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Items", exact=True).click()
    page.wait_for_url("**/admin/plmtracker/item/")
    assert page.locator("#result_list").inner_text().count("4455667") == 1
    assert "CATHETER FOLEY 16FR" in page.locator("#result_list").inner_text()
    screenshot("admin-item-changelist")
    assert page.console_errors == []
