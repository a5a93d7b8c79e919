"""Reads about users: their role computed in SQL, so user lists cost one query."""

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When

from accounts.models import STEWARD_GROUP


def with_role(users: QuerySet | None = None) -> QuerySet:
    """Annotate `role_name` (planner, steward or admin) on each user, as `User.role` computes it."""
    User = get_user_model()
    users = User.objects.all() if users is None else users
    in_steward_group = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=STEWARD_GROUP)
    return users.annotate(
        role_name=Case(
            When(is_superuser=True, then=Value("admin")),
            When(Exists(in_steward_group), then=Value("steward")),
            default=Value("planner"),
            output_field=CharField(),
        )
    )
