"""A group merged into another: pages of the old group go to the winner, JSON says where it went.

Shared by the collector's and the dashboard's group pages and APIs.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from collector import selectors


class MergedAway(Http404):
    """A group that was merged into another: pages go there, JSON says where (`merged_into`)."""

    def __init__(self, group_id: int, winner: int) -> None:
        super().__init__(f"Group {group_id} was merged into group {winner}.")
        self.group_id, self.winner = group_id, winner

    @property
    def body(self) -> dict:
        return {"error": str(self), "merged_into": self.winner}


def merged_away(group_id: int) -> MergedAway | None:
    winner = selectors.merged_into(group_id)
    return MergedAway(group_id, winner) if winner is not None else None


def to_winner(request: HttpRequest, gone: MergedAway) -> HttpResponse:
    """302 to the same page of the group a merged-away group went into, with a message saying so."""
    match = request.resolver_match
    url = reverse(match.view_name, kwargs={**match.kwargs, "group_id": gone.winner})
    query = request.GET.urlencode()
    messages.info(
        request, f"Group {gone.group_id} was merged into group {gone.winner}: you are on group {gone.winner}."
    )
    return redirect(f"{url}?{query}" if query else url)
