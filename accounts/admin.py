from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.forms import UserAdminChangeForm, UserAdminCreationForm
from accounts.models import User
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
    list_display = ["email", "name", "role_column", "is_active", "last_login", "created_at"]
    list_filter = [RoleFilter, "is_active"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "created_at"]
    actions = [role_action(role) for role in ROLES]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name"]}),
        ("Role", {"fields": ["role", "is_active"]}),
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
        own = obj is not None and obj.pk == request.user.pk
        return [*super().get_readonly_fields(request, obj), *(["role"] if own else [])]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the groups field is saved: the role decides the steward membership.
        if "role" in form.cleaned_data:
            set_role(form.instance, form.cleaned_data["role"])

    # Roles grant rights, so only admins manage users, whatever permissions a steward is given.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
