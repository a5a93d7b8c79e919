"""Fixtures and helpers for the collector's write services."""

import pytest

from collector import services
from collector.models import ItemGroupMember
from tests.factories import ItemFactory


@pytest.fixture
def items():
    """Ten items; items[n].pk by position."""
    return [ItemFactory() for _ in range(10)]


def add(a, b, **kw):
    return services.link_add(item_id=a.pk, replace_item_id=b.pk, **kw)


def member(item):
    return ItemGroupMember.objects.get(item=item)
