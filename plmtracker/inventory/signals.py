"""Inventory rows saved or deleted one at a time (the admin, a script, a test's factory) announce
the items they changed through `plmtracker.changes`, as the feeds do for their batches: whatever
the apps above keep per group (the daily figures, the attention list) follows every write.

Bulk writes (`bulk_create`, `update`, `delete` on a queryset) send no signals; the code that makes
them (the feed engine, `snapshot_on_hand`) announces the items itself.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from plmtracker import changes
from plmtracker.inventory.models import BurnRateDaily, ItemLocation, OnHandSnapshot, PoLine

ANNOUNCING = (ItemLocation, BurnRateDaily, PoLine, OnHandSnapshot)


def announce(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: fixtures are not writes anyone acted on
        return
    changes.items_changed([instance.item_id])


def connect() -> None:
    for model in ANNOUNCING:
        post_save.connect(announce, sender=model, dispatch_uid=f"announce-{model.__name__}-saved")
        post_delete.connect(announce, sender=model, dispatch_uid=f"announce-{model.__name__}-deleted")
