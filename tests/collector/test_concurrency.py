"""Several users adding overlapping links at once: no link is lost, the invariant holds."""

import random
import threading

import pytest
from django.db import connection

from collector import services
from plmtracker.inventory.models import Item
from tests.collector.helpers import assert_invariant, expected_alerts, link_components, links, open_alerts, partition

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
LINKS_PER_THREAD = 40
N_ITEMS = 30


def test_concurrent_link_additions_lose_nothing_and_keep_the_invariant():
    ids = [Item.objects.create(erp_item_code=f"C{n:03d}").pk for n in range(N_ITEMS)]
    created: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(LINKS_PER_THREAD):
                a, b = rng.sample(ids, 2)
                try:
                    result = services.link_add(item_id=a, replace_item_id=b)
                except services.ReverseLinkError:
                    continue
                if result.created:
                    with lock:
                        created.append((a, b))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    stored = links()
    assert len(created) == len(set(created)), "the same link was reported created twice"
    assert set(created) == stored, "a link reported as created is missing, or one appeared unreported"
    assert_invariant()
    assert partition() == link_components()
    assert open_alerts() == expected_alerts()
    assert len(stored) > THREADS * LINKS_PER_THREAD // 3
