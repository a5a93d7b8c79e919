"""The three roles: planner (every user), data steward (a group), admin (superuser)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import STEWARD_GROUP

ROLES = ("planner", "steward", "admin")
# Stewards curate groups and conflicts and fix master data.
STEWARD_APPS = ("plmtracker", "collector")


def steward_group() -> Group:
    """Return the stewards' group, making it (with its permissions) when missing."""
    group, created = Group.objects.get_or_create(name=STEWARD_GROUP)
    if created or not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=STEWARD_APPS))
    return group


@transaction.atomic
def set_role(user, role: str) -> None:
    """Make `user` a planner, a steward or an admin; admin-site access follows the role."""
    if role not in ROLES:
        raise ValueError(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    stewards = steward_group()
    user.is_superuser = role == "admin"
    user.is_staff = role in ("steward", "admin")
    user.save(update_fields=["is_superuser", "is_staff"])
    if role == "steward":
        user.groups.add(stewards)
    else:
        user.groups.remove(stewards)
    user.__dict__.pop("_is_steward", None)
