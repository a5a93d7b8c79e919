"""What a conversion group is called on every page, export and message.

A group shows its `name`; without one, the derived title "first original's
description -> first replacement's description" (first by sequence, then item
id). `group_title` is the rule; `annotate_group_title` computes the same in SQL
so lists sort and page by it in one statement.
"""

from __future__ import annotations

from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from collector.models import ItemGroupMember

ARROW = " -> "


def group_title(
    group_id: int,
    name: str | None,
    first_original: str | None = None,
    first_replacement: str | None = None,
) -> str:
    """The group's name, else "original -> replacement", else "Group N"."""
    if name and name.strip():
        return name.strip()
    if first_original and first_replacement:
        return f"{first_original}{ARROW}{first_replacement}"
    if first_original or first_replacement:
        return first_original or first_replacement or ""
    return f"Group {group_id}"


def _first_description(role: str, group_ref: str) -> Subquery:
    members = (
        ItemGroupMember.objects.filter(group_id=OuterRef(group_ref), role=role)
        .exclude(item__description__isnull=True)
        .order_by(F("sequence").asc(nulls_last=True), "item_id")
        .values("item__description")[:1]
    )
    return Subquery(members, output_field=CharField())


def annotate_group_title(queryset: QuerySet, group_ref: str = "group_id", name_field: str = "name") -> QuerySet:
    """Annotate `title`, `first_original` and `first_replacement` on rows that name a group.

    `group_ref` and `name_field` are the row's paths to the group id and the
    group's name (e.g. "group__group_id", "group__name" on member rows).
    """
    queryset = queryset.annotate(
        first_original=_first_description("original", group_ref),
        first_replacement=_first_description("replacement", group_ref),
    )
    # Concat reads NULL as "" on every backend, so the both-present case is spelled out.
    derived = Case(
        When(
            Q(first_original__isnull=False, first_replacement__isnull=False),
            then=Concat(F("first_original"), Value(ARROW), F("first_replacement"), output_field=CharField()),
        ),
        default=Coalesce(
            F("first_original"),
            F("first_replacement"),
            Concat(Value("Group "), Cast(F(group_ref), CharField()), output_field=CharField()),
            output_field=CharField(),
        ),
        output_field=CharField(),
    )
    return queryset.annotate(title=Coalesce(NullIf(F(name_field), Value("")), derived, output_field=CharField()))
