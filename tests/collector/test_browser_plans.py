"""A steward plans a conversion on its group page; a planner records a link with a ratio."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collector import services
from collector.models import GroupLocationPlan, ItemGroup, ItemLink
from tests.factories import ItemFactory, ItemLocationFactory, LocationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def conversion():
    """Gauze 2x2 replaced by gauze 4x4, stocked at two wards: ready at one, only set up at the other."""
    old = ItemFactory(erp_item_code="7710001", description="GAUZE SPONGE 2X2 12PLY STERILE")
    new = ItemFactory(erp_item_code="7710002", description="GAUZE SPONGE 4X4 12PLY STERILE")
    group_id = services.link_add(item_id=old.pk, replace_item_id=new.pk).group_id
    north = LocationFactory(location_id=2010, location_name="PAR 3 NORTH MED/SURG")
    icu = LocationFactory(location_id=2040, location_name="PAR MICU")
    for place in (north, icu):
        ItemLocationFactory(item=old, location=place, on_hand_ea=80)
    ItemLocationFactory(item=new, location=north, on_hand_ea=120, reorder_point=40, reorder_upto_qty=200)
    ItemLocationFactory(item=new, location=icu, on_hand_ea=0, reorder_point=20)
    return {"group_id": group_id, "north": north, "icu": icu}


def test_steward_names_the_group_sets_a_policy_and_go_lives_and_sees_the_stages(
    page, log_in, steward, conversion, screenshot
):
    group_id = conversion["group_id"]
    today = timezone.localdate()
    log_in(steward)
    page.goto(f"/groups/{group_id}")
    north, icu = page.locator("#location-2010"), page.locator("#location-2040")
    expect(north.locator("[data-stage]")).to_have_text("Ready")
    expect(icu.locator("[data-stage]")).to_have_text("Set up")

    plan = page.locator("#plan")
    plan.get_by_label("Name").fill("Gauze 2x2 to 4x4")
    plan.get_by_label("Use-up policy").select_option("immediate")
    plan.get_by_label("Last order").fill((today + timedelta(days=20)).isoformat())
    plan.get_by_role("button", name="Save plan").click()
    expect(page.locator("#toasts .toast")).to_contain_text("Plan of Gauze 2x2 to 4x4 saved.")
    expect(page.get_by_role("heading", name="Gauze 2x2 to 4x4")).to_be_visible()
    expect(page.locator("nav .breadcrumb")).to_contain_text("Gauze 2x2 to 4x4")

    # North went live yesterday: it is stocked with par, so it is live.
    north.get_by_label("Go-live at PAR 3 NORTH MED/SURG").fill((today - timedelta(days=1)).isoformat())
    north.get_by_role("button", name="Save").click()
    expect(north.locator("[data-stage]")).to_have_text("Live")
    expect(north).to_contain_text("Saved")
    # The ICU goes live in five days but has no stock of the replacement yet: at risk.
    icu.get_by_label("Note for PAR MICU").fill("Par cart arrives Monday")
    icu.get_by_label("Go-live at PAR MICU").fill((today + timedelta(days=5)).isoformat())
    icu.get_by_role("button", name="Save").click()
    expect(icu.locator("[data-flag=at_risk]")).to_have_text("At risk")
    expect(icu.locator("[data-stage]")).to_have_text("Set up")
    page.locator("#locations").scroll_into_view_if_needed()
    screenshot("group_plan_go_lives")

    group = ItemGroup.objects.get(pk=group_id)
    assert (group.name, group.use_up_policy) == ("Gauze 2x2 to 4x4", "immediate")
    assert dict(GroupLocationPlan.objects.values_list("location_id", "go_live_date")) == {
        2010: today - timedelta(days=1),
        2040: today + timedelta(days=5),
    }
    page.reload()
    expect(page.locator("#group-history")).to_contain_text("Go-live at PAR MICU: none →")
    assert page.console_errors == []


def test_planner_records_a_link_with_a_ratio_and_sees_it_in_the_preview(page, log_in, planner, screenshot):
    ItemFactory(erp_item_code="7720001", description="GAUZE SPONGE 2X2 8PLY NONSTERILE")
    ItemFactory(erp_item_code="7720002", description="GAUZE SPONGE 4X4 8PLY NONSTERILE")
    log_in(planner)
    page.goto("/collect")
    item = page.get_by_role("combobox", name="Item (being replaced)")
    item.press_sequentially("7720001", delay=30)
    page.get_by_role("listbox", name="Item (being replaced): matches").get_by_role("option").first.click()
    replace = page.get_by_role("combobox", name="Replace item (the replacement)")
    replace.press_sequentially("7720002", delay=30)
    page.get_by_role("listbox", name="Replace item (the replacement): matches").get_by_role("option").first.click()
    preview = page.locator("#preview-ratio")
    expect(preview).to_contain_text("Ratio 1:")
    page.get_by_label("Ratio").fill("0.5")
    expect(preview).to_contain_text("Ratio 0.5: 1 each of 7720001 is replaced by 0.5 each of 7720002.")
    screenshot("collect_ratio_preview")
    page.get_by_role("button", name="Record link").click()
    expect(page.locator("#toasts .toast")).to_contain_text("Ratio 0.5.")
    assert ItemLink.objects.get(item__erp_item_code="7720001").ratio == Decimal("0.5")
    assert page.console_errors == []
