"""Migration 0004: rows kept before the stage columns keep drawing the stage share, and are due again."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("dashboard", "0003_attention_facts")
AFTER = ("dashboard", "0004_kept_rows_due")


@pytest.fixture
def back_to_the_latest():
    """Migrate every app to its latest migration afterwards: the tests after this one need the whole schema
    (0005's indexes, which going back to 0003 removes and 0004 does not bring back)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_kept_rows_keep_their_stage_counts_and_are_made_due(back_to_the_latest):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    DailyFigures = executor.loader.project_state([BEFORE]).apps.get_model("dashboard", "DailyFigures")
    stamp = date(2026, 12, 1)
    DailyFigures.objects.create(
        group_id=7,
        day=stamp,
        status="active",
        group_updated_at="2026-12-01T08:00:00Z",
        computed_at="2026-12-01T08:00:00Z",
        original_po_spend_90d=0,
        summary={"stage_counts": {"not_set_up": 2, "live": 3, "converted": 1}},
    )
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    DailyFigures = executor.loader.project_state([AFTER]).apps.get_model("dashboard", "DailyFigures")
    row = DailyFigures.objects.get(group_id=7, day=stamp)
    assert (row.stage_not_set_up, row.stage_set_up, row.stage_ready, row.stage_live, row.stage_converted) == (
        2,
        0,
        0,
        3,
        1,
    )
    assert row.group_updated_at is None
    DailyFigures.objects.all().delete()
