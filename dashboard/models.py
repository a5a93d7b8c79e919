"""The figures kept per group and day: what the overview reads, and each conversion's history."""

from __future__ import annotations

from django.db import models

from dashboard.stages import STAGES
from plmtracker.web.dates import day_in_range

# The columns the overview sums over every active group (dashboard.figures.compute names them by what they are).
POOLED = ("original_on_hand_ea", "original_burn_ea_per_day", "original_po_qty_90d", "original_po_spend_90d")
POOLED += (
    "replacement_on_hand_ea",
    "replacement_burn_ea_per_day",
    "replacement_po_qty_90d",
    "replacement_po_spend_90d",
)
POOLED += ("replacement_on_hand", "original_on_hand_equiv", "replacement_burn", "original_burn_equiv")
POOLED += ("compliance_replacement_qty", "compliance_original_equiv")
POOLED += ("original_locations", "ready_locations", "setup_locations", "member_count")
POOLED += ("projected_annual_savings", "realised_savings")
POOLED_INDEX = "daily_figures_pooled_idx"
STAMP_INDEX = "daily_figures_stamp_idx"  # (day, group_id, group_updated_at): the stamp check reads it alone


def _sum() -> models.DecimalField:
    """A group's sum, to the places `original_po_spend_90d` keeps (figures shown are rounded far coarser)."""
    return models.DecimalField(max_digits=28, decimal_places=6, default=0)


class DailyFigures(models.Model):
    """One group's figures on one day (all locations), as the live KPI code computed them.

    Today's row is kept fresh by `dashboard.figures` (every write that changes the group refreshes
    it); earlier days' rows stay as they were last computed that day: what was known then.
    `group_id` is not a foreign key: a merged-away group's history stays, and a write that deletes
    a group never waits on this table.
    """

    group_id = models.IntegerField()
    day = models.DateField(validators=[day_in_range])
    status = models.CharField(max_length=16)
    # The group's updated_at when the figures were computed: a later stamp means they are due again.
    group_updated_at = models.DateTimeField(null=True)
    computed_at = models.DateTimeField()
    original_po_spend_90d = models.DecimalField(max_digits=28, decimal_places=6)  # the overview's ranking
    # The history the group page draws (null: not defined that day).
    compliance_pct = models.FloatField(null=True)
    readiness_pct = models.FloatField(null=True)
    cutover_coverage_days = models.FloatField(null=True)
    realised_savings = models.FloatField(null=True)
    # The group's overview row (KPI blocks by role, readiness, stage counts, outcome): read for the top groups only.
    summary = models.JSONField()
    # What the overview pools over every active group, summed by the database (one aggregate statement).
    original_on_hand_ea = _sum()
    original_burn_ea_per_day = _sum()
    original_po_qty_90d = _sum()
    replacement_on_hand_ea = _sum()
    replacement_burn_ea_per_day = _sum()
    replacement_po_qty_90d = _sum()
    replacement_po_spend_90d = _sum()
    # The outcome's sums in equivalent EA (dashboard.outcomes.OutcomeSums) that pool across groups.
    replacement_on_hand = _sum()
    original_on_hand_equiv = _sum()
    replacement_burn = _sum()
    original_burn_equiv = _sum()
    compliance_replacement_qty = _sum()
    compliance_original_equiv = _sum()
    compliance_started = models.BooleanField(default=False)  # the day is on or after the start date
    projected_annual_savings = models.FloatField(null=True)
    original_locations = models.IntegerField(default=0)
    ready_locations = models.IntegerField(default=0)
    setup_locations = models.IntegerField(default=0)
    member_count = models.IntegerField(default=0)
    # What the attention list and the digest read per group (null: no figure, as the group's KPIs say).
    leakage_po_qty = models.FloatField(null=True)  # originals ordered after the leakage cut-off
    leakage_po_spend = models.FloatField(null=True)
    stranded_on_hand_ea = models.FloatField(null=True)  # originals left over by the use-up policy
    stranded_value = models.FloatField(null=True)
    # null: no burn, or beyond the horizon
    original_run_out_date = models.DateField(null=True, validators=[day_in_range])
    original_run_out_beyond_horizon = models.BooleanField(default=False)
    # The group's locations at each stage (dashboard.stages.STAGES): the overview's stage share per kept day.
    stage_not_set_up = models.IntegerField(default=0)
    stage_set_up = models.IntegerField(default=0)
    stage_ready = models.IntegerField(default=0)
    stage_live = models.IntegerField(default=0)
    stage_converted = models.IntegerField(default=0)

    class Meta:
        db_table = "daily_figures"
        verbose_name = "daily figures"
        verbose_name_plural = "daily figures"
        constraints = [models.UniqueConstraint(fields=["group_id", "day"], name="daily_figures_group_day_uniq")]
        indexes = [
            # The overview's top groups: the day's active rows already in rank order (reads 25 rows, sorts none).
            # Its (day, status) prefix serves the pooled sums and the stage share.
            models.Index(fields=["day", "status", "-original_po_spend_90d", "group_id"], name="daily_figures_rank_idx"),
            # The stamp check before every read (`services.due_sql`), answered from the index alone.
            models.Index(fields=["day", "group_id", "group_updated_at"], name=STAMP_INDEX),
            # The overview's pooled sums: the day's active rows summed from the index alone (the rows are wide:
            # each carries its JSON summary). `group_id` for the check that the group still exists.
            models.Index(fields=["day", "status", "group_id", "compliance_started", *POOLED], name=POOLED_INDEX),
            # The overview's stage share: every kept day's active rows summed from the index alone.
            models.Index(
                fields=["status", "day", *(f"stage_{stage}" for stage in STAGES)], name="daily_figures_stage_share_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"group {self.group_id} on {self.day.isoformat()}"
