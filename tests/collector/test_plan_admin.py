"""The plan in the Django admin: group plan fields, the location plans inline and link ratios, through the services."""

from datetime import date
from decimal import Decimal

import pytest

from collector.models import GroupLocationPlan, ItemGroup, ItemLink, RelationAudit
from tests.collector.conftest import link
from tests.collector.test_admin_curation import GROUPS, LINKS, form_data
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_plan_fields_and_a_location_plan_save_through_the_services(steward_client, steward, items):
    g = link(items[0], items[1]).group_id
    place = LocationFactory(location_id=2040, location_name="PAR MICU")
    data = form_data(steward_client.get(f"{GROUPS}{g}/change/"))
    data.update(name="Foley trays", use_up_policy="immediate", last_order_date="2026-12-01", change_reason="VAC")
    data.update(
        {
            "location_plans-TOTAL_FORMS": "1",
            "location_plans-0-location": str(place.pk),
            "location_plans-0-go_live_date": "2026-12-14",
            "location_plans-0-note": "MICU first",
        }
    )
    response = steward_client.post(f"{GROUPS}{g}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    group = ItemGroup.objects.get(pk=g)
    assert (group.name, group.use_up_policy, group.last_order_date) == ("Foley trays", "immediate", date(2026, 12, 1))
    plan = GroupLocationPlan.objects.get()
    assert (plan.location_id, plan.go_live_date, plan.note) == (2040, date(2026, 12, 14), "MICU first")
    replaced = RelationAudit.objects.get(action="location_plans_replace")
    assert (replaced.user, replaced.reason) == (steward, "VAC")
    assert RelationAudit.objects.filter(action="group_update", user=steward).exists()


def test_a_bad_last_order_date_is_a_form_error(steward_client, items, unchanged):
    g = link(items[0], items[1]).group_id
    data = form_data(steward_client.get(f"{GROUPS}{g}/change/"))
    data.update(end_date="2026-12-01", start_date="2026-11-01", last_order_date="2026-12-24")
    with unchanged():
        response = steward_client.post(f"{GROUPS}{g}/change/", data)
    assert response.status_code == 200 and "on or before the end date" in response.content.decode()


def test_the_group_list_filters_on_policy_and_shows_names(steward_client, items):
    g = link(items[0], items[1]).group_id
    other = link(items[3], items[4]).group_id
    ItemGroup.objects.filter(pk=g).update(name="Gloves", use_up_policy="immediate")
    page = steward_client.get(GROUPS, {"use_up_policy__exact": "immediate"}).content.decode()
    assert "Gloves" in page and f"{GROUPS}{other}/change/" not in page
    assert steward_client.get(GROUPS, {"last_order_date__isnull": "True"}).status_code == 200


def test_a_links_ratio_changes_through_link_add(steward_client, steward, items):
    link(items[0], items[1])
    pk = ItemLink.objects.get().pk
    response = steward_client.post(f"{LINKS}{pk}/change/", {"ratio": "0.5"})
    assert response.status_code == 302
    assert ItemLink.objects.get().ratio == Decimal("0.5")
    assert RelationAudit.objects.get(action="link_ratio").user == steward
    response = steward_client.post(f"{LINKS}add/", {"item": items[2].pk, "replace_item": items[3].pk, "ratio": "2"})
    assert response.status_code == 302 and ItemLink.objects.get(item=items[2]).ratio == 2


def test_location_plans_are_added_and_deleted_through_the_plan_service(steward_client, steward, items):
    g = link(items[0], items[1]).group_id
    LocationFactory(location_id=2050, location_name="PAR SICU")
    plans_url = "/admin/collector/grouplocationplan/"
    response = steward_client.post(
        f"{plans_url}add/", {"group": g, "location": 2050, "go_live_date": "2026-12-03", "note": "SICU"}
    )
    assert response.status_code == 302
    plan = GroupLocationPlan.objects.get()
    assert (plan.group_id, plan.go_live_date, plan.note) == (g, date(2026, 12, 3), "SICU")
    assert steward_client.get(plans_url, {"q": "SICU"}).status_code == 200
    response = steward_client.post(f"{plans_url}{plan.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not GroupLocationPlan.objects.exists()
    rows = RelationAudit.objects.filter(action="location_plan", user=steward).order_by("audit_id")
    assert [r.details["to"] for r in rows] == [
        "2026-12-03",
        None,
    ]


@pytest.mark.parametrize(
    ("name", "words"),
    [("admin:collector_itemgroup_export", "Gloves"), ("admin:collector_grouplocationplan_export", "2026-12-03")],
)
def test_admin_exports_carry_names_and_plans(steward_client, items, name, words):
    from django.urls import reverse

    g = link(items[0], items[1]).group_id
    ItemGroup.objects.filter(pk=g).update(name="Gloves")
    place = LocationFactory(location_id=2050)
    GroupLocationPlan.objects.create(group_id=g, location=place, go_live_date=date(2026, 12, 3))
    response = steward_client.post(reverse(name), {"format": 0, "resource": 0})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert words in body.decode("utf-8-sig")
