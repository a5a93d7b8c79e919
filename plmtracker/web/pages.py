"""What the page views of every app share: htmx fragment requests, the length of a list page, paging a table."""

from django.http import HttpRequest
from django_tables2 import RequestConfig

LIST_PAGE = 25  # rows on one page of a list (groups, conflicts; the attention list shows twice as many)


def is_fragment(request: HttpRequest, target: str) -> bool:
    """An htmx request that swaps only `target` (filters, sorting, paging)."""
    return bool(getattr(request, "htmx", False)) and request.htmx.target == target


def paginate(request: HttpRequest, table, per_page: int) -> None:
    """Sort and page the table as the query string asks, at our page size.

    django-tables2 would take a `per_page` from the query string too: 0 or a
    negative one fails with EmptyPage, a huge one lists every row.
    """
    if "per_page" in request.GET:
        request.GET = request.GET.copy()
        del request.GET["per_page"]
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
