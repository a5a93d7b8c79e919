"""Joins the plan permissions (0005, a data migration) and the pending uploads (0006)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0005_plans_steward_location_plan_perms"),
        ("collector", "0006_pending_upload_and_date_ranges"),
    ]

    operations = []
