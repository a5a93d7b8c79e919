"""The directory tests' OpenLDAP server: started once per test session, settings per test."""

import pytest

from accounts.ldap_config import authentication_backends, directory_settings
from tests.accounts.ldap_server import LdapServer, slapd_missing_reason


@pytest.fixture(scope="session")
def ldap_server(tmp_path_factory):
    reason = slapd_missing_reason()
    if reason:
        pytest.skip(reason)
    server = LdapServer(tmp_path_factory.mktemp("slapd-ldap"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def use_directory(ldap_server, settings):
    """Switch the site to the test directory, as PLM_LDAP_* would at start-up; call again to change a variable."""

    def use_directory(**overrides: str):
        values = directory_settings(ldap_server.env(**overrides))
        for name, value in values.items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = authentication_backends(values["AUTH_LDAP_SERVER_URI"])
        return ldap_server

    use_directory()
    return use_directory
