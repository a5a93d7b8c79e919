"""What the collector's pages share: ids and ratios from form input, safe `next` addresses, links to groups."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from collector import services
from plmtracker.web.converters import MAX_ID

ID_TEXT = re.compile(r"[0-9]{1,10}")  # ASCII digits only: str.isdigit() also takes "²", which int() refuses


def int_list(values: Iterable[str]) -> list[int]:
    """The ids among `values` (form or query-string input: whole numbers 1 to MAX_ID), in order, once each.

    A number beyond the id columns' range names nothing; passed on, it would
    overflow the database's integer parameter.
    """
    texts = (str(v).strip() for v in values)
    numbers = (int(t) for t in texts if ID_TEXT.fullmatch(t))
    return list(dict.fromkeys(n for n in numbers if 1 <= n <= MAX_ID))


def int_or_none(value: str | None) -> int | None:
    found = int_list([value or ""])
    return found[0] if found else None


def ratio_or_none(value: str | None):
    """The ratio a form or query string gives, when it is a valid one (the preview ignores others)."""
    try:
        return services.check_ratio(value) if value else None
    except services.GraphError:
        return None


def safe_next(request: HttpRequest, default: str) -> str:
    """Where a form asked to go back to, when that is on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def group_link(group_id: int, text: str | None = None) -> str:
    url = reverse("collector:group_detail", kwargs={"group_id": group_id})
    return format_html('<a href="{}" class="link-light fw-semibold">{}</a>', url, text or f"Open group {group_id}")
