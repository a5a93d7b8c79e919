"""The collector's pages and fragments: what planners and stewards see, and what their forms do."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from collector import services
from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.collector.conftest import link

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
HMTX_SPLIT = {**HTMX, "HX-Target": "split-preview"}


def text(response) -> str:
    return response.content.decode()


def toasts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --------------------------------------------------------------------------
# /collect


def test_collect_page_has_two_comboboxes_and_an_empty_preview(planner_client):
    page = text(planner_client.get("/collect"))
    assert page.count('role="combobox"') == 2
    assert 'aria-controls="item-listbox"' in page and 'aria-controls="replace-listbox"' in page
    assert "Pick both items to see the group this link makes." in page
    assert 'id="collect-submit"' in page and "disabled" in page.split('id="collect-submit"')[1].split(">")[0]


def test_item_options_by_code_prefix_and_description_words(planner_client, items):
    link(items[3], items[4])
    options = text(planner_client.get("/collect/items", {"q": "A000", "picker": "item"}))
    assert options.count('role="option"') == 10
    words = text(planner_client.get("/collect/items", {"q": "syringe 10ml", "picker": "replace"}))
    assert words.count('role="option"') == 2
    assert f'id="replace-option-{items[3].pk}"' in words
    group_id = ItemGroupMember.objects.get(item=items[3]).group_id
    assert f"Group {group_id} · original" in words
    none = text(planner_client.get("/collect/items", {"q": "scalpel", "picker": "item"}))
    assert 'role="option"' not in none and "No item matches “scalpel”." in none
    assert text(planner_client.get("/collect/items", {"q": "  "})).strip() == ""


def test_code_prefix_matches_come_first_and_short_words_search_codes_only(planner_client, items):
    from tests.factories import ItemFactory

    ItemFactory(erp_item_code="0B001", description="ADAPTER FOR A0001 PUMP")
    options = text(planner_client.get("/collect/items", {"q": "a0001"}))
    assert options.count('role="option"') == 2
    assert options.index("A0001") < options.index("0B001")
    short = text(planner_client.get("/collect/items", {"q": "A0"}))
    assert "0B001" not in short and short.count('role="option"') == 10


def test_preview_fragment_shows_cards_members_and_refreshes_the_button(planner_client, items):
    link(items[0], items[1])
    fragment = text(planner_client.get("/collect/preview", {"item": items[1].pk, "replace": items[2].pk}))
    assert 'id="item-card"' in fragment and 'id="replace-card"' in fragment
    assert "Joins GLOVE EXAM NITRILE PF MD BLUE -&gt; GLOVE EXAM" in fragment and "(group " in fragment
    assert "A0002" in fragment and "joins" in fragment
    assert 'id="collect-submit" hx-swap-oob="true"' in fragment
    reverse = text(planner_client.get("/collect/preview", {"item": items[1].pk, "replace": items[0].pk}))
    assert 'data-warning="reverse"' in reverse
    assert 'hx-swap-oob="true" disabled' in reverse


def test_collect_post_records_the_link_and_toasts_a_link_to_the_group(planner_client, planner, items):
    response = planner_client.post(
        "/collect", {"item": items[0].pk, "replace": items[1].pk, "reason": "Vendor discontinued"}
    )
    assert response.status_code == 302 and response["Location"] == "/collect"
    group_id = ItemGroupMember.objects.get(item=items[0]).group_id
    [message] = toasts(response)
    assert "Recorded: A0000 is replaced by A0001." in message
    assert f'href="/groups/{group_id}"' in message
    assert ItemLink.objects.get().reason == "Vendor discontinued"
    page = text(planner_client.get("/collect"))
    assert f"Open group {group_id}</a>" in page  # the toast's link survives the redirect unescaped


def test_collect_post_of_an_existing_link_says_nothing_changed(planner_client, items):
    link(items[0], items[1])
    response = planner_client.post("/collect", {"item": items[0].pk, "replace": items[1].pk})
    assert "already recorded" in toasts(response)[0]
    assert ItemLink.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda i: {"item": i[1].pk, "replace": i[0].pk}, "A0000 is already recorded as replaced by A0001"),
        (lambda i: {"item": i[2].pk, "replace": i[2].pk}, "An item cannot replace itself"),
        (lambda i: {"replace": i[2].pk}, "Choose the item being replaced."),
        (lambda i: {"item": 999999, "replace": i[2].pk}, "That item no longer exists"),
    ],
)
def test_collect_post_errors_show_on_the_form_and_write_nothing(planner_client, items, unchanged, data, message):
    link(items[0], items[1])
    with unchanged():
        response = planner_client.post("/collect", data(items))
    assert response.status_code == 400
    assert message in text(response)


# --------------------------------------------------------------------------
# /groups


@pytest.fixture
def three_groups(items, steward):
    g1 = link(items[0], items[1]).group_id
    link(items[0], items[2])
    g2 = link(items[3], items[4]).group_id
    g3 = link(items[5], items[6]).group_id
    services.group_update(group_id=g2, status="active", owner=steward)
    ItemGroup.objects.filter(pk=g3).update(updated_at=timezone.now() - timedelta(days=30))
    return g1, g2, g3


def listed(page: str) -> list[int]:
    found = [int(chunk.split('"')[0]) for chunk in page.split('href="/groups/')[1:] if chunk.split('"')[0].isdigit()]
    return list(dict.fromkeys(found))  # a row links its number and its title


def test_groups_page_lists_counts_and_filters(planner_client, three_groups, steward):
    g1, g2, g3 = three_groups
    page = text(planner_client.get("/groups", {"sort": "group_id"}))
    assert listed(page) == [g1, g2, g3]
    assert "3</strong> groups" in page
    assert f'href="/conflicts?group={g1}"' in page  # g1's open conflict
    assert listed(text(planner_client.get("/groups", {"status": "active"}))) == [g2]
    assert listed(text(planner_client.get("/groups", {"owner": steward.pk}))) == [g2]
    since = (timezone.now() - timedelta(days=3)).date().isoformat()
    assert sorted(listed(text(planner_client.get("/groups", {"updated_since": since})))) == [g1, g2]
    assert listed(text(planner_client.get("/groups", {"q": "catheter"}))) == [g3]
    assert listed(text(planner_client.get("/groups", {"q": "A0003"}))) == [g2]
    empty = text(planner_client.get("/groups", {"q": "scalpel"}))
    assert "No group matches these filters" in empty


def test_groups_sort_by_members(planner_client, three_groups):
    g1, g2, g3 = three_groups
    page = text(planner_client.get("/groups", {"sort": "-member_count"}))
    assert listed(page)[0] == g1


def test_htmx_filtering_swaps_only_the_table(planner_client, three_groups):
    response = planner_client.get("/groups", {"status": "active"}, headers={**HTMX, "HX-Target": "groups-table"})
    fragment = text(response)
    assert "<html" not in fragment and 'id="groups-table"' in fragment
    assert "1</strong> group" in fragment
    assert "status=active" in fragment.split("Export CSV")[0]  # the export link keeps the filters


def test_csv_export_of_the_filtered_groups(planner_client, three_groups, steward):
    g1, g2, g3 = three_groups
    response = planner_client.get("/groups", {"status": "active", "export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="conversion-groups.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "group_id",
        "title",
        "status",
        "owner",
        "reason",
        "members",
        "open_conflicts",
        "start_date",
        "end_date",
        "use_up_policy",
        "last_order_date",
        "updated_at",
    ]
    title = "SYRINGE LUER LOCK 10ML -> SYRINGE LUER SLIP 10ML"
    assert [r[:7] for r in rows[1:]] == [[str(g2), title, "active", steward.email, "", "2", "0"]]
    everything = list(
        csv.reader(
            io.StringIO(b"".join(planner_client.get("/groups?export=csv").streaming_content).decode("utf-8-sig"))
        )
    )
    assert len(everything) == 4


# --------------------------------------------------------------------------
# /groups/<id>


def test_group_page_draws_the_graph_and_lists_members_links_history(planner_client, items):
    a, b, c = items[:3]
    g = link(a, b, reason="Backorder").group_id
    link(a, c)
    page = text(planner_client.get(f"/groups/{g}"))
    assert page.count('class="node ') == 3
    assert page.count('class="node role-original conflict"') == 1  # a is replaced by two: highlighted
    assert page.count('<path class="edge') == 2
    assert "A0000 is replaced by A0001" in page  # an arrow's title and the history's sentence
    assert "Promote" not in page and "Save settings" not in page  # planners read, stewards curate
    assert "Backorder" in page
    assert f'href="/dashboard/groups/{g}"' in page  # the group's KPIs


def test_steward_sees_the_curation_forms(steward_client, items):
    g = link(items[0], items[1]).group_id
    page = text(steward_client.get(f"/groups/{g}"))
    for label in ("Save settings", "Merge group", "Split 0 members off", "Promote A0001", "Remove the link A0000"):
        assert label in page


def test_a_large_group_is_listed_not_drawn(planner_client, items, monkeypatch):
    from collector import views

    monkeypatch.setattr(views.groups, "GRAPH_LIMIT", 2)
    g = link(items[0], items[1]).group_id
    link(items[1], items[2])
    page = text(planner_client.get(f"/groups/{g}"))
    assert 'id="group-graph-svg"' not in page and "more than the 2 a picture can show" in page


def test_merged_away_group_page_says_where_it_went(planner_client, items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], items[3]).group_id
    link(items[1], items[2])
    response = planner_client.get(f"/groups/{g2}?x=1")
    assert (response.status_code, response["Location"]) == (302, f"/groups/{g1}?x=1")
    assert f"Group {g2} was merged into group {g1}" in text(planner_client.get(response["Location"]))


def test_history_includes_the_merged_away_group_and_pages(planner_client, steward, items):
    g1 = link(items[0], items[1], reason="First").group_id
    g2 = link(items[2], items[3], reason="Second group").group_id
    g3 = link(items[4], items[5]).group_id
    services.group_merge(group_id=g3, target_group_id=g2, user=steward)  # g3's history goes to g2...
    services.group_merge(group_id=g2, target_group_id=g1, user=steward)  # ...and g2's to g1
    page = text(planner_client.get(f"/groups/{g1}"))
    assert "A0002 is replaced by A0003" in page and f"in group {g2}" in page
    assert "A0004 is replaced by A0005" in page and f"in group {g3}" in page
    for n in range(20):
        services.member_move(item_id=items[n % 2].pk, direction="down", user=steward)
    first = text(planner_client.get(f"/groups/{g1}"))
    assert "Page 1 of 2" in first
    older = text(planner_client.get(f"/groups/{g1}/history", {"page": 2}, headers=HTMX))
    assert "<html" not in older and "Page 2 of 2" in older and "Created by its first link" in older
    # Opened directly (a bookmark, the pager without JavaScript): a whole page around the same fragment.
    whole = text(planner_client.get(f"/groups/{g1}/history", {"page": 2}))
    assert "<html" in whole and "Page 2 of 2" in whole and "Created by its first link" in whole
    assert f'<a href="/groups/{g1}">' in whole and "css/collector.css" in whole
    assert f'href="/groups/{g1}/history?page=1"' in whole  # "Newer" works as a link
    moved = planner_client.get(f"/groups/{g2}/history")  # merged away: to the winner's history
    assert moved.status_code == 302 and moved["Location"] == f"/groups/{g1}/history"
    assert planner_client.get("/groups/999999/history").status_code == 404


def test_link_removal_that_splits_the_pieces_offers_a_split(steward_client, items):
    a, b, c = items[:3]
    g = link(a, b).group_id
    link(b, c)
    response = steward_client.post(f"/links/{b.pk}/{c.pk}", {"next": f"/groups/{g}"})
    assert response.status_code == 302 and response["Location"] == f"/groups/{g}"
    assert "now make 2 pieces" in toasts(response)[0]
    page = text(steward_client.get(f"/groups/{g}"))
    assert "links fall into 2 separate pieces" in page
    assert f"/groups/{g}/split?item_ids={c.pk}#split" in page


def test_split_preview_fragment_lists_the_cut_links(steward_client, items):
    a, b, c, d = items[:4]
    g = link(a, b).group_id
    link(b, c)
    link(c, d)
    fragment = text(steward_client.get(f"/groups/{g}/split", {"item_ids": [c.pk, d.pk]}, headers=HMTX_SPLIT))
    assert "<html" not in fragment and 'id="split-preview"' in fragment
    assert 'A0001</span> → <span class="font-monospace">A0002' in fragment
    everyone = text(
        steward_client.get(f"/groups/{g}/split", {"item_ids": [a.pk, b.pk, c.pk, d.pk]}, headers=HMTX_SPLIT)
    )
    assert "must leave at least one member" in everyone
    page = text(steward_client.get(f"/groups/{g}/split", {"item_ids": [d.pk]}))  # a full page, d ticked
    assert f'value="{d.pk}" id="split-{d.pk}" checked' in page


def test_steward_form_posts_run_the_services_and_redirect_with_a_message(steward_client, steward, items):
    a, b, c, d = items[:4]
    g1 = link(a, b).group_id
    g2 = link(c, d).group_id
    response = steward_client.post(f"/members/{b.pk}/role", {"role": "original", "next": f"/groups/{g1}#members"})
    assert (response["Location"], toasts(response)) == (f"/groups/{g1}#members", ["Role of A0001: Original."])
    response = steward_client.post(f"/members/{b.pk}/move", {"direction": "up"})
    assert response["Location"] == f"/groups/{g1}#members"
    response = steward_client.post(
        f"/groups/{g1}/settings", {"status": "active", "owner": steward.email, "reason": "", "start_date": ""}
    )
    assert (response["Location"], ItemGroup.objects.get(pk=g1).status) == (f"/groups/{g1}", "active")
    response = steward_client.post(f"/groups/{g2}/merge", {"target_group_id": g1, "reason": "Same"})
    assert response["Location"] == f"/groups/{g1}"
    assert toasts(response)[-1] == f"Group {g2} merged into group {g1}: 2 member(s) moved."
    response = steward_client.post(f"/groups/{g1}/split", {"item_ids": [c.pk, d.pk]})
    new_group = ItemGroupMember.objects.get(item=c).group_id
    assert new_group != g1 and f'href="/groups/{new_group}"' in toasts(response)[-1]
    actions = set(RelationAudit.objects.filter(user=steward).values_list("action", flat=True))
    assert {"member_role", "member_move", "group_update", "group_merge", "group_split"} <= actions


def test_a_refused_form_post_goes_back_with_the_reason(steward_client, items, unchanged):
    g1 = link(items[0], items[1]).group_id
    with unchanged():
        response = steward_client.post(f"/groups/{g1}/merge", {"target_group_id": g1})
    assert response.status_code == 302 and response["Location"] == f"/groups/{g1}"
    assert toasts(response) == ["A group cannot be merged into itself: choose another group."]
    with unchanged():
        response = steward_client.post(f"/groups/{g1}/merge", {"target_group_id": ""})
    assert toasts(response)[-1] == "target_group_id: A valid integer is required."
    with unchanged():
        response = steward_client.post(f"/groups/{g1}/settings", {"start_date": "2026-02-01", "end_date": "2026-01-01"})
    assert toasts(response)[-1] == "The end date must be on or after the start date."


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/members/{b}/role", {"role": "interim"}, 'role: "interim" is not a valid choice.'),
        ("/members/{b}/role", {}, "role: This field is required."),
        ("/members/{b}/move", {"direction": "sideways"}, 'direction: "sideways" is not a valid choice.'),
        ("/members/{x}/move", {"direction": "up"}, "is not a member of any group"),
        ("/links/{b}/{x}", {"reason": "typo"}, "There is no link"),
        ("/links/{a}/{b}", {"reason": "bad\x07"}, "reason: The text holds the control character U+0007"),
        ("/conflicts/{x}/resolve", {}, "has no open conflict"),
    ],
)
def test_a_refused_member_link_or_conflict_post_goes_back_with_the_reason(
    steward_client, items, unchanged, url, data, message
):
    a, b, x = items[0], items[1], items[9]
    g = link(a, b).group_id
    with unchanged():
        response = steward_client.post(url.format(a=a.pk, b=b.pk, x=x.pk), data)
    back = "/conflicts" if "conflicts" in url else (f"/groups/{g}" if "{x}" not in url[:12] else "/groups")
    assert (response.status_code, response["Location"]) == (302, back)
    assert message in toasts(response)[-1]


@pytest.mark.parametrize("url", ["/members/{b}/role", "/members/{b}/move", "/links/{a}/{b}", "/conflicts/{a}/resolve"])
def test_planner_member_and_link_posts_get_the_403_page(planner_client, items, unchanged, url):
    a, b = items[:2]
    link(a, b)
    with unchanged():
        response = planner_client.post(url.format(a=a.pk, b=b.pk), {"role": "original", "direction": "up"})
    assert response.status_code == 403 and "This action is for data stewards" in text(response)


def test_member_page_addresses_still_answer_json_with_a_deprecation(steward_client, items):
    a, b = items[:2]
    g = link(a, b).group_id
    response = steward_client.post(f"/members/{b.pk}/role", {"role": "original"}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {
        "item_id": b.pk,
        "group_id": g,
        "role": "original",
        "sequence": response.json()["sequence"],
    }
    assert response["Deprecation"] == "true" and f"</api/members/{b.pk}/role>" in response["Link"]
    removed = steward_client.delete(f"/links/{a.pk}/{b.pk}", headers={"Accept": "application/json"})
    assert removed.status_code == 200  # the only link: its two ends are now two pieces
    assert removed.json() == {"group_id": g, "components": 2, "split_suggested": True}
    assert removed["Deprecation"] == "true"


def test_settings_keep_the_fields_a_form_leaves_out_and_refuse_a_bad_date(steward_client, steward, items, unchanged):
    g = link(items[0], items[1]).group_id
    ItemGroup.objects.filter(pk=g).update(owner=steward, reason="Vendor", start_date="2026-03-01")
    response = steward_client.post(f"/groups/{g}/settings", {"status": "active", "change_reason": "Go"})
    assert (response.status_code, toasts(response)) == (302, [f"Group {g} saved."])
    group = ItemGroup.objects.get(pk=g)
    assert (group.status, group.owner, group.reason, str(group.start_date)) == (
        "active",
        steward,
        "Vendor",
        "2026-03-01",
    )
    with unchanged():
        response = steward_client.post(f"/groups/{g}/settings", {"start_date": "2026-13-01", "owner": ""})
    assert response["Location"] == f"/groups/{g}"
    assert toasts(response)[-1] == "start_date: Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
    with unchanged():
        response = steward_client.post(f"/groups/{g}/settings", {"owner": "nobody@example.com"})
    assert toasts(response)[-1] == "owner: Object with email=nobody@example.com does not exist."
    response = steward_client.post(f"/groups/{g}/settings", {"reason": "", "owner": ""})
    assert ItemGroup.objects.values_list("reason", "owner").get(pk=g) == (None, None)  # sent empty: cleared


def test_the_groups_list_form_makes_an_empty_group_for_stewards_only(steward_client, planner_client):
    assert planner_client.post("/groups", {"reason": "Later"}).status_code == 403
    assert not ItemGroup.objects.exists()
    response = steward_client.post("/groups", {"reason": "Later", "status": "draft"})
    group = ItemGroup.objects.get()
    assert (response.status_code, response["Location"], group.reason) == (302, f"/groups/{group.pk}", "Later")
    assert toasts(response) == [f"Group {group.pk} created. Add members by recording links."]
    refused = steward_client.post("/groups", {"status": "sleeping"})
    assert refused["Location"] == "/groups" and toasts(refused)[-1] == 'status: "sleeping" is not a valid choice.'
    assert ItemGroup.objects.count() == 1


def test_a_split_post_without_members_goes_back_with_the_reason(steward_client, items, unchanged):
    g = link(items[0], items[1]).group_id
    with unchanged():
        response = steward_client.post(f"/groups/{g}/split", {"reason": "x"})
    assert (response["Location"], toasts(response)) == (f"/groups/{g}", ["item_ids: This field is required."])
    with unchanged():
        response = steward_client.post(f"/groups/{g}/split", {"item_ids": ["x1"]})
    assert toasts(response)[-1] == "item_ids: A valid integer is required."


def test_an_outside_next_is_ignored(steward_client, items):
    g = link(items[0], items[1]).group_id
    response = steward_client.post(f"/members/{items[1].pk}/move", {"direction": "up", "next": "https://evil.example"})
    assert response["Location"] == f"/groups/{g}#members"


def test_planner_form_posts_get_the_403_page(planner_client, items, unchanged):
    g = link(items[0], items[1]).group_id
    with unchanged():
        response = planner_client.post(f"/groups/{g}/merge", {"target_group_id": g})
    assert response.status_code == 403
    assert "This action is for data stewards" in text(response) and "<html" in text(response)


# --------------------------------------------------------------------------
# /conflicts


@pytest.fixture
def conflicts_world(items, steward):
    a, b, c, d, e = items[:5]
    link(a, b)
    link(a, c)  # a: OUT_DEG_GT1
    link(d, b)  # b: IN_DEG_GT1 (a and d)
    link(items[6], items[7])
    link(items[6], items[8])
    services.alert_resolve(item_id=items[6].pk, user=steward, reason="Both on contract")
    ItemGroup.objects.filter(pk=ItemGroupMember.objects.get(item=a).group_id).update(status="active")
    return items


def conflict_codes(page: str) -> list[str]:
    return [chunk[:5] for chunk in page.split('<span class="font-monospace fw-semibold">')[1:]]


def test_conflicts_page_lists_open_ones_with_degrees_by_default(planner_client, conflicts_world):
    page = text(planner_client.get("/conflicts", {"sort": "item"}))
    assert conflict_codes(page) == ["A0000", "A0001"]
    assert "One item replaced by several" in page and "Several items replaced by one" in page
    assert "Keep as many-to-many" not in page  # planners do not resolve


def test_conflict_filters(planner_client, conflicts_world):
    assert conflict_codes(text(planner_client.get("/conflicts", {"alert_type": "IN_DEG_GT1"}))) == ["A0001"]
    assert conflict_codes(text(planner_client.get("/conflicts", {"group_status": "draft"}))) == []
    assert sorted(conflict_codes(text(planner_client.get("/conflicts", {"group_status": "active"})))) == [
        "A0000",
        "A0001",
    ]
    kept = text(planner_client.get("/conflicts", {"state": "kept"}))
    assert conflict_codes(kept) == ["A0006"] and "Kept as many-to-many" in kept and "Sam Steward" in kept
    assert conflict_codes(text(planner_client.get("/conflicts", {"q": "A0001"}))) == ["A0001"]


def test_steward_keeps_a_conflict_from_the_list_and_goes_back(steward_client, steward, conflicts_world):
    a = conflicts_world[0]
    page = text(steward_client.get("/conflicts"))
    assert "Keep as many-to-many" in page and "Go split" in page
    assert 'name="reason"' in page and "Why (optional)" in page  # a reason is offered, not required
    response = steward_client.post(
        f"/conflicts/{a.pk}/resolve", {"next": "/conflicts?alert_type=OUT_DEG_GT1", "reason": "Two sizes stay"}
    )
    assert response["Location"] == "/conflicts?alert_type=OUT_DEG_GT1"
    assert toasts(response) == ["The conflict on A0000 is kept as many-to-many."]
    alert = GroupAlert.objects.get(item=a)
    assert (alert.resolution, alert.resolved_by) == ("kept", steward)
    group = text(steward_client.get(f"/groups/{a.membership.group_id}"))
    assert "Conflict kept as many-to-many" in group and "Two sizes stay" in group  # the reason is in the history


# --------------------------------------------------------------------------
# Constant queries as data grows


def grow(items_factory, groups: int) -> list[int]:
    """`groups` groups of five members (a chain with a conflict each); returns their ids."""
    ids = []
    for _ in range(groups):
        a, b, c, d, e = (items_factory() for _ in range(5))
        ids.append(services.link_add(item_id=a.pk, replace_item_id=b.pk).group_id)
        for x, y in ((b, c), (b, d), (e, d)):
            services.link_add(item_id=x.pk, replace_item_id=y.pk)
    return ids


def one_big_group(items_factory, size: int) -> int:
    chain = [items_factory() for _ in range(size)]
    result = services.links_add_bulk(pairs=[(x.pk, y.pk, None) for x, y in zip(chain, chain[1:], strict=False)])
    for n in range(0, size - 2, 3):
        services.link_add(item_id=chain[n].pk, replace_item_id=chain[n + 2].pk)
    return result.outcomes[0].group_id


ENDPOINTS = [
    ("collect", lambda w: "/collect", {}, 3),
    ("item options", lambda w: "/collect/items", {"q": "glove"}, 4),
    ("preview", lambda w: f"/collect/preview?item={w['big_first']}&replace={w['other']}", {}, 13),
    ("groups", lambda w: "/groups", {"q": "glove"}, 6),
    ("groups fragment", lambda w: "/groups", {"status": "draft", "sort": "-member_count", **HTMX}, 6),
    ("groups csv", lambda w: "/groups?export=csv", {}, 4),
    ("groups json", lambda w: "/groups", {"HTTP_ACCEPT": "application/json"}, 4),
    ("group options", lambda w: "/groups/search", {"q": "glove"}, 4),
    ("group", lambda w: f"/groups/{w['big']}", {}, 12),
    ("group locations json", lambda w: f"/api/groups/{w['big']}/locations", {}, 4),
    ("group json", lambda w: f"/groups/{w['big']}", {"HTTP_ACCEPT": "application/json"}, 5),
    ("group history", lambda w: f"/groups/{w['big']}/history", {"page": 2}, 7),  # the page: + the group's title
    ("group history fragment", lambda w: f"/groups/{w['big']}/history", {"page": 2, **HTMX}, 6),
    ("split preview", lambda w: f"/groups/{w['big']}/split?item_ids={w['big_first']}", {**HTMX}, 9),
    ("conflicts", lambda w: "/conflicts", {}, 5),
    ("conflicts fragment", lambda w: "/conflicts", {"state": "all", "sort": "-degree_out", **HTMX}, 5),
]


@pytest.mark.parametrize("scale", [1, 6], ids=["small", "grown"])
@pytest.mark.parametrize(("name", "url", "params", "most"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_queries_stay_constant_as_data_grows(
    steward_client, django_assert_max_num_queries, scale, name, url, params, most
):
    from collector.models import GroupLocationPlan
    from tests.factories import ItemFactory, ItemLocationFactory, LocationFactory

    grow(ItemFactory, 4 * scale)
    world = {"big": one_big_group(ItemFactory, 12 * scale), "other": ItemFactory().pk}
    world["big_first"] = ItemGroupMember.objects.filter(group_id=world["big"]).order_by("sequence")[0].item_id
    for n in range(2 * scale):  # stocked locations, half of them with a go-live plan
        place = LocationFactory()
        ItemLocationFactory(item_id=world["big_first"], location=place, on_hand_ea=5)
        if n % 2:
            GroupLocationPlan.objects.create(group_id=world["big"], location=place, go_live_date="2026-12-01")
    headers = {k: v for k, v in params.items() if k.startswith(("HTTP_", "HX"))}
    query = {k: v for k, v in params.items() if k not in headers}
    extra = {k: v for k, v in headers.items() if k.startswith("HTTP_")}
    htmx = {k: v for k, v in headers.items() if k.startswith("HX")}
    steward_client.get("/collect")  # session and user rows are read once per request like any page
    with django_assert_max_num_queries(most):
        response = steward_client.get(url(world), query, headers=htmx, **extra)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200
