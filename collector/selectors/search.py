"""Item search (the typeahead) and item lookups by id or ERP code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from collector.models import (
    ItemGroupMember,
)
from plmtracker.inventory.models import Item

SEARCH_LIMIT = 10
MIN_WORD = 3  # shorter words alone do not search descriptions (a trigram index needs three letters)
MAX_WORDS = 5


def search_words(query: str) -> list[str]:
    return " ".join(query.split())[:64].split()[:MAX_WORDS]


def item_match(query: str, prefix: str = "") -> Q | None:
    """Items whose ERP code starts with the query, or whose description holds every word.

    `prefix` names the path to the item (e.g. "item__") when filtering another model.
    None when the query is empty.
    """
    words = search_words(query)
    if not words:
        return None
    match = Q(**{f"{prefix}erp_item_code__istartswith": words[0]}) if len(words) == 1 else Q(pk__in=[])
    if any(len(w) >= MIN_WORD for w in words):
        described = Q()
        for word in words:
            described &= Q(**{f"{prefix}description__icontains": word})
        match |= described
    return match


@dataclass(frozen=True)
class ItemOption:
    item_id: int
    code: str
    description: str
    active: bool
    group_id: int | None
    role: str | None


def item_search_queryset(query: str, *, limit: int = SEARCH_LIMIT) -> QuerySet | None:
    """The typeahead's query: code-prefix matches first, then by code; None for an empty query."""
    match = item_match(query)
    if match is None:
        return None
    words = search_words(query)
    found = Item.objects.filter(match)
    if len(words) == 1:  # code-prefix matches first; several words search descriptions only
        code_first = Case(
            When(erp_item_code__istartswith=words[0], then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        found = found.annotate(rank=code_first).order_by("rank", "erp_item_code")
    else:
        found = found.order_by("erp_item_code")
    return found.values_list(
        "item_id", "erp_item_code", "description", "active_flag", "membership__group_id", "membership__role"
    )[:limit]


def item_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[ItemOption]:
    """Up to `limit` items for the typeahead (see `item_match`)."""
    rows = item_search_queryset(query, limit=limit)
    if rows is None:
        return []
    return [ItemOption(i, code, desc or "", active, g, role) for i, code, desc, active, g, role in rows]


def group_of(item_id: int) -> int | None:
    """The group an item is a member of, if any."""
    return ItemGroupMember.objects.filter(item_id=item_id).values_list("group_id", flat=True).first()


def codes_of(item_ids: Iterable[int]) -> dict[int, str]:
    """Item ids to ERP codes."""
    ids = list(item_ids)
    if not ids:
        return {}
    return dict(Item.objects.filter(pk__in=ids).values_list("item_id", "erp_item_code"))


def item_codes(codes: Sequence[str]) -> dict[str, int]:
    """ERP codes to item ids, for the codes that exist."""
    return dict(Item.objects.filter(erp_item_code__in=list(codes)).values_list("erp_item_code", "item_id"))
