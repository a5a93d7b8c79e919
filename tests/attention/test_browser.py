"""A planner works the attention list in a real browser: filter it, follow an item, find the same figure."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_and_follow_an_item_to_its_group(page, log_in, world, screenshot):
    log_in(world.planner)
    page.goto("/attention")
    assert page.locator("#attention-total").inner_text() == "7"
    assert page.locator("#attention-count").inner_text() == "7"  # the badge, loaded by htmx
    screenshot("attention_list")

    page.select_option("#id_kind", "stranded_now")
    page.wait_for_function("() => document.querySelector('#attention-total').textContent === '1'")
    assert "kind=stranded_now" in page.url
    row = page.locator("#attention tbody tr")
    assert row.count() == 1
    assert "30 EA of originals on hand" in row.inner_text()
    screenshot("attention_filtered")

    row.get_by_role("link", name="Open").click()
    page.wait_for_url(f"**/dashboard/groups/{world.g1}?as_of=*")
    assert page.locator("h1").count() == 1 and "Needs attention" not in page.locator("h1").inner_text()
    assert page.locator('[data-kpi="original_on_hand_ea"]').inner_text() == "30"
    screenshot("attention_followed_to_group")
    assert page.console_errors == []


def test_acknowledge_and_snooze_from_the_page_without_a_reload(page, log_in, world, screenshot):
    log_in(world.owner)
    page.goto("/attention")
    assert page.locator("#attention-total").inner_text() == "4"  # Olga's own groups, by default
    page.evaluate("() => { window.notReloaded = true; }")
    overdue = page.locator(f"#row-{world.g1}-overdue")
    overdue.get_by_role("button", name="Acknowledge").click()
    page.wait_for_selector("#attention-action-message")
    assert page.locator("#attention-action-message").inner_text() == "Acknowledged 1 item."
    assert "Acknowledged" in page.locator(f"#row-{world.g1}-overdue").inner_text()
    assert page.locator("#attention-total").inner_text() == "4"  # acknowledged stays listed

    leakage = page.locator(f"#row-{world.g1}-leakage")
    leakage.locator("summary").click()
    until = world.day(3).isoformat()
    leakage.locator("input[name=until]").fill(until)
    leakage.get_by_role("button", name="Snooze", exact=True).click()
    page.wait_for_function("() => document.querySelector('#attention-total').textContent === '3'")
    assert page.locator("#attention-action-message").inner_text() == "Snoozed 1 item."
    assert page.evaluate("() => window.notReloaded") is True
    screenshot("attention_acted")
    assert page.console_errors == []


def test_the_list_fits_a_phone(page, log_in, world, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(world.steward)
    page.goto("/attention")
    assert page.locator("#attention-total").inner_text() == "7"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px wide"
    page.locator(f"#row-{world.g1}-leakage summary").click()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot("attention_phone")
