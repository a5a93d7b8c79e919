"""What the page views of every app share: htmx fragment requests and the length of a list page."""

from django.http import HttpRequest

LIST_PAGE = 25  # rows on one page of a list (groups, conflicts; the attention list shows twice as many)


def is_fragment(request: HttpRequest, target: str) -> bool:
    """An htmx request that swaps only `target` (filters, sorting, paging)."""
    return bool(getattr(request, "htmx", False)) and request.htmx.target == target
