"""A planner uploads a links file in the browser: preview, commit, the groups."""

import pytest

from collector.models import ItemGroup, ItemLink
from collector.services import link_add
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_bulk_upload_preview_then_commit(page, log_in, planner, screenshot, tmp_path):
    items = {
        n: ItemFactory(erp_item_code=str(n), description=f"GLOVE EXAM NITRILE SIZE {n % 10}")
        for n in range(1000001, 1000008)
    }
    older = link_add(item_id=items[1000004].pk, replace_item_id=items[1000005].pk).group_id
    younger = link_add(item_id=items[1000006].pk, replace_item_id=items[1000007].pk).group_id
    ItemGroup.objects.filter(pk=younger).update(name="Nitrile size 6 switch")
    path = tmp_path / "links.csv"
    path.write_text(
        "item;replace;reason\n"
        "1000001;1000002;Manufacturer discontinued the original\n"
        "1000001;1000003;Second source\n"
        "1000005;1000006;Contract change\n"
        "1000009;1000002;Typo in the code\n",
        encoding="utf-8",
    )
    log_in(planner)
    page.goto("/collect/bulk")
    page.set_input_files("#id_file", str(path))
    page.click("text=Preview")
    preview = page.locator("#bulk-preview")
    preview.wait_for()
    assert page.locator("#bulk-new").inner_text() == "3"
    assert page.locator("#bulk-invalid").inner_text() == "1"
    assert "no item has the ERP code '1000009'" in page.locator("#bulk-errors").inner_text()
    groups = page.locator("#bulk-groups").inner_text()
    assert "New group 1" in groups and "1000001" in groups and "1000003" in groups
    assert "One item replaced by several" in page.locator("#bulk-conflicts").inner_text()
    # The merge of two existing groups shows both side by side: the younger one's name goes.
    compared = page.locator("#merge-comparison-1")
    assert compared.is_visible() and f"Group {younger}'s name is dropped." in compared.inner_text()
    assert "Nitrile size 6 switch dropped" in compared.locator('tr[data-field="name"]').inner_text()
    screenshot("collector-bulk-preview")
    assert ItemLink.objects.count() == 2

    page.click("text=Add the 3 new links, skip 1 bad row")
    page.locator("#bulk-done").wait_for()
    assert ItemLink.objects.count() == 5
    created = ItemGroup.objects.exclude(pk=older).get()  # the younger group was merged away
    assert f"Group {created.pk}" in page.locator("#bulk-groups").inner_text()
    assert "Added 3 links from links.csv" in page.locator("#bulk-done").inner_text()
    screenshot("collector-bulk-done")
    assert page.console_errors == []


def test_a_refused_file_shows_the_reason(page, log_in, planner, tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("item,reason\n1000001,x\n", encoding="utf-8")
    log_in(planner)
    page.goto("/collect/bulk")
    page.set_input_files("#id_file", str(path))
    page.click("text=Preview")
    feedback = page.locator(".invalid-feedback")
    feedback.wait_for()
    assert "missing the column replace" in feedback.inner_text()
    assert page.console_errors == []
