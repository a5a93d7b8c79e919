"""Admins manage users and roles in the Django admin; stewards use it for curation only."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import STEWARD_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


def roles() -> dict[str, str]:
    return {u.email: u.role for u in User.objects.all()}


def change_form_data(user, **fields) -> dict:
    data = {"email": user.email, "name": user.name or "", "role": user.role, "is_active": "on"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_user_list_shows_each_role_in_constant_queries(
    admin_client, planner, steward, admin, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        page = admin_client.get(CHANGELIST).content.decode()
    for user in (planner, steward, admin):
        assert f'<td class="field-role_column">{user.role}</td>' in page
    for _ in range(20):
        UserFactory()
    with django_assert_max_num_queries(12):
        admin_client.get(CHANGELIST)


def test_user_list_filters_by_role(admin_client, planner, steward):
    page = admin_client.get(CHANGELIST, {"role": "steward"}).content.decode()
    assert steward.email in page
    assert planner.email not in page


@pytest.mark.parametrize("role", ["steward", "admin", "planner"])
def test_role_actions_change_the_chosen_users_but_not_the_admin_running_them(admin_client, admin, role):
    users = [UserFactory() for _ in range(3)]
    response = admin_client.post(
        CHANGELIST,
        {"action": f"make_{role}", "_selected_action": [u.pk for u in users] + [admin.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert f"3 users now {role}." in page
    assert "Your own role was left as it is." in page
    current = roles()
    assert [current[u.email] for u in users] == [role] * 3
    assert current[admin.email] == "admin"


def test_the_change_form_sets_the_role(admin_client, planner):
    url = reverse("admin:accounts_user_change", args=[planner.pk])
    assert 'name="role"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, change_form_data(planner, role="steward"))
    assert response.status_code == 302, response.content.decode()[:2000]
    planner.refresh_from_db()
    assert (planner.role, planner.is_staff) == ("steward", True)


def test_the_role_wins_over_the_groups_field(admin_client, steward):
    url = reverse("admin:accounts_user_change", args=[steward.pk])
    # The steward group is still ticked, but the role says planner.
    group_id = steward.groups.get(name=STEWARD_GROUP).pk
    admin_client.post(url, change_form_data(steward, role="planner", groups=[group_id]))
    assert roles()[steward.email] == "planner"


def test_an_admin_cannot_change_their_own_role_in_the_form(admin_client, admin):
    url = reverse("admin:accounts_user_change", args=[admin.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="role"' not in page
    admin_client.post(url, change_form_data(admin, role="planner"))
    assert roles()[admin.email] == "admin"


def test_the_add_form_makes_a_user_with_a_role(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Steward@Example.org",
            "name": "Noor",
            "role": "steward",
            "password1": "amber-lantern-quietly-42",
            "password2": "amber-lantern-quietly-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.steward@example.org")
    assert (user.role, user.is_staff) == ("steward", True)


def test_the_add_form_refuses_an_email_that_exists_in_another_case(admin_client, planner):
    before = User.objects.count()
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "Planner@example.org", "role": "planner", "password1": "x-9-long-pass", "password2": "x-9-long-pass"},
    )
    assert "An account with this email already exists" in response.content.decode()
    assert User.objects.count() == before


def test_stewards_reach_the_admin_for_curation_but_not_users(steward_client):
    page = steward_client.get(reverse("admin:index")).content.decode()
    assert "Items" in page
    assert "Conversion groups" in page
    assert "Users" not in page
    assert steward_client.get(CHANGELIST).status_code == 403
    assert steward_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_a_steward_given_user_permissions_still_cannot_manage_users(steward):
    from django.contrib.auth.models import Permission

    steward.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts"))
    client = Client()
    client.force_login(steward)
    assert client.get(CHANGELIST).status_code == 403


def test_planners_do_not_reach_the_admin(planner_client):
    response = planner_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admins_see_and_clear_lockouts_in_the_admin(admin_client, planner):
    for _ in range(5):
        Client().post(reverse("accounts:login"), {"username": planner.email, "password": "nope"})
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "planner@example.org" in page
