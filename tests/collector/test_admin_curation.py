"""Stewards curate in the Django admin, and every write there goes through the collector's services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.collector.conftest import link

pytestmark = pytest.mark.django_db

GROUPS = "/admin/collector/itemgroup/"
LINKS = "/admin/collector/itemlink/"
MEMBERS = "/admin/collector/itemgroupmember/"
ALERTS = "/admin/collector/groupalert/"


def form_data(response) -> dict:
    """What the admin's change form would post back unchanged (fields and inline management forms)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                data[sub.add_prefix(name)] = "" if value is None else value
    return data


def test_group_page_shows_members_links_and_history(steward_client, items):
    g = link(items[0], items[1], reason="Backorder").group_id
    page = steward_client.get(f"{GROUPS}{g}/change/").content.decode()
    assert "A0000 — GLOVE EXAM NITRILE PF MD BLUE" in page  # a member, shown read-only
    assert "A0000</td><td>→</td><td>A0001" in page
    assert "Created by its first link" in page and "A0000 is replaced by A0001" in page
    assert f'href="/groups/{g}"' in page


def test_saving_a_group_goes_through_group_update(steward_client, steward, items):
    g = link(items[0], items[1]).group_id
    data = form_data(steward_client.get(f"{GROUPS}{g}/change/"))
    data.update(status="active", owner=steward.pk, change_reason="Contract signed")
    response = steward_client.post(f"{GROUPS}{g}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    group = ItemGroup.objects.get(pk=g)
    assert (group.status, group.owner) == ("active", steward)
    audit = RelationAudit.objects.get(action="group_update")
    assert (audit.user, audit.reason, sorted(audit.details["changes"])) == (
        steward,
        "Contract signed",
        ["owner", "status"],
    )


def test_a_bad_date_range_is_a_form_error(steward_client, items):
    g = link(items[0], items[1]).group_id
    data = form_data(steward_client.get(f"{GROUPS}{g}/change/"))
    data.update(start_date="2026-03-01", end_date="2026-02-01")
    response = steward_client.post(f"{GROUPS}{g}/change/", data)
    assert response.status_code == 200
    assert ItemGroup.objects.get(pk=g).end_date is None
    assert not RelationAudit.objects.filter(action="group_update").exists()


def test_adding_a_group_goes_through_group_create(steward_client, steward):
    response = steward_client.post(f"{GROUPS}add/", {"status": "draft", "reason": "New contract"})
    assert response.status_code == 302
    group = ItemGroup.objects.get()
    assert group.reason == "New contract"
    assert RelationAudit.objects.get(action="group_create").details == {"via": "manual"}


def test_groups_cannot_be_deleted_in_the_admin(steward_client, items):
    g = link(items[0], items[1]).group_id
    assert steward_client.get(f"{GROUPS}{g}/delete/").status_code == 403
    assert ItemGroup.objects.filter(pk=g).exists()


def test_merge_selected_groups_asks_for_the_target_then_merges(steward_client, steward, items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], items[3]).group_id
    g3 = link(items[4], items[5]).group_id
    chosen = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [g1, g2, g3]}
    confirm = steward_client.post(GROUPS, chosen)
    assert confirm.status_code == 200 and "Merge into" in confirm.content.decode()
    assert ItemGroup.objects.count() == 3
    response = steward_client.post(GROUPS, {**chosen, "apply": "yes", "target": g2, "reason": "One contract"})
    assert response.status_code == 302
    assert set(ItemGroupMember.objects.values_list("group_id", flat=True)) == {g2}
    merges = RelationAudit.objects.filter(action="group_merge")
    assert sorted(m.details["loser_group_id"] for m in merges) == [g1, g3]
    assert {(m.user, m.reason) for m in merges} == {(steward, "One contract")}


def test_set_status_of_selected_groups(steward_client, items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], items[3]).group_id
    chosen = {"action": "set_status", ACTION_CHECKBOX_NAME: [g1, g2]}
    steward_client.post(GROUPS, {**chosen, "apply": "yes", "status": "retired", "reason": "Done"})
    assert set(ItemGroup.objects.values_list("status", flat=True)) == {"retired"}
    assert RelationAudit.objects.filter(action="group_update", reason="Done").count() == 2


def test_adding_a_link_in_the_admin_goes_through_link_add(steward_client, steward, items):
    g = link(items[0], items[1]).group_id
    response = steward_client.post(
        f"{LINKS}add/", {"item": items[1].pk, "replace_item": items[2].pk, "ratio": "1", "reason": "Admin fix"}
    )
    assert response.status_code == 302
    assert ItemGroupMember.objects.get(item=items[2]).group_id == g  # attached, as link_add does
    audit = RelationAudit.objects.get(action="link_add", user=steward)
    assert (audit.details["grouping"], audit.reason) == ("attach", "Admin fix")


@pytest.mark.parametrize(
    ("pair", "message"),
    [((1, 0), "A0000 is already recorded as replaced by A0001"), ((2, 2), "An item cannot replace itself")],
)
def test_a_refused_link_is_a_form_error_and_nothing_is_written(steward_client, items, unchanged, pair, message):
    link(items[0], items[1])
    with unchanged():
        response = steward_client.post(f"{LINKS}add/", {"item": items[pair[0]].pk, "replace_item": items[pair[1]].pk})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_deleting_links_in_the_admin_goes_through_link_remove(steward_client, steward, items):
    a, b, c = items[:3]
    link(a, b)
    link(a, c)
    one = ItemLink.objects.get(item=a, replace_item=b)
    assert steward_client.post(f"{LINKS}{one.pk}/delete/", {"post": "yes"}).status_code == 302
    other = ItemLink.objects.get(item=a, replace_item=c)
    steward_client.post(LINKS, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [other.pk], "post": "yes"})
    assert not ItemLink.objects.exists()
    assert RelationAudit.objects.filter(action="link_remove", user=steward).count() == 2
    assert GroupAlert.objects.get(item=a).resolution == "cleared"  # alerts followed the removals


def test_changing_a_members_role_goes_through_member_set_role(steward_client, steward, items):
    link(items[0], items[1])
    response = steward_client.post(f"{MEMBERS}{items[1].pk}/change/", {"role": "original", "sequence": 99})
    assert response.status_code == 302
    member = ItemGroupMember.objects.get(item=items[1])
    assert (member.role, member.sequence) == ("original", 2)  # the sequence is the group page's to change
    assert RelationAudit.objects.get(action="member_role").user == steward


def test_members_and_alerts_are_not_added_or_edited_as_rows(steward_client, items):
    link(items[0], items[1])
    link(items[0], items[2])
    alert = GroupAlert.objects.get()
    assert steward_client.get(f"{MEMBERS}add/").status_code == 403
    assert steward_client.get(f"{ALERTS}add/").status_code == 403
    assert steward_client.post(f"{ALERTS}{alert.pk}/change/", {"alert_type": "IN_DEG_GT1"}).status_code == 403
    assert GroupAlert.objects.get().alert_type == "OUT_DEG_GT1"


def test_resolve_action_keeps_conflicts_as_many_to_many(steward_client, steward, items):
    link(items[0], items[1])
    link(items[0], items[2])
    link(items[3], items[4])
    link(items[3], items[5])
    first, second = GroupAlert.objects.order_by("item_id")
    steward_client.post(ALERTS, {"action": "resolve", ACTION_CHECKBOX_NAME: [first.pk]})
    steward_client.post(ALERTS, {"action": "resolve", ACTION_CHECKBOX_NAME: [first.pk, second.pk]})
    kept = GroupAlert.objects.filter(resolution="kept", resolved_by=steward)
    assert kept.count() == 2
    assert RelationAudit.objects.filter(action="alert_resolve").count() == 2  # the closed one was left alone
