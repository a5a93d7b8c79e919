"""The digest's opt-outs and sent log and the attention memory, for an operator checking who got what (read only)."""

from django.contrib import admin

from attention.models import AttentionChange, AttentionDay, AttentionFold, AttentionRun, DigestOptOut, DigestSent
from plmtracker.inventory.admin import DayRangeAdmin


class ReadOnly(DayRangeAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DigestOptOut)
class DigestOptOutAdmin(ReadOnly):
    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__name"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnly):
    list_display = ["as_of", "user", "item_key", "sent_at"]
    list_filter = ["as_of"]
    search_fields = ["user__email", "item_key"]
    date_hierarchy = "as_of"


@admin.register(AttentionRun)
class AttentionRunAdmin(ReadOnly):
    """The attention memory: one row per run of an item, with what a person made of it."""

    list_display = ["key", "severity", "first_seen", "last_seen", "state", "snooze_until", "changed_by", "changed_at"]
    list_filter = ["state", "kind", "severity"]
    search_fields = ["key", "note"]
    date_hierarchy = "last_seen"
    list_select_related = ["changed_by"]


@admin.register(AttentionDay)
class AttentionDayAdmin(ReadOnly):
    list_display = ["day", "refreshed_at", "change_id", "firing", "folded"]
    date_hierarchy = "day"


@admin.register(AttentionFold)
class AttentionFoldAdmin(ReadOnly):
    """Today's default list folded (one row per group and kind), as the page orders and counts it."""

    list_display = ["day", "group_id", "kind", "severity", "items", "dollars", "oldest", "first_location"]
    list_filter = ["kind", "severity"]
    search_fields = ["kind"]
    date_hierarchy = "day"


@admin.register(AttentionChange)
class AttentionChangeAdmin(ReadOnly):
    list_display = ["change_id", "at"]
