"""Sign-in through a real OpenLDAP directory: names, e-mails, roles from nested groups, lockout, outages."""

import logging

import ldap
import ldap.filter
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_auth_ldap.config import NestedActiveDirectoryGroupType

from accounts.directory import UNREACHABLE
from accounts.ldap_config import DIRECTORY_BACKEND, authentication_backends, directory_settings
from tests.accounts.ldap_server import PASSWORD, PEOPLE, READER_DN, READER_PASSWORD, group_dn, person_dn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
LOGIN = "/login"


def sign_in(client: Client, name: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": name, "password": password})


def signed_in(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


# The environment, read at start-up


def test_without_a_directory_uri_nothing_changes():
    assert directory_settings({}) == {
        "AUTH_LDAP_SERVER_URI": "",
        "PLM_LDAP_STEWARD_GROUP": "",
        "PLM_LDAP_ADMIN_GROUP": "",
        "PLM_LDAP_EMAIL_ATTR": "mail",
        "PLM_LDAP_NAME_ATTRS": ["displayName", "cn"],
    }
    assert DIRECTORY_BACKEND not in authentication_backends("")


def test_active_directory_settings_follow_nested_groups_and_use_tls_with_the_ca_file():
    values = directory_settings(
        {
            "PLM_LDAP_URI": "ldap://dc01.hospital.local",
            "PLM_LDAP_USER_SEARCH_BASE": "OU=Staff,DC=hospital,DC=local",
            "PLM_LDAP_USER_FILTER": "(|(sAMAccountName=%(user)s)(userPrincipalName=%(user)s))",
            "PLM_LDAP_START_TLS": "1",
            "PLM_LDAP_CA_FILE": "/etc/ssl/certs/hospital-ca.pem",
            "PLM_LDAP_REQUIRE_GROUP": "CN=PLM Users,OU=Groups,DC=hospital,DC=local",
        }
    )
    assert isinstance(values["AUTH_LDAP_GROUP_TYPE"], NestedActiveDirectoryGroupType)
    assert values["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=group)"
    assert values["AUTH_LDAP_USER_SEARCH"].filterstr == "(|(sAMAccountName=%(user)s)(userPrincipalName=%(user)s))"
    assert values["AUTH_LDAP_START_TLS"] is True
    assert values["AUTH_LDAP_CONNECTION_OPTIONS"][ldap.OPT_X_TLS_CACERTFILE] == "/etc/ssl/certs/hospital-ca.pem"
    assert values["AUTH_LDAP_REQUIRE_GROUP"] == "CN=PLM Users,OU=Groups,DC=hospital,DC=local"
    assert authentication_backends(values["AUTH_LDAP_SERVER_URI"])[-1] == DIRECTORY_BACKEND


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PLM_LDAP_URI": "ldap://dc01"}, "PLM_LDAP_USER_SEARCH_BASE"),
        ({"PLM_LDAP_URI": "ldap://dc01", "PLM_LDAP_USER_SEARCH_BASE": "dc=x", "PLM_LDAP_GROUP_TYPE": "posix"}, "posix"),
    ],
)
def test_an_incomplete_directory_setting_stops_the_start_with_what_to_set(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        directory_settings(env)


# Signing in


def test_sign_in_by_directory_name_creates_the_account_from_the_directory(client, use_directory):
    response = sign_in(client, "alice")
    assert response.status_code == 302 and response["Location"] == "/"
    user = signed_in(client)
    assert (user.email, user.name, user.role) == ("alice.directory@hospital.test", "Alice Directory", "planner")
    assert user.directory_dn == person_dn("alice")
    assert user.role_source == "directory"
    assert not user.has_usable_password()  # the directory holds the password
    page = client.get(reverse("accounts:account"))  # the session holds across requests
    assert page.status_code == 200 and person_dn("alice") in page.content.decode()


def test_sign_in_by_e_mail_finds_the_same_account(client, use_directory):
    sign_in(Client(), "alice")
    response = sign_in(client, "Alice.Directory@hospital.TEST")
    assert response.status_code == 302
    assert signed_in(client).email == "alice.directory@hospital.test"
    assert User.objects.filter(email="alice.directory@hospital.test").count() == 1


def test_login_page_asks_for_a_name_or_e_mail_when_there_is_a_directory(client, use_directory):
    page = client.get(LOGIN).content.decode()
    assert "Email or directory name" in page
    assert 'type="text" name="username"' in page


def test_a_local_account_with_the_same_e_mail_becomes_the_directory_account(client, use_directory):
    local = UserFactory(email="carol@hospital.test", name="Old Name")
    assert sign_in(client, "carol").status_code == 302
    local.refresh_from_db()
    assert signed_in(client).pk == local.pk
    assert local.name == "Carol Buyer"
    assert not local.has_usable_password()  # the old local password no longer signs in
    assert sign_in(Client(), "carol@hospital.test", "correct-horse-battery").status_code == 200


def test_wrong_password_is_refused_and_counted_by_the_lockout(client, use_directory):
    for attempt in range(1, 5):
        response = sign_in(client, "alice", "not-the-password")
        assert response.status_code == 200
        assert "do not match an account" in response.content.decode()
        assert signed_in(client) is None
        # Counted against the account the name finds: her e-mail, as the directory holds it.
        assert AccessAttempt.objects.get(username="alice.directory@hospital.test").failures_since_start == attempt
    sign_in(client, "alice", "still-wrong")
    response = sign_in(client, "alice")  # the right password, during the pause
    assert response.status_code == 429
    assert "logins are paused" in response.content.decode()
    assert signed_in(client) is None


# Other spellings of a name: OpenLDAP matches them to the same person, so the lockout must too.

ALICE_ALIASES = ["ａｌｉｃｅ", "Ａlice", "alicｅ", "ALIＣE", "ali\u00adce", " Alice "]


@pytest.mark.parametrize("spelling", ALICE_ALIASES[:4])
def test_openldap_finds_alice_under_fullwidth_and_mixed_case_spellings(ldap_server, spelling):
    """The premise, against the real slapd: these spellings all find uid=alice."""
    connection = ldap.initialize(ldap_server.uri)
    try:
        connection.simple_bind_s(READER_DN, READER_PASSWORD)
        found = connection.search_s(PEOPLE, ldap.SCOPE_SUBTREE, f"(uid={ldap.filter.escape_filter_chars(spelling)})")
    finally:
        connection.unbind_s()
    assert [dn for dn, _ in found] == [person_dn("alice")]


def failures_by_account() -> dict[str, int]:
    """Failed logins per account the lockout counts (axes keeps a row per account and address)."""
    counts: dict[str, int] = {}
    for username, failures in AccessAttempt.objects.values_list("username", "failures_since_start"):
        counts[username] = counts.get(username, 0) + failures
    return counts


def sign_in_from(address: str, name: str, password: str = PASSWORD):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": name, "password": password})


@pytest.mark.parametrize("spelling", ALICE_ALIASES)
def test_any_spelling_signs_in_the_one_account(use_directory, spelling):
    client = Client()
    assert sign_in(client, spelling).status_code == 302
    assert signed_in(client).email == "alice.directory@hospital.test"
    assert User.objects.count() == 1


def test_failures_under_five_spellings_lock_alice_whatever_she_types_next(use_directory):
    # Each guess from another address: only the count per account can trip.
    for n, spelling in enumerate(ALICE_ALIASES[:5]):
        assert sign_in_from(f"10.9.0.{n}", spelling, "a-guess").status_code in (200, 429)
    assert failures_by_account() == {"alice.directory@hospital.test": 5}
    for n, spelling in enumerate([*ALICE_ALIASES, "alice", "Alice.Directory@Hospital.test"]):
        response = sign_in_from(f"10.9.1.{n}", spelling)  # the right password, during the pause
        assert response.status_code == 429, spelling
        assert "logins are paused" in response.content.decode()
    assert not User.objects.exists()


def test_a_name_the_directory_does_not_know_counts_in_one_spelling(use_directory):
    for n, spelling in enumerate(["mallory", "ＭＡＬＬＯＲＹ", "Mallory", "mal\u200blory", "MALLORY"]):
        sign_in_from(f"10.9.2.{n}", spelling, "a-guess")
    assert failures_by_account() == {"mallory": 5}


def test_a_person_without_an_e_mail_in_the_directory_is_refused(client, use_directory, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.directory"):
        response = sign_in(client, "nomail")
    assert response.status_code == 200
    assert signed_in(client) is None
    assert "has no e-mail address in the directory" in caplog.text


def test_a_directory_name_that_could_pass_for_another_identity_is_cleaned(client, use_directory, ldap_server):
    gina = person_dn("gina")
    spoof = "Sam Steward\u202e <steward@example.org>\r\n" + "\u3164" * 60
    try:
        ldap_server.modify(gina, [(ldap.MOD_REPLACE, "displayName", [spoof.encode()])])
        assert sign_in(client, "gina").status_code == 302
    finally:
        ldap_server.modify(gina, [(ldap.MOD_REPLACE, "displayName", [b"Gina Mover"])])
    user = signed_in(client)
    assert user.name == "Sam Steward steward example.org"
    assert str(user) == "Sam Steward steward example.org <gina@hospital.test>"


# Roles from groups


def test_nested_groups_give_steward_and_admin(client, use_directory):
    sign_in(client, "carol")  # in pharmacy-buyers, which is in plm-stewards
    carol = signed_in(client)
    assert carol.role == "steward"
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'id="role-source"' in page and group_dn("plm-stewards") in page
    dave_client = Client()
    sign_in(dave_client, "dave")  # in it-admins, which is in plm-admins
    assert signed_in(dave_client).role == "admin"
    assert dave_client.get("/admin/").status_code == 200


def test_roles_follow_group_membership_between_two_sign_ins(use_directory, ldap_server):
    it_admins = group_dn("it-admins")
    assert sign_in(Client(), "gina").status_code == 302
    gina = User.objects.get(email="gina@hospital.test")
    assert gina.role == "planner"
    try:
        ldap_server.modify(it_admins, [(ldap.MOD_ADD, "member", [person_dn("gina").encode()])])
        sign_in(Client(), "gina")
        gina.refresh_from_db()
        assert (gina.role, gina.is_staff) == ("admin", True)
    finally:
        ldap_server.modify(it_admins, [(ldap.MOD_DELETE, "member", [person_dn("gina").encode()])])
    sign_in(Client(), "gina")
    gina.refresh_from_db()
    assert (gina.role, gina.is_staff, gina.is_superuser) == ("planner", False, False)


def test_set_role_does_not_fight_the_directory(client, use_directory):
    sign_in(client, "carol")
    with pytest.raises(CommandError, match="comes from directory groups"):
        call_command("set_role", "carol@hospital.test", "admin")
    assert User.objects.get(email="carol@hospital.test").role == "steward"


def test_admin_role_actions_leave_directory_roles_alone(client, use_directory, admin):
    sign_in(Client(), "carol")
    carol = User.objects.get(email="carol@hospital.test")
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_planner", "_selected_action": [carol.pk]},
        follow=True,
    )
    assert "Roles that come from directory groups were left as they are" in response.content.decode()
    assert User.objects.get(pk=carol.pk).role == "steward"
    change_page = client.get(reverse("admin:accounts_user_change", args=[carol.pk])).content.decode()
    assert 'name="role"' not in change_page  # shown, not editable


def test_without_role_groups_the_roles_stay_local(client, use_directory):
    use_directory(PLM_LDAP_STEWARD_GROUP="", PLM_LDAP_ADMIN_GROUP="")
    sign_in(client, "dave")
    dave = signed_in(client)
    assert (dave.role, dave.role_source) == ("planner", "local")
    call_command("set_role", "dave@hospital.test", "steward")
    assert User.objects.get(pk=dave.pk).role == "steward"


def test_require_group_limits_who_may_sign_in(use_directory):
    use_directory(PLM_LDAP_REQUIRE_GROUP=group_dn("plm-users"))
    frank = Client()
    response = sign_in(frank, "frank")
    assert response.status_code == 200 and signed_in(frank) is None
    assert not User.objects.filter(email="frank@hospital.test").exists()
    carol = Client()  # in plm-users through pharmacy-buyers
    assert sign_in(carol, "carol").status_code == 302
    assert signed_in(carol).email == "carol@hospital.test"


# The directory down


def test_a_stopped_directory_is_explained_and_local_accounts_still_sign_in(use_directory, ldap_server, admin, caplog):
    ldap_server.stop()
    try:
        directory_client = Client()
        with caplog.at_level(logging.ERROR, logger="accounts.directory"):
            response = sign_in(directory_client, "alice")
        assert response.status_code == 200
        assert UNREACHABLE in response.content.decode()
        assert signed_in(directory_client) is None
        assert any(r.levelno == logging.ERROR and ldap_server.uri in r.getMessage() for r in caplog.records)
        local = Client()
        response = sign_in(local, "admin@example.org", "correct-horse-battery")  # the break-glass admin
        assert response.status_code == 302
        assert signed_in(local).pk == admin.pk
    finally:
        ldap_server.start()
    assert sign_in(Client(), "alice").status_code == 302  # back by itself once the directory is


def test_local_accounts_sign_in_without_asking_the_directory(client, use_directory, planner):
    response = sign_in(client, "planner@example.org", "correct-horse-battery")
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
