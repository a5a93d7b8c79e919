"""The user table of spec 4.1: email is the login."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Now

from accounts.names import validate_display_name

STEWARD_GROUP = "Data stewards"
ROLE_SOURCES = [("local", "set in this app"), ("directory", "from directory groups")]


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_login(cls, email: str | None) -> str:
        """The stored form of a login email: trimmed and lower-case, so logins ignore case."""
        return cls.normalize_email((email or "").strip()).lower()

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_login(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    user_id = models.AutoField(primary_key=True)
    email = models.EmailField(max_length=255, unique=True)
    # Cleaned by accounts.names before it is stored (forms, the directory); the validator holds the rules.
    name = models.CharField(max_length=120, null=True, blank=True, validators=[validate_display_name])
    # Django's password and last_login, under the spec's column names.
    password = models.CharField("password", max_length=255, db_column="pw_hash")
    last_login = models.DateTimeField("last login", null=True, blank=True, db_column="last_login_at")
    is_active = models.BooleanField(default=True, db_default=True)
    is_staff = models.BooleanField(
        "admin site access",
        default=False,
        db_default=False,
        help_text="Lets the user sign in to the Django admin (stewards and admins).",
    )
    created_at = models.DateTimeField(db_default=Now())
    # Outside open registration a self-registered account starts unconfirmed; every
    # other account (admin-made, invited, directory, open registration) is confirmed.
    email_confirmed = models.BooleanField(
        default=True,
        db_default=True,
        help_text="Off until a self-registered user follows the link mailed to them.",
    )
    directory_dn = models.CharField(
        "directory DN",
        max_length=512,
        null=True,
        blank=True,
        help_text="Set when the user signs in through the directory (LDAP / Active Directory).",
    )
    role_source = models.CharField(
        max_length=10,
        choices=ROLE_SOURCES,
        default="local",
        db_default="local",
        help_text="directory: the role follows directory groups at every sign-in and is not changed here.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        db_table = "users"
        ordering = ["email"]

    def __str__(self) -> str:
        """The name with the e-mail, "Sam Steward <sam@example.org>": anyone may register any
        name, so history, audit and owner lists always show who it really was."""
        return f"{self.name} <{self.email}>" if self.name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_login(self.email)

    def refresh_from_db(self, *args, **kwargs) -> None:
        self.__dict__.pop("_is_steward", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_steward(self) -> bool:
        """Stewards curate groups and conflicts and run imports; admins may too."""
        if self.is_superuser:
            return True
        cached = getattr(self, "_is_steward", None)
        if cached is None:
            cached = self.groups.filter(name=STEWARD_GROUP).exists()
            self._is_steward = cached
        return cached

    @property
    def role_from_directory(self) -> bool:
        return self.role_source == "directory"

    @property
    def role(self) -> str:
        if self.is_superuser:
            return "admin"
        return "steward" if self.is_steward else "planner"


class Invitation(models.Model):
    """An admin's invitation to register one e-mail address; its link works once, until `expires_at`."""

    invitation_id = models.AutoField(primary_key=True)
    email = models.EmailField(max_length=255)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_sent", db_column="invited_by"
    )
    created_at = models.DateTimeField(db_default=Now())
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_column="accepted_user_id"
    )

    class Meta:
        db_table = "invitation"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"


class ConfirmationMail(models.Model):
    """One e-mail confirmation mail sent: how many an account, or an address, got lately.

    Sending is limited per account and per address (PLM_EMAIL_CONFIRMATION_MAILS_PER_HOUR),
    so the resend button cannot flood a mailbox at an allowed domain.
    """

    mail_id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", db_column="user_id")
    email = models.EmailField(max_length=255)
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "confirmation_mail"
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["user", "sent_at"], name="confirmation_mail_user_idx"),
            models.Index(fields=["email", "sent_at"], name="confirmation_mail_email_idx"),
        ]

    def __str__(self) -> str:
        return f"Confirmation mail to {self.email} at {self.sent_at:%Y-%m-%d %H:%M}"
