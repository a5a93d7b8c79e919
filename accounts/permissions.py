"""Role checks for views: planners use the collector, stewards curate."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

STEWARD_ONLY = "This action is for data stewards; ask an admin for the steward role."


def is_steward(user) -> bool:
    return bool(user and user.is_authenticated and user.is_steward)


def steward_required(view):
    """Refuse a function view to anyone but a steward or an admin (403, nothing changes)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_steward(request.user):
            raise PermissionDenied(STEWARD_ONLY)
        return view(request, *args, **kwargs)

    return wrapper


class IsSteward(BasePermission):
    message = STEWARD_ONLY

    def has_permission(self, request, view) -> bool:
        return is_steward(request.user)
