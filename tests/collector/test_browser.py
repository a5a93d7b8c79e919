"""A planner records a replacement in /collect with the pickers and sees the group it makes."""

import re

import pytest
from playwright.sync_api import expect

from collector import services
from collector.models import ItemGroupMember, ItemLink
from tests.conftest import ARTIFACTS
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    """An existing conversion (glove A -> glove B) and a third glove that will replace B."""
    old = ItemFactory(erp_item_code="4410001", description="GLOVE EXAM NITRILE PF MD BLUE 100/BX")
    new = ItemFactory(erp_item_code="4410002", description="GLOVE EXAM NITRILE PF MD VIOLET 100/BX")
    newest = ItemFactory(erp_item_code="5520009", description="GLOVE SURG SYNTHETIC STERILE SZ 7 CHEMO")
    ItemFactory(erp_item_code="4410003", description="SYRINGE LUER LOCK 10ML")
    group_id = services.link_add(item_id=old.pk, replace_item_id=new.pk, reason="Backorder").group_id
    return {"old": old, "new": new, "newest": newest, "group_id": group_id}


def test_planner_records_a_link_with_the_pickers_and_opens_the_group(page, log_in, planner, catalog, screenshot):
    log_in(planner)
    page.goto("/collect")
    expect(page.get_by_role("heading", name="Record a replacement")).to_be_visible()

    # Item picker, by keyboard: type the start of the ERP code, arrow down, Enter.
    item = page.get_by_role("combobox", name="Item (being replaced)")
    item.press_sequentially("441000", delay=30)
    listbox = page.get_by_role("listbox", name="Item (being replaced): matches")
    expect(listbox.get_by_role("option")).to_have_count(3)
    expect(item).to_have_attribute("aria-expanded", "true")
    item.press("ArrowDown")
    item.press("ArrowDown")
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("4410002")
    item.press("Enter")
    expect(item).to_have_value("4410002 — GLOVE EXAM NITRILE PF MD VIOLET 100/BX")
    expect(listbox).to_be_hidden()
    # The item's card shows its group and neighbours.
    card = page.locator("#item-card")
    expect(card).to_contain_text("GLOVE EXAM NITRILE PF MD BLUE 100/BX ->")  # the group's derived title
    expect(card).to_contain_text("Replaces: 4410001")

    # Replace picker, by mouse: words of the description.
    replace = page.get_by_role("combobox", name="Replace item (the replacement)")
    replace.press_sequentially("surg chemo", delay=30)
    option = page.get_by_role("listbox", name="Replace item (the replacement): matches").get_by_role("option")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("Not in a group")
    option.click()
    expect(page.locator("#replace-card")).to_contain_text("Not in a group")

    # The preview: 5520009 joins the existing group as a replacement, after its two members.
    preview = page.locator("#link-preview")
    expect(preview).to_contain_text(f"(group {catalog['group_id']})")
    expect(preview).to_contain_text("Joins GLOVE EXAM NITRILE PF MD BLUE 100/BX")
    rows = preview.locator("#preview-members tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("5520009")
    expect(rows.nth(2)).to_contain_text("Replacement")
    expect(rows.nth(2)).to_contain_text("joins")
    page.get_by_label("Reason").fill("Violet glove discontinued")
    screenshot("collect_preview")

    page.get_by_role("button", name="Record link").click()
    toast = page.locator("#toasts .toast")
    expect(toast).to_be_visible()
    expect(toast).to_have_class(re.compile(r"\bshow\b"))
    page.wait_for_timeout(400)  # the toast's fade-in, for the screenshot
    expect(toast).to_contain_text("Recorded: 4410002 is replaced by 5520009.")
    screenshot("collect_recorded")
    assert ItemLink.objects.filter(
        item=catalog["new"], replace_item=catalog["newest"], reason="Violet glove discontinued"
    ).exists()
    assert ItemGroupMember.objects.get(item=catalog["newest"]).group_id == catalog["group_id"]

    toast.get_by_role("link", name=f"Open group {catalog['group_id']}").click()
    expect(page.get_by_role("heading", name="GLOVE EXAM NITRILE PF MD BLUE 100/BX -> GLOVE")).to_be_visible()
    graph = page.locator("#group-graph-svg")
    expect(graph).to_be_visible()
    expect(graph.locator("g.node")).to_have_count(3)
    expect(graph.locator("path.edge")).to_have_count(2)
    expect(graph.locator("g.node.role-original")).to_contain_text("4410001")
    expect(page.locator("#group-history")).to_contain_text("4410002 is replaced by 5520009")
    expect(page).to_have_url(re.compile(rf"/groups/{catalog['group_id']}$"))
    screenshot("group_detail_planner")
    assert page.console_errors == []


def test_escape_closes_the_options_and_a_self_link_is_refused_in_the_preview(page, log_in, planner, catalog):
    log_in(planner)
    page.goto("/collect")
    item = page.get_by_role("combobox", name="Item (being replaced)")
    item.press_sequentially("4410001", delay=20)
    listbox = page.get_by_role("listbox", name="Item (being replaced): matches")
    expect(listbox.get_by_role("option")).to_have_count(1)
    item.press("Escape")
    expect(listbox).to_be_hidden()
    expect(item).to_have_attribute("aria-expanded", "false")
    item.press("ArrowDown")
    item.press("Enter")
    replace = page.get_by_role("combobox", name="Replace item (the replacement)")
    replace.press_sequentially("4410001", delay=20)
    page.get_by_role("listbox", name="Replace item (the replacement): matches").get_by_role("option").click()
    expect(page.locator("[data-warning=self_link]")).to_contain_text("cannot replace itself")
    expect(page.get_by_role("button", name="Record link")).to_be_disabled()
    assert page.console_errors == []


def test_steward_sees_the_curation_tools_and_splits_with_a_preview(page, log_in, steward, catalog, screenshot):
    services.link_add(item_id=catalog["new"].pk, replace_item_id=catalog["newest"].pk)
    log_in(steward)
    page.goto(f"/groups/{catalog['group_id']}")
    expect(page.get_by_role("button", name="Save settings")).to_be_visible()
    page.locator(f"#split-{catalog['newest'].pk}").check()
    cut = page.locator("#split-cut-links")
    expect(cut).to_contain_text("4410002 → 5520009")
    expect(page.get_by_role("button", name="Split 1 member off")).to_be_enabled()
    expect(page.locator("#split-alone")).to_contain_text("5520009 would be left alone in a group of one")
    page.get_by_label("Leave it alone in a group of one").check()
    screenshot("group_detail_steward")
    page.get_by_role("button", name="Split 1 member off").click()
    expect(page.locator("#toasts .toast")).to_contain_text("1 member(s) split off into group")
    assert ItemGroupMember.objects.get(item=catalog["newest"]).group_id != catalog["group_id"]
    assert not ItemLink.objects.filter(item=catalog["new"], replace_item=catalog["newest"]).exists()
    assert page.console_errors == []


@pytest.fixture
def many_groups(steward):
    """Thirty groups (one with a conflict), so the list has two pages."""
    made = []
    for n in range(30):
        a = ItemFactory(erp_item_code=f"77{n:03d}01", description=f"CATHETER IV {n}G SAFETY")
        b = ItemFactory(erp_item_code=f"77{n:03d}02", description=f"CATHETER IV {n}G SAFETY NEW")
        made.append(services.link_add(item_id=a.pk, replace_item_id=b.pk, reason="Vendor change").group_id)
    extra = ItemFactory(erp_item_code="7799999", description="CATHETER IV SPARE")
    services.link_add(
        item_id=ItemGroupMember.objects.filter(group_id=made[0]).first().item_id, replace_item_id=extra.pk
    )
    for group_id in made[:5]:
        services.group_update(group_id=group_id, status="active", owner=steward)
    return made


def test_groups_list_filters_sorts_and_pages_without_reloading(page, log_in, steward, many_groups, screenshot):
    log_in(steward)
    page.goto("/groups")
    table = page.locator("#groups-table")
    expect(table).to_contain_text("30 groups")
    page.evaluate("window.__still_here = true")  # gone if the page reloads
    page.get_by_label("Status").select_option("active")
    expect(table).to_contain_text("5 groups")
    expect(page).to_have_url(re.compile(r"status=active"))  # the filter is in the address, for a bookmark
    page.get_by_label("Status").select_option("")
    expect(table).to_contain_text("30 groups")
    table.get_by_role("link", name="Members").click()  # sort by member count
    expect(table.locator("th.asc")).to_have_text("Members")
    table.get_by_role("link", name="Members").click()  # descending
    expect(table.locator("th.desc")).to_have_text("Members")
    expect(table.locator("tbody tr").first.locator("td").nth(5)).to_have_text("3")  # after the name
    table.get_by_role("navigation").get_by_role("link", name="2", exact=True).click()  # page 2
    expect(table.locator("tbody tr")).to_have_count(5)
    assert page.evaluate("window.__still_here") is True
    page.get_by_label("Member").fill("spare")
    expect(table).to_contain_text("1 group")
    screenshot("groups_list")
    assert page.console_errors == []


def test_conflicts_page_keeps_a_conflict_as_many_to_many(page, log_in, steward, many_groups, screenshot):
    log_in(steward)
    page.goto("/conflicts")
    rows = page.locator("#conflicts tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("One item replaced by several")
    screenshot("conflicts")
    rows.first.get_by_placeholder("Why (optional)").fill("Both catheters stay on contract")
    rows.first.get_by_role("button", name="Keep as many-to-many").click()
    expect(page.locator("#toasts .toast")).to_contain_text("kept as many-to-many")
    expect(page.locator("#conflicts-table")).to_contain_text("0 conflicts")
    page.get_by_label("State").select_option("kept")
    kept = page.locator("#conflicts tbody tr").first
    expect(kept).to_contain_text("Sam Steward")
    kept.locator("a[href^='/groups/']").first.click()  # the group's title links to its page
    history = page.locator("#group-history")
    expect(history).to_contain_text("Conflict kept as many-to-many")
    expect(history).to_contain_text("Both catheters stay on contract")
    assert page.console_errors == []


def test_steward_merges_with_the_group_picker(page, log_in, steward, catalog, screenshot):
    other = ItemFactory(erp_item_code="6600001", description="GLOVE EXAM LATEX PF MD")
    spare = ItemFactory(erp_item_code="6600002", description="GLOVE EXAM LATEX PF MD NEW")
    target = services.link_add(item_id=other.pk, replace_item_id=spare.pk).group_id
    log_in(steward)
    page.goto(f"/groups/{catalog['group_id']}")
    picker = page.get_by_role("combobox", name="Target group")
    picker.press_sequentially("6600", delay=30)
    option = page.get_by_role("listbox", name="Target group: matches").get_by_role("option")
    expect(option).to_have_count(1)
    expect(option).to_contain_text(f"Group {target}")
    expect(option).to_contain_text("GLOVE EXAM LATEX PF MD -> GLOVE EXAM LATEX PF MD NEW")
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(page.locator("#target-value")).to_have_value(str(target))
    comparison = page.locator("#merge-comparison")  # both groups side by side, fetched when the target is chosen
    expect(comparison).to_contain_text(f"Group {target} keeps its own settings")
    both = ItemGroupMember.objects.filter(group_id__in=(target, catalog["group_id"])).count()
    expect(comparison.locator('tr[data-field="member_count"] td').last).to_contain_text(f"→ {both} after")
    screenshot("group_merge_picker")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    card = page.locator("#merge")
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(ARTIFACTS / "group_merge_confirmation_390.png"))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Merge group {catalog['group_id']}").click()
    expect(page.locator("#toasts .toast")).to_contain_text(f"merged into group {target}")
    expect(page.get_by_role("heading", name="GLOVE EXAM LATEX PF MD -> GLOVE EXAM LATEX PF MD NEW")).to_be_visible()
    expect(page.locator("#group-graph-svg g.node")).to_have_count(4)
    assert set(ItemGroupMember.objects.values_list("group_id", flat=True)) == {target}
    assert page.console_errors == []
