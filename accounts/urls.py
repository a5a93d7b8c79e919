from django.urls import path

from accounts import views

app_name = "accounts"

# Django's auth views already carry @login_not_required where a stranger needs them
# (login, password reset); RegisterView carries it too.
urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("register", views.RegisterView.as_view(), name="register"),
    path("register/invite/<str:token>", views.InvitedRegisterView.as_view(), name="register_invite"),
    path("account", views.account, name="account"),
    path("account/confirm", views.confirm_email_resend, name="confirm_email_resend"),
    path("account/confirm/<str:token>", views.confirm_email, name="confirm_email"),
    path("account/password", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
