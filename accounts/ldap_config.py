"""Directory (LDAP / Active Directory) settings: the PLM_LDAP_* environment as django-auth-ldap's AUTH_LDAP_*.

settings.py calls `directory_settings(env)` once at start-up; tests call it with
their own server's values and pass the result to override_settings, so the
backend reads whatever is in force when a request comes in.
"""

from collections.abc import Mapping

GROUP_TYPES = {
    # name: (django-auth-ldap class, the object class its groups have)
    "active_directory": ("NestedActiveDirectoryGroupType", "group"),
    "group_of_names": ("NestedGroupOfNamesType", "groupOfNames"),
}
DEFAULT_USER_FILTER = "(|(uid=%(user)s)(mail=%(user)s))"
DIRECTORY_BACKEND = "accounts.directory.DirectoryBackend"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def directory_settings(env: Mapping[str, str]) -> dict:
    """AUTH_LDAP_* and the PLM_LDAP_* role groups for the directory `env` describes (no server without PLM_LDAP_URI)."""
    uri = (env.get("PLM_LDAP_URI") or "").strip()
    roles = {
        "PLM_LDAP_STEWARD_GROUP": env.get("PLM_LDAP_STEWARD_GROUP", ""),
        "PLM_LDAP_ADMIN_GROUP": env.get("PLM_LDAP_ADMIN_GROUP", ""),
        "PLM_LDAP_EMAIL_ATTR": env.get("PLM_LDAP_EMAIL_ATTR", "mail"),
        "PLM_LDAP_NAME_ATTRS": [a.strip() for a in env.get("PLM_LDAP_NAME_ATTRS", "displayName,cn").split(",") if a],
    }
    if not uri:
        return {"AUTH_LDAP_SERVER_URI": "", **roles}

    import ldap
    from django.core.exceptions import ImproperlyConfigured
    from django_auth_ldap import config

    user_base = env.get("PLM_LDAP_USER_SEARCH_BASE", "")
    if not user_base:
        raise ImproperlyConfigured(
            "PLM_LDAP_URI is set but PLM_LDAP_USER_SEARCH_BASE is not: set it to the DN under which "
            "people are found, for example OU=Staff,DC=hospital,DC=local."
        )
    group_type_name = env.get("PLM_LDAP_GROUP_TYPE", "active_directory")
    if group_type_name not in GROUP_TYPES:
        raise ImproperlyConfigured(
            f"PLM_LDAP_GROUP_TYPE={group_type_name!r}: use active_directory (AD groups, nested ones followed) "
            "or group_of_names (OpenLDAP groupOfNames, nested ones followed)."
        )
    type_class, group_class = GROUP_TYPES[group_type_name]
    timeout = int(env.get("PLM_LDAP_TIMEOUT", "5"))
    options = {
        ldap.OPT_REFERRALS: 0,  # AD answers with referrals python-ldap cannot follow with our bind
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
    }
    ca_file = env.get("PLM_LDAP_CA_FILE", "")
    if ca_file:
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: makes the options above take effect
    group_base = env.get("PLM_LDAP_GROUP_SEARCH_BASE") or user_base
    return {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": env.get("PLM_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("PLM_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(
            user_base, ldap.SCOPE_SUBTREE, env.get("PLM_LDAP_USER_FILTER") or DEFAULT_USER_FILTER
        ),
        "AUTH_LDAP_START_TLS": _flag(env.get("PLM_LDAP_START_TLS")),
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        "AUTH_LDAP_GROUP_SEARCH": config.LDAPSearch(group_base, ldap.SCOPE_SUBTREE, f"(objectClass={group_class})"),
        "AUTH_LDAP_GROUP_TYPE": getattr(config, type_class)(),
        "AUTH_LDAP_REQUIRE_GROUP": env.get("PLM_LDAP_REQUIRE_GROUP") or None,
        # Name and e-mail are copied by the backend (the e-mail is the account's key here).
        "AUTH_LDAP_USER_ATTR_MAP": {},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        **roles,
    }


def authentication_backends(uri: str) -> list[str]:
    """Axes first (it refuses locked-out logins), local accounts, then the directory when there is one.

    Local accounts come before the directory so a break-glass admin signs in at
    once even while the directory is slow or down.
    """
    backends = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
    return [*backends, DIRECTORY_BACKEND] if uri else backends
