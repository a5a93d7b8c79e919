"""Groups: lists and search, a group's members, links, outline and go-live per location, its history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from collector import graph, naming, services
from collector.golive import effective_go_live
from collector.models import (
    GroupAlert,
    GroupLocationPlan,
    ItemGroup,
    ItemGroupMember,
    ItemLink,
    RelationAudit,
)
from collector.selectors.cards import ALERT_LABELS
from collector.selectors.search import SEARCH_LIMIT, item_match, search_words
from plmtracker.inventory.models import ItemLocation, Location


def groups_with_counts() -> QuerySet[ItemGroup]:
    """Groups with their owner, member count and open conflict count (one query)."""
    members = (
        ItemGroupMember.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("*"))
        .values("n")
    )
    conflicts = (
        GroupAlert.objects.filter(resolved_at__isnull=True, item__membership__group=OuterRef("pk"))
        .order_by()
        .values("item__membership__group")
        .annotate(n=Count("*"))
        .values("n")
    )
    groups = ItemGroup.objects.select_related("owner").annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        conflict_count=Coalesce(Subquery(conflicts, output_field=IntegerField()), 0),
    )
    return naming.annotate_group_title(groups, group_ref="pk", name_field="name")


def groups_matching(query: str) -> Q:
    """Groups named with every word, or with a member whose code or description matches (see `item_match`)."""
    match = item_match(query, prefix="item__")
    if match is None:
        return Q()
    named = Q(name__isnull=False)
    for word in search_words(query):
        named &= Q(name__icontains=word)
    return named | Q(Exists(ItemGroupMember.objects.filter(match, group=OuterRef("pk"))))


def group_search(query: str, *, exclude: int | None = None, limit: int = SEARCH_LIMIT) -> list[ItemGroup]:
    """Groups for the merge picker: by number, or by a member's code or description."""
    words = search_words(query)
    if not words:
        return []
    condition = groups_matching(query)
    if len(words) == 1 and words[0].lstrip("#").isdigit():
        condition |= Q(pk=int(words[0].lstrip("#")))
    found = groups_with_counts().filter(condition)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return list(found.order_by("group_id")[:limit])


@dataclass(frozen=True)
class MemberRow:
    item_id: int
    code: str
    description: str
    active: bool
    role: str | None
    sequence: int | None
    alert_type: str | None
    degree_out: int | None
    degree_in: int | None

    @property
    def alert_label(self) -> str:
        return ALERT_LABELS.get(self.alert_type, "")


@dataclass(frozen=True)
class LinkRow:
    item_id: int
    replace_item_id: int
    item_code: str
    replace_code: str
    reason: str | None
    created_by: str | None
    created_at: datetime
    ratio: Decimal = Decimal(1)

    @property
    def ratio_text(self) -> str:
        return services.format_ratio(self.ratio)

    @property
    def ends(self) -> tuple[int, int]:
        return (self.item_id, self.replace_item_id)


@dataclass
class GroupView:
    group: ItemGroup
    members: list[MemberRow]
    links: list[LinkRow]
    pieces: list[set[int]]

    @property
    def title(self) -> str:
        """The group's name, else "first original -> first replacement" (see collector.naming)."""
        first = {}
        for m in self.members:
            if m.role and m.description:
                first.setdefault(m.role, m.description)
        return naming.group_title(self.group.pk, self.group.name, first.get("original"), first.get("replacement"))

    @property
    def conflict_count(self) -> int:
        return sum(m.alert_type is not None for m in self.members)

    @property
    def codes(self) -> dict[int, str]:
        return {m.item_id: m.code for m in self.members}

    def cut_links(self, item_ids: Iterable[int]) -> list[LinkRow]:
        """The links a split of `item_ids` would cut (the rule `services.group_split` applies)."""
        cut = set(graph.cut_links((link.ends for link in self.links), set(item_ids)))
        return [link for link in self.links if link.ends in cut]


def _member_rows(group_id: int) -> QuerySet:
    open_alert = GroupAlert.objects.filter(item_id=OuterRef("item_id"), resolved_at__isnull=True)
    return (
        ItemGroupMember.objects.filter(group_id=group_id)
        .annotate(
            alert_type=Subquery(open_alert.values("alert_type")[:1]),
            degree_out=Subquery(open_alert.values("degree_out")[:1]),
            degree_in=Subquery(open_alert.values("degree_in")[:1]),
        )
        .order_by(F("sequence").asc(nulls_last=True), "item_id")
        .values_list(
            "item_id",
            "item__erp_item_code",
            "item__description",
            "item__active_flag",
            "role",
            "sequence",
            "alert_type",
            "degree_out",
            "degree_in",
        )
    )


def group_members(group_id: int, start: int = 0, stop: int | None = None) -> list[MemberRow]:
    """The group's members in sequence, with their open conflicts (rows start..stop, one query)."""
    rows = _member_rows(group_id)[start:stop]
    return [MemberRow(i, code, desc or "", *rest) for i, code, desc, *rest in rows]


def group_links(group_id: int, start: int = 0, stop: int | None = None) -> list[LinkRow]:
    """The group's links by item and replacement code (rows start..stop, one query)."""
    rows = (
        ItemLink.objects.filter(item__membership__group_id=group_id)
        .order_by("item__erp_item_code", "replace_item__erp_item_code")
        .values_list(
            "item_id",
            "replace_item_id",
            "item__erp_item_code",
            "replace_item__erp_item_code",
            "reason",
            "created_by__name",
            "created_by__email",
            "created_at",
            "ratio",
        )[start:stop]
    )
    return [
        LinkRow(a, b, a_code, b_code, reason, by_name or by_email, at, ratio)
        for a, b, a_code, b_code, reason, by_name, by_email, at, ratio in rows
    ]


@dataclass
class GroupOutline:
    """What a group page shows of a group of any size: counts and pieces, from ids alone."""

    group: ItemGroup
    member_ids: list[int]
    ends: list[tuple[int, int]]
    conflict_count: int
    pieces: list[set[int]]

    @property
    def member_count(self) -> int:
        return len(self.member_ids)

    @property
    def link_count(self) -> int:
        return len(self.ends)

    @property
    def title(self) -> str:
        """The group's name, else "first original -> first replacement" (annotated by `group_outline`)."""
        return getattr(self.group, "title", None) or naming.group_title(self.group.pk, self.group.name)


def group_outline(group_id: int, *, detail_limit: int = 0) -> tuple[GroupOutline, GroupView | None] | None:
    """The group's outline, and all its rows (a GroupView) when it has at most `detail_limit` members.

    A small group is read whole (three queries) and outlined from its rows; a
    larger one is outlined from ids alone (six queries), its rows read a page
    at a time by `group_members` and `group_links`.
    """
    group = naming.annotate_group_title(ItemGroup.objects.select_related("owner").filter(pk=group_id)).first()
    if group is None:
        return None
    # One read of at most detail_limit + 1 rows says whether the group is small, and is all of it if so.
    first_rows = group_members(group_id, 0, detail_limit + 1)
    if len(first_rows) <= detail_limit:
        links = group_links(group_id)
        ends = [link.ends for link in links]
        pieces = graph.components([m.item_id for m in first_rows], ends)
        view = GroupView(group, first_rows, links, pieces)
        return GroupOutline(group, [m.item_id for m in first_rows], ends, view.conflict_count, pieces), view
    members = ItemGroupMember.objects.filter(group_id=group_id)
    member_ids = list(members.values_list("item_id", flat=True))
    ends = list(ItemLink.objects.filter(item__membership__group_id=group_id).values_list("item_id", "replace_item_id"))
    conflicts = GroupAlert.objects.filter(resolved_at__isnull=True, item__membership__group_id=group_id).count()
    return GroupOutline(group, member_ids, ends, conflicts, graph.components(member_ids, ends)), None


def group_view(group_id: int) -> GroupView | None:
    """A group with all its members (and their open conflicts) and links, in three queries."""
    group = naming.annotate_group_title(ItemGroup.objects.select_related("owner").filter(pk=group_id)).first()
    return None if group is None else _group_view(group)


def _group_view(group: ItemGroup) -> GroupView:
    members = group_members(group.pk)
    links = group_links(group.pk)
    pieces = graph.components([m.item_id for m in members], [link.ends for link in links])
    return GroupView(group, members, links, pieces)


# --------------------------------------------------------------------------
# Go-live per location


@dataclass(frozen=True)
class LocationRow:
    location_id: int
    location_name: str
    location_type: str
    stocked: bool  # a member has an item_location row there
    go_live_date: date | None  # the plan's own date
    note: str | None
    start_date: date | None  # the group's

    @property
    def effective_go_live_date(self) -> date | None:
        return effective_go_live(self.go_live_date, self.start_date)


def location_rows_queryset(group_id: int) -> QuerySet[Location]:
    """Every location where a member of the group has an item_location row or that has a plan of the group."""
    members = ItemGroupMember.objects.filter(group_id=group_id, item_id=OuterRef("item_id"))
    stocked = ItemLocation.objects.filter(Exists(members), location_id=OuterRef("location_id"))
    plan = GroupLocationPlan.objects.filter(group_id=group_id, location_id=OuterRef("location_id"))
    return (
        Location.objects.annotate(
            stocked=Exists(stocked),
            planned=Exists(plan),
            go_live_date=Subquery(plan.values("go_live_date")[:1]),
            note=Subquery(plan.values("note")[:1]),
        )
        .filter(Q(stocked=True) | Q(planned=True))
        .order_by("location_id")
    )


def location_rows(group: ItemGroup, location_ids: Iterable[int] | None = None) -> list[LocationRow]:
    """The group's go-live table: every location where a member is stocked or that has a plan (one query)."""
    rows = location_rows_queryset(group.pk)
    if location_ids is not None:
        rows = rows.filter(location_id__in=list(location_ids))
    return [
        LocationRow(loc, name, kind, bool(is_stocked), day, note, group.start_date)
        for loc, name, kind, is_stocked, day, note in rows.values_list(
            "location_id", "location_name", "location_type", "stocked", "go_live_date", "note"
        )
    ]


def history_group_ids(group_id: int) -> list[int]:
    """The group and every group merged into it, however long ago (one query per generation)."""
    family, frontier = {group_id}, {group_id}
    while frontier:
        losers = set(
            RelationAudit.objects.filter(action="group_merge", group_id__in=frontier).values_list(
                "details__loser_group_id", flat=True
            )
        )
        frontier = {int(g) for g in losers if g is not None} - family
        family |= frontier
    return sorted(family)


def merged_into(group_id: int) -> int | None:
    """The group a merged-away group's members live in now (following later merges), if any."""
    current, seen = group_id, {group_id}
    while True:
        winner = (
            RelationAudit.objects.filter(action="group_merge", details__loser_group_id=current)
            .order_by("-audit_id")
            .values_list("group_id", flat=True)
            .first()
        )
        if winner is None or winner in seen:
            return None if current == group_id else current
        if ItemGroup.objects.filter(pk=winner).exists():
            return winner
        current = winner
        seen.add(winner)


def group_history(group_id: int) -> QuerySet[RelationAudit]:
    """Audit rows of the group and of the groups merged into it, newest first."""
    return (
        RelationAudit.objects.filter(group_id__in=history_group_ids(group_id))
        .select_related("user")
        .order_by("-at", "-audit_id")
    )
