"""Account forms: Django's auth forms, with email logins and Bootstrap's look."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts import registration
from accounts.directory import UNREACHABLE, directory_enabled, sign_in_name
from accounts.models import Invitation, UserManager
from accounts.names import MAX_LENGTH as NAME_MAX_LENGTH
from accounts.names import clean_display_name
from accounts.roles import ROLE_SUMMARIES

DUPLICATE_EMAIL = "An account with this email already exists. Log in, or reset the password if you have forgotten it."


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, and mark the fields that have errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select | forms.CheckboxInput | forms.RadioSelect):
                continue
            field.widget.attrs["class"] = "form-control"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and "class" in self.fields[name].widget.attrs:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class UniqueEmailMixin:
    """Store emails lower-case and refuse one that exists in any case."""

    def clean_email(self) -> str:
        email = UserManager.normalize_login(self.cleaned_data.get("email"))
        others = get_user_model().objects.filter(email__iexact=email)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(DUPLICATE_EMAIL, code="duplicate_email")
        return email


class DisplayNameMixin:
    """The name as the site will show it (accounts.names): blanks collapsed, no control characters, no <, > or @."""

    def clean_name(self) -> str | None:
        return clean_display_name(self.cleaned_data.get("name")) or None


def role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=list(ROLE_SUMMARIES.items()),
        initial="planner",
        help_text="Admin-site access and the Data stewards group follow the role.",
    )


class LoginForm(BootstrapFormMixin, auth_forms.AuthenticationForm):
    """Email and password; with a directory, the directory name (or e-mail) and its password too."""

    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "That email and password do not match an account. Check both and try again.",
        "inactive": "This account is switched off. Ask an admin to switch it on again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if directory_enabled():
            self.fields["username"] = forms.CharField(
                label="Email or directory name",
                max_length=255,
                help_text="Your Windows / directory sign-in name, or your e-mail address.",
                widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}),
            )
            self.error_messages = {
                **self.error_messages,
                "invalid_login": "That name or email and password do not match an account. Check both and try again.",
            }

    def clean_username(self) -> str:
        # One spelling of the name for the lockout and the directory alike (accounts.directory.sign_in_name).
        return sign_in_name(self.cleaned_data.get("username"))

    def get_invalid_login_error(self) -> ValidationError:
        if getattr(self.request, "directory_unreachable", False):
            return ValidationError(UNREACHABLE, code="directory_unreachable")
        return super().get_invalid_login_error()


class RegisterForm(BootstrapFormMixin, UniqueEmailMixin, DisplayNameMixin, auth_forms.BaseUserCreationForm):
    class Meta:
        model = get_user_model()
        fields = ("email", "name")
        labels = {"email": "Email", "name": "Name (optional)"}
        help_texts = {
            "email": "You log in with it; a password reset link goes there.",
            "name": f"Shown in the menu and the audit history, beside your e-mail; up to {NAME_MAX_LENGTH} characters.",
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def clean_email(self) -> str:
        email = super().clean_email()
        if registration.policy() == "domains" and not registration.domain_allowed(email):
            allowed = ", ".join(f"@{d}" for d in settings.PLM_REGISTRATION_DOMAINS)
            raise ValidationError(
                f"Accounts here are for addresses ending in {allowed}. Use your work address, "
                f"or ask {settings.PLM_REGISTRATION_CONTACT} for an invitation.",
                code="domain_not_allowed",
            )
        return email


class InvitedRegisterForm(RegisterForm):
    """Registration from an invitation: the address is the invited one."""

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].initial = invitation.email
        self.fields["email"].help_text = "The invited address; you log in with it."

    def clean_email(self) -> str:
        return UniqueEmailMixin.clean_email(self)  # an admin invited it: no domain rule


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class UserAdminCreationForm(UniqueEmailMixin, DisplayNameMixin, auth_forms.AdminUserCreationForm):
    role = role_field()

    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = get_user_model()
        fields = ("email", "name")


class UserAdminChangeForm(UniqueEmailMixin, DisplayNameMixin, auth_forms.UserChangeForm):
    role = role_field()

    class Meta(auth_forms.UserChangeForm.Meta):
        model = get_user_model()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:  # the admin shows one's own role read-only
            self.fields["role"].initial = self.instance.role


class InvitationAdminForm(forms.ModelForm):
    days = forms.IntegerField(
        min_value=1, max_value=90, initial=settings.PLM_INVITATION_DAYS, help_text="How long the link works."
    )

    class Meta:
        model = Invitation
        fields = ["email"]

    # Set by the admin: who invites, and the site address the link starts with.
    inviter = None
    base_url = ""
    invitation = None

    def clean_email(self) -> str:
        email = UserManager.normalize_login(self.cleaned_data.get("email"))
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(f"{email} already has an account.", code="duplicate_email")
        return email

    def clean(self):
        """Make and mail the invitation here, so a mail that cannot be sent is a form error, not a failed save."""
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors and self.base_url:
            from accounts.registration import LinkInvalid, invitation_create

            try:
                self.invitation = invitation_create(
                    email=cleaned["email"], invited_by=self.inviter, base_url=self.base_url, days=cleaned["days"]
                )
            except LinkInvalid as exc:
                raise ValidationError(str(exc), code="not_sent") from None
        return cleaned
