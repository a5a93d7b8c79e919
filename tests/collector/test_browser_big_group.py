"""A big group's page: the members and links tables page by htmx, the graph gives way to counts."""

import pytest
from playwright.sync_api import expect

from tests.collector.test_big_groups import make_chain

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_big_group_pages_its_tables(page, log_in, steward, screenshot):
    group_id = make_chain(420, "PG")
    log_in(steward)
    page.goto(f"/groups/{group_id}")
    members = page.locator("#members-table")
    expect(members).to_contain_text("1–50 of 420 members")
    expect(page.locator("#picture")).to_contain_text("420 members, more than the 150 a picture can show")
    expect(page.locator("#split")).to_contain_text("more than the 300 this list can offer to tick")
    members.get_by_role("link", name="Next").click()
    expect(members).to_contain_text("51–100 of 420 members")
    expect(page).to_have_url(f"{page.url.split('?')[0]}")  # the swap keeps the page's address
    expect(
        page.locator("#member-" + str(page.locator("#members-table tbody tr").first.get_attribute("id")[7:]))
    ).to_be_visible()
    links = page.locator("#links-table")
    links.get_by_role("link", name="Next").click()
    expect(links).to_contain_text("51–100 of 419 links")
    expect(members).to_contain_text("51–100 of 420 members")  # the other table stays where it was
    screenshot("collector_big_group")
