"""Where each attention item is acted on: a path on this site, or an absolute URL for mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.urls import reverse

from attention.rules import Item


def item_path(item: Item, as_of: date) -> str:
    """The page that shows the item's figure and where a person acts on it."""
    return item_paths(as_of)(item)


_MARK = 987654321  # a group id no database holds: reversed once, then replaced per item


def item_paths(as_of: date) -> Callable[[Item], str]:
    """`item_path` for many items: each URL pattern is reversed once, not once per item."""
    dashboard = f"{reverse('dashboard:group', args=[_MARK])}?as_of={as_of.isoformat()}"
    detail = reverse("collector:group_detail", args=[_MARK])

    def path(item: Item) -> str:
        if item.link == "dashboard":
            return dashboard.replace(str(_MARK), str(item.group_id))
        anchor = {"plan": "#locations" if item.location_id else "#plan", "group": "#members"}[item.link]
        return detail.replace(str(_MARK), str(item.group_id)) + anchor

    return path


def absolute(path: str) -> str:
    """`path` under the site's base URL (PLM_BASE_URL), for links that leave the site in an e-mail."""
    return settings.PLM_BASE_URL.rstrip("/") + path
