"""Joins the plan permissions (0005, a data migration, via 0007) and the schema changes after 0006.

The schema migrations follow 0006, not 0007: `manage.py sqlserver_ddl` leaves a data migration and
whatever depends on it to `migrate`, and can only do that for migrations without schema changes.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0007_merge_plans_and_pending_uploads"),
        ("collector", "0009_link_ratio_fifteen_digits"),
    ]

    operations = []
