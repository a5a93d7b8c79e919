"""Test settings: the real settings, with a fixed key and a fast password hasher."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# Playwright's sync API keeps an event loop on the test thread; the ORM calls
# the tests make beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from plmtracker.settings import *  # noqa: F403
from plmtracker.settings import STATIC_ROOT, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests read static files through the finders; no collectstatic manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks there at start-up

# The test client and live_server speak plain http: the https-only switches are off.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = None

# Count the requests the live server is answering, so a browser test's database is flushed only
# after they finish (tests/live_requests.py).
MIDDLEWARE = ["tests.live_requests.CountInFlight", *MIDDLEWARE]  # noqa: F405
