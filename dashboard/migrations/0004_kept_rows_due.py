"""The rows kept before 0002 have no pooled sums and no attention facts in their new columns: they are made due,
so the next read recomputes today's (a data migration of its own: the offline SQL Server script records the schema before it)."""

from django.db import migrations


def make_rows_due(apps, schema_editor):
    apps.get_model("dashboard", "DailyFigures").objects.update(group_updated_at=None)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_attention_facts")]

    operations = [migrations.RunPython(make_rows_due, migrations.RunPython.noop)]
