"""History and audit name a person with their e-mail (issue 13, finding 8).

Anyone may register as "Sam Steward"; the e-mail is what tells the real one apart.
"""

import pytest

from collector import services
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

SAM = "Sam Steward &lt;steward@example.org&gt;"  # as the HTML shows it


@pytest.fixture
def audited(steward):
    """A namesake, and a group whose owner, links and conflict the real steward changed."""
    impostor = UserFactory(email="impostor@example.org", name="Sam Steward")
    a, b, c = ItemFactory(), ItemFactory(), ItemFactory()
    group_id = services.link_add(item_id=a.pk, replace_item_id=b.pk, user=steward, reason="Contract").group_id
    services.link_add(item_id=a.pk, replace_item_id=c.pk, user=steward)
    services.group_update(group_id=group_id, user=steward, owner=steward, change_reason="Taking it on")
    services.alert_resolve(item_id=a.pk, user=steward, reason="Both on contract")
    return group_id, impostor


def test_a_user_reads_as_name_and_email(steward):
    assert str(steward) == "Sam Steward <steward@example.org>"
    assert str(UserFactory(email="nameless@example.org", name="")) == "nameless@example.org"


def test_group_history_and_owner_show_the_email(planner_client, audited):
    group_id, impostor = audited
    page = planner_client.get(f"/groups/{group_id}", headers={"Accept": "text/html"}).content.decode()
    history = planner_client.get(f"/groups/{group_id}/history").content.decode()
    assert "owner" in page and page.count(SAM) >= 2  # the owner line and the history rows
    assert SAM in history
    assert "impostor@example.org" not in page + history


def test_conflict_list_names_who_kept_it(planner_client, audited):
    page = planner_client.get("/conflicts", {"state": "kept"}).content.decode()
    assert SAM in page


def test_admin_audit_and_group_history_show_the_email(steward_client, audited):
    group_id, _ = audited
    audit = steward_client.get("/admin/collector/relationaudit/").content.decode()
    change = steward_client.get(f"/admin/collector/itemgroup/{group_id}/change/").content.decode()
    alerts = steward_client.get("/admin/collector/groupalert/").content.decode()
    assert SAM in audit and SAM in change and SAM in alerts
