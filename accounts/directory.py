"""Sign-in through the directory (LDAP / Active Directory) with django-auth-ldap.

Accounts here are keyed by e-mail, so a directory user's account is the one with
the e-mail the directory holds for them, whatever name they typed. On each
sign-in the name is copied from the directory and, when PLM_LDAP_STEWARD_GROUP or
PLM_LDAP_ADMIN_GROUP is set, the role follows those groups (nested groups count).
"""

import logging
import unicodedata

import ldap
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

# _LDAPUser is django-auth-ldap's own lookup of a name (its search, connection options, TLS
# and timeouts): the lockout asks it which entry a name finds without signing anyone in.
from django_auth_ldap.backend import LDAPBackend, _LDAPUser, ldap_error

from accounts.models import UserManager
from accounts.names import directory_display_name
from accounts.roles import set_role

logger = logging.getLogger(__name__)

UNREACHABLE = (
    "The directory (LDAP / Active Directory) could not be reached, so directory accounts cannot sign in "
    "right now. Try again in a few minutes; if it persists, tell IT. Local accounts still sign in."
)
NO_EMAIL = "has no e-mail address in the directory"


# Besides control and format characters, what LDAP's string matching maps to nothing (RFC 4518,
# 2.2): the combining grapheme joiner, variation selectors, the object replacement character.
IGNORED_IN_NAMES = {"\u034f", "\u180b", "\u180c", "\u180d", "\ufffc", *map(chr, range(0xFE00, 0xFE10))}


def directory_enabled() -> bool:
    return bool(getattr(settings, "AUTH_LDAP_SERVER_URI", ""))


def sign_in_name(raw: str | None) -> str:
    """The name a sign-in is for, as the directory matches it: `ａｌｉｃｅ`, `ALIＣE` and `alice` are one.

    NFKC, case folded, what LDAP ignores left out (control and format characters, soft
    hyphens), blanks collapsed; an e-mail address in the form accounts store it.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or (unicodedata.category(char) not in ("Cc", "Cf") and char not in IGNORED_IN_NAMES)
    )
    name = " ".join(kept.split())
    if "@" in name:
        return UserManager.normalize_login(name)
    return unicodedata.normalize("NFKC", name.casefold())


def directory_email(name: str, request: HttpRequest | None = None) -> str | None:
    """The e-mail of the one directory entry a sign-in name finds (as signing in would), or None.

    Nobody is signed in or created: it is the search the sign-in starts with, as the
    service account. None when the name finds nobody, or the directory cannot be asked.
    """
    if not directory_enabled() or not name:
        return None
    entry = _LDAPUser(DirectoryBackend(), username=name, request=request)
    try:
        if entry.dn is None:
            return None
        email = _first(entry.attrs, [settings.PLM_LDAP_EMAIL_ATTR])
    except ldap.LDAPError:
        return None
    return UserManager.normalize_login(email) or None


def role_groups_configured() -> bool:
    return bool(settings.PLM_LDAP_STEWARD_GROUP or settings.PLM_LDAP_ADMIN_GROUP)


def directory_role(group_dns: set[str]) -> str:
    """The role directory group membership gives (group DNs compared without case)."""
    member_of = {dn.lower() for dn in group_dns}
    if settings.PLM_LDAP_ADMIN_GROUP and settings.PLM_LDAP_ADMIN_GROUP.lower() in member_of:
        return "admin"
    if settings.PLM_LDAP_STEWARD_GROUP and settings.PLM_LDAP_STEWARD_GROUP.lower() in member_of:
        return "steward"
    return "planner"


def _first(attrs, names: list[str]) -> str:
    for name in names:
        values = (attrs or {}).get(name) or []
        if values and values[0].strip():
            return values[0].strip()
    return ""


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, finding and creating accounts by the directory's e-mail."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # The directory is asked for the name in one spelling, whichever form (login, admin) sent it.
        if username is not None:
            username = sign_in_name(username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username: str, ldap_user):
        email = UserManager.normalize_login(_first(ldap_user.attrs, [settings.PLM_LDAP_EMAIL_ATTR]))
        if not email:
            logger.warning("Directory sign-in refused: %s %s.", ldap_user.dn, NO_EMAIL)
            raise ldap_user.AuthenticationFailed(NO_EMAIL)
        model = self.get_user_model()
        try:
            user, built = model.objects.get(email__iexact=email), False
        except model.DoesNotExist:
            user, built = model(email=email), True
        # The directory's name as any other: cleaned, and what could pass for an address left out.
        name = directory_display_name(_first(ldap_user.attrs, settings.PLM_LDAP_NAME_ATTRS))
        if name:
            user.name = name
        user.directory_dn = ldap_user.dn
        # The directory holds the password now: a local one left over would outlive a
        # person's removal from the directory.
        user.set_unusable_password()
        user.email_confirmed = True
        return user, built

    def authenticate_ldap_user(self, ldap_user, password: str):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        if role_groups_configured():
            try:
                role = directory_role(ldap_user.group_dns)
            except ldap.LDAPError as exc:  # the groups could not be read: keep the role as it is
                logger.error("Directory groups of %s could not be read (%s); role left as it is.", user.email, exc)
                return user
            if user.role_source != "directory":
                user.role_source = "directory"
                user.save(update_fields=["role_source"])
            if user.role != role:
                logger.info("Directory role for %s: %s -> %s", user.email, user.role, role)
                set_role(user, role)
        return user


@receiver(ldap_error)
def remember_unreachable_directory(sender, context: str, request: HttpRequest | None = None, exception=None, **kwargs):
    """Note on the request that the directory failed, so the login page can say so instead of 'wrong password'."""
    logger.error(
        "Directory sign-in failed: %s could not be used (%s: %s). Local accounts still sign in.",
        settings.AUTH_LDAP_SERVER_URI,
        type(exception).__name__,
        exception,
    )
    if request is not None:
        request.directory_unreachable = True
