"""The digest's opt-outs and sent log, for an operator checking who got what (read only)."""

from django.contrib import admin

from attention.models import DigestOptOut, DigestSent
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
