"""Indexes for the reads before and on every overview: the stamp check and the stage share from their indexes
alone, the top groups in rank order. The rank index starts with (day, status), so it replaces that index.

It follows 0003, beside the data migration 0004 (0006 joins the two): the offline SQL Server script records
the schema migrations up to the first data migration and leaves the rest to `migrate`, so no schema change may
come after one (`plmtracker.ops.sqlserver`)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_attention_facts")]

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
        migrations.AddIndex(
            model_name="dailyfigures",
            index=models.Index(
                fields=[
                    "status",
                    "day",
                    "stage_not_set_up",
                    "stage_set_up",
                    "stage_ready",
                    "stage_live",
                    "stage_converted",
                ],
                name="daily_figures_stage_share_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="dailyfigures", name="daily_figures_day_status_idx"),
    ]
