"""A link's ratio: checked, written as people write it, and changed by a later link."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from collector import graph
from collector.models import (
    ItemLink,
    RelationAudit,
)
from collector.services.errors import GraphError
from collector.services.locking import item_codes, link_details, touch_groups, user_or_none
from plmtracker.ops.bulk import id_chunks

# 15 significant digits, not the column's 18: SQLite keeps the ratio as a double, exact to 15 only.
RATIO_DIGITS, RATIO_PLACES = 15, 6
MAX_RATIO = Decimal(10) ** (RATIO_DIGITS - RATIO_PLACES) - Decimal(1).scaleb(-RATIO_PLACES)


def check_ratio(value: Any) -> Decimal:
    """A link's ratio as a Decimal: more than 0, at most 9 digits before the point and 6 after."""
    if value is None or value == "":
        return Decimal(1)
    if isinstance(value, bool):
        raise GraphError(f"The ratio must be a number more than 0, not {value!r}.")
    try:
        ratio = Decimal(str(value).strip())
    except InvalidOperation:
        raise GraphError(f"The ratio must be a number more than 0 (e.g. 0.5 or 2), not {str(value)[:40]!r}.") from None
    if not ratio.is_finite() or ratio <= 0:
        raise GraphError(f"The ratio must be more than 0, not {str(value)[:40]}.")
    if ratio > MAX_RATIO:
        raise GraphError(f"The ratio {str(value)[:40]} is too large (at most {RATIO_DIGITS - RATIO_PLACES} digits).")
    if ratio != ratio.quantize(Decimal(1).scaleb(-RATIO_PLACES), rounding="ROUND_DOWN"):
        raise GraphError(f"The ratio {str(value)[:40]} has more than {RATIO_PLACES} decimal places.")
    return ratio.normalize() if ratio == ratio.to_integral() else ratio


def ratio_detail(ratio: Decimal) -> dict[str, str]:
    """The ratio for an audit row, only when it is not the default 1."""
    return {} if ratio == 1 else {"ratio": format_ratio(ratio)}


def format_ratio(ratio: Decimal | None) -> str:
    """A ratio as people write it: 0.5, 2, 1.25 (no trailing zeros)."""
    if ratio is None:
        return "1"
    text = format(Decimal(ratio), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio_changes(
    outcomes: Sequence[graph.LinkOutcome], ratios: dict[tuple[int, int], Decimal]
) -> list[tuple[int, int, Decimal, Decimal]]:
    """The existing links of a batch whose ratio the batch changes (pairs without a ratio keep theirs)."""
    existing = [
        (o.item_id, o.replace_id) for o in outcomes if o.status == "existing" and (o.item_id, o.replace_id) in ratios
    ]
    current: dict[tuple[int, int], Decimal] = {}
    for ids in id_chunks(a for a, _ in existing):
        wanted = {pair for pair in existing if pair[0] in set(ids)}
        for a, b, ratio in ItemLink.objects.filter(item_id__in=ids).values_list("item_id", "replace_item_id", "ratio"):
            if (a, b) in wanted:
                current[(a, b)] = ratio
    changes = []
    for pair in dict.fromkeys(existing):
        if pair in current and current[pair] != ratios[pair]:
            changes.append((*pair, current[pair], ratios[pair]))
    return changes


def write_ratio_updates(
    updates: Sequence[tuple[int, int, Decimal, Decimal]],
    group_of: dict[tuple[int, int], int | None],
    reasons: dict[tuple[int, int], str | None],
    *,
    user,
    via: dict[str, str],
) -> None:
    """Change the ratio of links recorded again with another one; one audit row each (from, to)."""
    if not updates:
        return
    ids = {pk: (a, b) for pk, a, b in link_ids([(a, b) for a, b, *_ in updates])}
    new = {(a, b): to for a, b, _, to in updates}
    ItemLink.objects.bulk_update(
        [ItemLink(pk=pk, ratio=new[pair]) for pk, pair in ids.items()], ["ratio"], batch_size=500
    )
    touch_groups({group_of[(a, b)] for a, b, *_ in updates})
    codes = item_codes({i for a, b, *_ in updates for i in (a, b)})
    who = user_or_none(user)
    RelationAudit.objects.bulk_create(
        RelationAudit(
            action="link_ratio",
            user=who,
            group_id=group_of[(a, b)],
            details=link_details(a, b, codes, **{"from": format_ratio(old), "to": format_ratio(to)}, **via),
            reason=reasons.get((a, b)) or None,
        )
        for a, b, old, to in updates
    )


def link_ids(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(link id, item_id, replace_item_id) of the given links."""
    wanted = set(pairs)
    found = []
    for ids in id_chunks(a for a, _ in pairs):
        rows = ItemLink.objects.filter(item_id__in=ids).values_list("pk", "item_id", "replace_item_id")
        found.extend(r for r in rows if (r[1], r[2]) in wanted)
    return found
