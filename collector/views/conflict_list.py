"""/conflicts: the open conflicts for stewards to review."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from collector import selectors
from collector.filters import ConflictFilter
from collector.tables import ConflictTable
from plmtracker.web.pages import LIST_PAGE, is_fragment, paginate


@require_safe
def conflicts(request: HttpRequest) -> HttpResponse:
    """Conflicts with their degrees, item and group; stewards keep them as M:N or go split."""
    filterset = ConflictFilter(request.GET, queryset=selectors.conflicts())
    table = ConflictTable(filterset.qs)
    paginate(request, table, LIST_PAGE)
    context = {"filter": filterset, "table": table}
    if is_fragment(request, "conflicts-table"):
        return render(request, "collector/partials/_conflicts_table.html", context)
    return render(request, "collector/conflicts.html", context)
