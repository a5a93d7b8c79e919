"""Random sequences of every kind of write leave the kept daily figures equal to live ones."""

import contextlib
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from collector import plans, services
from collector.models import ItemGroup, ItemGroupMember, ItemLink
from dashboard.figures import selectors
from dashboard.figures.check import check_figures
from dashboard.figures.services import refresh_figures
from dashboard.queries import Filters
from dashboard.queries.outcomes import overview as live_overview
from plmtracker.feeds import import_file
from plmtracker.inventory.models import SIGNAL_SOURCES, Item, Location, PoLine
from plmtracker.inventory.snapshots import take_snapshot
from tests.dashboard.conftest import AS_OF
from tests.plmtracker.feeds.helpers import write_csv

TODAY = Filters(as_of=AS_OF)
SOURCE = SIGNAL_SOURCES[0][0]


class Writer:
    """One random write of each kind, through the public services and feeds a planner's actions reach."""

    def __init__(self, rng: random.Random, tmp_path):
        self.rng, self.tmp_path, self.files = rng, tmp_path, 0

    def item(self) -> Item:
        return self.rng.choice(list(Item.objects.order_by("item_id")))

    def group_id(self) -> int:
        return self.rng.choice(list(ItemGroup.objects.order_by("group_id").values_list("group_id", flat=True)))

    def location(self) -> Location:
        return self.rng.choice(list(Location.objects.order_by("location_id")))

    def feed(self, kind: str, header: list[str], rows: list[list[str]]) -> None:
        self.files += 1
        result = import_file(kind, write_csv(self.tmp_path / f"{kind}_{self.files}.csv", header, rows))
        assert result.ok, result.errors

    def po_lines(self) -> None:
        """New lines, and an existing line moved to another item (both items' groups change)."""
        moved = self.rng.choice(list(PoLine.objects.order_by("po_line_id")))
        day = AS_OF - timedelta(days=self.rng.randrange(0, 400))
        rows = [[str(moved.po_line_id), moved.po_date.isoformat(), self.item().erp_item_code, "3", "1.5"]]
        for n in range(3):
            rows.append([str(900000 + self.files * 10 + n), day.isoformat(), self.item().erp_item_code, "7", "2"])
        self.feed("po_lines", ["po_line_id", "po_date", "erp_item_code", "qty_ea", "price"], rows)

    def item_locations(self) -> None:
        location = self.location()
        row = [self.item().erp_item_code, str(location.location_id), location.location_name, location.location_type]
        self.feed(
            "item_locations",
            ["erp_item_code", "location_id", "location_name", "location_type", "on_hand_ea", "reorder_point"],
            [[*row, str(self.rng.randrange(0, 500)), self.rng.choice(["", "5"])]],
        )

    def burn_rates(self) -> None:
        day = AS_OF - timedelta(days=self.rng.randrange(0, 3))
        row = [day.isoformat(), self.item().erp_item_code, str(self.location().location_id), str(self.rng.randrange(9))]
        self.feed(
            "burnrates",
            ["as_of_date", "erp_item_code", "location_id", "burnrate_ea_per_day", "signal_source"],
            [[*row, SOURCE]],
        )

    def snapshot(self) -> None:
        take_snapshot(AS_OF - timedelta(days=self.rng.randrange(0, 2)))

    def link_add(self) -> None:
        services.link_add(item_id=self.item().pk, replace_item_id=self.item().pk, ratio=Decimal("2"))

    def link_remove(self) -> None:
        link = self.rng.choice(list(ItemLink.objects.order_by("item_id", "replace_item_id")))
        services.link_remove(item_id=link.item_id, replace_item_id=link.replace_item_id)

    def group_update(self) -> None:
        start = AS_OF - timedelta(days=self.rng.randrange(-30, 200))
        services.group_update(group_id=self.group_id(), status=self.rng.choice(["active", "draft"]), start_date=start)

    def plan(self) -> None:
        policy = self.rng.choice(["use_up", "use_until_end", "immediate"])
        plans.group_plan_update(group_id=self.group_id(), use_up_policy=policy)

    def go_live(self) -> None:
        day = AS_OF + timedelta(days=self.rng.randrange(-20, 20))
        plans.location_plan_set(group_id=self.group_id(), location_id=self.location().location_id, go_live_date=day)

    def role(self) -> None:
        member = self.rng.choice(list(ItemGroupMember.objects.order_by("item_id")))
        services.member_set_role(item_id=member.item_id, role=self.rng.choice(["original", "replacement", None]))

    def merge(self) -> None:
        group_id, target = self.group_id(), self.group_id()
        services.group_merge(group_id=group_id, target_group_id=target)

    def split(self) -> None:
        group_id = self.group_id()
        members = list(ItemGroupMember.objects.filter(group_id=group_id).values_list("item_id", flat=True))
        services.group_split(group_id=group_id, item_ids=members[: max(1, len(members) // 2)], allow_alone=True)

    def random_write(self) -> str:
        name = self.rng.choice(WRITES)
        # A refused write (a self link, a reverse link, a merge into itself...) writes nothing.
        with contextlib.suppress(services.GraphError):
            getattr(self, name)()
        return name


WRITES = [name for name in vars(Writer) if not name.startswith("_") and name not in {"item", "group_id", "location"}]
WRITES = [name for name in WRITES if name not in {"feed", "random_write"}]


@pytest.mark.parametrize("seed", range(4))
def test_random_writes_leave_no_difference(conversion, tmp_path, seed):
    refresh_figures()
    writer = Writer(random.Random(seed), tmp_path)
    done = []
    for _ in range(12):
        done.append(writer.random_write())
        result = check_figures()
        assert result.differences == [], (done, [str(d) for d in result.differences])
        # What a read serves: the rows due are refreshed first; then nothing is due and it equals live.
        assert selectors.overview(TODAY) == live_overview(TODAY), done
        assert check_figures().due == []
    call_command("check_facts")  # exit status 0


def test_every_kind_of_write_is_drawn():
    assert set(WRITES) == {
        "po_lines", "item_locations", "burn_rates", "snapshot", "link_add", "link_remove", "group_update",
        "plan", "go_live", "role", "merge", "split",
    }  # fmt: skip
