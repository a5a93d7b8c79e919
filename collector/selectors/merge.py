"""What a merge keeps and what it drops: the two groups side by side, for every place that confirms one.

The rules are the merge's own (docs/DESIGN.md "Merge", `services.merge`): the winner keeps
its name, owner, status, dates, policy and reason; the loser's members move over; its
location plans fill the winner's gaps (a location the winner has no plan for, a winner's
plan without a date) and its other dates go with it. Two queries, however large the groups.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from collector.choices import GroupStatus, UseUpPolicy
from collector.models import GroupLocationPlan
from collector.selectors.groups import groups_with_counts

PLAN_DIFFERENCES_SHOWN = 10  # locations whose two dates differ, named on the confirmation
CARRIED = ("member_count", "location_plan_count")  # moved over, not dropped (the plans' detail says how)


@dataclass(frozen=True)
class MergeGroup:
    """One side of a merge, or the group it leaves (`MergeComparison.kept`)."""

    group_id: int
    name: str | None
    title: str
    owner: str | None  # email
    owner_name: str | None  # as the pages show a person
    status: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    last_order_date: datetime.date | None
    use_up_policy: str
    reason: str | None
    member_count: int
    location_plan_count: int


@dataclass(frozen=True)
class MergeRow:
    """One line of the side-by-side table, in the planners' words."""

    field: str
    label: str
    loser: str
    winner: str
    kept: str
    lost: bool  # the loser had a value of its own that is gone after the merge

    @property
    def differs(self) -> bool:
        return self.loser != self.winner


@dataclass(frozen=True)
class PlanDifference:
    location_id: int
    location_name: str
    loser_date: datetime.date | None
    winner_date: datetime.date | None
    kept_date: datetime.date | None


@dataclass(frozen=True)
class MergePlans:
    """What happens to the location plans (go-live dates per location)."""

    moved: int  # the loser's plans for locations the winner has none for: they move over
    filled: int  # the winner's plans without a date that take the loser's date
    dropped: int  # the loser's dates where the winner has its own: they go
    differences: list[PlanDifference]  # locations both plan for, with different dates (the first few)
    difference_count: int

    @property
    def hidden_differences(self) -> int:
        return self.difference_count - len(self.differences)


@dataclass(frozen=True)
class MergeComparison:
    loser: MergeGroup  # merged away
    winner: MergeGroup  # kept
    kept: MergeGroup  # the winner after the merge
    rows: list[MergeRow]
    plans: MergePlans

    @property
    def lost_labels(self) -> list[str]:
        """What the loser had that the merge drops ("name", "owner", ...)."""
        return [row.label.lower() for row in self.rows if row.lost]

    @property
    def lost_fields(self) -> list[str]:
        return [row.field for row in self.rows if row.lost]

    @property
    def summary(self) -> str:
        loser, winner = self.loser.group_id, self.winner.group_id
        text = (
            f"Group {winner} keeps its own settings; group {loser}'s members move into it and group {loser} is deleted."
        )
        if self.lost_labels:
            verb = "is" if len(self.lost_labels) == 1 else "are"
            text += f" Group {loser}'s {_and_list(self.lost_labels)} {verb} dropped."
        return text

    @property
    def plans_text(self) -> str:
        p, loser = self.plans, self.loser.group_id
        parts = [f"{p.moved} move over" if p.moved else "", f"{p.filled} fill an empty date" if p.filled else ""]
        parts.append(f"{p.dropped} dated plan(s) of group {loser} are dropped" if p.dropped else "")
        said = [part for part in parts if part]
        if said:
            return "; ".join(said)
        return "it has none" if not self.loser.location_plan_count else "they change nothing (same dates)"


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _day(day: datetime.date | None) -> str:
    return day.isoformat() if day else "none"


def merge_comparison(loser_id: int, winner_id: int) -> MergeComparison | None:
    """Both groups and what the merge of `loser_id` into `winner_id` keeps; None when either is gone."""
    return merge_comparisons([(loser_id, winner_id)]).get((loser_id, winner_id))


def merge_comparisons(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], MergeComparison]:
    """`merge_comparison` for each (loser, winner) whose two groups exist, in two queries for them all."""
    ids = {g for pair in pairs for g in pair}
    groups = {g.pk: g for g in groups_with_counts().filter(pk__in=ids)}
    plans: dict[int, dict[int, tuple[datetime.date | None, str]]] = {g: {} for g in groups}
    rows = GroupLocationPlan.objects.filter(group_id__in=list(groups)).order_by("location_id")
    for group_id, location_id, day, location_name in rows.values_list(
        "group_id", "location_id", "go_live_date", "location__location_name"
    ):
        plans[group_id][location_id] = (day, location_name)
    found = {}
    for loser_id, winner_id in pairs:
        if loser_id in groups and winner_id in groups:
            found[(loser_id, winner_id)] = _compare(
                groups[loser_id], groups[winner_id], plans[loser_id], plans[winner_id]
            )
    return found


def _compare(loser_group, winner_group, loser_plans: dict, winner_plans: dict) -> MergeComparison:
    plan_effect = _plan_effect(loser_plans, winner_plans)
    loser, winner = _side(loser_group, len(loser_plans)), _side(winner_group, len(winner_plans))
    kept = MergeGroup(
        **{
            **winner.__dict__,
            "member_count": loser.member_count + winner.member_count,
            "location_plan_count": winner.location_plan_count + plan_effect.moved,
        }
    )
    return MergeComparison(loser, winner, kept, _rows(loser, winner, kept), plan_effect)


def _side(group, plan_count: int) -> MergeGroup:
    owner = group.owner
    return MergeGroup(
        group_id=group.pk,
        name=group.name,
        title=group.title,
        owner=owner.email if owner else None,
        owner_name=str(owner) if owner else None,
        status=group.status,
        start_date=group.start_date,
        end_date=group.end_date,
        last_order_date=group.last_order_date,
        use_up_policy=group.use_up_policy,
        reason=group.reason,
        member_count=group.member_count,
        location_plan_count=plan_count,
    )


def _plan_effect(loser: dict, winner: dict) -> MergePlans:
    moved = filled = dropped = 0
    differences = []
    for location_id, (loser_day, name) in loser.items():
        if location_id not in winner:
            moved += 1
            continue
        winner_day = winner[location_id][0]
        kept_day = winner_day or loser_day
        if winner_day is None and loser_day is not None:
            filled += 1
        elif loser_day is not None and loser_day != winner_day:
            dropped += 1
        if loser_day != winner_day:
            differences.append(PlanDifference(location_id, name, loser_day, winner_day, kept_day))
    return MergePlans(moved, filled, dropped, differences[:PLAN_DIFFERENCES_SHOWN], len(differences))


def _rows(loser: MergeGroup, winner: MergeGroup, kept: MergeGroup) -> list[MergeRow]:
    def text(side: MergeGroup) -> dict[str, tuple[str, str]]:
        return {
            "name": ("Name", side.name or f"none (shown as “{side.title}”)"),
            "owner": ("Owner", side.owner_name or "nobody"),
            "status": ("Status", GroupStatus(side.status).label),
            "start_date": ("Start date", _day(side.start_date)),
            "end_date": ("End date", _day(side.end_date)),
            "last_order_date": ("Last order date", _day(side.last_order_date)),
            "use_up_policy": ("Use-up policy", UseUpPolicy(side.use_up_policy).label),
            "reason": ("Reason", side.reason or "none"),
            "member_count": ("Members", str(side.member_count)),
            "location_plan_count": ("Location plans", str(side.location_plan_count)),
        }

    def lost(key: str) -> bool:
        # Members and plans move over instead (the plans' detail says how); a blank loses nothing.
        had = getattr(loser, key)
        return key not in CARRIED and had not in (None, "") and had != getattr(kept, key)

    left, right, after = text(loser), text(winner), text(kept)
    return [
        MergeRow(key, label, left[key][1], right[key][1], after[key][1], lost(key)) for key, (label, _) in left.items()
    ]
