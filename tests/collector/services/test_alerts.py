"""Conflict alerts follow the degrees; kept as many-to-many by hand."""

import pytest

from collector import services
from collector.models import GroupAlert, RelationAudit
from tests.collector.helpers import expected_alerts, open_alerts
from tests.collector.services.conftest import add

pytestmark = pytest.mark.django_db


def test_conflicts_follow_the_degrees(items):
    a, b, c, d, x, y = items[:6]
    add(a, b)
    assert open_alerts() == {}
    add(a, c)
    assert open_alerts() == {a.pk: ("OUT_DEG_GT1", 2, 0)}
    add(a, d)
    add(x, a)
    add(y, a)
    assert open_alerts()[a.pk] == ("MANY_TO_MANY", 3, 2)
    assert GroupAlert.objects.filter(item=a).count() == 1  # kept current, not re-raised
    add(x, b)  # b now has two arriving links: a -> b and x -> b
    assert open_alerts()[b.pk] == ("IN_DEG_GT1", 0, 2)
    assert open_alerts() == expected_alerts()


def test_an_alert_closes_itself_when_the_degrees_drop(items):
    a, b, c = items[:3]
    add(a, b)
    add(a, c)
    services.link_remove(item_id=a.pk, replace_item_id=c.pk)
    alert = GroupAlert.objects.get(item=a)
    assert (alert.resolution, alert.resolved_at is not None, alert.resolved_by) == ("cleared", True, None)
    assert open_alerts() == {}


def test_keep_as_many_to_many_then_a_later_increase_raises_a_new_alert(items, steward):
    a, b, c, d = items[:4]
    add(a, b)
    add(a, c)
    kept = services.alert_resolve(item_id=a.pk, user=steward, reason="Both stay on contract")
    assert (kept.resolution, kept.resolved_by, kept.resolved_at is not None) == ("kept", steward, True)
    assert open_alerts() == {}
    services.link_remove(item_id=a.pk, replace_item_id=c.pk)
    add(a, c)  # back to what was kept: no new alert
    assert open_alerts() == {}
    add(a, d)  # beyond what was kept
    assert open_alerts() == {a.pk: ("OUT_DEG_GT1", 3, 0)}
    assert RelationAudit.objects.filter(action="alert_resolve", user=steward).count() == 1


def test_resolving_an_item_without_an_open_alert_is_not_found(items):
    with pytest.raises(services.NotFoundError):
        services.alert_resolve(item_id=items[0].pk)
