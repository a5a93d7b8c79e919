"""Indexes for the reads before and on every overview: the stamp check, the pooled sums and the stage share
from their indexes alone, the top groups in rank order. The rank index starts with (day, status), so it
replaces that index.

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
        migrations.AddIndex(
            model_name="dailyfigures",
            index=models.Index(
                fields=[
                    "day",
                    "status",
                    "group_id",
                    "compliance_started",
                    "original_on_hand_ea",
                    "original_burn_ea_per_day",
                    "original_po_qty_90d",
                    "original_po_spend_90d",
                    "replacement_on_hand_ea",
                    "replacement_burn_ea_per_day",
                    "replacement_po_qty_90d",
                    "replacement_po_spend_90d",
                    "replacement_on_hand",
                    "original_on_hand_equiv",
                    "replacement_burn",
                    "original_burn_equiv",
                    "compliance_replacement_qty",
                    "compliance_original_equiv",
                    "original_locations",
                    "ready_locations",
                    "setup_locations",
                    "member_count",
                    "projected_annual_savings",
                    "realised_savings",
                ],
                name="daily_figures_pooled_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="dailyfigures", name="daily_figures_day_status_idx"),
    ]
