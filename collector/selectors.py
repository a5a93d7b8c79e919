"""Reads of the relation graph for the pages and the API.

Each function answers with a fixed number of queries however large the
groups grow. What a new link would do is asked of the services' own rules
(`links_add_bulk(dry_run=True)`), so the preview and the result agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from collector import graph, naming, services
from collector.golive import effective_go_live
from collector.models import (
    ALERT_TYPES,
    GroupAlert,
    GroupLocationPlan,
    ItemGroup,
    ItemGroupMember,
    ItemLink,
    RelationAudit,
)
from plmtracker.inventory.models import Item, ItemLocation, Location

SEARCH_LIMIT = 10
MIN_WORD = 3  # shorter words alone do not search descriptions (a trigram index needs three letters)
MAX_WORDS = 5
NEIGHBOUR_LIMIT = 12
PREVIEW_MEMBER_LIMIT = 40
ALERT_LABELS = dict(ALERT_TYPES)
RISKY_MERGE_MEMBERS = 5  # an active group larger than this is merged only with a danger warning


# --------------------------------------------------------------------------
# Item search (the typeahead)


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


# --------------------------------------------------------------------------
# Item cards: an item's group and neighbours


@dataclass(frozen=True)
class Neighbour:
    item_id: int
    code: str
    description: str


@dataclass
class ItemCard:
    item_id: int
    code: str
    description: str
    active: bool
    group_id: int | None = None
    role: str | None = None
    group_status: str | None = None
    group_title: str | None = None
    member_count: int = 0
    replaced_by: list[Neighbour] = field(default_factory=list)
    replaces: list[Neighbour] = field(default_factory=list)
    replaced_by_count: int = 0
    replaces_count: int = 0
    alert: dict | None = None

    @property
    def label(self) -> str:
        return f"{self.code} — {self.description}" if self.description else self.code


def item_cards(item_ids: Iterable[int]) -> dict[int, ItemCard]:
    """Each item with its group, its links both ways and its open conflict (four queries)."""
    ids = sorted({i for i in item_ids if i})
    if not ids:
        return {}
    found = naming.annotate_group_title(
        Item.objects.filter(pk__in=ids), group_ref="membership__group_id", name_field="membership__group__name"
    )
    cards = {
        item_id: ItemCard(item_id, code, desc or "", active, group_id, role, status, title if group_id else None)
        for item_id, code, desc, active, group_id, role, status, title in found.values_list(
            "item_id",
            "erp_item_code",
            "description",
            "active_flag",
            "membership__group_id",
            "membership__role",
            "membership__group__status",
            "title",
        )
    }
    group_ids = {c.group_id for c in cards.values() if c.group_id}
    sizes = dict(
        ItemGroupMember.objects.filter(group_id__in=group_ids)
        .values("group_id")
        .annotate(n=Count("*"))
        .values_list("group_id", "n")
    )
    for card in cards.values():
        card.member_count = sizes.get(card.group_id, 0)
    links = ItemLink.objects.filter(Q(item_id__in=ids) | Q(replace_item_id__in=ids)).values_list(
        "item_id",
        "replace_item_id",
        "item__erp_item_code",
        "item__description",
        "replace_item__erp_item_code",
        "replace_item__description",
    )
    for a, b, a_code, a_desc, b_code, b_desc in links.order_by("item__erp_item_code", "replace_item__erp_item_code"):
        if a in cards:
            cards[a].replaced_by_count += 1
            if len(cards[a].replaced_by) < NEIGHBOUR_LIMIT:
                cards[a].replaced_by.append(Neighbour(b, b_code, b_desc or ""))
        if b in cards:
            cards[b].replaces_count += 1
            if len(cards[b].replaces) < NEIGHBOUR_LIMIT:
                cards[b].replaces.append(Neighbour(a, a_code, a_desc or ""))
    for alert in services.open_alerts_for(ids):
        cards[alert["item_id"]].alert = {**alert, "label": ALERT_LABELS[alert["alert_type"]]}
    return cards


# --------------------------------------------------------------------------
# What adding a link would do


@dataclass(frozen=True)
class PreviewWarning:
    code: str  # self_link, reverse, existing, conflict, conflict_grows, inactive
    level: str  # danger (refused), warning, info
    message: str


@dataclass(frozen=True)
class PreviewMember:
    item_id: int
    code: str
    description: str
    role: str | None
    sequence: int | None
    change: str  # "", "joins" or "moves from group N"


@dataclass(frozen=True)
class MergeSide:
    group_id: int
    member_count: int
    status: str


@dataclass(frozen=True)
class MergeSides:
    loser: MergeSide  # merged away
    winner: MergeSide  # kept

    @property
    def button(self) -> str:
        return (
            f"Record link and merge group {self.loser.group_id} ({self.loser.member_count} members) "
            f"into group {self.winner.group_id}"
        )


@dataclass
class LinkPreview:
    item: ItemCard | None = None
    replace: ItemCard | None = None
    status: str = "incomplete"  # incomplete, self, new, existing, reverse
    action: str | None = None  # create, attach, merge, within
    group_id: int | None = None  # the group the link ends in; None for a group yet to be made
    merged_group_ids: list[int] = field(default_factory=list)
    members: list[PreviewMember] = field(default_factory=list)
    member_count: int = 0
    alerts: list[dict] = field(default_factory=list)
    warnings: list[PreviewWarning] = field(default_factory=list)
    ratio: Decimal = Decimal(1)

    @property
    def ratio_text(self) -> str:
        return services.format_ratio(self.ratio)

    @property
    def group_title(self) -> str | None:
        """The title of the group the link ends in, when that group exists already."""
        for card in (self.item, self.replace):
            if card is not None and self.group_id is not None and card.group_id == self.group_id:
                return card.group_title
        return None

    merging: MergeSides | None = None  # the two groups, when the link merges them

    @property
    def can_submit(self) -> bool:
        return self.status in ("new", "existing")

    @property
    def merge(self) -> bool:
        return self.merging is not None

    @property
    def hidden_members(self) -> int:
        return self.member_count - len(self.members)


def link_preview(item_id: int | None, replace_item_id: int | None, ratio: Decimal | None = None) -> LinkPreview:
    """What `item -> replace` at `ratio` (default 1) would do: the resulting group, merges and warnings."""
    cards = item_cards((item_id, replace_item_id))
    preview = LinkPreview(item=cards.get(item_id), replace=cards.get(replace_item_id), ratio=ratio or Decimal(1))
    for card in (preview.item, preview.replace):
        if card is not None and not card.active:
            preview.warnings.append(
                PreviewWarning("inactive", "warning", f"{card.code} is flagged inactive in the ERP item master.")
            )
    if preview.item is None or preview.replace is None:
        return preview
    try:
        result = services.links_add_bulk(pairs=[(item_id, replace_item_id, None)], dry_run=True)
    except services.SelfLinkError as exc:
        preview.status = "self"
        preview.warnings.insert(0, PreviewWarning("self_link", "danger", exc.message))
        return preview
    outcome = result.outcomes[0]
    preview.status = outcome.status
    item, replace = preview.item, preview.replace
    if outcome.status == "reverse":
        message = services.reverse_link_message(item.code, replace.code)
        preview.warnings.insert(0, PreviewWarning("reverse", "danger", message))
        return preview
    if outcome.status == "existing":
        preview.group_id = outcome.group_id
        current = ItemLink.objects.filter(item_id=item_id, replace_item_id=replace_item_id).values_list(
            "ratio", flat=True
        )[0]
        if current != preview.ratio:
            warning = PreviewWarning(
                "ratio_change",
                "info",
                f"{item.code} is already recorded as replaced by {replace.code} (group {outcome.group_id}) "
                f"at a ratio of {services.format_ratio(current)}; recording it again changes the ratio to "
                f"{preview.ratio_text}.",
            )
        else:
            warning = PreviewWarning(
                "existing",
                "info",
                f"{item.code} is already recorded as replaced by {replace.code} (group {outcome.group_id}); "
                "recording it again changes nothing.",
            )
        preview.warnings.insert(0, warning)
    else:
        preview.action = outcome.action
        created = {g["group_id"] for g in result.created_groups}
        preview.group_id = None if outcome.group_id in created else outcome.group_id
        preview.merged_group_ids = [m["loser_group_id"] for m in result.merges]
        if outcome.action == graph.MERGE:
            _merge_warning(preview)
    _fill_members(preview, result.members, outcome.group_id)
    _conflict_warnings(preview, result.alerts_raised, outcome.status)
    return preview


def first_word(description: str | None) -> str:
    """The product family an ERP description starts with ("GLOVE EXAM NITRILE" -> "GLOVE")."""
    words = (description or "").split()
    return words[0].upper() if words else ""


def member_descriptions(group_ids: Sequence[int]) -> QuerySet:
    """(group id, description) of every member of the groups."""
    return ItemGroupMember.objects.filter(group_id__in=group_ids).values_list("group_id", "item__description")


def _merge_warning(preview: LinkPreview) -> None:
    """Say which group the link merges into which; in the danger style when the merge looks like a slip."""
    sides = {c.group_id: MergeSide(c.group_id, c.member_count, c.group_status) for c in (preview.item, preview.replace)}
    loser, winner = sides[preview.merged_group_ids[0]], sides[preview.group_id]
    preview.merging = MergeSides(loser, winner)
    families: dict[int, set[str]] = {loser.group_id: set(), winner.group_id: set()}
    for group_id, description in member_descriptions(list(families)):
        families[group_id].add(first_word(description))
    families = {g: words - {""} for g, words in families.items()}
    risks = [
        f"group {side.group_id} is active with {side.member_count} members"
        for side in (loser, winner)
        if side.status == "active" and side.member_count > RISKY_MERGE_MEMBERS
    ]
    if all(families.values()) and not families[loser.group_id] & families[winner.group_id]:
        risks.append(
            "the two groups share no product family ("
            + " / ".join(", ".join(sorted(families[s.group_id])[:3]) for s in (loser, winner))
            + ")"
        )
    message = (
        f"This link merges group {loser.group_id} ({loser.member_count} members, {loser.status}) into group "
        f"{winner.group_id} ({winner.member_count} members, {winner.status}): every member of group "
        f"{loser.group_id} moves, and group {loser.group_id} is deleted."
    )
    if risks:
        message += f" Check before you confirm: {'; '.join(risks)}."
    preview.warnings.insert(0, PreviewWarning("merge", "danger" if risks else "warning", message))


def _fill_members(preview: LinkPreview, members: dict[int, graph.Member], group_id: int) -> None:
    ordered = sorted(
        (m.sequence if m.sequence is not None else 1 << 30, item_id, m.role)
        for item_id, m in members.items()
        if m.group_id == group_id
    )
    preview.member_count = len(ordered)
    shown = ordered[:PREVIEW_MEMBER_LIMIT]
    found = {
        i: (code, desc or "", current)
        for i, code, desc, current in Item.objects.filter(pk__in=[i for _, i, _ in shown]).values_list(
            "item_id", "erp_item_code", "description", "membership__group_id"
        )
    }
    for sequence, item_id, role in shown:
        code, desc, current = found[item_id]
        if current is None:
            change = "joins"
        elif current != preview.group_id:
            change = f"moves from group {current}"
        else:
            change = ""
        preview.members.append(PreviewMember(item_id, code, desc, role, sequence, change))


def _conflict_warnings(preview: LinkPreview, raised: dict[int, tuple[str, int, int]], status: str) -> None:
    cards = {c.item_id: c for c in (preview.item, preview.replace)}
    for item_id, (alert_type, out, in_) in sorted(raised.items()):
        card = cards[item_id]
        preview.alerts.append(
            {"item_id": item_id, "item": card.code, "alert_type": alert_type, "degree_out": out, "degree_in": in_}
        )
        preview.warnings.append(
            PreviewWarning(
                "conflict",
                "warning",
                f"{card.code} would be replaced by {out} and replace {in_} item(s): "
                f"a “{ALERT_LABELS[alert_type]}” conflict would be raised for a steward to review.",
            )
        )
    if status != "new":
        return
    # An open conflict is kept current with its degrees: the new link deepens it.
    grows = [(preview.item, 1, 0), (preview.replace, 0, 1)]
    for card, more_out, more_in in grows:
        if card.alert is None or card.item_id in raised:
            continue
        out, in_ = card.alert["degree_out"] + more_out, card.alert["degree_in"] + more_in
        label = ALERT_LABELS[graph.alert_type_for(out, in_)]
        preview.warnings.append(
            PreviewWarning(
                "conflict_grows",
                "warning",
                f"{card.code} already has an open conflict; it would grow to “{label}” "
                f"(replaced by {out}, replaces {in_}).",
            )
        )


# --------------------------------------------------------------------------
# Groups


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


# --------------------------------------------------------------------------
# Conflicts


def conflicts() -> QuerySet[GroupAlert]:
    """Alerts with their item, the item's group (and its title) and who resolved them (one query)."""
    alerts = GroupAlert.objects.select_related("item", "item__membership__group", "resolved_by")
    titled = naming.annotate_group_title(
        alerts, group_ref="item__membership__group_id", name_field="item__membership__group__name"
    )
    return titled.annotate(group_title=F("title"))


OPEN_CONFLICTS_SHOWN = 10


def open_conflicts(group_id: int, limit: int = OPEN_CONFLICTS_SHOWN) -> tuple[list[GroupAlert], int]:
    """The first open conflicts on the group's members (by ERP code) and how many there are (two queries)."""
    rows = group_open_conflicts(group_id)
    return list(rows.select_related("item").order_by("item__erp_item_code")[:limit]), rows.count()


def group_open_conflicts(group_id: int) -> QuerySet[GroupAlert]:
    return GroupAlert.objects.filter(resolved_at__isnull=True, item__membership__group_id=group_id)


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
