"""Who may call which route: every URL name of the project needs a decision here.

Each app lists its routes in `tests/<app>/url_access.py` as `ROUTES = [Route(...)]`;
`tests/accounts/test_url_access.py` calls each one as anonymous, planner, steward
and an account that has still to confirm its e-mail against a small world
(`World`) and fails on any URL name without one. It also sends each URL name
the methods no entry of it uses (TRACE, PROPFIND, PUT, ...): they answer 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ANON_PAGE = "login"  # anonymous page request: 302 to /login?next=...
ANON_JSON = 401  # anonymous JSON request: 401 with a JSON body
UNCONFIRMED = "refused"  # an unconfirmed account: 403 with the reason (JSON, or a page saying what to do)


@dataclass(frozen=True)
class Route:
    """One URL name, how to call it, and the status each role must get.

    `kwargs` and `data` may be callables taking the World, for ids made there.
    `anonymous` is ANON_PAGE (a redirect to the login page), or a status code;
    `unconfirmed` (a self-registered account before it confirms its e-mail) is
    UNCONFIRMED everywhere but on the account routes, or a status code.
    """

    name: str
    planner: int
    steward: int
    anonymous: int | str = ANON_PAGE
    unconfirmed: int | str = UNCONFIRMED
    method: str = "GET"
    kwargs: dict | Callable[[Any], dict] = field(default_factory=dict)
    data: dict | Callable[[Any], dict] | None = None
    content_type: str | None = None  # e.g. "application/json" to send `data` as JSON
    headers: dict | None = None
    id: str | None = None  # tells two entries for one name apart (pytest id)

    def resolved_kwargs(self, world) -> dict:
        return self.kwargs(world) if callable(self.kwargs) else dict(self.kwargs)

    def resolved_data(self, world) -> dict | None:
        return self.data(world) if callable(self.data) else self.data


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named route of the project, with its namespace (admin's left out)."""
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= url_names(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names
