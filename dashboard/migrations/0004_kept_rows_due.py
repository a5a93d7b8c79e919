"""The rows kept before 0002 lack the new columns. Each row's stage counts are copied from its summary (the
overview's stage share draws every kept day); every row is made due, so the next read recomputes today's
whole (a data migration of its own: the offline SQL Server script records the schema before it)."""

from django.db import migrations

STAGES = ("not_set_up", "set_up", "ready", "live", "converted")  # dashboard.stages.STAGES when written
COLUMNS = [f"stage_{stage}" for stage in STAGES]


def copy_stage_counts(apps, schema_editor):
    DailyFigures = apps.get_model("dashboard", "DailyFigures")
    batch = []
    for row in DailyFigures.objects.only("pk", "summary").order_by("pk").iterator(chunk_size=1000):
        counts = (row.summary or {}).get("stage_counts") or {}
        for stage, column in zip(STAGES, COLUMNS, strict=True):
            setattr(row, column, counts.get(stage, 0))
        batch.append(row)
        if len(batch) == 1000:
            DailyFigures.objects.bulk_update(batch, COLUMNS)
            batch = []
    DailyFigures.objects.bulk_update(batch, COLUMNS)
    DailyFigures.objects.update(group_updated_at=None)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_attention_facts")]

    operations = [migrations.RunPython(copy_stage_counts, migrations.RunPython.noop)]
