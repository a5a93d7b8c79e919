"""Roles: set_role/set_roles, roles computed in SQL, `set_role` and `createsuperuser` commands."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import STEWARD_GROUP
from accounts.roles import set_role, set_roles
from accounts.selectors import with_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def stored(user):
    """The role as the database has it, read fresh."""
    user = User.objects.get(pk=user.pk)
    in_group = user.groups.filter(name=STEWARD_GROUP).exists()
    return user.role, user.is_staff, user.is_superuser, in_group


@pytest.mark.parametrize(
    "role, expected",
    [
        ("planner", ("planner", False, False, False)),
        ("steward", ("steward", True, False, True)),
        ("admin", ("admin", True, True, False)),
    ],
)
def test_set_role_from_every_role(role, expected):
    for start in ("planner", "steward", "admin"):
        user = UserFactory()
        set_role(user, start)
        set_role(user, role)
        assert stored(user) == expected
        assert user.role == role  # the object in hand follows too


def test_set_role_refuses_an_unknown_role(planner):
    with pytest.raises(ValueError, match="Role must be one of planner, steward, admin"):
        set_role(planner, "owner")
    assert stored(planner) == ("planner", False, False, False)


def test_set_roles_costs_the_same_for_one_user_or_many(django_assert_max_num_queries):
    users = [UserFactory() for _ in range(25)]
    set_roles(User.objects.filter(pk=users[0].pk), "steward")
    with django_assert_max_num_queries(8):
        assert set_roles(User.objects.filter(pk__in=[u.pk for u in users]), "steward") == 25
    assert User.objects.filter(groups__name=STEWARD_GROUP).count() == 25
    with django_assert_max_num_queries(8):
        set_roles(User.objects.all(), "planner")
    assert User.objects.filter(groups__name=STEWARD_GROUP).count() == 0


def test_with_role_matches_the_model_in_one_query(planner, steward, admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        computed = {u.email: u.role_name for u in with_role()}
    assert computed == {u.email: u.role for u in (planner, steward, admin)}


def test_stewards_get_the_curation_permissions_and_not_user_management(steward):
    assert steward.has_perm("collector.change_itemgroup")
    assert steward.has_perm("plmtracker.change_item")
    assert not steward.has_perm("accounts.change_user")
    assert not steward.has_perm("auth.change_group")


# manage.py set_role


def test_set_role_command_changes_the_role(planner, capsys):
    call_command("set_role", "PLANNER@example.org", "steward")
    assert stored(planner) == ("steward", True, False, True)
    assert capsys.readouterr().out.strip() == "planner@example.org: planner -> steward"


def test_set_role_command_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="No user has the email 'nobody@example.org'"):
        call_command("set_role", "nobody@example.org", "admin")


def test_set_role_command_refuses_an_unknown_role(planner):
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        call_command("set_role", planner.email, "boss")
    assert stored(planner) == ("planner", False, False, False)


# manage.py createsuperuser


def test_createsuperuser_works_with_an_email_non_interactively(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "granite-harbour-77")
    call_command("createsuperuser", interactive=False, email="Root@Example.org", verbosity=0)
    root = User.objects.get()
    assert root.email == "root@example.org"
    assert root.role == "admin"
    assert root.check_password("granite-harbour-77")


def test_createsuperuser_refuses_an_existing_email(planner, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "granite-harbour-77")
    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", interactive=False, email="PLANNER@example.org", verbosity=0)
