"""No accidental merge or split in a real browser: /collect asks before merging, a split from a conflict
starts with nothing ticked and lists what it cuts, and a merged-away group's address leads to its winner."""

import re

import pytest
from playwright.sync_api import expect

from collector import services
from collector.models import ItemGroup, ItemGroupMember, ItemLink
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


WIDER_THAN_THE_PAGE = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  const wide = [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
    .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""));
  return wide.length ? wide.slice(0, 10) : ["the page"];
}"""


def sideways_overflow(page) -> list[str]:
    """What sticks out past the viewport's right edge (empty: the page does not scroll sideways)."""
    return page.evaluate(WIDER_THAN_THE_PAGE)


@pytest.fixture
def gloves_and_syringes(steward):
    """An active glove conversion of seven members and a draft syringe pair; a link between them would merge."""
    gloves = [
        ItemFactory(erp_item_code=f"18077{n:02d}", description=f"GLOVE EXAM NITRILE PF SIZE {n}") for n in range(7)
    ]
    glove_group = services.link_add(item_id=gloves[0].pk, replace_item_id=gloves[1].pk).group_id
    for g in gloves[2:]:
        services.link_add(item_id=gloves[1].pk, replace_item_id=g.pk)
    services.group_update(group_id=glove_group, status="active")
    old = ItemFactory(erp_item_code="2200101", description="SYRINGE LUER LOCK 10ML")
    new = ItemFactory(erp_item_code="2200102", description="SYRINGE LUER LOCK 10ML SAFETY")
    syringe_group = services.link_add(item_id=old.pk, replace_item_id=new.pk).group_id
    return {"gloves": gloves, "glove_group": glove_group, "old": old, "new": new, "syringe_group": syringe_group}


def test_collect_asks_before_a_link_merges_two_groups(page, log_in, steward, gloves_and_syringes, screenshot):
    w = gloves_and_syringes
    log_in(steward)
    page.goto(f"/collect?item={w['new'].pk}&replace={w['gloves'][0].pk}")
    loser, winner = w["syringe_group"], w["glove_group"]
    button = page.locator("#collect-submit")
    expect(button).to_have_text(f"Record link and merge group {loser} (2 members) into group {winner}")
    danger = page.locator("[data-warning=merge]")
    expect(danger).to_have_class(re.compile(r"alert-danger"))
    expect(danger).to_contain_text(f"group {winner} is active with 7 members")
    expect(danger).to_contain_text("share no product family")
    # Both groups side by side: the syringe draft's status goes, the glove conversion's stays.
    status_row = page.locator('#merge-comparison tr[data-field="status"]')
    expect(status_row).to_contain_text("Draft dropped")
    expect(status_row.locator("td").last).to_have_text("Active")
    expect(page.locator('#merge-comparison tr[data-field="member_count"] td').last).to_have_text("7 → 9 after")
    screenshot("collect_merge_confirmation")
    page.set_viewport_size(PHONE)
    assert sideways_overflow(page) == []
    screenshot("collect_merge_confirmation_390")
    page.set_viewport_size({"width": 1400, "height": 900})

    button.click()  # without the confirmation: refused, nothing written
    expect(page.locator(".alert-danger[role=alert]").first).to_contain_text("nothing was recorded")
    assert ItemGroup.objects.filter(pk=loser).exists()
    assert not ItemLink.objects.filter(item=w["new"], replace_item=w["gloves"][0]).exists()

    page.get_by_label(re.compile("Yes, merge these groups")).check()
    page.locator("#collect-submit").click()
    expect(page.locator("#toasts .toast")).to_contain_text(f"Group {loser} merged into group {winner}.")
    assert not ItemGroup.objects.filter(pk=loser).exists()
    assert ItemGroupMember.objects.get(item=w["old"]).group_id == winner
    assert [e for e in page.console_errors if "status of 400" not in e] == []  # the refusal answered 400


@pytest.fixture
def conflict(steward):
    """4410001 is replaced by 4410002 and by 4410003 (a conflict); 4410003 -> 4410004."""
    a, b, c, d = (
        ItemFactory(erp_item_code=f"441000{n}", description=f"GAUZE SPONGE 4X4 {n}PLY STERILE") for n in range(1, 5)
    )
    group_id = services.link_add(item_id=a.pk, replace_item_id=b.pk).group_id
    services.link_add(item_id=a.pk, replace_item_id=c.pk)
    services.link_add(item_id=c.pk, replace_item_id=d.pk)
    return {"a": a, "b": b, "c": c, "d": d, "group_id": group_id}


def test_go_split_starts_with_nothing_ticked_and_confirms_what_it_cuts(page, log_in, steward, conflict, screenshot):
    log_in(steward)
    page.goto("/conflicts")
    row = page.locator("#conflicts tbody tr").first
    expect(row).to_contain_text("4410001")
    expect(page.locator("#conflicts thead")).to_contain_text("Replaced by")
    screenshot("conflicts_steward")
    row.get_by_role("link", name="Go split").click()
    expect(page).to_have_url(re.compile(rf"/groups/{conflict['group_id']}/split\?highlight={conflict['a'].pk}#split"))
    expect(page.locator("#split-highlight")).to_contain_text("the conflict you came from")
    expect(page.locator("#split-form .split-choice:checked")).to_have_count(0)
    expect(page.get_by_role("button", name="Split 0 members off")).to_be_disabled()

    page.locator(f"#split-{conflict['c'].pk}").check()
    page.locator(f"#split-{conflict['d'].pk}").check()
    expect(page.locator("#split-cut-links")).to_have_text(re.compile(r"4410001\s*→\s*4410003"))
    expect(page.locator("#split-result-staying")).to_contain_text("4410001")
    expect(page.locator("#split-result-staying")).to_contain_text("4410002")
    expect(page.locator("#split-result-new")).to_contain_text("4410003")
    expect(page.locator("#split-result-new")).to_contain_text("4410004")
    assert ItemLink.objects.count() == 3  # the confirmation wrote nothing
    page.locator("#split").scroll_into_view_if_needed()
    screenshot("split_confirmation")
    page.set_viewport_size(PHONE)
    assert sideways_overflow(page) == []
    screenshot("split_confirmation_390")

    page.get_by_role("button", name="Split 2 members off").click()
    expect(page.locator("#toasts .toast")).to_contain_text("2 member(s) split off into")
    assert not ItemLink.objects.filter(item=conflict["a"], replace_item=conflict["c"]).exists()
    new_group = ItemGroupMember.objects.get(item=conflict["c"]).group_id
    assert sorted(ItemGroupMember.objects.filter(group_id=new_group).values_list("sequence", flat=True)) == [1, 2]
    assert page.console_errors == []


def test_a_merged_away_group_address_leads_to_its_winner(page, log_in, planner, conflict, screenshot):
    other = services.link_add(
        item_id=ItemFactory(erp_item_code="5500001").pk, replace_item_id=ItemFactory(erp_item_code="5500002").pk
    ).group_id
    services.group_merge(group_id=other, target_group_id=conflict["group_id"])
    log_in(planner)
    page.goto(f"/groups/{other}")
    expect(page).to_have_url(re.compile(rf"/groups/{conflict['group_id']}$"))
    expect(page.locator("#toasts .toast")).to_contain_text(
        f"Group {other} was merged into group {conflict['group_id']}: you are on group {conflict['group_id']}."
    )
    page.goto(f"/dashboard/groups/{other}")
    expect(page).to_have_url(re.compile(rf"/dashboard/groups/{conflict['group_id']}$"))
    expect(page.locator("#group-conflicts")).to_contain_text("1 open conflict")
    expect(page.get_by_role("link", name=re.compile("curation page"))).to_have_attribute(
        "href", f"/groups/{conflict['group_id']}"
    )
    screenshot("dashboard_group_after_redirect")
    assert page.console_errors == []
