"""Production settings from the environment: https switches, clear start-up errors, check --deploy."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
SHOWN = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "PLM_TRUSTED_PROXIES",
    "CSRF_TRUSTED_ORIGINS",
    "EMAIL_BACKEND",
]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    f"print(json.dumps({{name: getattr(s, name) for name in {SHOWN!r}}}))"
)


def production_env(tmp_path, **overrides) -> dict:
    """The machine's environment without any of the app's variables, plus a production set-up."""
    ours = ("DJANGO_", "PLM_", "EMAIL_", "DATABASE_URL", "DEFAULT_FROM_EMAIL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        DJANGO_SETTINGS_MODULE="plmtracker.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="plm.example.org",
        PLM_DATA_DIR=str(tmp_path),
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def settings_with(env: dict) -> dict:
    result = run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # a fresh manage.py process
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.slow  # a fresh manage.py process
def test_check_deploy_warns_on_a_plain_http_install(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, DJANGO_HTTPS="0")
    )
    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


@pytest.mark.slow  # a fresh manage.py process
def test_production_defaults_are_https_only(tmp_path):
    shown = settings_with(production_env(tmp_path))
    assert shown == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_PROXY_SSL_HEADER": None,
        "PLM_TRUSTED_PROXIES": ["127.0.0.1", "::1"],
        "CSRF_TRUSTED_ORIGINS": [],
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }


@pytest.mark.slow  # a fresh manage.py process per case
@pytest.mark.parametrize(
    "overrides, expected",
    [
        (
            {"DJANGO_HTTPS": "0"},
            {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0},
        ),
        (
            {"DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": None, "DJANGO_ALLOWED_HOSTS": None},
            {"DEBUG": True, "SECURE_SSL_REDIRECT": False, "CSRF_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0},
        ),
        (
            {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "3600"},
            {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": True, "SECURE_HSTS_SECONDS": 3600},
        ),
        (
            {
                "DJANGO_PROXY_COUNT": "1",
                "DJANGO_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16",
                "DJANGO_CSRF_TRUSTED_ORIGINS": "https://plm.example.org",
            },
            {
                "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                "PLM_TRUSTED_PROXIES": ["10.0.0.5", "10.1.0.0/16"],
                "CSRF_TRUSTED_ORIGINS": ["https://plm.example.org"],
            },
        ),
        (
            {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "587", "EMAIL_USE_TLS": "1"},
            {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
        ),
    ],
    ids=["plain-http", "demo", "one-switch", "behind-proxy", "smtp"],
)
def test_each_switch_comes_from_the_environment(tmp_path, overrides, expected):
    shown = settings_with(production_env(tmp_path, **overrides))
    assert {name: shown[name] for name in expected} == expected


@pytest.mark.slow  # a fresh manage.py process per case
@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS is not set"),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "not both"),
        ({"DJANGO_TRUSTED_PROXIES": "10.0.0.5,lb.example.org"}, "'lb.example.org' is neither an address nor a network"),
    ],
)
def test_a_production_start_without_what_it_needs_says_what_to_set(tmp_path, overrides, message):
    result = run(["manage.py", "check"], production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


# The https switches at work (tests run on plain http, so they are turned on here).


@pytest.mark.django_db
def test_ssl_redirect_spares_the_health_check_and_trusts_the_proxy_header(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login"
    assert client.get(reverse("accounts:login"), headers={"x-forwarded-proto": "https"}).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_cookies_are_secure_and_http_only_when_switched_on(settings, planner):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get(reverse("accounts:login"))
    response = client.post(reverse("accounts:login"), {"username": planner.email, "password": "correct-horse-battery"})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert csrf["secure"] and csrf["httponly"]


@pytest.mark.django_db
def test_static_files_need_no_login(settings):
    settings.WHITENOISE_USE_FINDERS = True  # read at start-up, so before the client's first request
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert b".kpi-card" in b"".join(response.streaming_content)
