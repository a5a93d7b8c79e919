"""Every model has a working admin: list, search, filters and autocomplete."""

import pytest
from django.contrib import admin
from django.urls import reverse

from collector.services import link_add
from tests.factories import BurnRateFactory, ItemFactory, ItemLocationFactory, PoLineFactory, SnapshotFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


def test_every_model_of_ours_is_registered():
    from django.apps import apps

    ours = {
        m for app in ("plmtracker", "accounts", "collector", "attention") for m in apps.get_app_config(app).get_models()
    }
    assert ours <= set(admin.site._registry)


@pytest.fixture
def data():
    a, b = ItemFactory(), ItemFactory()
    ItemLocationFactory(item=a)
    BurnRateFactory(item=a)
    PoLineFactory(item=a)
    SnapshotFactory(item=a)
    link_add(item_id=a.pk, replace_item_id=b.pk)
    return a


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_with_search_loads(admin_client, data, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.get(url, {"q": data.erp_item_code})
    assert response.status_code == 200
    response = admin_client.get(url)
    assert response.status_code == 200


def test_item_search_finds_by_code_and_description(admin_client, data):
    url = reverse("admin:plmtracker_item_changelist")
    assert data.erp_item_code in admin_client.get(url, {"q": data.erp_item_code}).content.decode()
    assert data.erp_item_code in admin_client.get(url, {"q": "NITRILE"}).content.decode()
    assert data.erp_item_code not in admin_client.get(url, {"q": "NO-SUCH-THING"}).content.decode()


def test_foreign_keys_use_autocomplete(admin_client):
    for model, model_admin in admin.site._registry.items():
        fks = [
            f.name
            for f in model._meta.get_fields()
            if f.many_to_one and f.concrete and f.related_model in admin.site._registry
        ]
        if model._meta.app_label in ("plmtracker", "collector"):
            assert set(fks) <= set(model_admin.autocomplete_fields), f"{model.__name__}: {fks}"


def test_item_change_page_shows_its_locations(admin_client, data):
    response = admin_client.get(reverse("admin:plmtracker_item_change", args=[data.pk]))
    assert response.status_code == 200
    assert "Item locations" in response.content.decode()
