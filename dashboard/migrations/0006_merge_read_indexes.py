"""Joins the read indexes (0005, a schema change) and the data migration 0004, which both follow 0003."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0004_kept_rows_due"), ("dashboard", "0005_read_indexes")]

    operations = []
