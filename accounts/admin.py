from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone

from accounts.forms import InvitationAdminForm, UserAdminChangeForm, UserAdminCreationForm
from accounts.models import ConfirmationMail, Invitation, User
from accounts.roles import ROLES, set_role, set_roles
from accounts.selectors import with_role


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(role, role) for role in ROLES]

    def queryset(self, request, queryset):
        return queryset.filter(role_name=self.value()) if self.value() in ROLES else queryset


def role_action(role: str):
    """An admin action giving the chosen users `role`; the admin running it keeps their own role."""

    def action(modeladmin, request, queryset):
        others = queryset.exclude(pk=request.user.pk)
        if others.count() < queryset.count():
            modeladmin.message_user(request, "Your own role was left as it is.", messages.WARNING)
        local = others.exclude(role_source="directory")
        if local.count() < others.count():
            modeladmin.message_user(
                request,
                "Roles that come from directory groups were left as they are: change the membership in the directory.",
                messages.WARNING,
            )
        others = local
        count = set_roles(others, role)
        modeladmin.message_user(request, f"{count} user{'s' if count != 1 else ''} now {role}.", messages.SUCCESS)

    action.__name__ = f"make_{role}"
    return admin.action(description=f"Make the selected users {role}s")(action)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users and their roles; only admins (superusers) see or change them."""

    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "role_column", "role_source", "is_active", "email_confirmed", "last_login"]
    list_filter = [RoleFilter, "role_source", "is_active", "email_confirmed"]
    search_fields = ["email", "name", "directory_dn"]
    readonly_fields = ["last_login", "created_at", "directory_dn", "role_source"]
    actions = [role_action(role) for role in ROLES]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name"]}),
        ("Role", {"fields": ["role", "role_source", "is_active", "email_confirmed", "directory_dn"]}),
        (
            "Extra permissions",
            {
                "classes": ["collapse"],
                "description": "Roles cover the usual needs; add groups or single permissions only for exceptions.",
                "fields": ["groups", "user_permissions"],
            },
        ),
        ("Dates", {"fields": ["last_login", "created_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "role", "password1", "password2"]})]

    def get_queryset(self, request):
        return with_role(super().get_queryset(request))

    @admin.display(description="Role", ordering="role_name")
    def role_column(self, user: User) -> str:
        return user.role_name

    def get_readonly_fields(self, request, obj=None):
        # An admin cannot take away their own role here (and lock themselves out).
        # A role from directory groups is set again at each sign-in: not changed here.
        fixed = obj is not None and (obj.pk == request.user.pk or obj.role_from_directory)
        return [*super().get_readonly_fields(request, obj), *(["role"] if fixed else [])]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the groups field is saved: the role decides the steward membership.
        if "role" in form.cleaned_data:
            set_role(form.instance, form.cleaned_data["role"])

    # Roles grant rights, so only admins manage users, whatever permissions a steward is given.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invite an address to register: the mail's link works once and expires; invitations are not edited."""

    form = InvitationAdminForm
    list_display = ["email", "state", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at"]
    search_fields = ["email"]
    list_select_related = ["invited_by"]
    autocomplete_fields = ["invited_by"]
    fields = ["email", "days"]

    @admin.display(description="State")
    def state(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return "used"
        return "expired" if invitation.expires_at <= timezone.now() else "open"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "days"]
        return ["email", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_user"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form = type(form.__name__, (form,), {"inviter": request.user, "base_url": settings.PLM_BASE_URL})
        return form

    def save_model(self, request, obj, form, change):
        made = form.invitation  # made and mailed by the form's clean()
        obj.pk, obj.expires_at = made.pk, made.expires_at
        self.message_user(
            request,
            f"Invitation mailed to {made.email}; the link works once, until "
            f"{timezone.localtime(made.expires_at):%Y-%m-%d %H:%M}.",
            messages.SUCCESS,
        )

    # Invitations grant accounts: admins only, like users.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_delete_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConfirmationMail)
class ConfirmationMailAdmin(admin.ModelAdmin):
    """The confirmation mails of the last day, read only; deleting one lets the next go sooner."""

    list_display = ["email", "user", "sent_at"]
    search_fields = ["email", "user__email", "user__name"]
    date_hierarchy = "sent_at"
    autocomplete_fields = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
