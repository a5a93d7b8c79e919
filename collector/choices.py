"""The codes of the graph's choice fields, each with its one label (models, forms, history and the
API read them from here)."""

from django.db import models


class GroupStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class MemberRole(models.TextChoices):
    ORIGINAL = "original", "Original"
    REPLACEMENT = "replacement", "Replacement"


class UseUpPolicy(models.TextChoices):
    USE_UP = "use_up", "Use up the originals"
    USE_UNTIL_END = "use_until_end", "Use until the end date"
    IMMEDIATE = "immediate", "Replace at go-live"


class AlertType(models.TextChoices):
    OUT_DEG_GT1 = "OUT_DEG_GT1", "One item replaced by several"
    IN_DEG_GT1 = "IN_DEG_GT1", "Several items replaced by one"
    MANY_TO_MANY = "MANY_TO_MANY", "Many to many"


class AlertResolution(models.TextChoices):
    KEPT = "kept", "Kept as M:N"
    CLEARED = "cleared", "Degrees dropped to 1"
