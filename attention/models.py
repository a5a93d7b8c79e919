"""The digest's memory: who asked not to get it, and which items each person was sent on which day."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from plmtracker.web.dates import day_in_range


class DigestOptOut(models.Model):
    """A person who turned the daily attention digest off on their account page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="digest_opt_out"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "digest_opt_out"
        verbose_name = "digest opt-out"

    def __str__(self) -> str:
        return f"{self.user} gets no digest"


class DigestSent(models.Model):
    """One attention item sent to one person for one day: the digest never sends it to them again that day."""

    sent_id = models.BigAutoField(primary_key=True)
    as_of = models.DateField(validators=[day_in_range])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=80)
    sent_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "digest_sent"
        ordering = ["-sent_at", "-sent_id"]
        verbose_name = "digest item sent"
        verbose_name_plural = "digest items sent"
        constraints = [models.UniqueConstraint(fields=["as_of", "user", "item_key"], name="digest_sent_key")]

    def __str__(self) -> str:
        return f"{self.item_key} to {self.user_id} for {self.as_of}"


STATES = ("open", "acknowledged", "snoozed", "dismissed")
REASONS = {
    "not_applicable": "Not applicable",
    "accepted": "Accepted as it is",
    "data_wrong": "The data is wrong",
}


class AttentionRun(models.Model):
    """One run of an attention item: the consecutive refreshed days its key fired, and what a person made of it.

    The key is `kind:group_id:location_id` (docs/DESIGN.md, "Attention memory"); a key that stops
    firing ends its run, and firing again later begins a new one (open again, whatever the old state).
    """

    run_id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=80)
    kind = models.CharField(max_length=40)
    group = models.ForeignKey(
        "collector.ItemGroup", on_delete=models.CASCADE, db_column="group_id", related_name="attention_runs"
    )
    location_id = models.IntegerField(null=True, blank=True)
    # The item as the latest refresh computed it (attention.rules.Item's fields): today's list reads it.
    item = models.JSONField(default=dict, blank=True)
    # The item's place in the list (rules.sort_key), so a page of today's JSON is one ordered statement.
    severity = models.SmallIntegerField(default=4)
    dollars = models.FloatField(null=True, blank=True)
    item_date = models.DateField(null=True, blank=True, validators=[day_in_range])
    first_seen = models.DateField(validators=[day_in_range])
    last_seen = models.DateField(validators=[day_in_range])
    state = models.CharField(max_length=16, default="open", choices=[(s, s.capitalize()) for s in STATES])
    snooze_until = models.DateField(null=True, blank=True, validators=[day_in_range])
    reason = models.CharField(max_length=20, blank=True, default="", choices=[("", ""), *REASONS.items()])
    note = models.CharField(max_length=500, blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "attention_run"
        ordering = ["-last_seen", "key"]
        constraints = [models.UniqueConstraint(fields=["key", "first_seen"], name="attention_run_key_first")]
        indexes = [
            models.Index(fields=["last_seen", "state"], name="attention_run_seen_idx"),
            models.Index(fields=["group", "last_seen"], name="attention_run_group_idx"),
            models.Index(fields=["last_seen", "severity"], name="attention_run_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} from {self.first_seen} to {self.last_seen} ({self.state})"


class AttentionDay(models.Model):
    """A day `attention_refresh` recorded, and the last announced change its record has seen."""

    day = models.DateField(primary_key=True, validators=[day_in_range])
    refreshed_at = models.DateTimeField(db_default=Now())
    change_id = models.BigIntegerField(default=0)
    firing = models.IntegerField(default=0)
    # Whether attention_fold holds the day's rows (days recorded before the fold table have none).
    folded = models.BooleanField(default=False)

    class Meta:
        db_table = "attention_day"
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"attention of {self.day}: {self.firing} firing"


class AttentionFold(models.Model):
    """One row of a recorded day's default list: a group's items of one kind that the list shows unless
    asked for more (open and acknowledged), folded as the page folds them (docs/DESIGN.md, "Attention list").

    Written with the runs (a refresh rewrites the day's rows, an action or a merge its groups' rows) under
    the day's lock, so the page reads its order and totals here instead of grouping the day's runs.
    The group is no database constraint: an action's write never waits on a lock of the group row.
    """

    fold_id = models.BigAutoField(primary_key=True)
    day = models.DateField(validators=[day_in_range])
    group = models.ForeignKey(
        "collector.ItemGroup", on_delete=models.CASCADE, db_column="group_id", db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=40)
    severity = models.SmallIntegerField()  # the class of the kind
    dollars = models.FloatField(null=True, blank=True)  # the sum of its items' dollars
    oldest = models.DateField(null=True, blank=True, validators=[day_in_range])  # its items' earliest date
    first_location = models.IntegerField(null=True, blank=True)
    items = models.IntegerField()

    class Meta:
        db_table = "attention_fold"
        constraints = [models.UniqueConstraint(fields=["day", "group", "kind"], name="attention_fold_key")]
        indexes = [models.Index(fields=["day", "severity"], name="attention_fold_order_idx")]

    def __str__(self) -> str:
        return f"{self.kind} of group {self.group_id} on {self.day}: {self.items} items"


class AttentionChange(models.Model):
    """A write announced a change to the figures (plmtracker/changes.py): today's record is stale after it.

    Appended, never updated: concurrent writes do not wait on one counter row.
    """

    change_id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "attention_change"

    def __str__(self) -> str:
        return f"change {self.change_id}"
