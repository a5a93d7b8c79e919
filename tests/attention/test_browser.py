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
