from django.contrib import admin

from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from plmtracker.feeds.admin import FeedAdminMixin


class MemberInline(admin.TabularInline):
    model = ItemGroupMember
    extra = 0
    autocomplete_fields = ["item"]
    fields = ["item", "role", "sequence", "added_at"]
    readonly_fields = ["added_at"]
    ordering = ["sequence", "item_id"]


@admin.register(ItemGroup)
class ItemGroupAdmin(FeedAdminMixin, admin.ModelAdmin):
    feed_kind = "groups"
    list_display = ["group_id", "status", "owner", "reason", "start_date", "end_date", "updated_at"]
    list_filter = ["status", "owner"]
    search_fields = ["=group_id", "reason", "members__item__erp_item_code"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["owner"]
    inlines = [MemberInline]


@admin.register(ItemGroupMember)
class ItemGroupMemberAdmin(admin.ModelAdmin):
    list_display = ["item", "group", "role", "sequence", "added_at"]
    list_filter = ["role", "group__status"]
    search_fields = ["item__erp_item_code", "item__description", "=group__group_id"]
    autocomplete_fields = ["item", "group"]
    list_select_related = ["item", "group"]


@admin.register(ItemLink)
class ItemLinkAdmin(FeedAdminMixin, admin.ModelAdmin):
    feed_kind = "links"
    list_display = ["item", "replace_item", "reason", "created_by", "created_at"]
    search_fields = ["item__erp_item_code", "replace_item__erp_item_code", "reason"]
    autocomplete_fields = ["item", "replace_item", "created_by"]
    list_select_related = ["item", "replace_item", "created_by"]
    readonly_fields = ["created_at"]


@admin.register(GroupAlert)
class GroupAlertAdmin(admin.ModelAdmin):
    list_display = [
        "alert_id",
        "item",
        "alert_type",
        "degree_out",
        "degree_in",
        "noted_at",
        "resolved_at",
        "resolution",
    ]
    list_filter = ["alert_type", "resolution", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["item__erp_item_code", "details"]
    autocomplete_fields = ["item", "resolved_by"]
    list_select_related = ["item"]
    readonly_fields = ["noted_at"]


@admin.register(RelationAudit)
class RelationAuditAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "group_id", "user", "reason"]
    list_filter = ["action"]
    search_fields = ["=group_id", "reason"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
