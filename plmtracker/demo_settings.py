"""Settings of the demo (scripts/run_demo.sh): the production settings with DEBUG off, on plain http.

Anyone who reaches the demo sees the site's own 404 and 500 pages, never Django's technical
pages (which list every URL). The demo needs no secret key, host list or collectstatic:
the key is the one kept in the data folder, the hosts are this machine's, and whitenoise
serves the static files straight from the source folders.
"""

import os
from pathlib import Path

from plmtracker.ops.db import local_secret_key

os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_HTTPS", "0")  # runserver speaks plain http
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
if not os.environ.get("DJANGO_SECRET_KEY"):
    data_dir = Path(os.environ.get("PLM_DATA_DIR") or Path(__file__).resolve().parents[1] / "data")
    os.environ["DJANGO_SECRET_KEY"] = local_secret_key(data_dir)

from plmtracker.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
