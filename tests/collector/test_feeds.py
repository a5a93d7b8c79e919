"""A links file gives exactly the groups and alerts that entering the links one by one gives."""

import contextlib
import random

import pytest

from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from collector.services import ReverseLinkError, link_add
from plmtracker.feeds import FeedError, import_file
from plmtracker.ops.bulk import insert_rows
from tests.collector.helpers import assert_invariant, open_alerts, shape
from tests.factories import ItemFactory
from tests.plmtracker.feeds.helpers import write_csv

pytestmark = pytest.mark.django_db


def links_with_every_shape(items, rng):
    """Chains, one-to-many, many-to-one, merges of earlier groups, repeats and reverses."""
    pairs = []
    for _ in range(60):
        a, b = rng.sample(items, 2)
        pairs.append((a, b))
    pairs += [(items[0], items[1]), (items[1], items[2]), (items[0], items[1]), (items[2], items[1])]
    return pairs


def graph():
    return (
        shape(),
        open_alerts(),
        set(ItemLink.objects.values_list("item_id", "replace_item_id", "reason")),
        dict(ItemGroupMember.objects.values_list("item_id", "role")),
    )


def wipe():
    for model in (ItemLink, ItemGroupMember, ItemGroup, GroupAlert):
        model.objects.all().delete()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_links_file_equals_one_by_one(seed, tmp_path, steward):
    rng = random.Random(seed)
    items = [ItemFactory() for _ in range(24)]
    # Some groups exist before the file, so the file attaches to and merges them.
    link_add(item_id=items[5].pk, replace_item_id=items[6].pk, user=steward)
    link_add(item_id=items[7].pk, replace_item_id=items[8].pk, user=steward)
    pairs = links_with_every_shape(items, rng)
    rows = [[a.erp_item_code, b.erp_item_code, f"reason {n}"] for n, (a, b) in enumerate(pairs)]
    path = write_csv(tmp_path / "links.csv", ["item", "replace", "reason"], rows)

    result = import_file("links", path, user=steward, skip_invalid=True)
    assert result.written
    by_file = graph()
    assert_invariant()
    assert result.created == ItemLink.objects.count() - 2

    wipe()
    link_add(item_id=items[5].pk, replace_item_id=items[6].pk, user=steward)
    link_add(item_id=items[7].pk, replace_item_id=items[8].pk, user=steward)
    seen = set()
    for n, (a, b) in enumerate(pairs):
        if (a.pk, b.pk) in seen:
            continue  # the file reports a repeated row and skips it
        seen.add((a.pk, b.pk))
        with contextlib.suppress(ReverseLinkError):  # the file reports a reverse and skips it
            link_add(item_id=a.pk, replace_item_id=b.pk, user=steward, reason=f"reason {n}")
    assert graph() == by_file


def test_links_import_is_audited_as_an_import(tmp_path, steward):
    a, b = ItemFactory(), ItemFactory()
    path = write_csv(tmp_path / "l.csv", ["item", "replace", "reason"], [[a.erp_item_code, b.erp_item_code, "EOL"]])
    import_file("links", path, user=steward)
    audit = RelationAudit.objects.get(action="link_add")
    assert (audit.user, audit.details["via"], audit.reason) == (steward, "import", "EOL")


def test_a_links_file_has_a_size_limit(tmp_path, settings):
    settings.PLM_BULK_MAX_LINKS = 3
    a, b = ItemFactory(), ItemFactory()
    rows = [[a.erp_item_code, b.erp_item_code, str(n)] for n in range(4)]
    with pytest.raises(FeedError, match="A links file takes at most 3 links .* Split it into smaller files"):
        import_file("links", write_csv(tmp_path / "l.csv", ["item", "replace", "reason"], rows))
    assert not ItemLink.objects.exists()


@pytest.mark.slow  # a file of thousands of links
def test_a_large_links_file_goes_through(tmp_path, steward):
    """6,000 links between 12,000 items, as chains of three: the service splits its queries to stay within
    every database's limits on parameters, and the file lands as one transaction."""
    links = 6000
    insert_rows("items", ["erp_item_code", "active_flag"], ((f"X{n:05d}", True) for n in range(2 * links)))
    rows = [[f"X{n:05d}", f"X{n + 1:05d}", ""] for n in range(2 * links) if n % 3 != 2]
    path = write_csv(tmp_path / "l.csv", ["item", "replace", "reason"], rows)
    result = import_file("links", path, user=steward, max_rows=len(rows))  # over the bulk limit, as import_data may
    assert result.created == len(rows) == 8000
    assert ItemGroup.objects.count() == 4000
