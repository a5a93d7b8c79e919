"""Item cards: an item's group and neighbours, beside each picker."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from collector import naming, services
from collector.models import (
    ALERT_TYPES,
    ItemGroupMember,
    ItemLink,
)
from plmtracker.inventory.models import Item

NEIGHBOUR_LIMIT = 12
ALERT_LABELS = dict(ALERT_TYPES)


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
