"""The three roles: planner (every user), data steward (a group), admin (superuser)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import STEWARD_GROUP

ROLE_SUMMARIES = {
    "planner": "Planner: records item links, sees every page and JSON API.",
    "steward": (
        "Data steward: also merges, splits and removes links, resolves conflicts, changes a group's "
        "status, owner and dates, runs imports and uses the Django admin."
    ),
    "admin": "Admin: everything, including users and roles in the Django admin.",
}
ROLES = tuple(ROLE_SUMMARIES)
# Stewards curate groups and conflicts and fix master data.
STEWARD_APPS = ("plmtracker", "collector")


def steward_group() -> Group:
    """Return the stewards' group, making it (with its permissions) when missing."""
    group, created = Group.objects.get_or_create(name=STEWARD_GROUP)
    if created or not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=STEWARD_APPS))
    return group


def check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")


@transaction.atomic
def set_roles(users: QuerySet, role: str) -> int:
    """Give every user of `users` the role; admin-site access follows it. Returns how many users."""
    check_role(role)
    stewards = steward_group()
    user_ids = list(users.values_list("pk", flat=True))
    User = get_user_model()
    count = User.objects.filter(pk__in=user_ids).update(
        is_superuser=role == "admin", is_staff=role in ("steward", "admin")
    )
    membership = User.groups.through
    membership.objects.filter(user_id__in=user_ids, group=stewards).delete()
    if role == "steward":
        membership.objects.bulk_create(membership(user_id=pk, group=stewards) for pk in user_ids)
    return count


def set_role(user, role: str) -> None:
    """Make `user` a planner, a steward or an admin, in the database and on the object."""
    set_roles(type(user).objects.filter(pk=user.pk), role)
    user.is_superuser = role == "admin"
    user.is_staff = role in ("steward", "admin")
    user.__dict__.pop("_is_steward", None)
