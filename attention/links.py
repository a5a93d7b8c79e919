"""Where each attention item is acted on: a path on this site, or an absolute URL for mail."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse

from attention.rules import Item


def item_path(item: Item, as_of: date) -> str:
    """The page that shows the item's figure and where a person acts on it."""
    if item.link == "dashboard":
        return f"{reverse('dashboard:group', args=[item.group_id])}?as_of={as_of.isoformat()}"
    anchor = {"plan": "#locations" if item.location_id else "#plan", "group": "#members"}[item.link]
    return reverse("collector:group_detail", args=[item.group_id]) + anchor


def absolute(path: str) -> str:
    """`path` under the site's base URL (PLM_BASE_URL), for links that leave the site in an e-mail."""
    return settings.PLM_BASE_URL.rstrip("/") + path
