"""Steward curation in the Django admin.

Every write to the graph goes through `collector.services`, as in the pages:
group settings through `group_update`, merges through `group_merge`, links
added and deleted through `link_add` and `link_remove` (a link's ratio through
`link_add` again), roles through `member_set_role`, conflicts through
`alert_resolve`, the location plans inline through `plans.location_plans_replace`.
Members and alerts are never edited as rows; the inlines only show them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from collector import history, plans, selectors, services
from collector.models import (
    GROUP_STATUSES,
    GroupAlert,
    GroupLocationPlan,
    ItemGroup,
    ItemGroupMember,
    ItemLink,
    PendingUpload,
    RelationAudit,
)
from collector.tables import GroupTable
from plmtracker.feeds.admin import FeedAdminMixin
from plmtracker.inventory.admin import DayRangeAdmin

ADMIN_HISTORY_ROWS = 20


class ShowOnly:
    """Rows the graph's rules (and the services) decide: shown, never edited as rows."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ShowOnlyInline(ShowOnly, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


class MemberInline(ShowOnlyInline):
    model = ItemGroupMember
    fields = ["member", "role_label", "sequence", "added_at"]
    readonly_fields = fields
    ordering = ["sequence", "item_id"]
    verbose_name_plural = "members (roles: change a member; order: the group page)"

    class Media:
        css = {"all": ["collector/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")

    @admin.display(description="Item")
    def member(self, obj) -> str:
        """ "1807780 — GAUZE SPONGE 4X4 12PLY STERILE", linked to the item."""
        url = reverse("admin:plmtracker_item_change", args=[obj.item_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.item))

    @admin.display(description="Role")
    def role_label(self, obj) -> str:
        return obj.get_role_display() or "no role"


class ConflictStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class LocationPlanInline(admin.TabularInline):
    """Go-live per location; the whole set is saved through `plans.location_plans_replace` (audited)."""

    model = GroupLocationPlan
    fields = ["location", "go_live_date", "note"]
    autocomplete_fields = ["location"]
    extra = 0
    verbose_name_plural = "go-live by location (no row or no date: the start date)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("location")


class GroupForm(forms.ModelForm):
    change_reason = forms.CharField(
        max_length=200, required=False, help_text="Why the change; kept in the group's history."
    )

    class Meta:
        model = ItemGroup
        fields = ["name", "status", "owner", "reason", "start_date", "end_date", "use_up_policy", "last_order_date"]

    def clean(self):
        cleaned = super().clean()
        try:
            services.check_group_fields(**{f: cleaned.get(f) for f in self.Meta.fields if f in cleaned})
        except services.GraphError as exc:
            raise forms.ValidationError(exc.message) from None
        return cleaned


class MergeGroupsForm(forms.Form):
    target = forms.TypedChoiceField(coerce=int, label="Merge into", help_text="Every other selected group moves here.")
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, groups: list[ItemGroup], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(g.pk, f"{g.title} (group {g.pk}, {g.member_count} members)") for g in groups]


class SetStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GROUP_STATUSES)
    reason = forms.CharField(max_length=200, required=False, label="Why")


@admin.register(ItemGroup)
class ItemGroupAdmin(FeedAdminMixin, admin.ModelAdmin):
    feed_kind = "groups"
    form = GroupForm
    list_display = GroupTable.Meta.fields
    list_filter = [
        "status",
        "use_up_policy",
        ("last_order_date", admin.DateFieldListFilter),
        ("start_date", admin.DateFieldListFilter),
        ("end_date", admin.DateFieldListFilter),
        "owner",
    ]
    search_fields = ["=group_id", "name", "reason", "members__item__erp_item_code"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["page_link", "created_at", "updated_at", "links", "history"]
    fieldsets = [
        (None, {"fields": ["page_link", "name", "status", "owner", "reason", "change_reason"]}),
        ("Plan", {"fields": ["use_up_policy", ("start_date", "last_order_date", "end_date")]}),
        ("Links and history", {"fields": ["links", "history", ("created_at", "updated_at")]}),
    ]
    list_select_related = ["owner"]
    inlines = [LocationPlanInline, MemberInline]
    actions = ["merge_selected", "set_status"]

    def get_queryset(self, request):
        return selectors.groups_with_counts()

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # a new group has no links or history yet
            return [(None, {"fields": ["status", "owner", "reason", ("start_date", "end_date")]})]
        return self.fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["fields"] = ["status", "owner", "reason", "start_date", "end_date"]
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(description="Name", ordering="title")
    def title(self, obj) -> str:
        return obj.title

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a group ends by merge or split; its members would lose their links

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count

    @admin.display(description="Open conflicts", ordering="conflict_count")
    def conflict_count(self, obj) -> int:
        return obj.conflict_count

    @admin.display(description="Page")
    def page_link(self, obj) -> str:
        url = reverse("collector:group_detail", kwargs={"group_id": obj.pk})
        return format_html('<a href="{}">Open group {} in the tracker</a> (graph, split, promote/demote)', url, obj.pk)

    @admin.display(description="Links")
    def links(self, obj) -> str:
        view = selectors.group_view(obj.pk)
        if not view.links:
            return "No links."
        rows = format_html_join(
            "",
            '<tr><td>{}</td><td>→</td><td>{}</td><td>{}</td><td><a href="{}">delete…</a></td></tr>',
            (
                (
                    link.item_code,
                    link.replace_code,
                    link.reason or "",
                    reverse("admin:collector_itemlink_changelist")
                    + f"?item__item_id__exact={link.item_id}&replace_item__item_id__exact={link.replace_item_id}",
                )
                for link in view.links
            ),
        )
        return format_html('<table class="collector-links"><tbody>{}</tbody></table>', rows)

    @admin.display(description="History")
    def history(self, obj) -> str:
        rows = list(selectors.group_history(obj.pk)[:ADMIN_HISTORY_ROWS])
        codes = selectors.codes_of(history.item_ids_named(r.details for r in rows))
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(localtime(r.at), "DATETIME_FORMAT"),
                    r.user or "system",
                    history.ACTION_LABELS.get(r.action, r.action),
                    history.describe(r.action, r.details, codes),
                    r.reason or "",
                )
                for r in rows
            ),
        )
        everything = reverse("admin:collector_relationaudit_changelist") + f"?group_id={obj.pk}"
        return format_html(
            '<table><tbody>{}</tbody></table><p><a href="{}">The whole audit trail of this group</a></p>',
            body,
            everything,
        )

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in GroupForm.Meta.fields if name in form.cleaned_data}
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            services.group_update(
                group_id=obj.pk,
                user=request.user,
                change_reason=form.cleaned_data.get("change_reason") or None,
                **changed,
            )
        else:
            created = services.group_create(user=request.user, **fields)
            obj.pk = created.pk
        obj.refresh_from_db()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_related(self, request, form, formsets, change):
        # Members are only shown; location plans go through the plan service as one set.
        # Nothing is saved as rows (the admin's log still asks what was).
        for formset in formsets:
            if formset.model is GroupLocationPlan and formset.has_changed():
                wanted = [
                    {
                        "location_id": f.cleaned_data["location"].pk,
                        "go_live_date": f.cleaned_data.get("go_live_date"),
                        "note": f.cleaned_data.get("note"),
                    }
                    for f in formset.forms
                    if f.cleaned_data and f.cleaned_data.get("location") and not f.cleaned_data.get("DELETE")
                ]
                plans.location_plans_replace(
                    group_id=form.instance.pk,
                    plans=wanted,
                    user=request.user,
                    reason=form.cleaned_data.get("change_reason") or None,
                )
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description="Merge selected groups", permissions=["change"])
    def merge_selected(self, request, queryset):
        groups = list(queryset.order_by("group_id"))
        if len(groups) < 2:
            self.message_user(request, "Select two groups or more to merge.", messages.WARNING)
            return None
        form = MergeGroupsForm(request.POST if "apply" in request.POST else None, groups=groups)
        if form.is_valid():
            target = form.cleaned_data["target"]
            with transaction.atomic():
                moved = sum(
                    services.group_merge(
                        group_id=g.pk,
                        target_group_id=target,
                        user=request.user,
                        reason=form.cleaned_data["reason"] or None,
                    )
                    for g in groups
                    if g.pk != target
                )
            merged = len(groups) - 1
            self.message_user(request, f"{merged} group(s) merged into group {target}: {moved} member(s) moved.")
            return None
        return self._confirm(request, groups, form, "merge_selected", "Merge groups")

    @admin.action(description="Set status of selected groups", permissions=["change"])
    def set_status(self, request, queryset):
        groups = list(queryset.order_by("group_id"))
        form = SetStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            status, reason = form.cleaned_data["status"], form.cleaned_data["reason"] or None
            with transaction.atomic():
                for g in groups:
                    services.group_update(group_id=g.pk, user=request.user, change_reason=reason, status=status)
            self.message_user(request, f"{len(groups)} group(s) set to {status}.")
            return None
        return self._confirm(request, groups, form, "set_status", "Set the status")

    def _confirm(self, request, groups, form, action: str, title: str):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "groups": groups,
            "form": form,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/collector/itemgroup/confirm_action.html", context)


@admin.register(ItemGroupMember)
class ItemGroupMemberAdmin(admin.ModelAdmin):
    """Members come and go with links; a steward may change a role here."""

    list_display = ["item", "group", "role", "sequence", "added_at"]
    list_filter = ["role", "group__status"]
    search_fields = ["item__erp_item_code", "item__description", "=group__group_id"]
    autocomplete_fields = ["item", "group"]
    list_select_related = ["item", "group"]
    fields = ["item", "group", "role", "sequence", "added_at"]
    readonly_fields = ["item", "group", "sequence", "added_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        services.member_set_role(item_id=obj.item_id, role=form.cleaned_data["role"] or None, user=request.user)


class LinkAddForm(forms.ModelForm):
    class Meta:
        model = ItemLink
        fields = ["item", "replace_item", "ratio", "reason"]

    def clean(self):
        cleaned = super().clean()
        item, replace = cleaned.get("item"), cleaned.get("replace_item")
        if self.instance.pk is None and item and replace:
            # Ask the services' own rules what the link would do (nothing is written).
            try:
                result = services.links_add_bulk(pairs=[(item.pk, replace.pk, None)], dry_run=True)
            except services.GraphError as exc:
                self.add_error("replace_item", exc.message)
            else:
                if result.outcomes[0].status == "reverse":
                    message = services.reverse_link_message(item.erp_item_code, replace.erp_item_code)
                    self.add_error("replace_item", message)
        return cleaned


@admin.register(ItemLink)
class ItemLinkAdmin(FeedAdminMixin, admin.ModelAdmin):
    """Links are added with `link_add` (grouping and conflicts follow) and deleted with `link_remove`."""

    feed_kind = "links"
    form = LinkAddForm
    list_display = ["item", "replace_item", "ratio", "group", "reason", "created_by", "created_at"]
    search_fields = ["item__erp_item_code", "replace_item__erp_item_code", "reason"]
    autocomplete_fields = ["item", "replace_item", "created_by"]
    list_select_related = ["item", "replace_item", "created_by", "item__membership"]
    readonly_fields = ["created_by", "created_at"]

    @admin.display(description="Group", ordering="item__membership__group_id")
    def group(self, obj):
        return obj.item.membership.group_id

    def get_fields(self, request, obj=None):
        added = ["item", "replace_item", "ratio", "reason"]
        return added if obj is None else [*added, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # Only the ratio of a recorded link changes (through link_add); its ends and reason stay.
        return self.readonly_fields if obj is None else ["item", "replace_item", "reason", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        result = services.link_add(
            item_id=obj.item_id,
            replace_item_id=obj.replace_item_id,
            user=request.user,
            reason=obj.reason or None,
            ratio=obj.ratio,
        )
        saved = ItemLink.objects.get(item_id=obj.item_id, replace_item_id=obj.replace_item_id)
        obj.pk, obj.created_at, obj.created_by_id = saved.pk, saved.created_at, saved.created_by_id
        if result.merged_group_ids:
            self.message_user(request, f"The link merged group(s) {result.merged_group_ids} into {result.group_id}.")
        if result.ratio_updated:
            self.message_user(request, f"The link's ratio is now {services.format_ratio(result.ratio)}.")

    def delete_model(self, request, obj):
        services.link_remove(item_id=obj.item_id, replace_item_id=obj.replace_item_id, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for item_id, replace_id in queryset.values_list("item_id", "replace_item_id"):
                services.link_remove(item_id=item_id, replace_item_id=replace_id, user=request.user)


@admin.register(GroupLocationPlan)
class GroupLocationPlanAdmin(FeedAdminMixin, admin.ModelAdmin):
    """Go-live per group and location, across groups; every change through `plans.location_plan_set`."""

    feed_kind = "location_plans"
    list_display = ["group", "location", "go_live_date", "note", "updated_at"]
    list_filter = [("go_live_date", admin.DateFieldListFilter), ("go_live_date", admin.EmptyFieldListFilter)]
    search_fields = ["=group__group_id", "group__name", "location__location_name", "note"]
    autocomplete_fields = ["group", "location"]
    list_select_related = ["group", "location"]
    fields = ["group", "location", "go_live_date", "note", "updated_at"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ["group", "location", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        saved = plans.location_plan_set(
            group_id=obj.group_id,
            location_id=obj.location_id,
            go_live_date=obj.go_live_date,
            note=obj.note,
            user=request.user,
        )
        if saved is not None:
            obj.pk, obj.updated_at = saved.pk, saved.updated_at

    def delete_model(self, request, obj):
        plans.location_plan_set(
            group_id=obj.group_id, location_id=obj.location_id, go_live_date=None, note=None, user=request.user
        )

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for group_id, location_id in queryset.values_list("group_id", "location_id"):
                plans.location_plan_set(
                    group_id=group_id, location_id=location_id, go_live_date=None, note=None, user=request.user
                )


@admin.register(GroupAlert)
class GroupAlertAdmin(ShowOnly, admin.ModelAdmin):
    """Alerts follow the links' degrees; a steward keeps one as M:N with the "resolve" action."""

    list_display = ["item_label", "alert_type", "replaced_by", "replaces", "noted_at", "state_label", "resolved_by"]

    class Media:
        css = {"all": ["collector/admin.css"]}

    list_display_links = ["item_label"]
    list_filter = [ConflictStateFilter, "alert_type"]
    fields = [
        "item",
        "alert_type",
        "replaced_by",
        "replaces",
        "details",
        "noted_at",
        "state",
        "resolved_at",
        "resolved_by",
    ]
    search_fields = ["item__erp_item_code", "details"]
    autocomplete_fields = ["item", "resolved_by"]
    list_select_related = ["item", "resolved_by"]
    readonly_fields = ["noted_at", "replaced_by", "replaces", "state"]
    actions = ["resolve"]

    @admin.display(description="Item", ordering="item__erp_item_code")
    def item_label(self, obj) -> str:
        return str(obj.item)  # a method, not the foreign key: the admin lets it wrap

    @admin.display(description="Replaced by", ordering="degree_out")
    def replaced_by(self, obj) -> int | None:
        return obj.degree_out

    @admin.display(description="Replaces", ordering="degree_in")
    def replaces(self, obj) -> int | None:
        return obj.degree_in

    @admin.display(description="State", ordering="resolved_at")
    def state(self, obj) -> str:
        return obj.state_text

    @admin.display(description="State", ordering="resolved_at")
    def state_label(self, obj) -> str:
        return obj.state_label

    def has_resolve_permission(self, request) -> bool:
        return request.user.has_perm("collector.change_groupalert")

    @admin.action(description="Keep selected conflicts as many-to-many", permissions=["resolve"])
    def resolve(self, request, queryset):
        open_items = list(queryset.filter(resolved_at__isnull=True).values_list("item_id", flat=True))
        with transaction.atomic():
            for item_id in open_items:
                services.alert_resolve(item_id=item_id, user=request.user, reason="Kept as many-to-many in the admin")
        skipped = queryset.count() - len(open_items)
        note = f" ({skipped} already closed, left alone)" if skipped else ""
        self.message_user(request, f"{len(open_items)} conflict(s) kept as many-to-many{note}.")


class ActionFilter(admin.SimpleListFilter):
    title = "change"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(history.ACTION_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(RelationAudit)
class RelationAuditAdmin(ShowOnly, DayRangeAdmin):
    list_display = ["at", "change", "group_id", "user", "reason"]
    list_filter = [ActionFilter]
    fields = ["at", "change", "what", "group_id", "user", "reason"]
    readonly_fields = ["change", "what"]
    search_fields = ["=group_id", "reason"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    @admin.display(description="Change", ordering="action")
    def change(self, obj) -> str:
        return history.ACTION_LABELS.get(obj.action, obj.action)

    @admin.display(description="What")
    def what(self, obj) -> str:
        codes = selectors.codes_of(history.item_ids_named([obj.details]))
        return history.describe(obj.action, obj.details, codes)


@admin.register(PendingUpload)
class PendingUploadAdmin(ShowOnly, admin.ModelAdmin):
    """Uploads waiting for their commit (bulk upload, admin imports): who, which file, until when.

    purge_pending_uploads deletes expired ones."""

    list_display = ["file_name", "purpose", "owner", "created_at", "expires_at"]
    list_filter = ["purpose"]
    fields = ["file_name", "file_format", "purpose", "owner", "created_at", "expires_at"]
    readonly_fields = fields
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    search_fields = ["file_name", "owner__email"]
