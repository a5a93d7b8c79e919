"""The relation graph (spec 4.3): groups, their members, links and conflicts.

Writes go through `collector.services`; nothing here changes the graph on
its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from collector.choices import AlertResolution, AlertType, GroupStatus, MemberRole, UseUpPolicy
from collector.history import degrees_text
from plmtracker.inventory.models import PER_EA, Item, Location, choices_check
from plmtracker.web.dates import day_in_range

# (code, label) lists of the choices (collector.choices holds each label once).
GROUP_STATUSES = GroupStatus.choices
MEMBER_ROLES = MemberRole.choices
ALERT_TYPES = AlertType.choices
USE_UP_POLICIES = UseUpPolicy.choices
ALERT_RESOLUTIONS = AlertResolution.choices


class ItemGroup(models.Model):
    """A conversion: the originals being replaced and their replacements."""

    group_id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=120, null=True, blank=True)
    status = models.CharField(max_length=10, choices=GROUP_STATUSES, default="draft", db_default="draft")
    reason = models.CharField(max_length=200, null=True, blank=True)
    start_date = models.DateField(null=True, blank=True, validators=[day_in_range])
    end_date = models.DateField(null=True, blank=True, validators=[day_in_range])
    use_up_policy = models.CharField(
        "use-up policy", max_length=16, choices=USE_UP_POLICIES, default="use_up", db_default="use_up"
    )
    last_order_date = models.DateField(
        null=True,
        blank=True,
        validators=[day_in_range],
        help_text="Orders of originals after this day are leakage (else the start date).",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="owner_user_id",
        related_name="owned_groups",
    )
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "item_group"
        ordering = ["group_id"]
        verbose_name = "conversion group"
        constraints = [
            choices_check("status", GROUP_STATUSES, "item_group_status_valid"),
            choices_check("use_up_policy", USE_UP_POLICIES, "item_group_policy_valid"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="item_group_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="item_group_status_idx"),
            models.Index(fields=["updated_at"], name="item_group_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"Group {self.group_id}"


class ItemGroupMember(models.Model):
    """An item's place in its one group; the item is the key."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="membership")
    # No index of its own: item_group_member_seq_idx (group, sequence) serves every lookup by
    # group, and a merge that moves thousands of members updates one index fewer per row.
    group = models.ForeignKey(ItemGroup, on_delete=models.CASCADE, related_name="members", db_index=False)
    role = models.CharField(max_length=12, choices=MEMBER_ROLES, null=True, blank=True)
    sequence = models.IntegerField(null=True, blank=True, help_text="Display and promote order.")
    added_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "item_group_member"
        ordering = ["group_id", "sequence", "item_id"]
        verbose_name = "group member"
        constraints = [choices_check("role", MEMBER_ROLES, "item_group_member_role_valid")]
        indexes = [models.Index(fields=["group", "sequence"], name="item_group_member_seq_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} in group {self.group_id}"


class ItemLink(models.Model):
    """A directed edge: `item` is replaced by `replace_item`."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_out")
    replace_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_in")
    ratio = models.DecimalField(
        max_digits=18,
        decimal_places=6,
        default=1,
        db_default=1,
        validators=PER_EA,
        help_text="Replacement eaches that take the place of one original each.",
    )
    reason = models.CharField(max_length=200, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="created_by",
        related_name="+",
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "item_link"
        ordering = ["item_id", "replace_item_id"]
        verbose_name = "link"
        constraints = [
            models.UniqueConstraint(fields=["item", "replace_item"], name="item_link_key"),
            models.CheckConstraint(condition=~Q(item=F("replace_item")), name="item_link_not_self"),
            models.CheckConstraint(condition=Q(ratio__gt=0), name="item_link_ratio_positive"),
        ]
        # The key's index serves the out-degree; the in-degree needs its own.
        indexes = [models.Index(fields=["replace_item"], name="item_link_replace_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} -> {self.replace_item_id}"


class GroupLocationPlan(models.Model):
    """The replacement's go-live at one location; without a row (or a date) it is the group's start date."""

    plan_id = models.AutoField(primary_key=True)
    group = models.ForeignKey(ItemGroup, on_delete=models.CASCADE, related_name="location_plans")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="group_plans")
    go_live_date = models.DateField(null=True, blank=True, validators=[day_in_range])
    note = models.CharField(max_length=400, null=True, blank=True)
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "group_location_plan"
        ordering = ["group_id", "location_id"]
        verbose_name = "location plan"
        constraints = [models.UniqueConstraint(fields=["group", "location"], name="group_location_plan_key")]
        indexes = [models.Index(fields=["location"], name="group_location_plan_loc_idx")]

    def __str__(self) -> str:
        return f"Group {self.group_id} at location {self.location_id}"


class GroupAlert(models.Model):
    """A conflict on an item: replaced by several, or replacing several."""

    alert_id = models.AutoField(primary_key=True)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="alerts")
    alert_type = models.CharField(max_length=40, choices=ALERT_TYPES)
    degree_out = models.IntegerField(null=True, blank=True)
    degree_in = models.IntegerField(null=True, blank=True)
    noted_at = models.DateTimeField(db_default=Now())
    details = models.CharField(max_length=400, null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="resolved_by",
        related_name="+",
    )
    resolution = models.CharField(max_length=20, choices=ALERT_RESOLUTIONS, null=True, blank=True)

    class Meta:
        db_table = "group_alert"
        ordering = ["-noted_at", "alert_id"]
        verbose_name = "conflict alert"
        constraints = [
            choices_check("alert_type", ALERT_TYPES, "group_alert_type_valid"),
            # At most one open alert per item.
            models.UniqueConstraint(
                fields=["item"], condition=Q(resolved_at__isnull=True), name="group_alert_one_open"
            ),
            models.CheckConstraint(
                condition=Q(resolution__isnull=True) | Q(resolution__in=[code for code, _ in ALERT_RESOLUTIONS]),
                name="group_alert_resolution_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_alert_type_display()} on item {self.item_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def degrees_text(self) -> str:
        return degrees_text(self.degree_out, self.degree_in)

    @property
    def state_label(self) -> str:
        if self.resolved_at is None:
            return "Open"
        return "Kept as many-to-many" if self.resolution == "kept" else "Closed"

    @property
    def state_text(self) -> str:
        """Where the conflict stands, in words: "Kept as many-to-many: replaced by 2, replaces 0"."""
        if self.resolved_at is None or self.resolution == "kept":
            return f"{self.state_label}: {self.degrees_text}"
        return "Closed: each side is down to one link"


class RelationAudit(models.Model):
    """Who changed the relation graph, when, how and why."""

    audit_id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_default=Now())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="user_id",
        related_name="+",
    )
    action = models.CharField(max_length=30)
    # Not a foreign key: the history of a merged-away group outlives it.
    group_id = models.IntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        db_table = "relation_audit"
        ordering = ["-at", "-audit_id"]
        verbose_name = "relation change"
        indexes = [models.Index(fields=["at"], name="relation_audit_at_idx")]

    def __str__(self) -> str:
        return f"{self.action} on group {self.group_id}"


class PendingUpload(models.Model):
    """A file between its preview and its commit: a bulk links file, or an admin import.

    Kept in the database so that behind a load balancer the commit may land
    on any app server; only its owner may commit it, and it expires (see
    `collector.pending`).
    """

    upload_id = models.BigAutoField(primary_key=True)
    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_column="owner_user_id", related_name="+"
    )
    # What waits: "bulk" (the bulk upload), "admin:<feed kind>" (that admin list's import).
    purpose = models.CharField(max_length=40, default="bulk")
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)
    content = models.BinaryField()
    created_at = models.DateTimeField(db_default=Now())
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "bulk_pending_upload"
        indexes = [models.Index(fields=["expires_at"], name="bulk_pending_upload_exp_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} by {self.owner_id}"
