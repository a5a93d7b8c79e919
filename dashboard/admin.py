"""The kept daily figures, for an operator checking what a page read (read only: `refresh_facts` writes them)."""

from django.contrib import admin

from dashboard.models import DailyFigures
from plmtracker.inventory.admin import DayRangeAdmin


@admin.register(DailyFigures)
class DailyFiguresAdmin(DayRangeAdmin):
    list_display = ["day", "group_id", "status", "compliance_pct", "readiness_pct", "computed_at"]
    list_filter = ["status"]
    search_fields = ["=group_id"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
