"""Indexes for the reads before and on every overview: the stamp check from the index alone, the top groups in
rank order. The rank index starts with (day, status), so it replaces that index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0004_kept_rows_due")]

    operations = [
        migrations.AddIndex(
            model_name="dailyfigures",
            index=models.Index(
                fields=["day", "status", "-original_po_spend_90d", "group_id"], name="daily_figures_rank_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="dailyfigures",
            index=models.Index(fields=["day", "group_id", "group_updated_at"], name="daily_figures_stamp_idx"),
        ),
        migrations.RemoveIndex(model_name="dailyfigures", name="daily_figures_day_status_idx"),
    ]
