"""What adding a link would do: the services' own dry run (`links_add_bulk(dry_run=True)`) as a view-model,
so the preview and the write agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from collector import graph, services
from collector.models import (
    ItemGroupMember,
    ItemLink,
)
from collector.selectors.cards import ALERT_LABELS, ItemCard, item_cards
from collector.selectors.merge import MergeComparison, merge_comparison
from plmtracker.inventory.models import Item

PREVIEW_MEMBER_LIMIT = 40
RISKY_MERGE_MEMBERS = 5  # an active group larger than this is merged only with a danger warning


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
    comparison: MergeComparison | None = None  # both groups side by side and what survives, for a merge

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
    preview.comparison = merge_comparison(loser.group_id, winner.group_id)
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
