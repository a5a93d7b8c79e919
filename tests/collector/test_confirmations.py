"""Destructive changes need a person's say-so: merges from /collect, splits that would leave a member alone."""

import pytest
from django.contrib.messages import get_messages

from collector import selectors, services
from collector.layout import fit, label_lines
from collector.models import ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.collector.conftest import link
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def two_groups(items):
    """Group g1: A0000 -> A0001 (gloves); group g2: A0003 -> A0004 (syringes). A0001 -> A0003 would merge them."""
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[3], items[4]).group_id
    return g1, g2


# --------------------------------------------------------------------------
# Merges from /collect


def test_link_add_refuses_an_unconfirmed_merge_and_writes_nothing(items, unchanged):
    two_groups(items)
    with unchanged(), pytest.raises(services.MergeNotConfirmedError, match="would merge group"):
        services.link_add(item_id=items[1].pk, replace_item_id=items[3].pk, merge_confirmed=False)
    # A link that merges nothing needs no confirmation.
    assert services.link_add(item_id=items[1].pk, replace_item_id=items[2].pk, merge_confirmed=False).created


def test_collect_post_without_the_confirmation_is_refused(steward_client, items, unchanged):
    g1, g2 = two_groups(items)
    form = {"item": items[1].pk, "replace": items[3].pk, "reason": "Merge?"}
    with unchanged():
        response = steward_client.post("/collect", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"This link would merge group {g2} into group {g1}; nothing was recorded." in page
    assert f"Record link and merge group {g2} (2 members) into group {g1}" in page
    assert 'name="confirm_merge"' in page

    response = steward_client.post("/collect", {**form, "confirm_merge": "on"})
    assert response.status_code == 302
    assert not ItemGroup.objects.filter(pk=g2).exists()
    assert ItemGroupMember.objects.filter(group_id=g1).count() == 4
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Group {g2} merged into group {g1}." in messages[0]


def test_the_preview_fragment_names_the_merge_on_the_button(planner_client, items):
    g1, g2 = two_groups(items)
    page = planner_client.get("/collect/preview", {"item": items[1].pk, "replace": items[3].pk}).content.decode()
    assert f"Record link and merge group {g2} (2 members) into group {g1}" in page
    assert 'id="confirm-merge"' in page
    # Gloves and syringes share no product family: the warning is in the danger style.
    assert 'class="alert alert-danger py-2 mb-2 small" role="alert" data-warning="merge"' in page
    assert "share no product family (SYRINGE / GLOVE)" in page


def test_a_merge_within_a_family_of_small_draft_groups_is_a_plain_warning(items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], ItemFactory(erp_item_code="A0100", description="GLOVE SURG 7")).group_id
    preview = selectors.link_preview(items[1].pk, items[2].pk)
    assert preview.merge and (preview.merging.loser.group_id, preview.merging.winner.group_id) == (g2, g1)
    assert [(w.code, w.level) for w in preview.warnings][:1] == [("merge", "warning")]


def test_a_merge_with_a_large_active_group_is_a_danger(items):
    g1 = link(items[0], items[1]).group_id
    for n in range(5):
        link(items[1], ItemFactory(erp_item_code=f"A02{n:02d}", description=f"GLOVE SIZE {n}"))
    services.group_update(group_id=g1, status="active")
    g2 = link(items[2], ItemFactory(erp_item_code="A0300", description="GLOVE LG")).group_id
    preview = selectors.link_preview(items[2].pk, items[0].pk)
    warning = preview.warnings[0]
    assert (warning.code, warning.level) == ("merge", "danger")
    assert f"group {g1} is active with 7 members" in warning.message
    assert preview.merging.button == f"Record link and merge group {g2} (2 members) into group {g1}"


def test_the_json_api_merges_only_when_confirmed_and_answers_409_with_the_preview(steward_api, items, unchanged):
    g1, g2 = two_groups(items)
    preview = steward_api.get("/api/collect/preview", item="A0001", replace="A0003").json()
    assert preview["merge"] is True and preview["merged_group_ids"] == [g2]
    with unchanged():
        refused = steward_api.post("/api/collect/link", {"item": "A0001", "replace": "A0003"})
    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == (
        f'This link would merge group {g2} into group {g1}; nothing was recorded. Send "confirm_merge": true to '
        "record it."
    )
    assert body["preview"] == preview  # the same preview GET /api/collect/preview gives
    response = steward_api.post("/api/collect/link", {"item": "A0001", "replace": "A0003", "confirm_merge": True})
    assert response.status_code == 201 and response.json()["merged_group_ids"] == [g2]
    plain = steward_api.get("/api/collect/preview", item="A0000", replace="A0002").json()
    assert plain["merge"] is False


# --------------------------------------------------------------------------
# Splits


def hub(items):
    """A0000 is replaced by A0001 and A0002 (a conflict); A0002 -> A0003."""
    g = link(items[0], items[1]).group_id
    link(items[0], items[2])
    link(items[2], items[3])
    return g


def test_a_split_that_leaves_a_member_alone_needs_allow_alone(items, unchanged):
    g = hub(items)
    with unchanged(), pytest.raises(services.GraphError, match="A0001 would be left alone in a group of one"):
        services.group_split(group_id=g, item_ids=[items[1].pk])
    result = services.group_split(group_id=g, item_ids=[items[1].pk], allow_alone=True)
    assert result.alone_item_ids == [items[1].pk]
    assert ItemGroupMember.objects.get(item=items[1]).group_id == result.new_group_id


def test_a_dry_run_answers_what_would_change_and_writes_nothing(items, unchanged):
    g = hub(items)
    with unchanged():
        plan = services.group_split(group_id=g, item_ids=[items[2].pk, items[3].pk], dry_run=True)
    assert plan.dry_run and plan.new_group_id is None
    assert plan.staying_item_ids == [items[0].pk, items[1].pk]
    assert plan.moved_item_ids == [items[2].pk, items[3].pk]
    assert plan.cut_links == [(items[0].pk, items[2].pk)]
    assert plan.alone_item_ids == []
    with unchanged():  # a dry run shows a lone member; it does not refuse
        assert services.group_split(group_id=g, item_ids=[items[1].pk], dry_run=True).alone_item_ids == [items[1].pk]


def test_a_split_renumbers_both_groups_from_one(items):
    g = hub(items)
    link(items[3], items[4])
    ItemGroupMember.objects.filter(item=items[4]).update(sequence=40)
    result = services.group_split(group_id=g, item_ids=[items[2].pk, items[4].pk, items[3].pk])
    for group_id in (g, result.new_group_id):
        sequences = list(ItemGroupMember.objects.filter(group_id=group_id).order_by("sequence").values_list("sequence"))
        assert [s for (s,) in sequences] == list(range(1, len(sequences) + 1))
    assert list(
        ItemGroupMember.objects.filter(group_id=result.new_group_id).order_by("sequence").values_list("item_id")
    ) == [(items[2].pk,), (items[3].pk,), (items[4].pk,)]


def test_go_split_opens_the_split_with_nothing_ticked_and_the_item_highlighted(steward_client, items):
    g = hub(items)
    conflicts = steward_client.get("/conflicts").content.decode()
    assert f'href="/groups/{g}/split?highlight={items[0].pk}#split"' in conflicts
    page = steward_client.get(f"/groups/{g}/split", {"highlight": items[0].pk}).content.decode()
    assert 'id="split-highlight"' in page and "the conflict you came from" in page
    assert " checked>" not in page.split('id="split-form"')[1].split("</form>")[0]
    assert "Split 0 members off" in page


def test_the_split_confirmation_lists_groups_members_and_cut_links(steward_client, items):
    g = hub(items)
    fragment = steward_client.get(
        f"/groups/{g}/split", {"item_ids": [items[2].pk, items[3].pk]}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f"Group {g} keeps 2 members" in fragment and "A new group (same status, owner and dates) gets 2" in fragment
    assert 'id="split-cut-links"' in fragment and "A0000</span> → <span" in fragment
    alone = steward_client.get(f"/groups/{g}/split", {"item_ids": [items[1].pk]}, headers={"HX-Request": "true"})
    assert 'name="allow_alone"' in alone.content.decode()


def test_a_form_split_that_leaves_a_member_alone_is_refused_until_ticked(steward_client, items, unchanged):
    g = hub(items)
    with unchanged():
        response = steward_client.post(f"/groups/{g}/split", {"item_ids": [items[1].pk]})
    assert response.status_code == 302
    assert "left alone in a group of one" in str(list(get_messages(response.wsgi_request))[0])
    response = steward_client.post(f"/groups/{g}/split", {"item_ids": [items[1].pk], "allow_alone": "on"})
    assert response.status_code == 302 and ItemGroup.objects.count() == 2
    assert RelationAudit.objects.filter(action="group_split").exists()
    assert not ItemLink.objects.filter(item=items[0], replace_item=items[1]).exists()


# --------------------------------------------------------------------------
# Merged-away groups, words instead of codes


def test_merged_away_pages_redirect_and_json_names_the_winner(planner_client, planner_api, items):
    g1, g2 = two_groups(items)
    g3 = link(items[5], items[6]).group_id
    services.group_merge(group_id=g3, target_group_id=g2)
    services.link_add(item_id=items[1].pk, replace_item_id=items[3].pk)  # g2 (with g3) into g1: a chain
    for url, gone, target in (
        (f"/groups/{g3}", g3, f"/groups/{g1}"),
        (f"/dashboard/groups/{g3}?as_of=2026-11-20", g3, f"/dashboard/groups/{g1}?as_of=2026-11-20"),
        (f"/groups/{g2}/split", g2, f"/groups/{g1}/split"),
    ):
        response = planner_client.get(url)
        assert (response.status_code, response["Location"]) == (302, target)
        said = f"Group {gone} was merged into group {g1}: you are on group {g1}."
        assert said in planner_client.get(target).content.decode()  # the message shows on the page it leads to
    for url in (f"/groups/{g3}", f"/api/groups/{g3}/kpis", f"/api/groups/{g3}/timeseries"):
        response = planner_api.get(url)
        assert (response.status_code, response.json()["merged_into"]) == (404, g1)
    assert planner_api.get("/api/groups/9999/kpis").json() == {"error": "There is no group 9999."}


def test_graph_labels_wrap_and_keep_items_apart():
    blue, violet = (label_lines(f"GLOVE EXAM NITRILE PF MD {c} 100/BX") for c in ("BLUE", "VIOLET"))
    assert blue != violet and all(len(line) <= 26 for line in blue + violet)
    assert label_lines("X " * 40)[-1].endswith("…") and len(label_lines("X " * 40)) == 2
    assert label_lines("A" * 60) == ["A" * 26, "A" * 25 + "…"]
    assert (fit("1234567890"), fit("1234567890ABCDEFGH")) == ("1234567890", "1234567890ABCDE…")
