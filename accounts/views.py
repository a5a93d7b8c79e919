"""Register, log in and out, reset or change a password, see one's own account."""

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import FormView

from accounts import forms, registration
from accounts.directory import directory_enabled
from accounts.lockout import clear_login_failures
from accounts.roles import ROLE_SUMMARIES

logger = logging.getLogger(__name__)

# Registration signs the new user in without a password check, so through the plain model backend.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The methods a page takes, checked before anything else it does (a signed-in user's redirect
# included): anything else, TRACE and PUT among them, answers 405 with Allow.
FORM_PAGE = require_http_methods(["GET", "HEAD", "POST"])


@method_decorator(FORM_PAGE, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**kwargs, registration_open=registration.self_service())


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have logged out.")
        return response


@method_decorator(
    [FORM_PAGE, login_not_required, sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch"
)
class RegisterView(auth_views.RedirectURLMixin, FormView):
    """Make a planner account and sign it in, as PLM_REGISTRATION allows; `?next=` is honoured like the login's.

    Outside `open` registration the account then confirms its address by mail
    before it can do more than see its account page.
    """

    form_class = forms.RegisterForm
    template_name = "accounts/register.html"
    next_page = settings.LOGIN_REDIRECT_URL

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        if self.closed():
            status = 200 if request.method in ("GET", "HEAD") else 403
            return render(request, "accounts/register_closed.html", self.closed_context(), status=status)
        return super().dispatch(request, *args, **kwargs)

    def closed(self) -> bool:
        return not registration.self_service()

    def closed_context(self) -> dict:
        return {
            "policy": registration.policy(),
            "contact": settings.PLM_REGISTRATION_CONTACT,
            "directory": directory_enabled(),
        }

    def create_user(self, form: forms.RegisterForm):
        user = form.save(commit=False)
        user.email_confirmed = not registration.needs_confirmation()
        user.save()
        return user

    def form_valid(self, form: forms.RegisterForm) -> HttpResponse:
        try:
            with transaction.atomic():
                user = self.create_user(form)
        except IntegrityError:  # the same email registered a moment ago
            form.add_error("email", forms.DUPLICATE_EMAIL)
            return self.form_invalid(form)
        except registration.LinkInvalid as exc:  # the invitation was used meanwhile
            return self.link_invalid(str(exc))
        login(self.request, user, backend=MODEL_BACKEND)
        if not user.email_confirmed:
            if send_confirmation(self.request, user):
                messages.info(
                    self.request,
                    f"Welcome, {user}. We sent a confirmation link to {user.email}: follow it to start using the "
                    f"tracker (it works for {settings.PLM_EMAIL_CONFIRMATION_DAYS} days).",
                )
            return HttpResponseRedirect(reverse("accounts:account"))
        messages.success(self.request, f"Welcome, {user}. Your account is ready; you are a planner.")
        return HttpResponseRedirect(self.get_success_url())

    def link_invalid(self, message: str) -> HttpResponse:
        context = {**self.closed_context(), "link_error": message}
        return render(self.request, "accounts/register_closed.html", context, status=410)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**kwargs, next=self.get_redirect_url())


@method_decorator(
    [FORM_PAGE, login_not_required, sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch"
)
class InvitedRegisterView(RegisterView):
    """Registration from an admin's invitation link, whatever PLM_REGISTRATION says; the link works once."""

    form_class = forms.InvitedRegisterForm

    def dispatch(self, request: HttpRequest, *args, token: str, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        try:
            self.invitation = registration.invitation_from_token(token)
        except registration.LinkInvalid as exc:
            return self.link_invalid(str(exc))
        return super(RegisterView, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "invitation": self.invitation}

    def create_user(self, form: forms.RegisterForm):
        user = form.save()  # the link came by mail to this address: it is confirmed
        registration.invitation_accept(invitation=self.invitation, user=user)
        return user

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**kwargs, invitation=self.invitation)


def send_confirmation(request: HttpRequest, user) -> bool:
    """Mail the confirmation link; when the mail server fails or it went too often lately, say so."""
    try:
        registration.confirmation_send(user=user, base_url=request.build_absolute_uri("/")[:-1])
    except registration.TooManyMails as exc:
        messages.error(request, str(exc))
        return False
    except (smtplib.SMTPException, OSError) as exc:
        logger.error("Confirmation mail to %s could not be sent: %s", user.email, exc)
        messages.error(
            request,
            f'The confirmation mail to {user.email} could not be sent just now. Try "Send the link again" '
            "in a few minutes; if it keeps failing, tell an admin.",
        )
        return False
    return True


@login_not_required
@require_safe
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation mail: works signed in or not, in any browser."""
    try:
        user = registration.email_confirm(token=token)
    except registration.LinkInvalid as exc:
        return render(
            request, "error.html", {"status": 400, "title": "Link not valid", "message": str(exc)}, status=400
        )
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    return HttpResponseRedirect(
        settings.LOGIN_REDIRECT_URL if request.user.is_authenticated else reverse("accounts:login")
    )


@require_POST
def confirm_email_resend(request: HttpRequest) -> HttpResponse:
    if request.user.email_confirmed:
        messages.info(request, "Your e-mail address is already confirmed.")
    elif send_confirmation(request, request.user):
        messages.info(request, f"A new confirmation link is on its way to {request.user.email}.")
    return HttpResponseRedirect(reverse("accounts:account"))


@method_decorator(FORM_PAGE, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}


@method_decorator(require_safe, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(FORM_PAGE, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: forms.SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever can read the account's mail may log in again at once.
        clear_login_failures(form.user.email)
        return response


@method_decorator(require_safe, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@method_decorator(FORM_PAGE, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: forms.PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@require_safe
def account(request: HttpRequest) -> HttpResponse:
    context = {
        "role_summaries": ROLE_SUMMARIES,
        "directory_groups": {
            "admin": settings.PLM_LDAP_ADMIN_GROUP,
            "steward": settings.PLM_LDAP_STEWARD_GROUP,
        },
    }
    return render(request, "accounts/account.html", context)
