from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Installed for its management commands; first in INSTALLED_APPS so its `migrate` wins."""

    name = "plmtracker.ops"
    label = "plmtracker_ops"
    verbose_name = "Database operations"
