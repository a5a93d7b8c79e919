from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from plmtracker.feeds.admin import FeedAdminMixin
from plmtracker.inventory.models import (
    BurnRateDaily,
    Item,
    ItemLocation,
    ItemUomConversion,
    Location,
    OnHandSnapshot,
    PoLine,
    Uom,
)
from plmtracker.web.dates import EARLIEST, LATEST


class DayRangeChangeList(ChangeList):
    """A change list whose date hierarchy takes the years the tracker takes (1900-2999) only.

    Django's reckons the end of the year, month or day asked for: for 9999 that overflows (a 500).
    A year outside is a lookup Django refuses as it refuses any bad one: back to the list (?e=1).
    """

    def get_filters(self, request):
        if self.date_hierarchy:
            for year in self.filter_params.get(f"{self.date_hierarchy}__year", []):
                if year.isdigit() and not EARLIEST.year <= int(year) <= LATEST.year:
                    raise IncorrectLookupParameters(f"The year {year} is outside {EARLIEST.year}-{LATEST.year}.")
        return super().get_filters(request)


class DayRangeAdmin(admin.ModelAdmin):
    """A model admin with a date hierarchy: years outside the tracker's range are refused, not a 500."""

    def get_changelist(self, request, **kwargs):
        return DayRangeChangeList


@admin.register(Uom)
class UomAdmin(admin.ModelAdmin):
    list_display = ["code", "description"]
    search_fields = ["code", "description"]


class ItemLocationInline(admin.TabularInline):
    model = ItemLocation
    extra = 0
    autocomplete_fields = ["location", "stock_uom", "reorder_unit"]
    fields = [
        "location",
        "on_hand_ea",
        "on_order_ea",
        "stock_uom",
        "reorder_point",
        "reorder_unit",
        "reorder_upto_qty",
        "last_counted_at",
    ]
    show_change_link = True


class ItemUomConversionInline(admin.TabularInline):
    model = ItemUomConversion
    extra = 0
    autocomplete_fields = ["from_uom", "to_uom"]


@admin.register(Item)
class ItemAdmin(FeedAdminMixin, admin.ModelAdmin):
    feed_kind = "items"
    list_display = ["erp_item_code", "description", "base_uom", "active_flag", "created_at", "updated_at"]
    list_filter = ["active_flag", "base_uom"]
    search_fields = ["erp_item_code", "description"]
    autocomplete_fields = ["base_uom"]
    readonly_fields = ["created_at"]
    list_select_related = ["base_uom"]
    inlines = [ItemUomConversionInline, ItemLocationInline]


@admin.register(Location)
class LocationAdmin(FeedAdminMixin, admin.ModelAdmin):
    feed_kind = "locations"
    list_display = ["location_id", "location_name", "location_type"]
    list_filter = ["location_type"]
    search_fields = ["=location_id", "location_name"]


@admin.register(ItemLocation)
class ItemLocationAdmin(FeedAdminMixin, admin.ModelAdmin):
    feed_kind = "item_locations"
    list_display = ["item", "location", "on_hand_ea", "on_order_ea", "reorder_point", "reorder_unit", "last_counted_at"]
    list_filter = ["location__location_type", "location"]
    search_fields = ["item__erp_item_code", "item__description", "location__location_name"]
    autocomplete_fields = ["item", "location", "stock_uom", "reorder_unit"]
    list_select_related = ["item", "location", "reorder_unit"]
    readonly_fields = ["created_at"]


@admin.register(ItemUomConversion)
class ItemUomConversionAdmin(admin.ModelAdmin):
    list_display = ["item", "from_uom", "to_uom", "factor"]
    list_filter = ["from_uom", "to_uom"]
    search_fields = ["item__erp_item_code", "item__description"]
    autocomplete_fields = ["item", "from_uom", "to_uom"]
    list_select_related = ["item", "from_uom", "to_uom"]


@admin.register(BurnRateDaily)
class BurnRateDailyAdmin(DayRangeAdmin):
    list_display = ["as_of_date", "item", "location", "burnrate_ea_per_day", "signal_source"]
    list_filter = ["signal_source", "as_of_date"]
    search_fields = ["item__erp_item_code"]
    autocomplete_fields = ["item", "location"]
    list_select_related = ["item", "location"]
    date_hierarchy = "as_of_date"
    show_full_result_count = False
    readonly_fields = ["created_at"]


@admin.register(PoLine)
class PoLineAdmin(DayRangeAdmin):
    list_display = ["po_line_id", "po_date", "item", "vendor_name", "qty_ea", "price"]
    list_filter = ["po_date"]
    search_fields = ["=po_line_id", "item__erp_item_code", "vendor_name"]
    autocomplete_fields = ["item"]
    list_select_related = ["item"]
    date_hierarchy = "po_date"
    show_full_result_count = False


@admin.register(OnHandSnapshot)
class OnHandSnapshotAdmin(DayRangeAdmin):
    list_display = ["snapshot_date", "item", "location", "on_hand_ea", "on_order_ea"]
    list_filter = ["snapshot_date"]
    search_fields = ["item__erp_item_code"]
    autocomplete_fields = ["item", "location"]
    list_select_related = ["item", "location"]
    date_hierarchy = "snapshot_date"
    show_full_result_count = False
    readonly_fields = ["created_at"]
