"""Settings for the PLM Conversion Tracker.

Everything a site changes comes from the environment, so one code base serves
a laptop demo on SQLite and a central PostgreSQL or SQL Server install.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from accounts.ldap_config import authentication_backends, directory_settings
from plmtracker.ops.db import database_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The data folder holds the embedded SQLite database, backups and a local
# secret key; it is the one folder an edge install has to keep.
DATA_DIR = Path(env.str("PLM_DATA_DIR", default=str(BASE_DIR / "data")))

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production (DJANGO_DEBUG off) set "
            "DJANGO_SECRET_KEY to a long random string, for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`; "
            "for local development set DJANGO_DEBUG=1."
        )
    # Development: a key kept in the data folder, so sessions survive restarts.
    from plmtracker.ops.db import local_secret_key

    SECRET_KEY = local_secret_key(DATA_DIR)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. In production (DJANGO_DEBUG off) set it "
            "to the comma-separated host names the site answers to, "
            "for example DJANGO_ALLOWED_HOSTS=plm.example.org,localhost."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS. On by default in production; DJANGO_HTTPS=0 for a plain-http install
# (the demo, plmtracker/demo_settings.py, sets it). Each switch can also be set alone.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
# Load balancers probe the health check over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=HTTPS)
SESSION_COOKIE_HTTPONLY = True
# Pages hand the CSRF token to htmx and scripts themselves (base.html); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# Reverse proxies in front of the app (0: none). Behind them the app trusts
# X-Forwarded-Proto for https and takes the client's address from X-Forwarded-For,
# the latter only from a request that comes straight from one of DJANGO_TRUSTED_PROXIES
# (addresses or CIDR networks; default the loopback, a proxy on the same box): anyone
# else could write any address there and dodge the login lockout's per-address count.
PLM_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)
PLM_TRUSTED_PROXIES = [
    proxy.strip() for proxy in env.list("DJANGO_TRUSTED_PROXIES", default=["127.0.0.1", "::1"]) if proxy.strip()
]
for _proxy in PLM_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is neither an address nor a network; "
            "give the proxies' addresses or networks, comma-separated, e.g. 10.0.0.5,10.1.0.0/16."
        ) from None
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PLM_PROXY_COUNT else None
CSRF_FAILURE_VIEW = "plmtracker.web.views.csrf_failure"

# Content-Security-Policy (django-csp). Scripts and styles come from this site's own
# static files only: no inline <script>, no on...= handlers, no style="" attributes,
# no eval. Pages pass data to scripts in data-* attributes or json_script. data: images
# are Bootstrap's and Swagger UI's icons, written into their style sheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    # plmtracker.ops comes first: its `migrate` creates the PLM schema before
    # Django's own command runs.
    "plmtracker.ops",
    "plmtracker.inventory",  # label `plmtracker`: its tables and migrations kept their names
    "plmtracker.feeds",
    "plmtracker.demo",
    "accounts",
    "collector",
    "dashboard",
    "attention",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "import_export",
    "django_htmx",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # Content-Security-Policy on every answer, the outage page's too (CONTENT_SECURITY_POLICY above).
    "csp.middleware.CSPMiddleware",
    # Outermost but for the CSP: turns "database unreachable" anywhere below into a 503 with guidance.
    "plmtracker.web.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, so static files keep their caching: every other answer
    # (pages, JSON, exports) gets Cache-Control: no-store (plmtracker/web/http.py).
    "plmtracker.web.http.NoStoreMiddleware",
    # A 405 (a read-only page asked to PUT, TRACE, ...) says which methods the address takes.
    "plmtracker.web.http.MethodNotAllowedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in the query string or a form answers 400 (PostgreSQL cannot take one).
    "plmtracker.web.nul.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An account that has still to confirm its e-mail sees its account page only.
    "accounts.middleware.EmailConfirmationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plmtracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "plmtracker.wsgi.application"
ASGI_APPLICATION = "plmtracker.asgi.application"

# One setting picks the database: DATABASE_URL (sqlite://, postgres://,
# mssql://). Without it the app runs on a SQLite file in the data folder.
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = {"default": database_from_url(DATABASE_URL, DATA_DIR)}

# The schema every table lives in where the database has schemas.
PLM_DB_SCHEMA = "PLM"

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login"
# Axes first: it refuses logins while an email or an address is locked out (it has
# no get_user, so sessions and the test client's force_login use the model backend);
# then local accounts; then the directory, only when PLM_LDAP_URI is set.
# The directory's PLM_LDAP_* variables become django-auth-ldap's AUTH_LDAP_* here
# (accounts/ldap_config.py); the code reads them per request, so tests override them.
_directory = directory_settings(env.ENVIRON)
globals().update(_directory)
AUTHENTICATION_BACKENDS = authentication_backends(_directory["AUTH_LDAP_SERVER_URI"])

# Who may create an account at /register: open (anyone), domains (addresses in
# PLM_REGISTRATION_DOMAINS), invite (a link an admin sends) or closed (directory or
# admin-made accounts only). Outside `open` a self-registered account confirms its
# e-mail address before it can do anything but look at its account page.
PLM_REGISTRATION = env.str("PLM_REGISTRATION", default="open")
if PLM_REGISTRATION not in ("open", "domains", "invite", "closed"):
    raise ImproperlyConfigured(f"PLM_REGISTRATION={PLM_REGISTRATION!r}: use open, domains, invite or closed.")
PLM_REGISTRATION_DOMAINS = [d.lower().lstrip("@") for d in env.list("PLM_REGISTRATION_DOMAINS", default=[])]
if PLM_REGISTRATION == "domains" and not PLM_REGISTRATION_DOMAINS:
    raise ImproperlyConfigured(
        "PLM_REGISTRATION=domains needs PLM_REGISTRATION_DOMAINS, e.g. PLM_REGISTRATION_DOMAINS=hospital.org,clinic.org"
    )
# Whom /register names when it cannot make an account (closed, invite).
PLM_REGISTRATION_CONTACT = env.str("PLM_REGISTRATION_CONTACT", default="an admin of this site")
PLM_INVITATION_DAYS = env.int("PLM_INVITATION_DAYS", default=7)
PLM_EMAIL_CONFIRMATION_DAYS = env.int("PLM_EMAIL_CONFIRMATION_DAYS", default=3)
# Confirmation mails an account, or an address, gets in an hour (registration and "send it again").
PLM_EMAIL_CONFIRMATION_MAILS_PER_HOUR = env.int("PLM_EMAIL_CONFIRMATION_MAILS_PER_HOUR", default=3)
# The address people open the site at: links in mails (invitations, the daily digest) start with it.
PLM_BASE_URL = env.str("PLM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Lockout (django-axes): 5 failed logins for one email, or from one address, with
# less than 15 minutes between them, pause logins for 15 minutes, right password
# or not. Counted in the database, so every app server sees the same count.
AXES_HANDLER = "accounts.lockout.LoginAttemptHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out do not push the end of the pause further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# Mail (password reset links). Without EMAIL_HOST mails are printed on the
# server's console, which is enough for a demo or a site without a mail relay.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL are both set; use EMAIL_USE_TLS=1 for port 587 "
            "(STARTTLS) or EMAIL_USE_SSL=1 for port 465, not both."
        )
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PLM Conversion Tracker <plm-tracker@localhost>")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("PLM_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# Dates read 2026-11-20 and times 2026-11-20 14:05 everywhere (pages, admin, messages): Django's
# localization uses the language's format module, which outranks DATE_FORMAT, so the site brings its own.
FORMAT_MODULE_PATH = ["plmtracker.formats"]
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "plmtracker.web.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # A JSON body over PLM_API_MAX_JSON_BYTES, nested too deeply or with a NUL answers 400 (plmtracker/web/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "plmtracker.web.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "plmtracker.web.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "plmtracker.web.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "PLM Conversion Tracker API",
    "DESCRIPTION": "Item -> replacement links, conversion groups and their KPIs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
        "location": {"type": "integer", "minimum": 0, "maximum": 2_147_483_647},
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The collector's page addresses that also answer JSON are listed at their /api/ twin only.
    "PREPROCESSING_HOOKS": ["collector.api.schema_endpoints"],
    # Every error status an operation can answer is in the schema (plmtracker/web/api.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "plmtracker.web.api.document_error_statuses",
    ],
    # Choice sets that share a field name ("status", "role") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "GroupStatusEnum": "collector.models.GROUP_STATUSES",
        "MemberRoleEnum": "collector.models.MEMBER_ROLES",
        "KpiRoleEnum": ["original", "replacement"],  # the dashboard's role fields
        "AlertTypeEnum": "collector.models.ALERT_TYPES",
        "UseUpPolicyEnum": "collector.models.USE_UP_POLICIES",
    },
}

# The use_up policy's stranded stock (docs/DESIGN.md, "Stranded stock"): what a location will not
# use within this many days at its current burn.
PLM_USE_UP_HORIZON_DAYS = env.int("PLM_USE_UP_HORIZON_DAYS", default=365)
if PLM_USE_UP_HORIZON_DAYS < 0:
    raise ImproperlyConfigured(f"PLM_USE_UP_HORIZON_DAYS={PLM_USE_UP_HORIZON_DAYS}: use a number of days, 0 or more.")

# Largest links file the bulk upload takes (page and API).
PLM_BULK_UPLOAD_MAX_BYTES = env.int("PLM_BULK_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Most links one file may hold (bulk upload page and API, admin import): they are added in one
# transaction, which holds SQLite's write lock meanwhile. `import_data links` takes more, in batches.
PLM_BULK_MAX_LINKS = env.int("PLM_BULK_MAX_LINKS", default=5_000)
# Most data rows one file may hold in the admin import (any kind): the admin reads the file whole and
# previews every row. Larger files go through `import_data`.
PLM_ADMIN_IMPORT_MAX_ROWS = env.int("PLM_ADMIN_IMPORT_MAX_ROWS", default=PLM_BULK_MAX_LINKS)
# Most links `import_data links` takes from one file (a steward's job; one transaction, so run it off-hours).
PLM_IMPORT_MAX_LINKS = env.int("PLM_IMPORT_MAX_LINKS", default=100_000)
# The admin's import previews wait in the database like the bulk upload's (collector.pending),
# never in the temp folder: only their owner may confirm one, once, before it expires.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "collector.pending.PendingUploadStorage"
# How long a previewed bulk upload (or admin import) waits in the database for its commit.
PLM_BULK_PENDING_SECONDS = env.int("PLM_BULK_PENDING_SECONDS", default=3600)
# Largest JSON request body the API reads.
PLM_API_MAX_JSON_BYTES = env.int("PLM_API_MAX_JSON_BYTES", default=1024 * 1024)

# What reading a feed file may cost (plmtracker/feeds/limits.py): an XLSX archive is
# checked against these before it is parsed, in the bulk upload, the admin and import_data.
# Each path's budget follows from the rows it takes (5,000 for the bulk upload and the admin,
# PLM_IMPORT_MAX_LINKS or PLM_XLSX_MAX_ROWS for import_data): so much XML and so many XML
# elements a row, within the PLM_XLSX_MAX_* limits that hold for any file.
PLM_XLSX_BYTES_PER_ROW = env.int("PLM_XLSX_BYTES_PER_ROW", default=1024)
PLM_XLSX_ELEMENTS_PER_ROW = env.int("PLM_XLSX_ELEMENTS_PER_ROW", default=16)  # a row of 4 text cells: 13
PLM_XLSX_MAX_UNCOMPRESSED_BYTES = env.int("PLM_XLSX_MAX_UNCOMPRESSED_BYTES", default=512 * 1024 * 1024)
PLM_XLSX_MAX_MEMBER_BYTES = env.int("PLM_XLSX_MAX_MEMBER_BYTES", default=400 * 1024 * 1024)
PLM_XLSX_MAX_RATIO = env.int("PLM_XLSX_MAX_RATIO", default=100)
PLM_XLSX_MAX_ROWS = env.int("PLM_XLSX_MAX_ROWS", default=1_048_576)  # Excel's own limit
PLM_XLSX_MAX_COLUMNS = env.int("PLM_XLSX_MAX_COLUMNS", default=256)
PLM_XLSX_MAX_SHARED_STRINGS = env.int("PLM_XLSX_MAX_SHARED_STRINGS", default=1_000_000)
# openpyxl holds every shared string in memory: 64 characters a row of a full sheet.
PLM_XLSX_MAX_SHARED_STRING_CHARS = env.int("PLM_XLSX_MAX_SHARED_STRING_CHARS", default=64 * PLM_XLSX_MAX_ROWS)
PLM_XLSX_MAX_CELL_CHARS = env.int("PLM_XLSX_MAX_CELL_CHARS", default=32_767)  # Excel's own limit

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("PLM_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Warnings for 4xx answers are noise in the console; the answer says why.
        "django.request": {"level": "ERROR"},
        # django-axes logs every login at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # django-auth-ldap logs a directory it cannot reach at WARNING; the app adds an ERROR line.
        "django_auth_ldap": {"level": "WARNING"},
    },
}

# Cache: Redis when REDIS_URL is set (several app servers share it), else a
# per-process memory cache. Sessions live in the database either way, so any
# app server behind a load balancer can answer any request.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "plm"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Where `manage.py backup` writes, for a site that sets it in a settings
# module of its own; the BACKUP_DIR environment variable wins over it, and
# without either the data folder's backups/ is used (plmtracker/ops/backups.py).
BACKUP_DIR = ""
