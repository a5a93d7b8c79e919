"""A preview (a dry run of the link rules) reads only: it does not queue behind a writer."""

import threading
import time

import pytest
from django.db import connection, transaction

from collector import selectors, services
from plmtracker.inventory.models import Item

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 3


def test_a_dry_run_does_not_wait_for_another_users_transaction():
    a, b, c = (Item.objects.create(erp_item_code=f"L{n}") for n in range(3))
    services.link_add(item_id=a.pk, replace_item_id=b.pk)
    writing, done = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():  # on SQLite this holds the database's write lock
                Item.objects.create(erp_item_code="LW")
                writing.set()
                done.wait(HOLD_SECONDS)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(10)
        started = time.perf_counter()
        preview = selectors.link_preview(b.pk, c.pk)
        waited = time.perf_counter() - started
    finally:
        done.set()
        thread.join()
    assert (preview.status, preview.action) == ("new", "attach")
    assert waited < HOLD_SECONDS / 2, f"the preview waited {waited:.1f}s for the other transaction"
