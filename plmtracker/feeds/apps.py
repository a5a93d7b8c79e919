from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Installed for its management commands, import_data and export_data."""

    name = "plmtracker.feeds"
    label = "plmtracker_feeds"
    verbose_name = "Feeds"
